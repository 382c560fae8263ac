//! `peak-rss METHOD FILE`: decodes FILE once with METHOD and prints one JSON
//! line with the process's peak resident memory (Linux `VmHWM`) and the time
//! the decode took. Borrowing methods read the whole file first (that buffer
//! counts); `rhombus_stream` and `rhombus_read` read it through a `File`.
//! The decoders' clip and tree limits are lifted: this measures what a
//! decode costs, whatever the size (a 1 GiB body is past the defaults).

use std::process::ExitCode;
use std::time::Instant;

use rhombus_benches::methods::{Method, Scratch, run, run_reader};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [method, path] = args.as_slice() else {
        eprintln!("usage: peak-rss METHOD FILE");
        return ExitCode::from(2);
    };
    let Some(method) = Method::from_id(method) else {
        eprintln!("peak-rss: unknown method {method:?}");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    let (bytes, clips) = if method.reads() {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("peak-rss: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let len = file.metadata().map_or(0, |m| m.len());
        let clips = run_reader(method, file, &mut unlimited()).unwrap_or(0);
        (len, clips)
    } else {
        let data = match std::fs::read(path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("peak-rss: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let clips = run(method, &data, &mut unlimited());
        (data.len() as u64, clips)
    };
    let secs = start.elapsed().as_secs_f64();
    let hwm = peak_rss_bytes().unwrap_or(0);
    println!(
        "{{\"method\":\"{}\",\"bytes\":{bytes},\"clips\":{clips},\"peak_rss_bytes\":{hwm},\"secs\":{secs:.4},\"mb_s\":{:.1}}}",
        method.id(),
        bytes as f64 / 1e6 / secs
    );
    if clips == 0 {
        eprintln!("peak-rss: decode failed or found no clips");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Scratch whose decoders take any number of clips and any tree size.
fn unlimited() -> Scratch {
    Scratch::with_decoder(
        rhombus_model::Decoder::new()
            .max_clips(usize::MAX)
            .max_tree_bytes(usize::MAX),
    )
}

/// `VmHWM` from `/proc/self/status`, in bytes.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
