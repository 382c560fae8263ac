//! Settings, resolved in one place: flags > environment > files > defaults.
//!
//! [`resolve`] takes flags, the environment map and [`Files`], and asks the
//! files only for what flags and environment leave open (a key from a flag
//! never opens the credentials file); [`Files::from_disk`] is the only part
//! that touches the disk, and reads only regular files of at most
//! [`MAX_FILE_BYTES`] (see [`read_settings_file`]).

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ini::Ini;
use rhombus_transport::{Endpoint, Region, Secret, base_url_has_credentials};

use crate::cli::{EndpointPathArg, GlobalArgs, OutputFormat, RegionArg};
use crate::error::CliError;

/// The environment, as a map (tests pass their own).
pub type Env = BTreeMap<String, String>;

/// `RHOMBUS_API_KEY`.
pub const ENV_API_KEY: &str = "RHOMBUS_API_KEY";
/// `RHOMBUS_PROFILE`.
pub const ENV_PROFILE: &str = "RHOMBUS_PROFILE";
/// `RHOMBUS_OUTPUT`.
pub const ENV_OUTPUT: &str = "RHOMBUS_OUTPUT";
/// `RHOMBUS_ENDPOINT_URL`.
pub const ENV_ENDPOINT_URL: &str = "RHOMBUS_ENDPOINT_URL";

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag (its name).
    Flag(&'static str),
    /// An environment variable (its name).
    Env(&'static str),
    /// `~/.rhombus/config`, in this section.
    ConfigFile(String),
    /// `~/.rhombus/credentials`, in this section.
    CredentialsFile(String),
    /// Built in.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(name) => write!(f, "flag {name}"),
            Source::Env(name) => write!(f, "env {name}"),
            Source::ConfigFile(section) => write!(f, "~/.rhombus/config [{section}]"),
            Source::CredentialsFile(section) => write!(f, "~/.rhombus/credentials [{section}]"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Its origin.
    pub source: Source,
}

impl<T> Sourced<T> {
    fn new(value: T, source: Source) -> Self {
        Sourced { value, source }
    }
}

/// How the key authenticates (`auth_type` in the credentials file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthType {
    /// A plain API token.
    Token,
    /// A certificate key: mutual TLS with `cert_file` and `key_file`.
    Cert,
}

/// The most a settings file (config, credentials, a PEM file they name) may hold: 1 MiB.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// One of the two settings files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.rhombus/config`.
    Config,
    /// `~/.rhombus/credentials`.
    Credentials,
}

impl FileKind {
    /// The file's name in `~/.rhombus`.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Config => "config",
            FileKind::Credentials => "credentials",
        }
    }
}

/// Where the files' text comes from.
#[derive(Clone)]
enum Origin {
    /// `~/.rhombus` (`None`: HOME is not set).
    Disk(Option<PathBuf>),
    /// Given text (tests).
    Text {
        config: Option<String>,
        credentials: Option<String>,
    },
}

/// The two files, each read the first time a setting needs it and at most
/// once (`None` when it does not exist). `Debug` shows which were read, never
/// their text (the credentials hold keys).
#[derive(Clone)]
pub struct Files {
    origin: Origin,
    config: Option<Option<String>>,
    credentials: Option<Option<String>>,
    /// Problems found while reading (e.g. file permissions), shown as warnings.
    pub warnings: Vec<String>,
}

impl fmt::Debug for Files {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Files")
            .field("config_read", &self.was_read(FileKind::Config))
            .field("credentials_read", &self.was_read(FileKind::Credentials))
            .field("warnings", &self.warnings)
            .finish()
    }
}

impl Default for Files {
    /// No files at all.
    fn default() -> Self {
        Files::from_text(None, None)
    }
}

impl Files {
    /// `~/.rhombus/config` and `~/.rhombus/credentials` under `$HOME` from `env`.
    pub fn from_disk(env: &Env) -> Self {
        Files::new(Origin::Disk(rhombus_dir(env)))
    }

    /// Files with this text (`None`: the file does not exist).
    pub fn from_text(config: Option<&str>, credentials: Option<&str>) -> Self {
        Files::new(Origin::Text {
            config: config.map(str::to_owned),
            credentials: credentials.map(str::to_owned),
        })
    }

    fn new(origin: Origin) -> Self {
        Files {
            origin,
            config: None,
            credentials: None,
            warnings: Vec::new(),
        }
    }

    /// Whether `file` was asked for (read, or found missing) so far.
    pub fn was_read(&self, file: FileKind) -> bool {
        match file {
            FileKind::Config => self.config.is_some(),
            FileKind::Credentials => self.credentials.is_some(),
        }
    }

    /// The text of `file`, read now if it was not yet.
    fn text(&mut self, file: FileKind) -> Result<Option<&str>, CliError> {
        if !self.was_read(file) {
            let text = match &self.origin {
                Origin::Text {
                    config,
                    credentials,
                } => match file {
                    FileKind::Config => config.clone(),
                    FileKind::Credentials => credentials.clone(),
                },
                Origin::Disk(None) => None,
                Origin::Disk(Some(dir)) => {
                    let path = dir.join(file.name());
                    let read = read_settings_text(&path)?;
                    if let Some((_, file_meta)) = &read {
                        if let Some(warning) = (file == FileKind::Credentials)
                            .then(|| permission_warning(&path, file_meta))
                            .flatten()
                        {
                            self.warnings.push(warning);
                        }
                    }
                    read.map(|(text, _)| text)
                }
            };
            match file {
                FileKind::Config => self.config = Some(text),
                FileKind::Credentials => self.credentials = Some(text),
            }
        }
        Ok(match file {
            FileKind::Config => self.config.as_ref(),
            FileKind::Credentials => self.credentials.as_ref(),
        }
        .and_then(|text| text.as_deref()))
    }
}

/// Every setting, resolved, with its source.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The profile in use.
    pub profile: Sourced<String>,
    /// The API key (`Debug` prints `<redacted>`).
    pub api_key: Option<Sourced<Secret>>,
    /// Base URL of the API.
    pub base_url: Sourced<String>,
    /// The twin path tried first.
    pub endpoint: Sourced<Endpoint>,
    /// Token or certificate.
    pub auth_type: Sourced<AuthType>,
    /// Client certificate (PEM) for certificate keys.
    pub cert_file: Option<Sourced<PathBuf>>,
    /// Client private key (PEM) for certificate keys.
    pub key_file: Option<Sourced<PathBuf>>,
    /// Whether the key is a partner key.
    pub is_partner: Sourced<bool>,
    /// The client org a partner key acts for.
    pub partner_org: Option<Sourced<String>>,
    /// Whole-call timeout.
    pub timeout: Option<Sourced<Duration>>,
    /// Output format; `None` means "table on a terminal, json otherwise".
    pub output: Option<Sourced<OutputFormat>>,
    /// Things worth telling the user (ignored values, loose file permissions).
    pub warnings: Vec<String>,
}

/// `$HOME/.rhombus`, when `HOME` is set.
pub fn rhombus_dir(env: &Env) -> Option<PathBuf> {
    let home = env.get("HOME").filter(|h| !h.is_empty())?;
    Some(Path::new(home).join(".rhombus"))
}

/// Reads a settings file: only a regular file (a FIFO, a device such as
/// `/dev/zero` behind a symlink, a directory are errors), of at most
/// [`MAX_FILE_BYTES`]. Opening never waits (a FIFO with no writer would block
/// it), and what is checked is the opened file, so the path cannot change
/// between the check and the read. Also returns the file's metadata.
pub fn read_settings_file(path: &Path) -> io::Result<(Vec<u8>, std::fs::Metadata)> {
    let file = open_without_waiting(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", file_type_name(&meta)),
        ));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is larger than {} KiB", MAX_FILE_BYTES / 1024),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    // The size may change after the check: never read more than allowed.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok((bytes, meta))
}

#[cfg(unix)]
fn open_without_waiting(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// What a file that is not a regular file is, for the message.
fn file_type_name(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "something else"
}

/// The text of a settings file and its metadata; `None` when it does not exist.
fn read_settings_text(path: &Path) -> Result<Option<(String, std::fs::Metadata)>, CliError> {
    let cannot =
        |e: &dyn fmt::Display| CliError::usage(format!("cannot read {}: {e}", path.display()));
    match read_settings_file(path) {
        Ok((bytes, meta)) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some((text, meta))),
            Err(_) => Err(cannot(&"it is not UTF-8 text")),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(cannot(&e)),
    }
}

#[cfg(unix)]
fn permission_warning(path: &Path, meta: &std::fs::Metadata) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} is readable by group or others (mode {mode:04o}); run `chmod 600 {}`",
            path.display(),
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn permission_warning(_: &Path, _: &std::fs::Metadata) -> Option<String> {
    None
}

/// Looks a variable up, treating an empty value as unset.
fn env_var<'e>(env: &'e Env, name: &str) -> Option<&'e str> {
    env.get(name)
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
}

/// One parsed INI file and the section the profile selects in it.
struct Section {
    ini: Option<Ini>,
    name: Option<String>,
}

impl Section {
    /// Parses `text` and finds the first of `candidates` that exists.
    fn find(text: Option<&str>, file: &str, candidates: &[String]) -> Result<Self, CliError> {
        let ini = match text {
            Some(text) => Some(Ini::load_from_str(text).map_err(|e| {
                CliError::usage(format!("~/.rhombus/{file} is not valid INI: {e}"))
            })?),
            None => None,
        };
        let name = ini.as_ref().and_then(|ini| {
            candidates
                .iter()
                .find(|c| ini.section(Some(c.as_str())).is_some())
                .cloned()
        });
        Ok(Section { ini, name })
    }

    fn get(&self, key: &str) -> Option<(&str, &str)> {
        let name = self.name.as_deref()?;
        let value = self.ini.as_ref()?.section(Some(name))?.get(key)?.trim();
        (!value.is_empty()).then_some((value, name))
    }
}

/// The profile's sections of the two files, each read and parsed the first
/// time a setting needs it.
struct ProfileFiles<'f> {
    files: &'f mut Files,
    config_names: Vec<String>,
    credentials_names: Vec<String>,
    config: Option<Section>,
    credentials: Option<Section>,
}

impl ProfileFiles<'_> {
    /// The profile's section of `file`, reading the file if need be.
    fn section(&mut self, file: FileKind) -> Result<&Section, CliError> {
        let (slot, names) = match file {
            FileKind::Config => (&mut self.config, &self.config_names),
            FileKind::Credentials => (&mut self.credentials, &self.credentials_names),
        };
        let section = match slot.take() {
            Some(section) => section,
            None => Section::find(self.files.text(file)?, file.name(), names)?,
        };
        Ok(slot.insert(section))
    }

    /// `key` of the profile's section of `file`, with where it came from.
    fn get(&mut self, file: FileKind, key: &str) -> Result<Option<Sourced<String>>, CliError> {
        let section = self.section(file)?;
        Ok(section.get(key).map(|(value, name)| {
            let name = name.to_owned();
            let source = match file {
                FileKind::Config => Source::ConfigFile(name),
                FileKind::Credentials => Source::CredentialsFile(name),
            };
            Sourced::new(value.to_owned(), source)
        }))
    }
}

/// A key given by a flag or the environment: an empty one is a usage error
/// (nothing would accept it, and a variable set from a missing file should
/// not quietly fall back to another key).
fn given_key(key: &str, source: Source) -> Result<Sourced<Secret>, CliError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(
            CliError::usage(format!("the API key from {source} is empty"))
                .with_hint("pass the key itself, or leave it unset to use ~/.rhombus/credentials"),
        );
    }
    Ok(Sourced::new(Secret::new(key), source))
}

/// The flags as given on the command line: clap also fills the
/// environment-backed ones from their variables ([`GlobalArgs::from_env`]),
/// which [`resolve`] reads from `env` itself, to name them as their source.
fn flags_only(flags: &GlobalArgs) -> GlobalArgs {
    let mut given = flags.clone();
    for var in &flags.from_env {
        match *var {
            ENV_PROFILE => given.profile = None,
            ENV_API_KEY => given.api_key = None,
            ENV_ENDPOINT_URL => given.endpoint_url = None,
            ENV_OUTPUT => given.output = None,
            _ => {}
        }
    }
    given
}

/// Resolves every setting: flags > environment > files > defaults.
///
/// A file is read only when a setting needs it: the config for the endpoint
/// URL or output that no flag or variable gives (and to find a profile named
/// explicitly), the credentials for the key (and its kind: `auth_type`,
/// `cert_file`, `key_file`, `is_partner` describe the key in that file, so a
/// key from `--api-key` or `RHOMBUS_API_KEY` is a plain token, or a partner
/// token with `--partner-org`).
pub fn resolve(flags: &GlobalArgs, env: &Env, files: &mut Files) -> Result<Settings, CliError> {
    let flags = &flags_only(flags);
    let mut warnings = Vec::new();
    let profile = match (&flags.profile, env_var(env, ENV_PROFILE)) {
        (Some(p), _) => Sourced::new(p.clone(), Source::Flag("--profile")),
        (None, Some(p)) => Sourced::new(p.to_owned(), Source::Env(ENV_PROFILE)),
        (None, None) => Sourced::new("default".to_owned(), Source::Default),
    };
    let name = profile.value.as_str();
    let config_names = if name == "default" {
        vec!["default".to_owned(), "profile default".to_owned()]
    } else {
        vec![format!("profile {name}"), name.to_owned()]
    };
    let mut sections = ProfileFiles {
        files,
        config_names,
        credentials_names: vec![name.to_owned()],
        config: None,
        credentials: None,
    };
    if profile.source != Source::Default
        && sections.section(FileKind::Config)?.name.is_none()
        && sections.section(FileKind::Credentials)?.name.is_none()
    {
        return Err(CliError::usage(format!(
            "profile {name:?} ({}) is not in ~/.rhombus/credentials or ~/.rhombus/config",
            profile.source
        ))
        .with_hint(format!(
            "add a [{name}] section to ~/.rhombus/credentials, or pick another profile"
        )));
    }

    let api_key = match (&flags.api_key, env.get(ENV_API_KEY)) {
        (Some(k), _) => Some(given_key(k, Source::Flag("--api-key"))?),
        (None, Some(k)) => Some(given_key(k, Source::Env(ENV_API_KEY))?),
        (None, None) => sections
            .get(FileKind::Credentials, "api_key")?
            .map(|k| Sourced::new(Secret::new(k.value), k.source)),
    };
    // The key's kind comes from where the key does.
    let key_given = flags.api_key.is_some() || env.contains_key(ENV_API_KEY);
    let mut from_creds = |key: &str| match key_given {
        true => Ok(None),
        false => sections.get(FileKind::Credentials, key),
    };
    let auth_type = match from_creds("auth_type")? {
        None => Sourced::new(AuthType::Token, Source::Default),
        Some(s) => match s.value.to_ascii_lowercase().as_str() {
            "token" | "api-token" => Sourced::new(AuthType::Token, s.source),
            "cert" | "certificate" => Sourced::new(AuthType::Cert, s.source),
            other => {
                return Err(CliError::usage(format!(
                    "auth_type {other:?} in {} is not token or cert",
                    s.source
                )));
            }
        },
    };
    let home = env.get("HOME").map(String::as_str);
    let path_of = |s: Sourced<String>| Sourced::new(expand_home(&s.value, home), s.source);
    let cert_file = from_creds("cert_file")?.map(path_of);
    let key_file = from_creds("key_file")?.map(path_of);
    if auth_type.value == AuthType::Cert && (cert_file.is_none() || key_file.is_none()) {
        return Err(CliError::usage(format!(
            "auth_type = cert in {} needs both cert_file and key_file",
            auth_type.source
        )));
    }
    let is_partner = match from_creds("is_partner")? {
        None => Sourced::new(false, Source::Default),
        Some(s) => match parse_bool(&s.value) {
            Some(b) => Sourced::new(b, s.source),
            None => {
                return Err(CliError::usage(format!(
                    "is_partner {:?} in {} is not true or false",
                    s.value, s.source
                )));
            }
        },
    };

    let base_url = if let Some(url) = &flags.endpoint_url {
        if flags.region.is_some() {
            return Err(CliError::usage(
                "--endpoint-url and --region both choose the base URL: pass one of them",
            ));
        }
        Sourced::new(url.clone(), Source::Flag("--endpoint-url"))
    } else if let Some(region) = flags.region {
        Sourced::new(
            region_of(region).base_url().to_owned(),
            Source::Flag("--region"),
        )
    } else if let Some(url) = env_var(env, ENV_ENDPOINT_URL) {
        Sourced::new(url.to_owned(), Source::Env(ENV_ENDPOINT_URL))
    } else if let Some(url) = sections.get(FileKind::Config, "endpoint_url")? {
        url
    } else {
        Sourced::new(Region::Us.base_url().to_owned(), Source::Default)
    };
    // Refused rather than masked: the API never reads a password from the
    // URL, and once resolved, the URL reaches `config show`, the `-v` log and
    // the HTTP stack's own `-vv` log, which no masking here would reach.
    if base_url_has_credentials(&base_url.value) {
        return Err(CliError::usage(format!(
            "the endpoint URL from {} contains a user name or password",
            base_url.source
        ))
        .with_hint("remove the `user:password@` part; the API key is what authenticates"));
    }

    let endpoint = match flags.endpoint_path {
        Some(EndpointPathArg::Event) => {
            Sourced::new(Endpoint::Event, Source::Flag("--endpoint-path"))
        }
        Some(EndpointPathArg::Video) => {
            Sourced::new(Endpoint::Video, Source::Flag("--endpoint-path"))
        }
        None => Sourced::new(Endpoint::Event, Source::Default),
    };

    let partner_org = flags
        .partner_org
        .clone()
        .map(|org| Sourced::new(org, Source::Flag("--partner-org")));

    let timeout = flags
        .timeout
        .map(|t| Sourced::new(t, Source::Flag("--timeout")));

    let mut output = flags
        .output
        .map(|format| Sourced::new(format, Source::Flag("--output")));
    if output.is_none() {
        if let Some(value) = env_var(env, ENV_OUTPUT) {
            output = parse_output(value).map(|f| Sourced::new(f, Source::Env(ENV_OUTPUT)));
            if output.is_none() {
                warnings.push(ignored_output(value, &Source::Env(ENV_OUTPUT)));
            }
        }
    }
    if output.is_none() {
        if let Some(value) = sections.get(FileKind::Config, "output")? {
            output = parse_output(&value.value).map(|f| Sourced::new(f, value.source.clone()));
            if output.is_none() {
                warnings.push(ignored_output(&value.value, &value.source));
            }
        }
    }
    // The files' warnings (loose permissions) first.
    let mut file_warnings = std::mem::take(&mut sections.files.warnings);
    file_warnings.append(&mut warnings);
    let warnings = file_warnings;

    Ok(Settings {
        profile,
        api_key,
        base_url,
        endpoint,
        auth_type,
        cert_file,
        key_file,
        is_partner,
        partner_org,
        timeout,
        output,
        warnings,
    })
}

fn region_of(region: RegionArg) -> Region {
    match region {
        RegionArg::Us => Region::Us,
        RegionArg::Eu => Region::Eu,
    }
}

/// The warning for an output name that is not one.
fn ignored_output(value: &str, source: &Source) -> String {
    format!("ignoring output {value:?} from {source}: expected table, json, ndjson or csv")
}

/// Output names from the environment or the Go CLI's config (`text` reads as table).
fn parse_output(value: &str) -> Option<OutputFormat> {
    match value.trim().to_ascii_lowercase().as_str() {
        "table" | "text" => Some(OutputFormat::Table),
        "json" => Some(OutputFormat::Json),
        "ndjson" | "jsonl" => Some(OutputFormat::Ndjson),
        "csv" => Some(OutputFormat::Csv),
        _ => None,
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn expand_home(path: &str, home: Option<&str>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => Path::new(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// A key as it may be shown: `****` plus its last four characters when it is long
/// enough that those reveal nothing useful.
pub fn mask(secret: &Secret) -> String {
    let key = secret.expose_secret();
    let chars = key.chars().count();
    if chars >= 16 {
        let tail: String = key.chars().skip(chars - 4).collect();
        format!("****{tail}")
    } else {
        "****".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn files(config: &str, credentials: &str) -> Files {
        Files::from_text(Some(config), Some(credentials))
    }

    const CONFIG: &str = "[default]\noutput = json\nendpoint_url = https://default.example\n\n[profile eu]\noutput = csv\nendpoint_url = https://api2.eu.rhombussystems.com\n";
    const CREDS: &str = "[default]\napi_key = default-key-from-file\nauth_type = token\n\n[eu]\napi_key = eu-key-from-file\nis_partner = true\n";

    #[test]
    fn defaults_without_anything() {
        let s = resolve(&GlobalArgs::default(), &Env::new(), &mut Files::default()).unwrap();
        assert_eq!(s.profile.value, "default");
        assert!(s.api_key.is_none());
        assert_eq!(s.base_url.value, Region::Us.base_url());
        assert_eq!(s.base_url.source, Source::Default);
        assert_eq!(s.endpoint.value, Endpoint::Event);
        assert_eq!(s.output, None);
    }

    #[test]
    fn files_supply_the_default_profile() {
        let s = resolve(
            &GlobalArgs::default(),
            &Env::new(),
            &mut files(CONFIG, CREDS),
        )
        .unwrap();
        let key = s.api_key.unwrap();
        assert_eq!(key.value.expose_secret(), "default-key-from-file");
        assert_eq!(key.source, Source::CredentialsFile("default".into()));
        assert_eq!(s.base_url.value, "https://default.example");
        assert_eq!(s.output.unwrap().value, OutputFormat::Json);
    }

    #[test]
    fn env_profile_selects_sections_and_flag_beats_env() {
        let e = env(&[(ENV_PROFILE, "eu")]);
        let s = resolve(&GlobalArgs::default(), &e, &mut files(CONFIG, CREDS)).unwrap();
        assert_eq!(s.profile.source, Source::Env(ENV_PROFILE));
        assert_eq!(s.api_key.unwrap().value.expose_secret(), "eu-key-from-file");
        assert_eq!(s.output.clone().unwrap().value, OutputFormat::Csv);
        assert_eq!(s.base_url.source, Source::ConfigFile("profile eu".into()));
        assert!(s.is_partner.value);

        let flags = GlobalArgs {
            profile: Some("default".into()),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &e, &mut files(CONFIG, CREDS)).unwrap();
        assert_eq!(s.profile.value, "default");
        assert!(!s.is_partner.value);
    }

    #[test]
    fn precedence_flag_env_file() {
        let f = files(CONFIG, CREDS);
        let e = env(&[
            (ENV_API_KEY, "env-key"),
            (ENV_OUTPUT, "ndjson"),
            (ENV_ENDPOINT_URL, "http://127.0.0.1:9"),
        ]);
        let s = resolve(&GlobalArgs::default(), &e, &mut f.clone()).unwrap();
        assert_eq!(s.api_key.as_ref().unwrap().value.expose_secret(), "env-key");
        assert_eq!(s.output.as_ref().unwrap().value, OutputFormat::Ndjson);
        assert_eq!(s.base_url.value, "http://127.0.0.1:9");

        let flags = GlobalArgs {
            api_key: Some("flag-key".into()),
            output: Some(OutputFormat::Table),
            region: Some(RegionArg::Eu),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &e, &mut f.clone()).unwrap();
        assert_eq!(s.api_key.unwrap().value.expose_secret(), "flag-key");
        assert_eq!(s.output.unwrap().source, Source::Flag("--output"));
        assert_eq!(s.base_url.value, Region::Eu.base_url());
    }

    #[test]
    fn empty_env_values_count_as_unset_but_an_empty_key_is_an_error() {
        let e = env(&[(ENV_PROFILE, " "), (ENV_OUTPUT, "")]);
        let s = resolve(&GlobalArgs::default(), &e, &mut files(CONFIG, CREDS)).unwrap();
        assert_eq!(s.profile.value, "default");
        assert_eq!(
            s.api_key.unwrap().source,
            Source::CredentialsFile("default".into())
        );

        let flag = |key: &str| GlobalArgs {
            api_key: Some(key.into()),
            ..GlobalArgs::default()
        };
        for (flags, e, from) in [
            (flag(""), Env::new(), "flag --api-key"),
            (flag("  "), Env::new(), "flag --api-key"),
            (
                GlobalArgs::default(),
                env(&[(ENV_API_KEY, "")]),
                "env RHOMBUS_API_KEY",
            ),
            (
                GlobalArgs::default(),
                env(&[(ENV_API_KEY, " \t")]),
                "env RHOMBUS_API_KEY",
            ),
        ] {
            let mut f = files(CONFIG, CREDS);
            let err = resolve(&flags, &e, &mut f).unwrap_err();
            assert_eq!(err.code, crate::error::ExitCode::Usage);
            assert_eq!(err.message, format!("the API key from {from} is empty"));
            assert!(
                !f.was_read(FileKind::Credentials),
                "no fallback to the file"
            );
        }
    }

    #[test]
    fn files_are_read_only_for_what_flags_and_environment_leave_open() {
        let key = |k: &str| GlobalArgs {
            api_key: Some(k.into()),
            ..GlobalArgs::default()
        };
        // A key from a flag: the config still gives the endpoint and output.
        let mut f = files(CONFIG, CREDS);
        let s = resolve(&key("flag-key"), &Env::new(), &mut f).unwrap();
        assert!(f.was_read(FileKind::Config) && !f.was_read(FileKind::Credentials));
        assert_eq!(s.base_url.source, Source::ConfigFile("default".into()));
        assert_eq!(
            s.output.unwrap().source,
            Source::ConfigFile("default".into())
        );
        // Everything given: neither file is opened.
        let all = GlobalArgs {
            output: Some(OutputFormat::Json),
            endpoint_url: Some("http://127.0.0.1:9".into()),
            ..key("flag-key")
        };
        let mut f = files(CONFIG, CREDS);
        resolve(&all, &Env::new(), &mut f).unwrap();
        assert!(!f.was_read(FileKind::Config) && !f.was_read(FileKind::Credentials));
        let e = env(&[
            (ENV_API_KEY, "env-key"),
            (ENV_OUTPUT, "csv"),
            (ENV_ENDPOINT_URL, "http://127.0.0.1:9"),
        ]);
        let mut f = files(CONFIG, CREDS);
        resolve(&GlobalArgs::default(), &e, &mut f).unwrap();
        assert!(!f.was_read(FileKind::Config) && !f.was_read(FileKind::Credentials));
        // A profile named explicitly must exist: found in the config alone.
        let eu = GlobalArgs {
            profile: Some("eu".into()),
            ..all
        };
        let mut f = files(CONFIG, CREDS);
        let s = resolve(&eu, &Env::new(), &mut f).unwrap();
        assert!(f.was_read(FileKind::Config) && !f.was_read(FileKind::Credentials));
        assert!(
            !s.is_partner.value,
            "[eu] is_partner describes the file's key"
        );
    }

    #[test]
    fn credentials_in_the_endpoint_url_are_refused_unquoted() {
        let config = "[default]\nendpoint_url = https://me:hunter2@api2.rhombussystems.com\n";
        let from_file = resolve(
            &GlobalArgs::default(),
            &Env::new(),
            &mut files(config, CREDS),
        );
        let from_env = resolve(
            &GlobalArgs::default(),
            &env(&[(ENV_ENDPOINT_URL, "https://me:hunter2@host")]),
            &mut files("", CREDS),
        );
        let flags = GlobalArgs {
            endpoint_url: Some("http://hunter2@127.0.0.1:1".into()),
            ..GlobalArgs::default()
        };
        let from_flag = resolve(&flags, &Env::new(), &mut files("", CREDS));
        for (result, source) in [
            (from_file, "~/.rhombus/config [default]"),
            (from_env, "env RHOMBUS_ENDPOINT_URL"),
            (from_flag, "flag --endpoint-url"),
        ] {
            let err = result.unwrap_err();
            assert_eq!(err.code, crate::error::ExitCode::Usage);
            assert_eq!(
                err.message,
                format!("the endpoint URL from {source} contains a user name or password")
            );
            assert!(!format!("{err:?}").contains("hunter2"));
        }
    }

    #[test]
    fn unknown_profile_is_a_usage_error() {
        let flags = GlobalArgs {
            profile: Some("nope".into()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &Env::new(), &mut files(CONFIG, CREDS)).unwrap_err();
        assert_eq!(err.code, crate::error::ExitCode::Usage);
        assert!(err.message.contains("\"nope\""), "{}", err.message);
    }

    #[test]
    fn bad_values_in_files() {
        let s = resolve(
            &GlobalArgs::default(),
            &env(&[(ENV_OUTPUT, "yaml")]),
            &mut files(CONFIG, CREDS),
        )
        .unwrap();
        assert_eq!(
            s.output.unwrap().value,
            OutputFormat::Json,
            "falls through to the file"
        );
        assert!(s.warnings[0].contains("yaml"), "{:?}", s.warnings);

        for creds in [
            "[default]\nauth_type = magic\n",
            "[default]\nauth_type = cert\ncert_file = a.pem\n",
            "[default]\nis_partner = maybe\n",
            "[default\n",
        ] {
            let err =
                resolve(&GlobalArgs::default(), &Env::new(), &mut files("", creds)).unwrap_err();
            assert_eq!(err.code, crate::error::ExitCode::Usage, "{creds}");
        }
    }

    #[test]
    fn cert_paths_expand_home() {
        let creds = "[default]\napi_key = k\nauth_type = cert\ncert_file = ~/c.pem\nkey_file = /abs/k.pem\n";
        let s = resolve(
            &GlobalArgs::default(),
            &env(&[("HOME", "/h")]),
            &mut files("", creds),
        )
        .unwrap();
        assert_eq!(s.auth_type.value, AuthType::Cert);
        assert_eq!(s.cert_file.unwrap().value, Path::new("/h/c.pem"));
        assert_eq!(s.key_file.unwrap().value, Path::new("/abs/k.pem"));
    }

    #[test]
    fn files_never_show_their_text() {
        let mut f = files(CONFIG, CREDS);
        resolve(&GlobalArgs::default(), &Env::new(), &mut f).unwrap();
        let debug = format!("{f:?}");
        assert!(debug.contains("credentials_read: true"), "{debug}");
        assert!(!debug.contains("default-key-from-file"), "{debug}");
    }

    #[test]
    fn masking_never_shows_short_keys() {
        assert_eq!(mask(&Secret::new("short")), "****");
        assert_eq!(mask(&Secret::new("0123456789abcdefWXYZ")), "****WXYZ");
        let s = resolve(
            &GlobalArgs {
                api_key: Some("super-secret-value".into()),
                ..GlobalArgs::default()
            },
            &Env::new(),
            &mut Files::default(),
        )
        .unwrap();
        assert!(!format!("{s:?}").contains("super-secret-value"));
    }
}
