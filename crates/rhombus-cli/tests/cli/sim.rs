//! `rhombus sim` flags: every library fault, shape, path switch, rate limit and
//! clock speed, observed over raw HTTP on loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::time::Duration;

use crate::common::*;

/// A `rhombus sim` child and its URL; killed on drop.
struct Served {
    child: Child,
    url: String,
}

impl Served {
    fn start(home: &Home, flags: &[&str]) -> Self {
        let mut child = spawn(
            rhombus(home)
                .args(["sim", "--for", "60s", "--accept-key", KEY])
                .args(flags),
        );
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut url = String::new();
        stdout.read_line(&mut url).unwrap();
        let url = url.trim().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
        Served { child, url }
    }

    /// One authenticated `POST {}` to `path`: status, headers (lower-cased), body.
    fn post(&self, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let addr = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "POST /api/{path}/getSplicedClipsInProgress HTTP/1.1\r\nhost: {addr}\r\nx-auth-apikey: {KEY}\r\n\
             x-auth-scheme: api-token\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a head");
        let head = String::from_utf8(raw[..split].to_vec()).unwrap();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned()))
            .collect();
        (status, headers, raw[split + 4..].to_vec())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn sim_flags_reach_faults_shapes_paths_rate_limits_and_the_clock() {
    let home = Home::new();
    let sim = Served::start(
        &home,
        &[
            "--preset",
            "busy",
            "--shapes",
            "java",
            "--fault",
            "server-error:502",
            "--fault",
            "respond:418:short and stout",
            "--path-status",
            "event=410",
            "--rate-limit",
            "0.001",
            "--burst",
            "3",
            "--retry-after",
            "date",
            "--speed",
            "60",
        ],
    );
    let (status, _, _) = sim.post("event");
    assert_eq!(status, 410, "the event path is switched off");
    let (status, headers, _) = sim.post("video");
    assert_eq!(
        (status, header(&headers, "x-rhombus-sim-fault")),
        (502, Some("server-error"))
    );
    let (status, _, body) = sim.post("video");
    assert_eq!((status, body.as_slice()), (418, &b"short and stout"[..]));
    let (status, headers, body) = sim.post("video");
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        json["error"],
        serde_json::Value::Null,
        "java shape: error is null"
    );
    assert!(
        json["splicedClips"].as_array().unwrap().len() > 50,
        "busy preset"
    );
    let first: u64 = header(&headers, "x-rhombus-sim-elapsed-ms")
        .unwrap()
        .parse()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    // The bucket held three: the fourth request to reach it is refused.
    let (status, headers, _) = sim.post("video");
    assert_eq!(status, 429);
    let retry_after = header(&headers, "retry-after").expect("Retry-After");
    assert!(retry_after.ends_with(" GMT"), "an HTTP date: {retry_after}");
    let second: u64 = header(&headers, "x-rhombus-sim-elapsed-ms")
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        second - first >= 200 * 60,
        "60x clock: {first} then {second}"
    );
}

#[test]
fn sim_hostile_bodies_and_random_faults_from_a_menu() {
    let home = Home::new();
    let sim = Served::start(
        &home,
        &[
            "--shapes",
            "hostile",
            "--fault-rate",
            "1",
            "--random-fault",
            "empty-list",
            "--random-fault",
            "warning:careful",
        ],
    );
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..12 {
        let (status, headers, body) = sim.post("video");
        assert_eq!(status, 200);
        seen.insert(header(&headers, "x-rhombus-sim-fault").unwrap().to_owned());
        // Even an empty list carries an element that is no clip, which no
        // other shape writes (before any cut the body may have).
        let mut stream = rhombus_model::Decoder::new().stream(&body[..]);
        let mut odd = 0;
        while let Some(Ok(element)) = stream.next_clip() {
            odd += usize::from(element.item.raw().is_some());
        }
        assert!(odd > 0, "{}", String::from_utf8_lossy(&body));
    }
    assert_eq!(seen, ["empty-list".to_owned(), "warning".to_owned()].into());
}

#[test]
fn sim_refuses_bad_flag_values_with_the_syntax() {
    let home = Home::new();
    for (flags, expected) in [
        (&["--fault", "teapot"][..], "is not a fault"),
        (&["--shapes", "xml"], "unknown shape"),
        (&["--path-status", "clips=410"], "is not event or video"),
        (&["--rate-limit", "0"], "is not a positive number"),
        (&["--speed", "0"], "0 is not in 1.."),
        (&["--burst", "2"], "--rate-limit"),
    ] {
        let run = run(rhombus(&home).arg("sim").args(flags));
        run.code(2).stderr_has(expected);
    }
}
