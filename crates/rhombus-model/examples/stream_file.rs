//! Stream the clips of a response of any size, in constant memory, as NDJSON.
//!
//! ```console
//! $ cargo xtask gen --size 1GiB -o big.json
//! $ cargo run --release -p rhombus-model --example stream_file -- big.json > clips.ndjson
//! $ cat response.json | cargo run -p rhombus-model --example stream_file -- -
//! ```
//!
//! Memory is bounded by the largest clip, not the payload.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use rhombus_model::stream::StreamDecoder;

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".to_owned());
    let input: Box<dyn std::io::Read> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(&path) {
            Ok(file) => Box::new(file),
            Err(e) => {
                eprintln!("cannot open {path}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut failed = 0usize;
    let result = StreamDecoder::new(input).try_for_each_clip(|_, clip| {
        match clip {
            Ok(clip) => {
                serde_json::to_writer(&mut out, &clip).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
            Err(e) => {
                failed += 1;
                eprintln!("{path}: {e}");
            }
        }
        Ok::<(), StreamError>(())
    });
    let flushed = out.flush();
    match result {
        Ok(envelope) => {
            if let Some(warning) = &envelope.warning_msg {
                eprintln!("warning: {warning}");
            }
            if envelope.is_error() {
                eprintln!(
                    "the API reported an error: {}",
                    envelope.error_msg.as_deref().unwrap_or("")
                );
                return ExitCode::FAILURE;
            }
        }
        Err(StreamError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    if flushed.is_err() {
        return ExitCode::SUCCESS; // the reader went away (closed pipe)
    }
    if failed > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

/// Either side of the pipe failing.
#[derive(Debug)]
enum StreamError {
    Decode(rhombus_model::DecodeError),
    Io(std::io::Error),
}

impl From<rhombus_model::DecodeError> for StreamError {
    fn from(e: rhombus_model::DecodeError) -> Self {
        StreamError::Decode(e)
    }
}

impl From<std::io::Error> for StreamError {
    fn from(e: std::io::Error) -> Self {
        StreamError::Io(e)
    }
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Decode(e) => e.fmt(f),
            StreamError::Io(e) => write!(f, "write failed: {e}"),
        }
    }
}
