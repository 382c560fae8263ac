//! Each fault the simulator can inject, with its exit code and message.

use rhombus_sim::{ApiPath, Fault, RetryAfter};

use crate::common::*;

/// Queues `faults`, then runs `rhombus [ARGS] clips ls` against the simulator.
fn ls_after(home: &Home, sim: &Sim, faults: impl IntoIterator<Item = Fault>, args: &[&str]) -> Run {
    sim.push_faults(faults);
    let args: Vec<&str> = args.iter().copied().chain(["clips", "ls"]).collect();
    run(&mut against(home, sim, &args))
}

#[test]
fn throttling_is_retried_then_reported() {
    let sim = Sim::start();
    let home = Home::new();
    sim.push_fault(Fault::RateLimited(RetryAfter::Seconds(0)));
    run(&mut against(&home, &sim, &["clips", "ls", "-o", "ndjson"])).code(0);
    assert_eq!(sim.queued_faults(), 0, "the 429 was served and retried");

    let run = ls_after(
        &home,
        &sim,
        vec![Fault::RateLimited(RetryAfter::Seconds(0)); 10],
        &[],
    );
    run.code(1)
        .stderr_has("error: rate limited (HTTP 429)")
        .stderr_has("hint: the rate limit is shared")
        .no_key();
    assert_eq!(run.stdout, "");
}

#[test]
fn server_errors_are_retried_then_reported() {
    let sim = Sim::start();
    let home = Home::new();
    sim.push_fault(Fault::ServerError(503));
    run(&mut against(&home, &sim, &["clips", "ls", "-o", "ndjson"])).code(0);

    let run = ls_after(&home, &sim, Fault::burst(500, 10), &["--timeout", "2"]);
    run.code(1)
        .stderr_has("HTTP 500")
        .stderr_has("hint: the Rhombus API is having trouble");
}

#[test]
fn error_true_fails_with_its_message() {
    let sim = Sim::start();
    let home = Home::new();
    let failure = Fault::ErrorBody("Simulated backend failure".into());
    let run = ls_after(&home, &sim, [failure], &[]);
    run.code(1)
        .stderr_has("error: the Rhombus API reported an error: Simulated backend failure");
    assert_eq!(run.stdout, "");
}

#[test]
fn a_key_the_server_echoes_is_hidden_in_every_message() {
    let sim = Sim::start();
    let home = Home::new();
    let json = |body: String| Fault::Respond {
        status: 200,
        content_type: "application/json".into(),
        body,
    };
    for (fault, code, shown) in [
        (
            Fault::ErrorBody(format!("key {KEY} refused")),
            1,
            "key <redacted> refused",
        ),
        (
            json(format!(r#"{{"splicedClips":[{{"duration":"{KEY}"}}]}}"#)),
            3,
            "at splicedClips[0].duration",
        ),
        (
            json(format!(
                r#"{{"splicedClips":[{{"deviceMap":{{"{KEY}":1}}}}]}}"#
            )),
            3,
            "deviceMap[\"<redacted>\"]",
        ),
        (
            json(format!(
                r#"{{"splicedClips":[{{"title":1}}],"warningMsg":"{KEY}"}}"#
            )),
            3,
            "says: <redacted>",
        ),
        (
            json(format!(r#"{{"splicedClips":"{KEY}"}}"#)),
            3,
            "at splicedClips",
        ),
    ] {
        let run = ls_after(&home, &sim, [fault], &[]);
        run.code(code).stderr_has(shown);
        // Messages only: the response printed on stdout is the data as sent.
        assert!(!run.stderr.contains(KEY), "{}", run.stderr);
    }
}

#[test]
fn server_text_in_messages_is_one_line_without_escape_codes() {
    let sim = Sim::start();
    let home = Home::new();
    let nasty = "first\nsecond \u{1b}[2J\u{7}end";
    for (fault, code) in [
        (Fault::ErrorBody(nasty.into()), 1),
        (Fault::Warning(nasty.into()), 0),
    ] {
        let run = ls_after(&home, &sim, [fault], &["-o", "ndjson"]);
        run.code(code).stderr_has("first second  [2J end");
        assert!(
            !run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'),
            "{:?}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{:?}", run.stderr);
    }
}

#[test]
fn forbidden_suggests_the_other_region_and_hides_the_key() {
    let sim = Sim::start();
    let home = Home::new();
    let run = run(rhombus(&home)
        .args(["--endpoint-url", &sim.url(), "-v", "clips", "ls"])
        .env("RHOMBUS_API_KEY", "sEcReT-wrong-key-98765"));
    run.code(1)
        .stderr_has("HTTP 403")
        .stderr_has("Invalid api key")
        .stderr_has("hint: the key may belong to another region; try --region us or --region eu");
    assert!(
        !run.stderr.contains("sEcReT-wrong-key-98765"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .count(),
        1
    );
}

#[test]
fn a_hanging_server_times_out() {
    let sim = Sim::start();
    let home = Home::new();
    let run = ls_after(&home, &sim, vec![Fault::Hang; 10], &["--timeout", "1"]);
    run.code(1)
        .stderr_has("timeout")
        .stderr_has("hint: the server did not answer in time; raise --timeout");
}

#[test]
fn a_truncated_body_is_retried_then_reported() {
    let sim = Sim::start();
    let home = Home::new();
    sim.push_fault(Fault::TruncatedBody);
    let ok = run(&mut against(&home, &sim, &["clips", "ls", "-o", "ndjson"]));
    ok.code(0);
    assert_eq!(ok.ndjson().len(), sim.clips().len());

    // Correct framing around half a document: the JSON itself is cut short,
    // retried like a truncated body, then reported with nothing printed.
    sim.push_fault(Fault::CutJson);
    let again = run(&mut against(&home, &sim, &["clips", "ls", "-o", "ndjson"]));
    again.code(0);
    assert_eq!(sim.queued_faults(), 0, "the cut body was retried");
    let cut = ls_after(&home, &sim, vec![Fault::CutJson; 10], &["--timeout", "3"]);
    cut.code(1)
        .stderr_has("the input ended early")
        .stderr_has("line ")
        .stderr_has("hint: the body was cut short");
    assert_eq!(cut.stdout, "", "nothing printed from a body cut short");
}

#[test]
fn the_deprecated_path_falls_back_to_its_twin_on_404() {
    let sim = Sim::start();
    let home = Home::new();
    sim.set_path_status(ApiPath::Event, Some(404));
    let run = run(&mut against(
        &home,
        &sim,
        &["-v", "clips", "ls", "-o", "ndjson"],
    ));
    run.code(0).no_key().stderr_has("twin");
    assert_eq!(run.ndjson().len(), sim.clips().len());
    assert!(!sim.requests_to(ApiPath::Event).is_empty());
    assert!(!sim.requests_to(ApiPath::Video).is_empty());

    // Both paths gone: an HTTP failure with a hint.
    sim.set_path_status(ApiPath::Video, Some(404));
    let gone = crate::common::run(&mut against(&home, &sim, &["clips", "ls"]));
    gone.code(1)
        .stderr_has("HTTP 404")
        .stderr_has("hint: neither endpoint path");
}

#[test]
fn endpoint_path_video_goes_straight_there() {
    let sim = Sim::start();
    let home = Home::new();
    run(&mut against(
        &home,
        &sim,
        &["--endpoint-path", "video", "clips", "ls"],
    ))
    .code(0);
    assert!(sim.requests_to(ApiPath::Event).is_empty());
    assert_eq!(sim.requests_to(ApiPath::Video).len(), 1);
}

#[test]
fn verbose_logs_show_requests_but_never_the_key() {
    let sim = Sim::start();
    let home = Home::new();
    sim.push_fault(Fault::ServerError(503));
    let run = run(&mut against(
        &home,
        &sim,
        &["-vv", "clips", "ls", "-o", "ndjson"],
    ));
    run.code(0)
        .no_key()
        .stderr_has("client settings")
        .stderr_has("key=****6789")
        .stderr_has("retrying")
        .stderr_has("request succeeded");
    assert_eq!(run.ndjson().len(), sim.clips().len());
    let seen = sim.requests().pop().expect("a request");
    assert_eq!(
        seen.header("x-auth-apikey"),
        Some(KEY),
        "the key was sent, only never shown"
    );
}

#[test]
fn nobody_listening_is_a_connect_error() {
    let home = Home::new();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let run = run(rhombus(&home).args([
        "--endpoint-url",
        &format!("http://127.0.0.1:{port}"),
        "--api-key",
        KEY,
        "--timeout",
        "2",
        "clips",
        "ls",
    ]));
    run.code(1).stderr_has("could not connect").no_key();
}

#[test]
fn long_server_text_in_messages_is_cut_with_a_note() {
    let sim = Sim::start();
    let home = Home::new();
    let long = "x".repeat(10_000);
    let key_path = Fault::Respond {
        status: 200,
        content_type: "application/json".into(),
        body: format!(r#"{{"splicedClips":[{{"deviceMap":{{"{long}":1}}}}]}}"#),
    };
    for (fault, code) in [
        (Fault::ErrorBody(long.clone()), 1),
        (Fault::Warning(long.clone()), 0),
        (key_path, 3),
    ] {
        let run = ls_after(&home, &sim, [fault], &["-o", "ndjson"]);
        run.code(code).stderr_has("characters cut");
        for line in run.stderr.lines() {
            assert!(line.chars().count() < 600, "{line}");
        }
    }
}

/// A 200 with this content type and body.
fn ok_with(content_type: &str, body: &str) -> Fault {
    Fault::Respond {
        status: 200,
        content_type: content_type.into(),
        body: body.into(),
    }
}

#[test]
fn an_html_page_is_named_as_such() {
    let sim = Sim::start();
    let home = Home::new();
    let page =
        "<!DOCTYPE html><html><head><title>Hotel Wi-Fi</title></head><body>Log in</body></html>";
    let run = ls_after(&home, &sim, [ok_with("text/html", page)], &[]);
    run.code(1)
        .stderr_has(
            "error: the server answered with an HTML page, not JSON (a proxy or captive portal?): \"Hotel Wi-Fi\"",
        )
        .stderr_has("hint: something other than the Rhombus API answered");
    assert_eq!(run.stdout, "");
    assert_eq!(sim.requests().len(), 1, "not retried");
}

#[test]
fn an_empty_200_is_retried_and_nothing_is_lost() {
    let sim = Sim::start();
    let home = Home::new();
    let ok = ls_after(
        &home,
        &sim,
        [ok_with("application/json", "")],
        &["-o", "ndjson"],
    );
    ok.code(0);
    assert_eq!(ok.ndjson().len(), sim.clips().len());
    assert_eq!(sim.requests().len(), 2, "retried once");

    // Retried as long as the policy and the deadline allow (twice at least).
    let empty = vec![ok_with("application/json", ""); 10];
    let failed = ls_after(&home, &sim, empty, &["--timeout", "4"]);
    failed
        .code(1)
        .stderr_has("error: the server answered HTTP 200 with an empty body")
        .stderr_has(" attempts)");
    assert_eq!(failed.stdout, "");
}

#[test]
fn long_server_text_is_cut_with_a_note() {
    let sim = Sim::start();
    let home = Home::new();
    let long = "very long text ".repeat(1000);
    let failed = ls_after(
        &home,
        &sim,
        [Fault::ErrorBody(format!("{KEY} {long}"))],
        &[],
    );
    failed
        .code(1)
        .stderr_has("error: the Rhombus API reported an error: <redacted> very long text")
        .stderr_has("characters cut]");
    let warned = ls_after(
        &home,
        &sim,
        [Fault::Warning(long.clone())],
        &["-o", "ndjson"],
    );
    warned.code(0).stderr_has("characters cut]");
    assert_eq!(
        warned.ndjson().len(),
        sim.clips().len(),
        "the data is all there"
    );
    let decode = ls_after(
        &home,
        &sim,
        [ok_with(
            "application/json",
            &format!(r#"{{"splicedClips":"{long}"}}"#),
        )],
        &[],
    );
    // A value that does not fit is kept and named by its path, never quoted.
    decode.code(3).stderr_has("at splicedClips (line 1, column");
    for run in [failed, warned, decode] {
        for line in run.stderr.lines() {
            assert!(line.chars().count() < 500, "{line}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_write_error_on_stdout_is_a_failure() {
    let sim = Sim::start();
    let home = Home::new();
    let full = || std::fs::File::create("/dev/full").expect("/dev/full");
    for args in [&["clips", "ls", "-o", "json"][..], &["config", "show"]] {
        let run = run(against(&home, &sim, args).stdout(full()));
        run.code(1)
            .stderr_has("error: cannot write to standard output: No space left on device");
    }
}

/// A loopback TLS server presenting a self-signed certificate (from the
/// transport's fixtures): its URL, and how many connections it took.
fn self_signed_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let fixtures = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rhombus-transport/tests/fixtures/tls"
    );
    let chain = CertificateDer::pem_file_iter(format!("{fixtures}/self-signed.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{fixtures}/server.key")).unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let config = std::sync::Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let connections = std::sync::Arc::new(AtomicUsize::new(0));
    let count = std::sync::Arc::clone(&connections);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            let mut tls = rustls::ServerConnection::new(std::sync::Arc::clone(&config)).unwrap();
            // The client refuses the certificate: the handshake ends here.
            let _ = tls.complete_io(&mut stream);
        }
    });
    (url, connections)
}

#[test]
fn a_refused_certificate_is_named_and_not_retried() {
    let home = Home::new();
    let (url, connections) = self_signed_server();
    let run = run(rhombus(&home).args(["--endpoint-url", &url, "--api-key", KEY, "clips", "ls"]));
    run.code(1)
        .stderr_has(
            "error: the server's TLS certificate was refused: it was issued by an authority \
             this client does not trust",
        )
        .stderr_has("hint: check --endpoint-url (its host name) and this machine's clock")
        .no_key();
    assert_eq!(run.stdout, "");
    assert_eq!(
        connections.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "not retried"
    );
}
