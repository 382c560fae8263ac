//! The command line, as clap sees it: definitions only, no behaviour.
// Doc comments here are `--help` text, where bare URLs read best.
#![allow(rustdoc::bare_urls)]

use std::path::PathBuf;
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// The exit codes, shown after `--help` (and repeated in the crate README).
pub const EXIT_CODES: &str = "\
Exit status:
  0    success
  1    the API or HTTP call failed (error body, 4xx/5xx, timeout, connection)
  2    usage or configuration error (bad flag, missing API key, unknown profile)
  3    decode problem: a value did not fit its type (printed as sent, and
       warned about), the input could not be decoded, or `clips parse --strict`
       found fields or values this version does not know
  130  interrupted (Ctrl-C)
A closed pipe on stdout (e.g. `| head`) ends the command quietly with status 0.";

/// The `sim` and `demo` summary in a build without the simulator.
#[cfg(not(feature = "sim"))]
const NOT_IN_THIS_BUILD: &str =
    "Not in this build (installed without the `sim` feature): `cargo install rhombus-cli` has it";

/// `rhombus`: list, watch and decode Rhombus spliced clips in progress.
#[derive(Debug, Parser)]
#[command(
    name = "rhombus",
    version,
    about = "List, watch and decode Rhombus spliced clips in progress",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted before or after any subcommand.
#[derive(Debug, Default, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Profile to use from ~/.rhombus/config and ~/.rhombus/credentials
    #[arg(long, global = true, value_name = "NAME", env = ENV_PROFILE, hide_env_values = true)]
    pub profile: Option<String>,
    /// API key (prefer the environment or ~/.rhombus/credentials: flags show up in `ps`)
    #[arg(long, global = true, value_name = "KEY", env = ENV_API_KEY, hide_env_values = true)]
    pub api_key: Option<String>,
    /// Base URL of the API, e.g. https://api2.rhombussystems.com
    #[arg(long, global = true, value_name = "URL", env = ENV_ENDPOINT_URL, hide_env_values = true)]
    pub endpoint_url: Option<String>,
    /// Region whose base URL to use (overrides endpoint_url from the environment and files;
    /// not with --endpoint-url)
    #[arg(long, global = true, value_enum)]
    pub region: Option<RegionArg>,
    /// Client organization uuid a partner key acts for
    #[arg(long, global = true, value_name = "ORG_UUID")]
    pub partner_org: Option<String>,
    /// Which twin path to call first (the other is tried on 404/410)
    #[arg(long, global = true, value_enum, value_name = "PATH")]
    pub endpoint_path: Option<EndpointPathArg>,
    /// Give up on a call after this many seconds, retries included
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_seconds)]
    pub timeout: Option<Duration>,
    /// Output format (default: table on a terminal, json otherwise)
    #[arg(short, long, global = true, value_enum, value_name = "FORMAT", env = ENV_OUTPUT, hide_env_values = true, ignore_case = true)]
    pub output: Option<OutputFormat>,
    /// Log requests on stderr (-vv for more); the key is always masked
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Print only data and errors: no progress, no warnings
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to color the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// The variables clap read a value above from, where no flag gave it
    /// (filled by [`Cli::parse_from_process`]).
    #[arg(skip)]
    pub from_env: Vec<&'static str>,
}

/// `RHOMBUS_API_KEY`.
pub const ENV_API_KEY: &str = "RHOMBUS_API_KEY";
/// `RHOMBUS_PROFILE`.
pub const ENV_PROFILE: &str = "RHOMBUS_PROFILE";
/// `RHOMBUS_OUTPUT`.
pub const ENV_OUTPUT: &str = "RHOMBUS_OUTPUT";
/// `RHOMBUS_ENDPOINT_URL`.
pub const ENV_ENDPOINT_URL: &str = "RHOMBUS_ENDPOINT_URL";

/// Each environment-backed option: its clap id and its variable.
const ENV_BACKED: [(&str, &str); 4] = [
    ("profile", ENV_PROFILE),
    ("api_key", ENV_API_KEY),
    ("endpoint_url", ENV_ENDPOINT_URL),
    ("output", ENV_OUTPUT),
];

impl Cli {
    /// Parses the process's arguments (and, for the options that have one,
    /// environment variables), noting in [`GlobalArgs::from_env`] which
    /// values came from the environment.
    pub fn parse_from_process() -> Result<Cli, clap::Error> {
        let matches = Cli::command().try_get_matches()?;
        let mut cli = Cli::from_arg_matches(&matches)?;
        cli.global.from_env = ENV_BACKED
            .iter()
            .filter(|(id, _)| matches.value_source(id) == Some(ValueSource::EnvVariable))
            .map(|(_, var)| *var)
            .collect();
        Ok(cli)
    }
}

/// The `--region` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegionArg {
    /// https://api2.rhombussystems.com
    Us,
    /// https://api2.eu.rhombussystems.com
    Eu,
}

/// The `--endpoint-path` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EndpointPathArg {
    /// /api/event/getSplicedClipsInProgress (documented, deprecated)
    Event,
    /// /api/video/getSplicedClipsInProgress (its twin)
    Video,
}

/// The `--output` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people
    #[value(alias = "text")]
    Table,
    /// The whole response object, every value as sent (unknown fields included)
    Json,
    /// One JSON value per line: an element of splicedClips (or, for `watch`, a change event)
    #[value(alias = "jsonl")]
    Ndjson,
    /// Comma-separated values with a header row
    Csv,
}

/// The `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Color when stdout is a terminal and NO_COLOR is unset
    #[default]
    Auto,
    /// Always color
    Always,
    /// Never color
    Never,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Spliced clips: list, watch, decode a saved response
    #[command(subcommand)]
    Clips(ClipsCommand),
    /// Run the local API simulator on loopback (no account needed)
    #[cfg_attr(not(feature = "sim"), command(about = NOT_IN_THIS_BUILD))]
    Sim(SimArgs),
    /// Run the simulator and watch its clips finish, in one process (ends by itself)
    #[cfg_attr(not(feature = "sim"), command(about = NOT_IN_THIS_BUILD))]
    Demo(DemoArgs),
    /// Inspect the resolved settings
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// `rhombus clips ...`.
#[derive(Debug, Subcommand)]
pub enum ClipsCommand {
    /// List the clips being spliced now (one API call)
    #[command(visible_alias = "ls", after_help = EXIT_CODES)]
    InProgress(ListArgs),
    /// Poll and show live progress until the clips finish
    #[command(after_help = EXIT_CODES)]
    Watch(WatchArgs),
    /// Decode a saved response (file or stdin) offline
    #[command(after_help = EXIT_CODES)]
    Parse(ParseArgs),
}

/// Which clips to show.
#[derive(Debug, Default, Clone, Args)]
pub struct FilterArgs {
    /// Only clips with this status (repeatable, or comma-separated), e.g. UPLOADING
    #[arg(long, value_name = "STATUS", value_delimiter = ',')]
    pub status: Vec<String>,
    /// Only clips that involve this device (uuid, with or without a .v0/.a0 facet; repeatable)
    #[arg(long, value_name = "UUID", value_delimiter = ',')]
    pub device: Vec<String>,
}

/// `rhombus clips in-progress`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Which clips to show.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Size limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// How much input a command accepts (the README lists the defaults and why).
#[derive(Debug, Default, Clone, Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Most elements `splicedClips` may have [default: none for `ls` and `parse`, which read clip by clip; 1000000 for `watch`]
    #[arg(long, value_name = "N")]
    pub max_clips: Option<usize>,
    /// Longest one clip (or other top-level field) may be when read clip by clip (`ls`, `parse`), in MiB [default: 64]
    #[arg(long, value_name = "MIB")]
    pub max_value_mib: Option<usize>,
    /// Largest response body accepted from the API, in MiB [default: 256 for `ls`, 64 for `watch`]
    #[arg(long, value_name = "MIB")]
    pub max_body_mib: Option<u64>,
    /// Most memory one poll's decoded answer may take (`watch`, which keeps two), in MiB [default: 160]
    #[arg(long, value_name = "MIB")]
    pub max_tree_mib: Option<usize>,
}

/// How `watch` and `demo` show progress.
#[derive(Debug, Clone, Args)]
pub struct WatchDisplayArgs {
    /// Time between polls (never shorter than the retry policy's base delay, 1s)
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = humantime::parse_duration)]
    pub interval: Duration,
}

/// `rhombus demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Time between polls (at least 1s)
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = humantime::parse_duration)]
    pub interval: Duration,
}

/// `rhombus clips watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Watch only this clip; end when it reaches a terminal status (or, if it
    /// is not in the first poll, at once with exit 1)
    #[arg(long, value_name = "UUID")]
    pub clip: Option<String>,
    /// Also wait for clips that appear after the first poll (may last until --deadline)
    #[arg(long, conflicts_with = "clip")]
    pub follow: bool,
    /// Give up after this long (exit 1), naming the clips still waited for
    #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = humantime::parse_duration)]
    pub deadline: Duration,
    /// Polling settings.
    #[command(flatten)]
    pub display: WatchDisplayArgs,
    /// Size limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `rhombus clips parse`.
#[derive(Debug, Clone, Args)]
pub struct ParseArgs {
    /// The saved response; `-` or nothing reads stdin
    #[arg(value_name = "FILE|-")]
    pub file: Option<PathBuf>,
    /// Fail on anything this version does not know (fields, enum values): a schema-drift check
    #[arg(long)]
    pub strict: bool,
    /// Accepted for older scripts: every format is decoded clip by clip now
    #[arg(long, hide = true)]
    pub stream: bool,
    /// Which clips to show.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Size limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `rhombus sim`.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Port to listen on (127.0.0.1 only); 0 picks a free one
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Seed for the clips, the body shapes and the random faults (same seed, same run)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Which set of clips to serve
    #[arg(long, value_enum, default_value_t = SimPreset::Office)]
    pub preset: SimPreset,
    /// How bodies are written: live (as the API does today), spec (only what the
    /// OpenAPI reference allows), java (nulls in lists and maps, absent fields,
    /// escapes), drift (unknown fields, new enum values, retyped values) or hostile
    /// (invalid UTF-8, repeated keys and clips, deep nesting, huge strings, truncation)
    #[cfg(feature = "sim")]
    #[arg(long, value_name = "SHAPE", default_value_t = rhombus_sim::Shape::Live, value_parser = str::parse::<rhombus_sim::Shape>)]
    pub shapes: rhombus_sim::Shape,
    /// Run the clock this many times faster than real time (an office clip takes
    /// minutes at 1, seconds at 60)
    #[arg(long, value_name = "FACTOR", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub speed: u32,
    /// The API key the simulator accepts
    #[arg(long, value_name = "KEY", default_value = "demo")]
    pub accept_key: String,
    /// Misbehave on this share of requests, 0 to 1 (429s, 5xx, broken bodies...), to see retries
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_probability)]
    pub fault_rate: f64,
    /// What --fault-rate draws from, instead of the soak mix (repeatable; same syntax as --fault)
    #[cfg(feature = "sim")]
    #[arg(long = "random-fault", value_name = "FAULT", value_parser = str::parse::<rhombus_sim::Fault>, requires = "fault_rate")]
    pub random_faults: Vec<rhombus_sim::Fault>,
    /// Answer the next requests with these faults, one each, in order, before any
    /// random ones (repeatable): latency:250ms, rate-limited:SECONDS,
    /// rate-limited:date:SECONDS, rate-limited:absent, server-error:STATUS,
    /// drop-mid-body, truncated-body, cut-json, invalid-json, error-body:MSG,
    /// warning:MSG, empty-list, big-list:N, respond:STATUS:BODY, hang,
    /// stall-body:STATUS
    #[cfg(feature = "sim")]
    #[arg(long = "fault", value_name = "FAULT", value_parser = str::parse::<rhombus_sim::Fault>)]
    pub faults: Vec<rhombus_sim::Fault>,
    /// Make one path answer every request with a status, e.g. event=410 to see the
    /// fallback to the video path (repeatable)
    #[cfg(feature = "sim")]
    #[arg(long = "path-status", value_name = "PATH=STATUS", value_parser = parse_path_status)]
    pub path_status: Vec<(rhombus_sim::ApiPath, u16)>,
    /// Limit each organisation to this many requests per second (a token bucket;
    /// an empty one answers 429)
    #[arg(long, value_name = "PER_SECOND", value_parser = parse_rate)]
    pub rate_limit: Option<f64>,
    /// Requests an organisation may make at once under --rate-limit
    #[arg(long, value_name = "N", default_value_t = 5, requires = "rate_limit")]
    pub burst: u32,
    /// How a rate-limited 429 says when to retry: seconds, date or absent
    #[cfg(feature = "sim")]
    #[arg(long, value_name = "FORM", default_value = "seconds", value_parser = str::parse::<rhombus_sim::RetryAfterForm>, requires = "rate_limit")]
    pub retry_after: rhombus_sim::RetryAfterForm,
    /// Stop after this long (default: run until Ctrl-C)
    #[arg(long = "for", value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub run_for: Option<Duration>,
}

/// The simulator's scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimPreset {
    /// A steady office: a new clip every 20 s, forever
    Office,
    /// Five clips that all finish within about 20 seconds
    Demo,
    /// A busy site: a clip every 2 s, about 150 listed, more failures and unknown values
    Busy,
}

/// Parses `--path-status`: `event=410` or `video=404`.
#[cfg(feature = "sim")]
fn parse_path_status(text: &str) -> Result<(rhombus_sim::ApiPath, u16), String> {
    let (path, status) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not PATH=STATUS, e.g. event=410"))?;
    let status = status
        .parse::<u16>()
        .ok()
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| format!("{status:?} is not an HTTP status"))?;
    Ok((path.parse()?, status))
}

/// Parses `--rate-limit`: a positive number of requests per second.
fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!("{text:?} is not a positive number")),
    }
}

/// `rhombus config ...`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Show each resolved setting and where it came from (the key masked)
    Show,
}

/// Parses `--fault-rate`: a probability.
fn parse_probability(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{text:?} is not a number from 0 to 1")),
    }
}

/// Parses `--timeout`: positive seconds, fractions allowed.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(secs.is_finite() && secs > 0.0 && secs <= 86_400.0) {
        return Err("must be more than 0 and at most 86400 seconds".into());
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn timeout_accepts_positive_seconds_only() {
        assert_eq!(parse_seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_probability("0.25"), Ok(0.25));
        for bad in ["-0.1", "1.5", "NaN", "x"] {
            assert!(parse_probability(bad).is_err(), "{bad}");
        }
        for bad in ["0", "-1", "x", "inf", "NaN"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from(["rhombus", "clips", "ls", "--region", "eu", "-o", "csv"])
            .expect("parses");
        assert_eq!(cli.global.region, Some(RegionArg::Eu));
        assert_eq!(cli.global.output, Some(OutputFormat::Csv));
        assert!(matches!(
            cli.command,
            Command::Clips(ClipsCommand::InProgress(_))
        ));
    }
}
