//! A simulator on a background runtime, a temporary HOME, and a way to run the binary.

use std::fs;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rhombus_sim::{ClockMode, Scenario, SimConfig, SimHandle, Span};

/// The key the test simulators accept; it must never show up in any output.
pub const KEY: &str = "sEcReT-test-key-0123456789";

/// A running simulator (manual clock unless configured otherwise).
pub struct Sim {
    handle: SimHandle,
    _runtime: tokio::runtime::Runtime,
}

impl Sim {
    /// The default scenario on a manual clock.
    pub fn start() -> Self {
        Sim::with(SimConfig::default())
    }

    /// A scenario whose clips all finish within ~200 simulated seconds and then
    /// linger long enough (120 s) that a poll sees them finished.
    pub fn quick() -> Self {
        let scenario = Scenario {
            warmup: Duration::from_secs(120),
            spawn_every: Duration::from_secs(30),
            initiating: Span::secs(2, 5),
            uploading: Span::secs(30, 60),
            rendering: Span::secs(5, 10),
            linger: Span::secs(120, 120),
            ..Scenario::default()
        };
        Sim::with(SimConfig::default().with_scenario(scenario))
    }

    /// Any config (the key is always [`KEY`]).
    pub fn with(config: SimConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let handle = runtime
            .block_on(rhombus_sim::start(
                config.with_api_key(KEY).with_clock(ClockMode::Manual),
            ))
            .expect("start the simulator");
        Sim {
            handle,
            _runtime: runtime,
        }
    }

    /// Answers the next requests, one each, with `200 application/json` and
    /// these bodies (then as usual).
    pub fn answer_with(&self, bodies: impl IntoIterator<Item = String>) {
        self.push_faults(bodies.into_iter().map(|body| rhombus_sim::Fault::Respond {
            status: 200,
            content_type: "application/json".into(),
            body,
        }));
    }

    /// The clips the simulator serves now, as JSON.
    pub fn clips(&self) -> Vec<serde_json::Value> {
        self.expected_json()["splicedClips"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

impl Deref for Sim {
    type Target = SimHandle;
    fn deref(&self) -> &SimHandle {
        &self.handle
    }
}

/// A temporary HOME, with helpers for `~/.rhombus`.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    /// An empty HOME.
    pub fn new() -> Self {
        Home {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// The HOME directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `~/.rhombus/<name>` with `mode`.
    pub fn write(&self, name: &str, text: &str, mode: u32) -> PathBuf {
        let dir = self.path().join(".rhombus");
        fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join(name);
        fs::write(&path, text).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).expect("chmod");
        }
        path
    }

    /// Writes a file next to HOME (e.g. a saved response).
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path().join(name);
        fs::write(&path, bytes).expect("write");
        path
    }
}

/// What a finished run printed.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// What `out` printed. Every run checks that the key never reaches stderr
    /// (messages, hints, logs); [`Run::no_key`] checks stdout too, where the
    /// output is not the server's own data.
    #[track_caller]
    fn new(code: i32, out: &std::process::Output) -> Self {
        let run = Run {
            code,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains(KEY),
            "the key reached stderr:\n{}",
            run.stderr
        );
        run
    }

    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts stderr contains `text`.
    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }

    /// The stderr lines that start with `prefix` (`error:`, `warning:`).
    pub fn stderr_lines(&self, prefix: &str) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with(prefix))
            .collect()
    }

    /// The stdout lines parsed as JSON.
    pub fn ndjson(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }

    /// Asserts the key appears nowhere.
    #[track_caller]
    pub fn no_key(&self) -> &Self {
        assert!(
            !self.stdout.contains(KEY) && !self.stderr.contains(KEY),
            "the key leaked:\n{}\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// `rhombus` with an empty environment but for HOME (so no setting leaks in).
pub fn rhombus(home: &Home) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rhombus"));
    cmd.env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null());
    cmd
}

/// `rhombus --endpoint-url <sim> --api-key <KEY> <args>`.
pub fn against(home: &Home, sim: &Sim, args: &[&str]) -> Command {
    let mut cmd = rhombus(home);
    cmd.args(["--endpoint-url", &sim.url(), "--api-key", KEY])
        .args(args);
    cmd
}

/// Runs to the end and collects the output.
pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run rhombus");
    Run::new(out.status.code().unwrap_or(-1), &out)
}

/// Runs to the end like [`run`], but kills the run and fails the test if it
/// has not ended within `limit` (a bound for hangs, not a timing check).
#[track_caller]
pub fn run_within(cmd: &mut Command, limit: Duration) -> Run {
    let mut child = spawn(cmd);
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return collect(child, status.code().unwrap_or(-1));
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let run = collect(child, -1);
            panic!("still running after {limit:?}:\n{}", run.stderr);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Spawns with stdout and stderr piped.
pub fn spawn(cmd: &mut Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn rhombus")
}

/// Once `child` has made its first request, moves the simulator's clock forward
/// in steps until the child exits; kills it (and fails) if it has not ended
/// after `max_steps`.
pub fn drive(sim: &Sim, child: &mut Child, step: Duration, max_steps: u32) -> i32 {
    let mut waited = 0;
    while sim.requests().is_empty() {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status.code().unwrap_or(-1);
        }
        waited += 1;
        assert!(waited < max_steps, "the watch never polled");
        std::thread::sleep(Duration::from_millis(50));
    }
    for _ in 0..max_steps {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status.code().unwrap_or(-1);
        }
        sim.advance(step);
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = child.kill();
    panic!("the watch did not end after {max_steps} clock steps");
}

/// Reads whatever a finished child left in its pipes.
pub fn collect(child: Child, code: i32) -> Run {
    let out = child.wait_with_output().expect("output");
    Run::new(code, &out)
}

/// `value` with every `null` member removed: the model reads `null` and an
/// absent field alike (every field is optional), so it writes neither back.
pub fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The path and values of the first difference between two JSON values, if any.
pub fn json_diff(a: &serde_json::Value, b: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.keys()
                .chain(y.keys())
                .find_map(|k| match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => json_diff(v, w, &format!("{path}.{k}")),
                    (v, w) => Some(format!("{path}.{k}: {v:?} vs {w:?}")),
                })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| json_diff(v, w, &format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

/// A loopback HTTP server that answers each request with the next of its
/// bodies (the last one again once they run out), as `200 application/json`:
/// for bodies the simulator cannot send (bytes that are not UTF-8).
pub struct RawServer {
    addr: std::net::SocketAddr,
}

impl RawServer {
    /// Serves `bodies` on 127.0.0.1, from a background thread.
    pub fn serve(bodies: Vec<Vec<u8>>) -> Self {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        std::thread::spawn(move || {
            for (i, stream) in listener.incoming().enumerate() {
                let Ok(mut stream) = stream else { continue };
                // The request: its head, then the `{}` it sends.
                let mut request = Vec::new();
                let mut byte = [0u8; 1];
                while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    request.push(byte[0]);
                }
                let mut body = [0u8; 2];
                let _ = stream.read_exact(&mut body);
                let answer = &bodies[i.min(bodies.len() - 1)];
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    answer.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(answer);
            }
        });
        RawServer { addr }
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}
