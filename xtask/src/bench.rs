//! `cargo xtask bench [--quick]`: generates (or reuses) the payloads, runs the
//! criterion parse benches, times interleaved rounds of every method for the
//! ratios, measures peak memory and the CLI against jq, and writes
//! `target/bench-report/{summary.json,summary.md,throughput.svg}`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{Value, json};

use crate::shell;

const METHODS: [&str; 9] = [
    "rhombus_borrowed",
    "rhombus_strict",
    "rhombus_read",
    "rhombus_owned",
    "rhombus_stream",
    "serde_json_owned",
    "serde_json_value",
    "simd_json_borrowed",
    "sonic_rs_borrowed",
];
const PEERS: [&str; 4] = [
    "serde_json_owned",
    "serde_json_value",
    "simd_json_borrowed",
    "sonic_rs_borrowed",
];
const SIZES: [(&str, u64); 3] = [
    ("1MiB", 1 << 20),
    ("16MiB", 16 << 20),
    ("128MiB", 128 << 20),
];
pub(crate) const BIG: (&str, u64) = ("1GiB", 1 << 30);

/// `cargo xtask bench`.
#[derive(clap::Args)]
#[command(
    after_help = "The ratios the targets are checked on come from interleaved rounds of every
method over the 16 MiB payload (21 rounds, 7 with --quick), in extras.json.
Set CARGO_TARGET_DIR to keep the native-CPU build apart from your dev build."
)]
pub struct Args {
    /// Shorter measurement of the 1 and 16 MiB payloads only (a few minutes)
    #[arg(long)]
    quick: bool,
    /// Run the criterion benches N times; each method keeps its best run
    /// (default 3, 1 with --quick: a shared machine's slow spells then hit no method alone)
    #[arg(long, value_name = "N")]
    runs: Option<usize>,
    /// Do not measure peak RSS (128MiB and 1GiB decodes)
    #[arg(long)]
    skip_memory: bool,
    /// Do not time `rhombus clips parse` against jq
    #[arg(long)]
    skip_cli: bool,
    /// Copy the table and plot into benches/README.md
    #[arg(long)]
    update_readme: bool,
}

struct Options {
    quick: bool,
    runs: usize,
    memory: bool,
    cli: bool,
    update_readme: bool,
}

/// Interleaved rounds over the 16 MiB payload for the ratios (a round is
/// three decodes per method, about 2 s here); `--quick` takes fewer.
const PAIRED_ROUNDS: usize = 21;
const PAIRED_ROUNDS_QUICK: usize = 7;

/// One measured (payload, method) pair.
struct Row {
    payload: &'static str,
    bytes: u64,
    method: &'static str,
    median: f64,
    min: f64,
    max: f64,
}

/// Runs the whole benchmark and writes the report.
pub fn run(args: &Args) -> Result<(), String> {
    let opts = Options {
        quick: args.quick,
        runs: args.runs.unwrap_or(if args.quick { 1 } else { 3 }).max(1),
        memory: !args.skip_memory,
        cli: !args.skip_cli,
        update_readme: args.update_readme,
    };
    let started = Instant::now();
    let target = shell::target_dir();
    let report_dir = shell::root().join("target").join("bench-report");
    std::fs::create_dir_all(&report_dir).map_err(|e| format!("{}: {e}", report_dir.display()))?;

    eprintln!("xtask bench: building rhombus-benches (release, native CPU)");
    shell::run(native(shell::cargo()).args([
        "build",
        "--release",
        "-p",
        "rhombus-benches",
        "--bins",
    ]))?;
    let bin = |name: &str| target.join("release").join(name);

    let payloads = target.join("bench-payloads");
    std::fs::create_dir_all(&payloads).map_err(|e| format!("{}: {e}", payloads.display()))?;
    for (name, size) in SIZES {
        ensure_payload(&bin("gen"), &payloads, name, size)?;
    }

    // --quick leaves the 128 MiB payload to the memory and CLI runs: criterion
    // needs 10 samples of it per method, minutes on 2 busy cores.
    let measured: Vec<&str> = SIZES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !opts.quick || *name != "128MiB")
        .collect();
    let criterion = target.join("criterion");
    let mut rows: Vec<Row> = Vec::new();
    for run in 1..=opts.runs {
        for (name, _) in SIZES {
            // Stale samples from an earlier run must not stand in for a failed bench.
            let _ = std::fs::remove_dir_all(criterion.join(name));
        }
        eprintln!(
            "xtask bench: running criterion, run {run} of {} (this takes a while)",
            opts.runs
        );
        let mut bench = native(shell::cargo());
        bench
            .args(["bench", "-p", "rhombus-benches", "--bench", "parse"])
            .env("RHOMBUS_BENCH_PAYLOADS", &payloads)
            .env("RHOMBUS_BENCH_SIZES", measured.join(","))
            .env("CRITERION_HOME", &criterion);
        if opts.quick {
            bench.env("RHOMBUS_BENCH_QUICK", "1");
        }
        shell::run(&mut bench)?;
        keep_best(&mut rows, collect(&criterion, &payloads)?);
    }

    eprintln!("xtask bench: interleaved rounds for the ratios (16MiB)");
    let paired = paired(
        &bin("paired"),
        &payloads.join("16MiB.json"),
        if opts.quick {
            PAIRED_ROUNDS_QUICK
        } else {
            PAIRED_ROUNDS
        },
    )?;

    let memory = if opts.memory {
        let big = ensure_payload(&bin("gen"), &payloads, BIG.0, BIG.1)?;
        let p128 = payloads.join("128MiB.json");
        let mut out = Vec::new();
        for method in [
            "rhombus_borrowed",
            "rhombus_read",
            "rhombus_owned",
            "rhombus_stream",
        ] {
            out.push(peak_rss(&bin("peak_rss"), method, &p128)?);
        }
        out.push(peak_rss(&bin("peak_rss"), "rhombus_stream", &big)?);
        out.push(peak_rss(&bin("peak_rss"), "rhombus_borrowed", &big)?);
        out
    } else {
        Vec::new()
    };

    let cli = if opts.cli {
        cli_vs_jq(&payloads.join("128MiB.json"))
    } else {
        None
    };

    let stamp = stamp();
    let summary: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "payload": r.payload,
                "bytes": r.bytes,
                "method": r.method,
                "median_mb_s": round1(r.median),
                "min_mb_s": round1(r.min),
                "max_mb_s": round1(r.max),
                "git_rev": stamp.rev,
                "host": stamp.host,
            })
        })
        .collect();
    write(
        &report_dir.join("summary.json"),
        &serde_json::to_string_pretty(&summary).unwrap_or_default(),
    )?;
    let extras = json!({
        "memory": memory,
        "cli_vs_jq": cli,
        "paired_16mib": { "rounds": paired.rounds, "rates": paired.rates },
        "quick": opts.quick,
        "git_rev": stamp.rev,
        "host": stamp.host,
    });
    write(
        &report_dir.join("extras.json"),
        &serde_json::to_string_pretty(&extras).unwrap_or_default(),
    )?;
    let svg = svg(&rows, &stamp);
    write(&report_dir.join("throughput.svg"), &svg)?;
    let md = markdown(&Report {
        rows: &rows,
        paired: Some(&paired),
        memory: &memory,
        cli: cli.as_ref(),
        stamp: &stamp,
        quick: opts.quick,
        runs: opts.runs,
    });
    write(&report_dir.join("summary.md"), &md)?;
    shell::print(&format!("{md}\n"));
    if opts.update_readme {
        update_readme(&md, &svg)?;
    }
    eprintln!(
        "xtask bench: done in {:.0}s; report in {}",
        started.elapsed().as_secs_f64(),
        report_dir.display()
    );
    Ok(())
}

/// A cargo command building for this CPU, as simd-json's and sonic-rs's docs recommend.
fn native(mut cmd: Command) -> Command {
    if std::env::var_os("RUSTFLAGS").is_none() {
        cmd.env("RUSTFLAGS", "-C target-cpu=native");
    }
    cmd
}

/// Generates `<dir>/<name>.json` unless a copy newer than the generator exists.
pub(crate) fn ensure_payload(
    generator_bin: &Path,
    dir: &Path,
    name: &str,
    size: u64,
) -> Result<PathBuf, String> {
    let path = dir.join(format!("{name}.json"));
    let source = shell::root().join("benches/src/payload.rs");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(have), Some(changed)) = (modified(&path), modified(&source)) {
        if have > changed {
            return Ok(path);
        }
    }
    eprintln!("xtask bench: generating {}", path.display());
    // Beside it, then renamed: a run cut short leaves no partial payload
    // newer than the generator to be taken for a whole one.
    let partial = path.with_extension("partial");
    shell::run(
        Command::new(generator_bin)
            .args(["--size", &size.to_string(), "-o"])
            .arg(&partial),
    )?;
    std::fs::rename(&partial, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Reads criterion's raw samples and turns them into MB/s (10^6 bytes/s).
/// Merges a run's rows into `best`, keeping for each (payload, method) the
/// row with the higher median.
fn keep_best(best: &mut Vec<Row>, run: Vec<Row>) {
    for row in run {
        let same = |r: &&mut Row| r.payload == row.payload && r.method == row.method;
        match best.iter_mut().find(same) {
            Some(kept) if kept.median >= row.median => {}
            Some(kept) => *kept = row,
            None => best.push(row),
        }
    }
}

fn collect(criterion: &Path, payloads: &Path) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (payload, _) in SIZES {
        let bytes = std::fs::metadata(payloads.join(format!("{payload}.json")))
            .map_err(|e| format!("{payload}: {e}"))?
            .len();
        for method in METHODS {
            let file = criterion.join(payload).join(method).join("new/sample.json");
            let Ok(text) = std::fs::read_to_string(&file) else {
                eprintln!("xtask bench: no samples for {payload}/{method}");
                continue;
            };
            let sample: Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let numbers = |key: &str| -> Vec<f64> {
                sample[key]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_f64).collect())
                    .unwrap_or_default()
            };
            let rates: Vec<f64> = numbers("iters")
                .iter()
                .zip(numbers("times"))
                .filter(|(_, ns)| *ns > 0.0)
                .map(|(iters, ns)| bytes as f64 * iters / ns * 1e3)
                .collect();
            let Some(Spread { median, min, max }) = Spread::of(rates) else {
                continue;
            };
            rows.push(Row {
                payload,
                bytes,
                method,
                median,
                min,
                max,
            });
        }
    }
    Ok(rows)
}

/// Each method's MB/s in every interleaved round (the `paired` probe).
struct Paired {
    rounds: usize,
    rates: BTreeMap<String, Vec<f64>>,
}

/// The median of some measurements and their range.
struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

impl Spread {
    /// `None` when there are no values.
    fn of(mut values: Vec<f64>) -> Option<Spread> {
        values.sort_by(f64::total_cmp);
        let mid = values.len() / 2;
        let median = match values.len() {
            0 => return None,
            n if n % 2 == 0 => (values[mid - 1] + values[mid]) / 2.0,
            _ => values[mid],
        };
        Some(Spread {
            median,
            min: values[0],
            max: values[values.len() - 1],
        })
    }
}

impl Paired {
    /// `a` over `b`, taken within each round.
    fn ratio(&self, a: &str, b: &str) -> Option<Spread> {
        let a = self.rates.get(a)?;
        let b = self.rates.get(b)?;
        Spread::of(a.iter().zip(b).map(|(a, b)| a / b).collect())
    }
}

/// Runs the interleaved-rounds probe on `file`.
fn paired(bin: &Path, file: &Path, rounds: usize) -> Result<Paired, String> {
    let out = shell::output(Command::new(bin).arg(file).arg(rounds.to_string()))
        .ok_or_else(|| format!("{} failed on {}", bin.display(), file.display()))?;
    let value: Value =
        serde_json::from_str(out.trim()).map_err(|e| format!("paired printed {out:?}: {e}"))?;
    let rates = value["rates"]
        .as_object()
        .ok_or_else(|| format!("paired printed no rates: {out:?}"))?
        .iter()
        .map(|(method, r)| {
            let list = r
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect());
            (method.clone(), list.unwrap_or_default())
        })
        .collect();
    Ok(Paired { rounds, rates })
}

/// Runs the memory probe once.
fn peak_rss(bin: &Path, method: &str, file: &Path) -> Result<Value, String> {
    eprintln!("xtask bench: peak RSS of {method} on {}", file.display());
    let out = Command::new(bin)
        .arg(method)
        .arg(file)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let line = String::from_utf8_lossy(&out.stdout);
    let mut value: Value =
        serde_json::from_str(line.trim()).map_err(|e| format!("peak_rss printed {line:?}: {e}"))?;
    value["payload"] = json!(
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    Ok(value)
}

/// Times `rhombus clips parse FILE --output ndjson` against `jq -c '.splicedClips[]'`.
fn cli_vs_jq(file: &Path) -> Option<Value> {
    if shell::output(Command::new("jq").arg("--version")).is_none() {
        eprintln!("xtask bench: jq missing; installing it with apt-get");
        let _ = shell::run(Command::new("apt-get").args(["install", "-y", "-qq", "jq"]));
    }
    eprintln!("xtask bench: building the rhombus CLI");
    if shell::run(native(shell::cargo()).args(["build", "--release", "-p", "rhombus-cli"])).is_err()
    {
        return None;
    }
    let rhombus = shell::target_dir().join("release").join("rhombus");
    // Best of three runs each: one slow spell of the machine decides nothing.
    let time = |cmd: &mut Command| -> Option<f64> {
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let start = Instant::now();
            let status = cmd
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .ok()?;
            if !status.success() {
                return None;
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        Some(best)
    };
    let ours = time(
        Command::new(&rhombus)
            .args(["clips", "parse"])
            .arg(file)
            .args(["--output", "ndjson"]),
    );
    let Some(ours) = ours else {
        eprintln!("xtask bench: `rhombus clips parse --output ndjson` is not available yet");
        return None;
    };
    eprintln!("xtask bench: timing jq on {}", file.display());
    let jq = time(Command::new("jq").args(["-c", ".splicedClips[]"]).arg(file))?;
    Some(json!({
        "file": file.display().to_string(),
        "rhombus_secs": ours,
        "jq_secs": jq,
        "speedup": jq / ours,
    }))
}

struct Stamp {
    rev: String,
    host: String,
    date: String,
}

/// Git revision (with `-dirty`), host and CPU, and the date.
fn stamp() -> Stamp {
    let git = |args: &[&str]| shell::output(shell::git(&shell::root()).args(args));
    let mut rev = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into());
    if git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty()) {
        rev.push_str("-dirty");
    }
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let date =
        shell::output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])).unwrap_or_default();
    Stamp {
        rev,
        host: format!("{hostname} ({cpu}, {cores} cores)"),
        date,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn find<'r>(rows: &'r [Row], payload: &str, method: &str) -> Option<&'r Row> {
    rows.iter()
        .find(|r| r.payload == payload && r.method == method)
}

/// Everything one report is written from.
struct Report<'r> {
    rows: &'r [Row],
    paired: Option<&'r Paired>,
    memory: &'r [Value],
    cli: Option<&'r Value>,
    stamp: &'r Stamp,
    quick: bool,
    runs: usize,
}

/// The report: throughput table with ratios, paired ratios, memory, CLI vs
/// jq, targets.
fn markdown(report: &Report<'_>) -> String {
    let &Report {
        rows,
        paired,
        memory,
        cli,
        stamp,
        quick,
        runs,
    } = report;
    let mut md = String::new();
    let best = if runs > 1 {
        format!(", each method's best of {runs} runs")
    } else {
        String::new()
    };
    let _ = writeln!(
        md,
        "Parse throughput, MB/s (10^6 bytes/s), median of criterion samples [min–max]{best}; \
         ratio = rhombus median / peer median.\n\nrev `{}` on {}, {}{}. Reproduce: `cargo xtask bench{}`.\n",
        stamp.rev,
        stamp.host,
        stamp.date,
        if quick { " (quick run)" } else { "" },
        if quick { " --quick" } else { "" },
    );
    for (payload, _) in SIZES {
        let Some(first) = rows.iter().find(|r| r.payload == payload) else {
            continue;
        };
        let _ = writeln!(md, "### {payload} payload ({} bytes)\n", first.bytes);
        let _ = writeln!(
            md,
            "| method | median MB/s | min–max | vs serde_json owned | vs serde_json Value | vs simd-json | vs sonic-rs |"
        );
        let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|");
        for method in METHODS {
            let Some(r) = find(rows, payload, method) else {
                continue;
            };
            let _ = write!(
                md,
                "| {method} | {:.0} | {:.0}–{:.0} |",
                r.median, r.min, r.max
            );
            for peer in PEERS {
                match find(rows, payload, peer) {
                    Some(p) if method.starts_with("rhombus") => {
                        let _ = write!(md, " {:.2}× |", r.median / p.median);
                    }
                    _ => md.push_str(" |"),
                }
            }
            md.push('\n');
        }
        md.push('\n');
    }
    if let Some(paired) = paired {
        md.push_str(&paired_table(paired));
    }
    if !memory.is_empty() {
        let _ = writeln!(
            md,
            "### Peak memory of one decode (VmHWM, includes the input buffer for in-memory methods)\n"
        );
        let _ = writeln!(
            md,
            "| payload | method | payload bytes | peak RSS | ratio | MB/s |"
        );
        let _ = writeln!(md, "|---|---|---:|---:|---:|---:|");
        for m in memory {
            let bytes = m["bytes"].as_f64().unwrap_or(0.0);
            let peak = m["peak_rss_bytes"].as_f64().unwrap_or(0.0);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {:.1} MiB | {:.2}× | {:.0} |",
                m["payload"].as_str().unwrap_or("?"),
                m["method"].as_str().unwrap_or("?"),
                bytes,
                peak / 1048576.0,
                if bytes > 0.0 { peak / bytes } else { 0.0 },
                m["mb_s"].as_f64().unwrap_or(0.0),
            );
        }
        md.push('\n');
    }
    match cli {
        Some(c) => {
            let _ = writeln!(
                md,
                "### CLI: `rhombus clips parse 128MiB.json --output ndjson > /dev/null`\n\n\
                 rhombus {:.2} s, `jq -c '.splicedClips[]'` {:.2} s (best of 3 each): **{:.1}×** jq.\n",
                c["rhombus_secs"].as_f64().unwrap_or(0.0),
                c["jq_secs"].as_f64().unwrap_or(0.0),
                c["speedup"].as_f64().unwrap_or(0.0),
            );
        }
        None => md.push_str(
            "### CLI vs jq\n\nnot measured (the CLI command was unavailable or skipped).\n\n",
        ),
    }
    md.push_str(&targets(rows, paired, memory, cli));
    md
}

/// Each rhombus method over each peer, within interleaved rounds.
fn paired_table(paired: &Paired) -> String {
    let mut md = format!(
        "### Paired ratios (16MiB payload, {} interleaved rounds)\n\n\
         Every round decodes three times per method, back to back, keeping each method's \
         fastest, so both sides of a ratio ran under the same machine conditions; \
         median ratio over the rounds [min–max].\n\n\
         | method | vs serde_json owned | vs serde_json Value | vs simd-json | vs sonic-rs |\n\
         |---|---:|---:|---:|---:|\n",
        paired.rounds
    );
    for method in METHODS.iter().filter(|m| m.starts_with("rhombus")) {
        let _ = write!(md, "| {method} |");
        for peer in PEERS {
            match paired.ratio(method, peer) {
                Some(r) => {
                    let _ = write!(md, " {:.2}× [{:.2}–{:.2}] |", r.median, r.min, r.max);
                }
                None => md.push_str(" |"),
            }
        }
        md.push('\n');
    }
    md.push('\n');
    md
}

/// Checks the issue's targets on the 16 MiB payload and the memory runs.
/// Speed ratios are the paired medians when measured (criterion's medians,
/// taken minutes apart, are shown beside them).
fn targets(rows: &[Row], paired: Option<&Paired>, memory: &[Value], cli: Option<&Value>) -> String {
    let mut md = String::from("### Targets (16MiB payload)\n\n");
    let criterion =
        |a: &str, b: &str| Some(find(rows, "16MiB", a)?.median / find(rows, "16MiB", b)?.median);
    for (a, b, want) in [
        ("rhombus_borrowed", "sonic_rs_borrowed", 1.5),
        ("rhombus_borrowed", "serde_json_owned", 3.0),
        ("rhombus_owned", "serde_json_owned", 2.0),
        // Tolerant within 10% of strict.
        ("rhombus_borrowed", "rhombus_strict", 0.9),
    ] {
        let pair = paired.and_then(|p| p.ratio(a, b)).map(|r| r.median);
        let crit = criterion(a, b);
        let aside = match (pair, crit) {
            (Some(_), Some(c)) => format!(" (criterion medians: {c:.2}×)"),
            _ => String::new(),
        };
        let _ = match pair.or(crit) {
            Some(v) => writeln!(
                md,
                "- {a} / {b}: {v:.2}×{} (target {want}×) {}{aside}",
                if pair.is_some() { " paired" } else { "" },
                if v >= want { "met" } else { "**not met**" }
            ),
            None => writeln!(md, "- {a} / {b}: not measured"),
        };
    }
    let mem = |payload: &str, method: &str| {
        memory
            .iter()
            .find(|m| m["payload"] == payload && m["method"] == method)
    };
    for (method, want) in [("rhombus_borrowed", 1.7), ("rhombus_read", 1.2)] {
        let Some(m) = mem("128MiB", method) else {
            continue;
        };
        let r = m["peak_rss_bytes"].as_f64().unwrap_or(0.0) / m["bytes"].as_f64().unwrap_or(1.0);
        let _ = writeln!(
            md,
            "- {method} decode of 128MiB: peak RSS {r:.2}× the payload (target ≤ {want}×) {}",
            if r <= want { "met" } else { "**not met**" }
        );
    }
    if let (Some(s), Some(b)) = (
        mem("1GiB", "rhombus_stream"),
        mem("1GiB", "rhombus_borrowed"),
    ) {
        let peak = s["peak_rss_bytes"].as_f64().unwrap_or(0.0) / 1048576.0;
        let speed = s["mb_s"].as_f64().unwrap_or(0.0) / b["mb_s"].as_f64().unwrap_or(1.0);
        let _ = writeln!(
            md,
            "- streaming decode of 1GiB: peak RSS {peak:.1} MiB (target ≤ 16) {}, {:.0}% of in-memory throughput (target ≥ 90%) {}",
            if peak <= 16.0 { "met" } else { "**not met**" },
            speed * 100.0,
            if speed >= 0.9 { "met" } else { "**not met**" }
        );
    }
    if let Some(speedup) = cli.and_then(|c| c["speedup"].as_f64()) {
        let _ = writeln!(
            md,
            "- `rhombus clips parse -o ndjson` on 128MiB: {speedup:.1}× jq (target ≥ 10×) {}",
            if speedup >= 10.0 {
                "met"
            } else {
                "**not met**"
            }
        );
    }
    md
}

/// Median throughput by payload size, one line per method, drawn by hand.
fn svg(rows: &[Row], stamp: &Stamp) -> String {
    const W: f64 = 760.0;
    const H: f64 = 440.0;
    const LEFT: f64 = 70.0;
    const RIGHT: f64 = 230.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 60.0;
    const COLORS: [&str; METHODS.len()] = [
        "#d62728", "#bcbd22", "#7f7f7f", "#ff7f0e", "#8c564b", "#1f77b4", "#17becf", "#2ca02c",
        "#9467bd",
    ];
    let max = rows.iter().map(|r| r.max).fold(1.0, f64::max);
    let step = nice_step(max / 5.0);
    let top = (max / step).ceil() * step;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = |i: usize| LEFT + plot_w * (i as f64 + 0.5) / SIZES.len() as f64;
    let y = |v: f64| TOP + plot_h * (1.0 - v / top);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{LEFT}" y="22" font-size="15" font-weight="bold">Parse throughput by payload size (median MB/s)</text>"#
    );
    let mut tick = 0.0;
    while tick <= top + step / 2.0 {
        let ty = y(tick);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{tick:.0}</text>"##,
            LEFT + plot_w,
            LEFT - 6.0,
            ty + 4.0
        );
        tick += step;
    }
    for (i, (name, _)) in SIZES.iter().enumerate() {
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{name}</text>"#,
            x(i),
            TOP + plot_h + 18.0
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555" font-size="10">rev {} · {} · {}</text>"##,
        LEFT + plot_w / 2.0,
        H - 14.0,
        xml(&stamp.rev),
        xml(&stamp.host),
        xml(&stamp.date)
    );
    for (m, method) in METHODS.iter().enumerate() {
        let points: Vec<(f64, f64)> = SIZES
            .iter()
            .enumerate()
            .filter_map(|(i, (p, _))| find(rows, p, method).map(|r| (x(i), y(r.median))))
            .collect();
        if points.is_empty() {
            continue;
        }
        let color = COLORS[m];
        let dash = if method.starts_with("rhombus") {
            ""
        } else {
            r#" stroke-dasharray="6 4""#
        };
        let path: Vec<String> = points
            .iter()
            .map(|(px, py)| format!("{px:.1},{py:.1}"))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"{dash}/>"#,
            path.join(" ")
        );
        for (px, py) in &points {
            let _ = writeln!(
                s,
                r#"<circle cx="{px:.1}" cy="{py:.1}" r="3" fill="{color}"/>"#
            );
        }
        let ly = TOP + 10.0 + 20.0 * m as f64;
        let lx = W - RIGHT + 20.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" y1="{ly}" x2="{:.1}" y2="{ly}" stroke="{color}" stroke-width="2"{dash}/><text x="{:.1}" y="{:.1}">{method}</text>"#,
            lx + 24.0,
            lx + 30.0,
            ly + 4.0
        );
    }
    s.push_str("</svg>\n");
    s
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let pow = 10f64.powf(raw.max(1e-9).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * pow)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * pow)
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Replaces the results section of benches/README.md and its plot.
fn update_readme(md: &str, svg: &str) -> Result<(), String> {
    let dir = shell::root().join("benches");
    write(&dir.join("throughput.svg"), svg)?;
    let readme = dir.join("README.md");
    let text =
        std::fs::read_to_string(&readme).map_err(|e| format!("{}: {e}", readme.display()))?;
    const START: &str = "<!-- bench-results:start -->";
    const END: &str = "<!-- bench-results:end -->";
    let (Some(a), Some(b)) = (text.find(START), text.find(END)) else {
        return Err(format!(
            "{} lacks the {START} / {END} markers",
            readme.display()
        ));
    };
    let updated = format!(
        "{}{START}\n\n![throughput by payload size](throughput.svg)\n\n{md}\n{}",
        &text[..a],
        &text[b..]
    );
    write(&readme, &updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_keeps_its_best_run() {
        let row = |method, median| Row {
            payload: "16MiB",
            bytes: 1,
            method,
            median,
            min: median,
            max: median,
        };
        let mut best = Vec::new();
        keep_best(&mut best, vec![row("a", 100.0), row("b", 300.0)]);
        keep_best(
            &mut best,
            vec![row("a", 250.0), row("b", 200.0), row("c", 5.0)],
        );
        let medians: Vec<(&str, f64)> = best.iter().map(|r| (r.method, r.median)).collect();
        assert_eq!(medians, [("a", 250.0), ("b", 300.0), ("c", 5.0)]);
    }

    #[test]
    fn spread_is_median_and_range() {
        let s = Spread::of(vec![3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (2.0, 1.0, 3.0));
        let s = Spread::of(vec![4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (2.5, 1.0, 4.0));
        assert!(Spread::of(Vec::new()).is_none());
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(130.0), 200.0);
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(45.0), 50.0);
    }

    #[test]
    fn report_shows_ratios_and_targets() {
        let row = |method, median| Row {
            payload: "16MiB",
            bytes: 16 << 20,
            method,
            median,
            min: median - 1.0,
            max: median + 1.0,
        };
        let rows = [
            row("rhombus_borrowed", 900.0),
            row("sonic_rs_borrowed", 500.0),
            row("serde_json_owned", 200.0),
        ];
        let stamp = Stamp {
            rev: "abc".into(),
            host: "h".into(),
            date: "d".into(),
        };
        let report = |paired, cli| Report {
            rows: &rows,
            paired,
            memory: &[],
            cli,
            stamp: &stamp,
            quick: true,
            runs: 1,
        };
        let md = markdown(&report(None, None));
        assert!(
            md.contains("| rhombus_borrowed | 900 | 899–901 | 4.50× | | | 1.80× |"),
            "{md}"
        );
        assert!(md.contains("rhombus_borrowed / sonic_rs_borrowed: 1.80× (target 1.5×) met"));
        assert!(md.contains("rhombus_owned / serde_json_owned: not measured"));
        assert!(!md.contains("Paired ratios"));
        assert!(md.contains("CLI vs jq\n\nnot measured"));
        assert!(!md.contains("× jq (target"));

        // Paired rounds take over the targets; criterion's ratio stays beside.
        let paired = Paired {
            rounds: 3,
            rates: BTreeMap::from([
                ("rhombus_borrowed".to_owned(), vec![300.0, 280.0, 600.0]),
                ("sonic_rs_borrowed".to_owned(), vec![250.0, 200.0, 300.0]),
            ]),
        };
        let cli = json!({ "rhombus_secs": 1.0, "jq_secs": 9.5, "speedup": 9.5 });
        let md = markdown(&report(Some(&paired), Some(&cli)));
        assert!(md.contains(
            "rhombus 1.00 s, `jq -c '.splicedClips[]'` 9.50 s (best of 3 each): **9.5×** jq."
        ));
        assert!(
            md.contains("on 128MiB: 9.5× jq (target ≥ 10×) **not met**"),
            "{md}"
        );
        assert!(
            md.contains("| rhombus_borrowed | | | | 1.40× [1.20–2.00] |"),
            "{md}"
        );
        assert!(
            md.contains(
                "rhombus_borrowed / sonic_rs_borrowed: 1.40× paired (target 1.5×) **not met** \
                 (criterion medians: 1.80×)"
            ),
            "{md}"
        );
        assert!(md.contains("rhombus_borrowed / serde_json_owned: 4.50× (target 3×) met"));
        let svg = svg(&rows, &stamp);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), 3);
    }
}
