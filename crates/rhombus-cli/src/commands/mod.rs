//! One module per command, and the [`Context`] they share.

mod body;
mod config_show;
#[cfg(feature = "sim")]
mod demo;
mod docs;
mod list;
mod parse;
#[cfg(feature = "sim")]
mod sim;
mod watch;

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, SystemTime};

use rhombus_model::Decoder;
use rhombus_transport::{Client, ClientBuilder, ClientCertificate, Credentials, Region};

use crate::cli::{ClipsCommand, ColorChoice, Command, ConfigCommand, GlobalArgs, OutputFormat};
use crate::config::{self, AuthType, Env, Settings, mask};
use crate::error::{CliError, CliResult};
use crate::output::Render;

/// What every command may need: the flags, the environment, the terminals.
pub struct Context {
    /// Global flags.
    pub global: GlobalArgs,
    /// The environment (a map, so tests and `config` resolve the same way).
    pub env: Env,
    /// Whether stdout is a terminal.
    pub stdout_tty: bool,
    /// Whether stderr is a terminal.
    pub stderr_tty: bool,
}

impl Context {
    /// The context of this process.
    pub fn from_process(global: GlobalArgs) -> Self {
        Context {
            global,
            env: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            stdout_tty: io::stdout().is_terminal(),
            stderr_tty: io::stderr().is_terminal(),
        }
    }

    /// Prints a warning on stderr (unless `--quiet`), on one line: control
    /// characters in quoted server text become spaces.
    pub fn warn(&self, message: impl std::fmt::Display) {
        if !self.global.quiet {
            let line = crate::output::text::sanitize(&message.to_string());
            let _ = writeln!(io::stderr(), "warning: {line}");
        }
    }

    /// Prints a note on stderr (unless `--quiet`).
    pub fn note(&self, message: impl std::fmt::Display) {
        if !self.global.quiet {
            let _ = writeln!(io::stderr(), "{message}");
        }
    }

    /// Reads the files and resolves the settings, showing any warnings.
    pub fn settings(&self) -> Result<Settings, CliError> {
        let mut files = config::Files::from_disk(&self.env);
        let settings = config::resolve(&self.global, &self.env, &mut files)?;
        for warning in &settings.warnings {
            self.warn(warning);
        }
        Ok(settings)
    }

    /// Whether to color stdout.
    pub fn color(&self) -> bool {
        match self.global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => self.stdout_tty && !self.env.contains_key("NO_COLOR"),
        }
    }

    /// The output format: as resolved, else table on a terminal and JSON otherwise.
    pub fn format(&self, settings: &Settings) -> OutputFormat {
        match &settings.output {
            Some(o) => o.value,
            None if self.stdout_tty => OutputFormat::Table,
            None => OutputFormat::Json,
        }
    }

    /// How to render data on stdout.
    pub fn render(&self, settings: &Settings) -> Render {
        Render {
            format: self.format(settings),
            color: self.color(),
            now: SystemTime::now(),
        }
    }

    /// A client for the resolved settings, with `body_cap` (`None`: the
    /// transport's default) and `decoder` for the responses it decodes
    /// itself (watch).
    pub fn client(
        &self,
        settings: &Settings,
        body_cap: Option<u64>,
        decoder: &Decoder,
    ) -> Result<Client, CliError> {
        let key = settings.api_key.as_ref().ok_or_else(|| {
            CliError::usage(format!(
                "no API key for profile {:?}",
                settings.profile.value
            ))
            .with_hint(
                "set RHOMBUS_API_KEY, pass --api-key, or add api_key to ~/.rhombus/credentials; \
                 `rhombus demo` runs without an account",
            )
        })?;
        let org = settings.partner_org.as_ref().map(|o| o.value.clone());
        if settings.is_partner.value && org.is_none() {
            return Err(CliError::usage(format!(
                "the key of profile {:?} is a partner key ({})",
                settings.profile.value, settings.is_partner.source
            ))
            .with_hint("pass --partner-org CLIENT_ORG_UUID"));
        }
        let secret = key.value.clone();
        let credentials = match settings.auth_type.value {
            AuthType::Token => match org {
                Some(org) => Credentials::partner_token(secret, org),
                None => Credentials::api_token(secret),
            },
            AuthType::Cert => {
                let certificate = read_certificate(settings)?;
                match org {
                    Some(org) => Credentials::partner_certificate(secret, org, certificate),
                    None => Credentials::certificate(secret, certificate),
                }
            }
        };
        let mut builder = ClientBuilder::new()
            .base_url(settings.base_url.value.clone())
            .credentials(credentials)
            .endpoint(settings.endpoint.value)
            .decoder(decoder)
            .user_agent_product(concat!("rhombus-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(bytes) = body_cap {
            builder = builder.max_body_size(bytes);
        }
        if let Some(timeout) = &settings.timeout {
            let t = timeout.value;
            builder = builder
                .operation_timeout(t)
                .attempt_timeout(t.min(Duration::from_secs(30)))
                .connect_timeout(t.min(Duration::from_secs(10)));
        }
        tracing::debug!(
            profile = %settings.profile.value,
            base_url = %settings.base_url.value,
            endpoint = settings.endpoint.value.path(),
            key = %mask(&key.value),
            key_from = %key.source,
            region = ?Region::from_base_url(&settings.base_url.value),
            "client settings"
        );
        builder
            .build()
            .map_err(|e| CliError::from_transport(&e, &settings.base_url.value))
    }

    /// A buffered, locked stdout (64 KiB: `clips parse` writes hundreds of
    /// megabytes through it).
    pub fn stdout(&self) -> io::BufWriter<io::StdoutLock<'static>> {
        io::BufWriter::with_capacity(64 * 1024, io::stdout().lock())
    }
}

/// Reads the PEM files of a certificate key (regular files of at most 1 MiB).
fn read_certificate(settings: &Settings) -> Result<ClientCertificate, CliError> {
    let read = |file: &Option<config::Sourced<std::path::PathBuf>>| {
        let file = file
            .as_ref()
            .ok_or_else(|| CliError::usage("auth_type = cert needs cert_file and key_file"))?;
        let (bytes, _) = config::read_settings_file(&file.value).map_err(|e| {
            CliError::usage(format!(
                "cannot read {} ({}): {e}",
                file.value.display(),
                file.source
            ))
        })?;
        Ok::<_, CliError>(bytes)
    };
    let cert = read(&settings.cert_file)?;
    let key = String::from_utf8(read(&settings.key_file)?)
        .map_err(|_| CliError::usage("key_file is not PEM text"))?;
    Ok(ClientCertificate::from_pem(cert, key))
}

/// A runtime for the commands that do I/O (built only for them: startup stays fast).
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            CliError::new(
                crate::error::ExitCode::Failure,
                format!("cannot start: {e}"),
            )
        })
}

/// The usage error of `sim` and `demo` in a build without the `sim` feature.
#[cfg(not(feature = "sim"))]
fn without_simulator(command: &str) -> CliError {
    CliError::usage(format!(
        "`rhombus {command}` is not in this build: it was installed without the simulator (the `sim` feature)"
    ))
    .with_hint(
        "reinstall with the default features: `cargo install rhombus-cli` \
         (or, from a clone, `cargo run -p rhombus-cli -- demo`)",
    )
}

/// Runs one command.
pub fn run(ctx: &Context, command: Command) -> CliResult {
    match command {
        Command::Clips(ClipsCommand::InProgress(args)) => {
            runtime()?.block_on(list::run(ctx, &args))
        }
        Command::Clips(ClipsCommand::Watch(args)) => runtime()?.block_on(watch::run(ctx, &args)),
        Command::Clips(ClipsCommand::Parse(args)) => parse::run(ctx, &args),
        #[cfg(feature = "sim")]
        Command::Sim(args) => runtime()?.block_on(sim::run(ctx, &args)),
        #[cfg(feature = "sim")]
        Command::Demo(args) => runtime()?.block_on(demo::run(ctx, &args)),
        #[cfg(not(feature = "sim"))]
        Command::Sim(_) => Err(without_simulator("sim")),
        #[cfg(not(feature = "sim"))]
        Command::Demo(_) => Err(without_simulator("demo")),
        Command::Config(ConfigCommand::Show) => config_show::run(ctx),
        Command::Completions { shell } => docs::completions(ctx, shell),
        Command::Man => docs::man(ctx),
    }
}
