//! `cargo xtask rss`: peak resident memory of the release `rhombus` CLI on
//! the inputs that once made it grow without bound, each held to 512 MiB:
//!
//! - `clips ls` in every format on a 30 MB body of ten million `{}` clips,
//!   served by a loopback server in this process;
//! - `clips parse` in every format on a 1 GiB file of generated clips;
//! - `clips watch` for a few polls on a body just under its 64 MiB body cap,
//!   and on one whose decoded tree comes near its 160 MiB tree cap.
//!
//! Peak memory is the child's own (`wait4`'s `ru_maxrss`), so builds and
//! the server here never count. Output goes to `/dev/null`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::bench::{BIG, ensure_payload};
use crate::shell;

/// The bound every run is held to.
const BOUND_MIB: f64 = 512.0;

/// Small clips in the body whose tree comes near `watch`'s tree cap.
const SMALL_CLIPS: usize = 90_000;

/// The formats `ls` and `parse` are run in.
const FORMATS: [&str; 4] = ["json", "ndjson", "csv", "table"];

/// `cargo xtask rss`.
#[derive(clap::Args)]
pub struct Args {
    /// `clips parse` reads a 128 MiB file instead of 1 GiB (a quicker look)
    #[arg(long)]
    quick: bool,
    /// Only the runs whose description contains this (`ls`, `parse -o csv`, `watch`)
    #[arg(long, value_name = "TEXT")]
    only: Option<String>,
}

/// One measured run.
struct Measured {
    what: String,
    peak_mib: f64,
    secs: f64,
    code: i32,
}

/// Builds the CLI, runs every probe, prints a table; fails when a run
/// ends other than expected or peaks over [`BOUND_MIB`].
pub fn run(args: &Args) -> Result<(), String> {
    eprintln!("xtask rss: building rhombus (release) and the payload generator");
    shell::run(shell::cargo().args(["build", "--release", "-p", "rhombus-cli"]))?;
    shell::run(shell::cargo().args([
        "build",
        "--release",
        "-p",
        "rhombus-benches",
        "--bin",
        "gen",
    ]))?;
    let release = shell::target_dir().join("release");
    let rhombus = release.join("rhombus");
    let payloads = shell::target_dir().join("bench-payloads");
    std::fs::create_dir_all(&payloads).map_err(|e| format!("{}: {e}", payloads.display()))?;

    let empty = payloads.join("empty-10M.json");
    write_clips(&empty, 10_000_000, |_| "{}".into())?;
    // Small clips decode to about twenty times their size: 90k of them
    // come near `watch`'s 160 MiB tree cap, its worst case short of the cap.
    let small = payloads.join("small-90k.json");
    write_clips(&small, SMALL_CLIPS, |i| {
        format!("{{\"clipUuid\":\"{i:022}\",\"status\":\"UPLOADING\"}}")
    })?;
    let (name, size) = if args.quick {
        ("128MiB", 128 << 20)
    } else {
        BIG
    };
    let file = ensure_payload(&release.join("gen"), &payloads, name, size)?;
    let watched = ensure_payload(&release.join("gen"), &payloads, "60MiB", 60 << 20)?;

    let home = shell::target_dir().join("rss-home");
    std::fs::create_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;
    let server = Server::start()?;
    let cli = |args: &[&str]| {
        let mut cmd = Command::new(&rhombus);
        cmd.env_clear()
            .env("HOME", &home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .args(args);
        cmd
    };
    let against = |args: &[&str]| {
        let mut cmd = cli(args);
        cmd.args(["--api-key", "probe", "--endpoint-url", &server.url()]);
        cmd
    };

    // (what, the body served, the command, the exit code it ends with)
    let mut plan: Vec<(String, Option<&Path>, Command, i32)> = Vec::new();
    for format in FORMATS {
        let what = format!("clips ls -o {format}, 30 MB of 10M {{}} clips");
        plan.push((
            what,
            Some(&empty),
            against(&["clips", "ls", "-o", format]),
            0,
        ));
    }
    let size = file_size(&file);
    for format in FORMATS {
        let what = format!("clips parse -o {format}, {size} file");
        let mut cmd = cli(&["clips", "parse", "-o", format]);
        cmd.arg(&file);
        plan.push((what, None, cmd, 0));
    }
    // Exit 1: the deadline ends it with clips still in progress.
    let what = format!("clips watch, {} body, 4 s", file_size(&watched));
    let watch = against(&["clips", "watch", "--interval", "1s", "--deadline", "4s"]);
    plan.push((what, Some(&watched), watch, 1));
    let what = format!(
        "clips watch, {} of {}k small clips, 4 s",
        file_size(&small),
        SMALL_CLIPS / 1000
    );
    let watch = against(&["clips", "watch", "--interval", "1s", "--deadline", "4s"]);
    plan.push((what, Some(&small), watch, 1));

    let mut runs = Vec::new();
    for (what, body, mut cmd, expect) in plan {
        if args
            .only
            .as_ref()
            .is_some_and(|only| !what.contains(only.as_str()))
        {
            continue;
        }
        if let Some(body) = body {
            server.serve(body);
        }
        runs.push(measure(what, &mut cmd, expect)?);
    }
    shell::print(&table(&runs));
    let over: Vec<&Measured> = runs.iter().filter(|m| m.peak_mib > BOUND_MIB).collect();
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} run(s) over {BOUND_MIB} MiB: {}",
            over.len(),
            over.iter()
                .map(|m| m.what.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ))
    }
}

/// Runs `cmd` (stdout to `/dev/null`), checks its exit code and reads its
/// peak resident memory.
fn measure(what: String, cmd: &mut Command, expect: i32) -> Result<Measured, String> {
    eprintln!("xtask rss: {what}");
    let start = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", shell::describe(cmd)))?;
    let pid = child.id() as libc::pid_t;
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let (code, peak_kib) = wait(pid)?;
    let secs = start.elapsed().as_secs_f64();
    // A run stopped by a limit measured the limit, not the input.
    if stderr.contains("(the decoder's max_") || stderr.contains("larger than the") {
        return Err(format!(
            "{} met a limit instead of reading its input:\n{}",
            shell::describe(cmd),
            stderr.lines().take(20).collect::<Vec<_>>().join("\n")
        ));
    }
    if code != expect {
        return Err(format!(
            "{} exited {code}, not {expect}:\n{}",
            shell::describe(cmd),
            stderr.lines().take(20).collect::<Vec<_>>().join("\n")
        ));
    }
    Ok(Measured {
        what,
        peak_mib: peak_kib as f64 / 1024.0,
        secs,
        code,
    })
}

/// Waits for `pid`: its exit code (or -signal) and peak RSS in KiB.
///
/// `wait4` is the one call that gives one child's peak; std's `Child::wait`
/// does not report it.
#[allow(unsafe_code)]
fn wait(pid: libc::pid_t) -> Result<(i32, i64), String> {
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value; wait4 fills it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; both pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    Ok((code, usage.ru_maxrss))
}

/// Writes `{"splicedClips":[…]}` with `n` clips made by `clip`, unless
/// the file exists. Written beside it and renamed, so a run cut short
/// leaves no partial file to be taken for a whole one.
fn write_clips(path: &Path, n: usize, clip: impl Fn(usize) -> String) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    let partial = path.with_extension("partial");
    let fail = |e: std::io::Error| format!("{}: {e}", partial.display());
    let file = std::fs::File::create(&partial).map_err(fail)?;
    let mut out = std::io::BufWriter::new(file);
    out.write_all(b"{\"splicedClips\":[").map_err(fail)?;
    for i in 0..n {
        if i > 0 {
            out.write_all(b",").map_err(fail)?;
        }
        out.write_all(clip(i).as_bytes()).map_err(fail)?;
    }
    out.write_all(b"]}").map_err(fail)?;
    out.flush().map_err(fail)?;
    std::fs::rename(&partial, path).map_err(fail)
}

fn file_size(path: &Path) -> String {
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    format!("{:.0} MiB", bytes as f64 / 1048576.0)
}

fn table(runs: &[Measured]) -> String {
    let mut out = format!(
        "\n| run | peak RSS | time | exit | ≤ {BOUND_MIB:.0} MiB |\n| --- | --- | --- | --- | --- |\n"
    );
    for m in runs {
        out.push_str(&format!(
            "| {} | {:.1} MiB | {:.1} s | {} | {} |\n",
            m.what,
            m.peak_mib,
            m.secs,
            m.code,
            if m.peak_mib <= BOUND_MIB {
                "yes"
            } else {
                "**no**"
            }
        ));
    }
    out
}

/// A loopback HTTP server answering every request with one file, read from
/// disk as it is sent (so this process never holds the body).
struct Server {
    port: u16,
    body: Arc<Mutex<PathBuf>>,
}

impl Server {
    fn start() -> Result<Server, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let body = Arc::new(Mutex::new(PathBuf::new()));
        let serving = Arc::clone(&body);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let path = serving.lock().map(|p| p.clone()).unwrap_or_default();
                // A client that hangs up mid-body is the client's business.
                let _ = answer(stream, &path);
            }
        });
        Ok(Server { port, body })
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Answers from now on with `path`.
    fn serve(&self, path: &Path) {
        if let Ok(mut body) = self.body.lock() {
            *body = path.to_path_buf();
        }
    }
}

/// Reads one request (headers, then the body its length gives) and answers
/// 200 with the file at `path`.
fn answer(stream: TcpStream, path: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    std::io::copy(&mut reader.take(length as u64), &mut std::io::sink())?;
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let mut out = std::io::BufWriter::new(stream);
    write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    )?;
    std::io::copy(&mut file, &mut out)?;
    out.flush()
}
