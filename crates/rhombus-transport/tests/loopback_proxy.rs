//! Proxies: with `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY` pointing at a
//! dead address, a client for the loopback simulator still reaches it, while
//! a plain reqwest client (which honours the variables) cannot, so the
//! variables are live; and a client for the real API still goes through
//! `HTTPS_PROXY`.
//!
//! The variables must be in the environment before the process starts
//! (reqwest reads them once; setting them in-process is `unsafe` in Rust
//! 2024), so this test has no harness: `main` runs itself again with them set
//! and checks that run's outcome. Every address involved is on loopback.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use rhombus_sim::{ApiPath, SimConfig};
use rhombus_transport::Client;

/// A loopback port nothing listens on (discard): a proxy that is not there.
const DEAD_PROXY: &str = "http://127.0.0.1:9";
/// Names the inner run: `loopback` or `remote`.
const INNER: &str = "RHOMBUS_PROXY_TEST_INNER";
const VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

fn main() {
    match std::env::var(INNER).as_deref() {
        Ok("loopback") => return loopback(),
        Ok("remote") => return remote(),
        _ => {}
    }
    // All six variables dead: the simulator must still be reached.
    run_inner("loopback", DEAD_PROXY);
    // HTTPS_PROXY at a listener here: the real API's request must arrive there.
    let proxy = TcpListener::bind("127.0.0.1:0").expect("bind a stand-in proxy");
    let address = format!("http://{}", proxy.local_addr().unwrap());
    let seen = std::thread::spawn(move || {
        let (stream, _) = proxy.accept().expect("the client came to the proxy");
        let mut first = String::new();
        BufReader::new(stream).read_line(&mut first).unwrap();
        first
    });
    run_inner("remote", &address);
    let first = seen.join().unwrap();
    assert!(
        first.starts_with("CONNECT api2.rhombussystems.com:443 "),
        "{first:?}"
    );
    println!("2 passed, 0 failed");
}

/// Runs this binary again in `mode` with every proxy variable set to `proxy`.
fn run_inner(mode: &str, proxy: &str) {
    let mut again = Command::new(std::env::current_exe().expect("this test's path"));
    again
        .env(INNER, mode)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for name in VARIABLES {
        again.env(name, proxy);
    }
    let output = again.output().expect("run the inner test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{mode} failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(&format!("{mode}: ok")), "{stdout}");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

fn loopback() {
    for name in VARIABLES {
        assert_eq!(std::env::var(name).as_deref(), Ok(DEAD_PROXY), "{name}");
    }
    runtime().block_on(async {
        let sim = rhombus_sim::start(SimConfig::default()).await.expect("sim");
        // The variables are in force: a client that honours them fails.
        let proxied = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("reqwest client");
        let error = proxied
            .post(sim.url_of(ApiPath::Video))
            .body("{}")
            .send()
            .await
            .expect_err("the dead proxy answered");
        assert!(error.is_connect(), "{error}");
        assert_eq!(sim.counters().total, 0, "went around the proxy");
        // The transport's client goes straight to the simulator.
        for base in [sim.url(), sim.url().replace("127.0.0.1", "localhost")] {
            let client = Client::builder()
                .base_url(base.clone())
                .api_key(sim.api_key())
                .build()
                .expect("client");
            let raw = client.fetch_raw().await.expect("reached the simulator");
            assert_eq!(raw.status, 200, "{base}");
            assert_eq!(raw.bytes, sim.expected_body(), "{base}");
        }
        assert_eq!(sim.counters().by_status.get(&200), Some(&2));
        sim.shutdown().await;
    });
    println!("loopback: ok");
}

fn remote() {
    runtime().block_on(async {
        let client = Client::builder()
            .base_url("https://api2.rhombussystems.com")
            .api_key("not-a-real-key")
            .retry_policy(rhombus_transport::RetryPolicy::none())
            .operation_timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        // The stand-in proxy hangs up after reading the CONNECT line.
        let error = client
            .fetch_raw()
            .await
            .expect_err("no API behind the stand-in proxy");
        assert!(!error.to_string().contains("not-a-real-key"), "{error}");
    });
    println!("remote: ok");
}
