//! Settings from ~/.rhombus files and the environment, with a temporary HOME.

use crate::common::*;

const WRONG: &str = "sEcReT-other-profile-key-4242";

/// A HOME whose files point at `sim`: `[default]` holds the right key,
/// `[other]` a wrong one, and the config sets the endpoint and output.
fn configured(sim: &Sim) -> Home {
    let home = Home::new();
    home.write(
        "config",
        &format!(
            "[default]\nendpoint_url = {}\noutput = ndjson\n\n[profile other]\nendpoint_url = {}\noutput = csv\n",
            sim.url(),
            sim.url()
        ),
        0o600,
    );
    home.write(
        "credentials",
        &format!("[default]\napi_key = {KEY}\nauth_type = token\n\n[other]\napi_key = {WRONG}\n"),
        0o600,
    );
    home
}

#[test]
fn an_existing_rhombus_profile_needs_no_setup() {
    let sim = Sim::start();
    let home = configured(&sim);
    let run = run(rhombus(&home).args(["clips", "ls"]));
    run.code(0).no_key();
    assert_eq!(
        run.ndjson().len(),
        sim.clips().len(),
        "output = ndjson from the config file"
    );
    assert_eq!(run.stderr, "", "mode 0600: no warning");
}

#[test]
fn the_profile_comes_from_the_flag_then_the_environment() {
    let sim = Sim::start();
    let home = configured(&sim);
    // RHOMBUS_PROFILE really selects [other], whose key is wrong.
    let env = run(rhombus(&home)
        .args(["clips", "ls"])
        .env("RHOMBUS_PROFILE", "other"));
    env.code(1).stderr_has("HTTP 403");
    assert!(!env.stderr.contains(WRONG));
    // --profile beats the environment.
    run(rhombus(&home)
        .args(["--profile", "default", "clips", "ls"])
        .env("RHOMBUS_PROFILE", "other"))
    .code(0);
    // And the file's other settings follow the profile.
    let csv = run(rhombus(&home).args(["--profile", "other", "--api-key", KEY, "clips", "ls"]));
    csv.code(0);
    assert!(
        csv.stdout.starts_with("clip_uuid,"),
        "output = csv of [profile other]"
    );
}

#[test]
fn flags_beat_environment_beats_files() {
    let sim = Sim::start();
    let home = configured(&sim);
    let env_key = run(rhombus(&home)
        .args(["clips", "ls"])
        .env("RHOMBUS_API_KEY", WRONG));
    env_key.code(1).stderr_has("HTTP 403");
    let flag_key = run(rhombus(&home)
        .args(["--api-key", KEY, "-o", "json", "clips", "ls"])
        .env("RHOMBUS_API_KEY", WRONG)
        .env("RHOMBUS_OUTPUT", "csv"));
    flag_key.code(0);
    assert!(
        flag_key.stdout.starts_with('{'),
        "--output beats RHOMBUS_OUTPUT"
    );
    let env_output = run(rhombus(&home)
        .args(["clips", "ls"])
        .env("RHOMBUS_OUTPUT", "csv"));
    assert!(
        env_output.stdout.starts_with("clip_uuid,"),
        "env beats the file"
    );
    let env_url = run(rhombus(&home)
        .args(["--timeout", "1", "clips", "ls"])
        .env("RHOMBUS_ENDPOINT_URL", "http://127.0.0.1:1")
        .env("RHOMBUS_OUTPUT", "csv"));
    env_url.code(1).stderr_has("could not connect");
}

#[test]
fn help_names_the_variables_and_never_shows_their_values() {
    let home = Home::new();
    let help = run(rhombus(&home)
        .args(["clips", "ls", "--help"])
        .env("RHOMBUS_API_KEY", KEY)
        .env("RHOMBUS_ENDPOINT_URL", "http://127.0.0.1:1"));
    help.code(0).no_key();
    for var in [
        "RHOMBUS_PROFILE",
        "RHOMBUS_API_KEY",
        "RHOMBUS_ENDPOINT_URL",
        "RHOMBUS_OUTPUT",
    ] {
        assert!(help.stdout.contains(&format!("[env: {var}]")), "{var}");
    }
    assert!(!help.stdout.contains("127.0.0.1:1"));
}

#[test]
fn environment_values_are_checked_like_flags() {
    let home = Home::new();
    run(rhombus(&home)
        .args(["config", "show"])
        .env("RHOMBUS_OUTPUT", "yaml"))
    .code(2)
    .stderr_has("invalid value 'yaml'");
    // The Go CLI's names for two formats, in any case.
    let show = run(rhombus(&home)
        .args(["config", "show"])
        .env("RHOMBUS_OUTPUT", "JSONL"));
    show.code(0);
    assert!(show.stdout.contains("ndjson"), "{}", show.stdout);
    // --region overrides an endpoint URL from the environment; with
    // --endpoint-url it is a usage error.
    let region = run(rhombus(&home)
        .args(["--region", "eu", "config", "show"])
        .env("RHOMBUS_ENDPOINT_URL", "http://127.0.0.1:1"));
    region.code(0);
    let url = region
        .stdout
        .lines()
        .find(|l| l.starts_with("endpoint_url"));
    let url = url.expect("an endpoint_url line");
    assert!(url.contains("https://api2.eu.rhombussystems.com") && url.ends_with("(flag --region)"));
    run(rhombus(&home).args([
        "--region",
        "eu",
        "--endpoint-url",
        "http://127.0.0.1:1",
        "config",
        "show",
    ]))
    .code(2)
    .stderr_has("pass one of them");
}

#[test]
fn config_show_names_sources_and_masks_the_key() {
    let sim = Sim::start();
    let home = configured(&sim);
    let run = run(rhombus(&home)
        .args(["config", "show", "--endpoint-path", "video"])
        .env("RHOMBUS_OUTPUT", "table"));
    run.code(0).no_key();
    let line = |name: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} line in\n{}", run.stdout))
            .to_owned()
    };
    assert!(line("api_key").contains("****6789"), "{}", line("api_key"));
    assert!(line("api_key").contains("(~/.rhombus/credentials [default])"));
    assert!(line("endpoint_url").contains(&sim.url()));
    assert!(line("endpoint_url").contains("(~/.rhombus/config [default])"));
    assert!(line("endpoint_path").contains("/api/video/"));
    assert!(line("endpoint_path").contains("(flag --endpoint-path)"));
    assert!(line("output").contains("table") && line("output").contains("(env RHOMBUS_OUTPUT)"));
    assert!(line("profile").contains("(default)"));
}

#[test]
fn a_readable_credentials_file_is_warned_about() {
    let sim = Sim::start();
    let home = configured(&sim);
    home.write(
        "credentials",
        &format!("[default]\napi_key = {KEY}\n"),
        0o644,
    );
    let run = run(rhombus(&home).args(["clips", "ls"]));
    run.code(0)
        .stderr_has("warning:")
        .stderr_has("readable by group or others (mode 0644)")
        .stderr_has("chmod 600")
        .no_key();
}

#[test]
fn configuration_errors_exit_2_with_a_hint() {
    let home = Home::new();
    let missing = run(rhombus(&home).args(["clips", "ls"]));
    missing
        .code(2)
        .stderr_has("error: no API key for profile \"default\"")
        .stderr_has("hint: set RHOMBUS_API_KEY");
    let unknown = run(rhombus(&home)
        .args(["clips", "ls"])
        .env("RHOMBUS_PROFILE", "nope"));
    unknown.code(2).stderr_has("profile \"nope\"");
    let bad_flag = run(rhombus(&home).args(["clips", "ls", "--output", "yaml"]));
    bad_flag.code(2);
    let http = run(rhombus(&home).args([
        "--endpoint-url",
        "http://example.com",
        "--api-key",
        KEY,
        "clips",
        "ls",
    ]));
    http.code(2).stderr_has("loopback").no_key();
}

#[test]
fn partner_keys_need_an_org() {
    let sim = Sim::start();
    let home = Home::new();
    home.write(
        "credentials",
        &format!("[default]\napi_key = {KEY}\nis_partner = true\n"),
        0o600,
    );
    let run = run(rhombus(&home).args(["--endpoint-url", &sim.url(), "clips", "ls"]));
    run.code(2)
        .stderr_has("partner key")
        .stderr_has("--partner-org");
    let with_org = crate::common::run(rhombus(&home).args([
        "--endpoint-url",
        &sim.url(),
        "--partner-org",
        "ORGORGORGORGORGORGORGO",
        "clips",
        "ls",
    ]));
    with_org.code(0);
    let last = sim.requests().pop().expect("a request");
    assert_eq!(last.header("x-auth-scheme"), Some("partner-api-token"));
    assert_eq!(last.header("x-auth-org"), Some("ORGORGORGORGORGORGORGO"));
}

#[test]
fn certificate_keys_read_their_pem_files() {
    let sim = Sim::start();
    let home = Home::new();
    home.write(
        "credentials",
        &format!(
            "[default]\napi_key = {KEY}\nauth_type = cert\ncert_file = ~/certs/client.pem\nkey_file = ~/certs/client.key\n"
        ),
        0o600,
    );
    let missing = run(rhombus(&home).args(["--endpoint-url", &sim.url(), "clips", "ls"]));
    missing
        .code(2)
        .stderr_has("cannot read")
        .stderr_has("certs/client.pem")
        .no_key();
    std::fs::create_dir_all(home.path().join("certs")).unwrap();
    std::fs::write(home.path().join("certs/client.pem"), "not a certificate").unwrap();
    std::fs::write(home.path().join("certs/client.key"), "sEcReT-not-a-key").unwrap();
    let invalid = run(rhombus(&home).args(["--endpoint-url", &sim.url(), "clips", "ls"]));
    invalid.code(2).stderr_has("certificate").no_key();
    assert!(!invalid.stderr.contains("sEcReT-not-a-key"));
    assert!(
        sim.requests().is_empty(),
        "nothing is sent with a broken certificate"
    );
}

/// A bound for runs that must not hang (a FIFO, an endless device).
const NO_HANG: std::time::Duration = std::time::Duration::from_secs(30);

/// Replaces `~/.rhombus/<name>` with a FIFO nobody writes to.
#[cfg(unix)]
fn fifo(home: &Home, name: &str) {
    let path = home.path().join(".rhombus").join(name);
    let _ = std::fs::remove_file(&path);
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    assert!(made.expect("mkfifo").success(), "mkfifo");
}

/// Replaces `~/.rhombus/<name>` with a symlink to `/dev/zero`.
#[cfg(unix)]
fn endless(home: &Home, name: &str) {
    let path = home.path().join(".rhombus").join(name);
    let _ = std::fs::remove_file(&path);
    std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
}

#[cfg(unix)]
#[test]
fn settings_files_that_are_not_regular_files_are_refused_at_once() {
    let sim = Sim::start();
    let url = sim.url();
    let everything_given = [
        "--api-key",
        KEY,
        "--endpoint-url",
        &url,
        "-o",
        "ndjson",
        "clips",
        "ls",
    ];
    let mut given_runs = 0;
    for (make, what) in [
        (
            fifo as fn(&Home, &str),
            "a FIFO (named pipe), not a regular file",
        ),
        (endless, "a device, not a regular file"),
    ] {
        for name in ["credentials", "config"] {
            let home = configured(&sim);
            make(&home, name);
            let path = home.path().join(".rhombus").join(name);
            let refused = run_within(rhombus(&home).args(["clips", "ls"]), NO_HANG);
            refused.code(2).stderr_has(&format!(
                "error: cannot read {}: it is {what}",
                path.display()
            ));
            assert_eq!(refused.stdout, "");
            // Not needed, so not opened: everything comes from flags.
            let given = run_within(rhombus(&home).args(everything_given), NO_HANG);
            given.code(0).no_key();
            assert_eq!(given.ndjson().len(), sim.clips().len(), "nothing lost");
            given_runs += 1;
        }
    }
    assert_eq!(
        sim.requests().len(),
        given_runs,
        "only the runs with every setting given reached the server"
    );
}

#[cfg(unix)]
#[test]
fn a_key_from_a_flag_leaves_the_credentials_file_unread() {
    let sim = Sim::start();
    let home = configured(&sim);
    fifo(&home, "credentials");
    let run = run_within(
        rhombus(&home).args(["--api-key", KEY, "clips", "ls"]),
        NO_HANG,
    );
    // Endpoint and output still come from the config file.
    run.code(0).no_key();
    assert_eq!(run.ndjson().len(), sim.clips().len());
}

#[test]
fn settings_files_over_a_mebibyte_are_refused() {
    let sim = Sim::start();
    let home = configured(&sim);
    let comment = format!("# {}\n", "x".repeat(1023));
    let big = format!("[default]\napi_key = {KEY}\n{}", comment.repeat(1025));
    home.write("credentials", &big, 0o600);
    let run = run_within(rhombus(&home).args(["clips", "ls"]), NO_HANG);
    run.code(2)
        .stderr_has("/.rhombus/credentials: it is larger than 1024 KiB")
        .no_key();
    assert!(sim.requests().is_empty());
    // Just under the limit is fine.
    home.write("credentials", &big[..1 << 20], 0o600);
    run_within(rhombus(&home).args(["clips", "ls"]), NO_HANG).code(0);
}

#[test]
fn a_password_in_the_endpoint_url_is_refused_and_shown_nowhere() {
    let sim = Sim::start();
    let home = configured(&sim);
    let with_password = sim.url().replace("http://", "http://me:hunter2@");
    let by_flag = ["--endpoint-url", with_password.as_str()];
    for args in [
        &["clips", "ls"][..],
        &["-v", "-v", "clips", "ls"],
        &["config", "show"],
    ] {
        let run = run(rhombus(&home).args(by_flag).args(args));
        run.code(2)
            .stderr_has(
                "error: the endpoint URL from flag --endpoint-url contains a user name or password",
            )
            .stderr_has("hint: remove the `user:password@` part");
        assert!(!format!("{run:?}").contains("hunter2"), "{run:?}");
    }
    let env = run(rhombus(&home)
        .args(["clips", "ls"])
        .env("RHOMBUS_ENDPOINT_URL", &with_password));
    env.code(2).stderr_has("from env RHOMBUS_ENDPOINT_URL");
    home.write(
        "config",
        &format!("[default]\nendpoint_url = {with_password}\n"),
        0o600,
    );
    let file = run(rhombus(&home).args(["-v", "config", "show"]));
    file.code(2).stderr_has("from ~/.rhombus/config [default]");
    for run in [env, file] {
        assert!(!format!("{run:?}").contains("hunter2"), "{run:?}");
    }
    assert!(sim.requests().is_empty(), "nothing was sent");
}

#[test]
fn an_empty_api_key_is_a_usage_error_and_nothing_is_sent() {
    let sim = Sim::start();
    // The credentials file has a good key: an empty one given is not replaced by it.
    let home = configured(&sim);
    let runs = [
        run(rhombus(&home).args(["--api-key", "", "clips", "ls"])),
        run(rhombus(&home).args(["--api-key", "  ", "clips", "watch"])),
        run(rhombus(&home)
            .args(["clips", "ls"])
            .env("RHOMBUS_API_KEY", "")),
    ];
    for (run, from) in runs
        .iter()
        .zip(["flag --api-key", "flag --api-key", "env RHOMBUS_API_KEY"])
    {
        run.code(2)
            .stderr_has(&format!("error: the API key from {from} is empty"));
        assert_eq!(run.stdout, "");
    }
    assert!(sim.requests().is_empty(), "nothing was sent");
}
