//! Settings, resolved in one place: flags > environment > files > defaults.
//!
//! [`resolve`] is pure (flags, environment map, file contents in; settings with
//! the source of each out); [`load_files`] is the only part that touches the disk.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ini::Ini;
use rhombus_transport::{Endpoint, Region, Secret};

use crate::cli::{
    ENV_API_KEY, ENV_ENDPOINT_URL, ENV_OUTPUT, ENV_PROFILE, EndpointPathArg, GlobalArgs,
    OutputFormat, RegionArg,
};
use crate::error::CliError;

/// The environment, as a map (tests pass their own).
pub type Env = BTreeMap<String, String>;

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

/// The contents of the two files (`None` when a file does not exist).
#[derive(Debug, Clone, Default)]
pub struct Files {
    /// `~/.rhombus/config`.
    pub config: Option<String>,
    /// `~/.rhombus/credentials`.
    pub credentials: Option<String>,
    /// Problems found while reading (e.g. file permissions), shown as warnings.
    pub warnings: Vec<String>,
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

/// Reads `~/.rhombus/config` and `~/.rhombus/credentials` under `$HOME` from `env`.
pub fn load_files(env: &Env) -> Result<Files, CliError> {
    let mut files = Files::default();
    let Some(dir) = rhombus_dir(env) else {
        return Ok(files);
    };
    files.config = read_optional(&dir.join("config"))?;
    let credentials = dir.join("credentials");
    files.credentials = read_optional(&credentials)?;
    if files.credentials.is_some() {
        if let Some(warning) = permission_warning(&credentials) {
            files.warnings.push(warning);
        }
    }
    Ok(files)
}

/// `$HOME/.rhombus`, when `HOME` is set.
pub fn rhombus_dir(env: &Env) -> Option<PathBuf> {
    let home = env.get("HOME").filter(|h| !h.is_empty())?;
    Some(Path::new(home).join(".rhombus"))
}

fn read_optional(path: &Path) -> Result<Option<String>, CliError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CliError::usage(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

#[cfg(unix)]
fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} is readable by group or others (mode {mode:04o}); run `chmod 600 {}`",
            path.display(),
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn permission_warning(_: &Path) -> Option<String> {
    None
}

/// An option's value and where clap found it: its flag, or (as
/// [`GlobalArgs::from_env`] says) its variable. A blank value from the
/// environment counts as unset.
fn given<T: Clone>(
    flags: &GlobalArgs,
    value: &Option<T>,
    flag: &'static str,
    var: &'static str,
    blank: impl Fn(&T) -> bool,
) -> Option<Sourced<T>> {
    let value = value.as_ref()?;
    if flags.from_env.contains(&var) {
        (!blank(value)).then(|| Sourced::new(value.clone(), Source::Env(var)))
    } else {
        Some(Sourced::new(value.clone(), Source::Flag(flag)))
    }
}

/// [`given`] for text options.
fn given_text(
    flags: &GlobalArgs,
    value: &Option<String>,
    flag: &'static str,
    var: &'static str,
) -> Option<Sourced<String>> {
    given(flags, value, flag, var, |v: &String| v.trim().is_empty())
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

/// Resolves every setting: flags > environment > files > defaults.
pub fn resolve(flags: &GlobalArgs, env: &Env, files: &Files) -> Result<Settings, CliError> {
    let mut warnings = files.warnings.clone();
    let profile = given_text(flags, &flags.profile, "--profile", ENV_PROFILE)
        .unwrap_or_else(|| Sourced::new("default".to_owned(), Source::Default));
    let name = profile.value.as_str();
    let config_sections = if name == "default" {
        vec!["default".to_owned(), "profile default".to_owned()]
    } else {
        vec![format!("profile {name}"), name.to_owned()]
    };
    let config = Section::find(files.config.as_deref(), "config", &config_sections)?;
    let creds = Section::find(
        files.credentials.as_deref(),
        "credentials",
        &[name.to_owned()],
    )?;
    if profile.source != Source::Default && config.name.is_none() && creds.name.is_none() {
        return Err(CliError::usage(format!(
            "profile {name:?} ({}) is not in ~/.rhombus/credentials or ~/.rhombus/config",
            profile.source
        ))
        .with_hint(format!(
            "add a [{name}] section to ~/.rhombus/credentials, or pick another profile"
        )));
    }
    let from_config = |key: &str| {
        config
            .get(key)
            .map(|(v, s)| Sourced::new(v.to_owned(), Source::ConfigFile(s.to_owned())))
    };
    let from_creds = |key: &str| {
        creds
            .get(key)
            .map(|(v, s)| Sourced::new(v.to_owned(), Source::CredentialsFile(s.to_owned())))
    };

    let api_key = given_text(flags, &flags.api_key, "--api-key", ENV_API_KEY)
        .or_else(|| from_creds("api_key"))
        .map(|k| Sourced::new(Secret::new(k.value.trim()), k.source));

    let endpoint_url = given_text(
        flags,
        &flags.endpoint_url,
        "--endpoint-url",
        ENV_ENDPOINT_URL,
    );
    let base_url = if let Some(url) = endpoint_url
        .clone()
        .filter(|u| u.source != Source::Env(ENV_ENDPOINT_URL))
    {
        if flags.region.is_some() {
            return Err(CliError::usage(
                "--endpoint-url and --region both choose the base URL: pass one of them",
            ));
        }
        url
    } else if let Some(region) = flags.region {
        Sourced::new(
            region_of(region).base_url().to_owned(),
            Source::Flag("--region"),
        )
    } else if let Some(url) = endpoint_url {
        url
    } else if let Some(url) = from_config("endpoint_url") {
        url
    } else {
        Sourced::new(Region::Us.base_url().to_owned(), Source::Default)
    };

    let endpoint = match flags.endpoint_path {
        Some(EndpointPathArg::Event) => {
            Sourced::new(Endpoint::Event, Source::Flag("--endpoint-path"))
        }
        Some(EndpointPathArg::Video) => {
            Sourced::new(Endpoint::Video, Source::Flag("--endpoint-path"))
        }
        None => Sourced::new(Endpoint::Event, Source::Default),
    };

    let auth_type = match from_creds("auth_type") {
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
    let cert_file = from_creds("cert_file").map(path_of);
    let key_file = from_creds("key_file").map(path_of);
    if auth_type.value == AuthType::Cert && (cert_file.is_none() || key_file.is_none()) {
        return Err(CliError::usage(format!(
            "auth_type = cert in {} needs both cert_file and key_file",
            auth_type.source
        )));
    }

    let is_partner = match from_creds("is_partner") {
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
    let partner_org = flags
        .partner_org
        .clone()
        .map(|org| Sourced::new(org, Source::Flag("--partner-org")));

    let timeout = flags
        .timeout
        .map(|t| Sourced::new(t, Source::Flag("--timeout")));

    let output = match given(flags, &flags.output, "--output", ENV_OUTPUT, |_| false) {
        Some(format) => Some(format),
        None => from_config("output").and_then(|candidate| match parse_output(&candidate.value) {
            Some(format) => Some(Sourced::new(format, candidate.source)),
            None => {
                warnings.push(format!(
                    "ignoring output {:?} from {}: expected table, json, ndjson or csv",
                    candidate.value, candidate.source
                ));
                None
            }
        }),
    };

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

/// Output names in the Go CLI's config (`text` reads as table).
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
        Files {
            config: Some(config.to_owned()),
            credentials: Some(credentials.to_owned()),
            warnings: Vec::new(),
        }
    }

    const CONFIG: &str = "[default]\noutput = json\nendpoint_url = https://default.example\n\n[profile eu]\noutput = csv\nendpoint_url = https://api2.eu.rhombussystems.com\n";
    const CREDS: &str = "[default]\napi_key = default-key-from-file\nauth_type = token\n\n[eu]\napi_key = eu-key-from-file\nis_partner = true\n";

    #[test]
    fn defaults_without_anything() {
        let s = resolve(&GlobalArgs::default(), &Env::new(), &Files::default()).unwrap();
        assert_eq!(s.profile.value, "default");
        assert!(s.api_key.is_none());
        assert_eq!(s.base_url.value, Region::Us.base_url());
        assert_eq!(s.base_url.source, Source::Default);
        assert_eq!(s.endpoint.value, Endpoint::Event);
        assert_eq!(s.output, None);
    }

    #[test]
    fn files_supply_the_default_profile() {
        let s = resolve(&GlobalArgs::default(), &Env::new(), &files(CONFIG, CREDS)).unwrap();
        let key = s.api_key.unwrap();
        assert_eq!(key.value.expose_secret(), "default-key-from-file");
        assert_eq!(key.source, Source::CredentialsFile("default".into()));
        assert_eq!(s.base_url.value, "https://default.example");
        assert_eq!(s.output.unwrap().value, OutputFormat::Json);
    }

    /// What clap hands over when the variables `vars` gave these values.
    fn from_env(flags: GlobalArgs, vars: &[&'static str]) -> GlobalArgs {
        GlobalArgs {
            from_env: vars.to_vec(),
            ..flags
        }
    }

    #[test]
    fn env_profile_selects_sections() {
        let flags = from_env(
            GlobalArgs {
                profile: Some("eu".into()),
                ..GlobalArgs::default()
            },
            &[ENV_PROFILE],
        );
        let s = resolve(&flags, &Env::new(), &files(CONFIG, CREDS)).unwrap();
        assert_eq!(s.profile.source, Source::Env(ENV_PROFILE));
        assert_eq!(s.api_key.unwrap().value.expose_secret(), "eu-key-from-file");
        assert_eq!(s.output.clone().unwrap().value, OutputFormat::Csv);
        assert_eq!(s.base_url.source, Source::ConfigFile("profile eu".into()));
        assert!(s.is_partner.value);
    }

    #[test]
    fn env_beats_files_and_each_value_names_its_source() {
        let f = files(CONFIG, CREDS);
        let env_given = from_env(
            GlobalArgs {
                api_key: Some("env-key".into()),
                output: Some(OutputFormat::Ndjson),
                endpoint_url: Some("http://127.0.0.1:9".into()),
                ..GlobalArgs::default()
            },
            &[ENV_API_KEY, ENV_OUTPUT, ENV_ENDPOINT_URL],
        );
        let s = resolve(&env_given, &Env::new(), &f).unwrap();
        let key = s.api_key.as_ref().unwrap();
        assert_eq!(key.value.expose_secret(), "env-key");
        assert_eq!(key.source, Source::Env(ENV_API_KEY));
        assert_eq!(s.output.as_ref().unwrap().source, Source::Env(ENV_OUTPUT));
        assert_eq!(s.base_url.value, "http://127.0.0.1:9");
        assert_eq!(s.base_url.source, Source::Env(ENV_ENDPOINT_URL));

        // --region (a flag) beats an endpoint URL from the environment.
        let region = GlobalArgs {
            region: Some(RegionArg::Eu),
            ..env_given.clone()
        };
        let s = resolve(&region, &Env::new(), &f).unwrap();
        assert_eq!(s.base_url.value, Region::Eu.base_url());

        let flags = GlobalArgs {
            api_key: Some("flag-key".into()),
            output: Some(OutputFormat::Table),
            ..GlobalArgs::default()
        };
        let s = resolve(&flags, &Env::new(), &f).unwrap();
        assert_eq!(s.api_key.unwrap().source, Source::Flag("--api-key"));
        assert_eq!(s.output.unwrap().source, Source::Flag("--output"));
    }

    #[test]
    fn endpoint_url_and_region_flags_together_are_a_usage_error() {
        let flags = GlobalArgs {
            endpoint_url: Some("http://127.0.0.1:9".into()),
            region: Some(RegionArg::Eu),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &Env::new(), &Files::default()).unwrap_err();
        assert_eq!(err.code, crate::error::ExitCode::Usage);
        assert!(err.message.contains("--region"), "{}", err.message);
    }

    #[test]
    fn blank_env_values_count_as_unset() {
        let flags = from_env(
            GlobalArgs {
                api_key: Some(String::new()),
                profile: Some(" ".into()),
                ..GlobalArgs::default()
            },
            &[ENV_API_KEY, ENV_PROFILE],
        );
        let s = resolve(&flags, &Env::new(), &files(CONFIG, CREDS)).unwrap();
        assert_eq!(s.profile.value, "default");
        assert_eq!(
            s.api_key.unwrap().source,
            Source::CredentialsFile("default".into())
        );
    }

    #[test]
    fn unknown_profile_is_a_usage_error() {
        let flags = GlobalArgs {
            profile: Some("nope".into()),
            ..GlobalArgs::default()
        };
        let err = resolve(&flags, &Env::new(), &files(CONFIG, CREDS)).unwrap_err();
        assert_eq!(err.code, crate::error::ExitCode::Usage);
        assert!(err.message.contains("\"nope\""), "{}", err.message);
    }

    #[test]
    fn bad_values_in_files() {
        let s = resolve(
            &GlobalArgs::default(),
            &Env::new(),
            &files("[default]\noutput = yaml\n", CREDS),
        )
        .unwrap();
        assert_eq!(s.output, None, "an unknown format in the file is ignored");
        assert!(s.warnings[0].contains("yaml"), "{:?}", s.warnings);

        for creds in [
            "[default]\nauth_type = magic\n",
            "[default]\nauth_type = cert\ncert_file = a.pem\n",
            "[default]\nis_partner = maybe\n",
            "[default\n",
        ] {
            let err = resolve(&GlobalArgs::default(), &Env::new(), &files("", creds)).unwrap_err();
            assert_eq!(err.code, crate::error::ExitCode::Usage, "{creds}");
        }
    }

    #[test]
    fn cert_paths_expand_home() {
        let creds = "[default]\napi_key = k\nauth_type = cert\ncert_file = ~/c.pem\nkey_file = /abs/k.pem\n";
        let s = resolve(
            &GlobalArgs::default(),
            &env(&[("HOME", "/h")]),
            &files("", creds),
        )
        .unwrap();
        assert_eq!(s.auth_type.value, AuthType::Cert);
        assert_eq!(s.cert_file.unwrap().value, Path::new("/h/c.pem"));
        assert_eq!(s.key_file.unwrap().value, Path::new("/abs/k.pem"));
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
            &Files::default(),
        )
        .unwrap();
        assert!(!format!("{s:?}").contains("super-secret-value"));
    }
}
