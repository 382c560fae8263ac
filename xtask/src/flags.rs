//! Hand-rolled argument parsing: switches (`--dry-run`), options with a value
//! (`--seconds 30` or `--seconds=30`) and positionals. Unknown flags are errors.

use std::collections::BTreeMap;

/// Parsed arguments of one task.
#[derive(Debug, Default)]
pub struct Flags {
    switches: Vec<String>,
    values: BTreeMap<String, String>,
    /// Arguments that are not flags, in order.
    pub positional: Vec<String>,
}

impl Flags {
    /// Parses `args` accepting the given switches and value options
    /// (each spelled with its leading `--`).
    pub fn parse(args: &[String], switches: &[&str], options: &[&str]) -> Result<Flags, String> {
        let mut flags = Flags::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if !arg.starts_with("--") || arg == "--" {
                flags.positional.push(arg.clone());
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            if switches.contains(&name) && inline.is_none() {
                flags.switches.push(name.to_owned());
            } else if options.contains(&name) {
                let value = match inline {
                    Some(v) => v,
                    None => iter
                        .next()
                        .cloned()
                        .ok_or_else(|| format!("{name} needs a value"))?,
                };
                flags.values.insert(name.to_owned(), value);
            } else {
                return Err(format!("unknown option {arg}"));
            }
        }
        Ok(flags)
    }

    /// Whether the switch was given.
    pub fn has(&self, switch: &str) -> bool {
        self.switches.iter().any(|s| s == switch)
    }

    /// The value of an option, parsed.
    pub fn value<T: std::str::FromStr>(&self, option: &str) -> Result<Option<T>, String> {
        self.values
            .get(option)
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("invalid value {v:?} for {option}"))
            })
            .transpose()
    }

    /// [`Flags::parse`], except that `-h`/`--help` prints `usage` and gives `None`.
    pub fn parse_or_help(
        args: &[String],
        usage: &str,
        switches: &[&str],
        options: &[&str],
    ) -> Result<Option<Flags>, String> {
        if args.iter().any(|a| a == "-h" || a == "--help") {
            crate::shell::print(&format!("{usage}\n"));
            return Ok(None);
        }
        Flags::parse(args, switches, options).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn switches_options_and_positionals() {
        let f = Flags::parse(
            &args(&["minor", "--dry-run", "--seconds", "5", "--jobs=2"]),
            &["--dry-run"],
            &["--seconds", "--jobs"],
        )
        .expect("valid");
        assert!(f.has("--dry-run"));
        assert!(!f.has("--skip-checks"));
        assert_eq!(f.value::<u64>("--seconds"), Ok(Some(5)));
        assert_eq!(f.value::<u64>("--jobs"), Ok(Some(2)));
        assert_eq!(f.positional, ["minor"]);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(Flags::parse(&args(&["--nope"]), &[], &[]).is_err());
        assert!(Flags::parse(&args(&["--seconds"]), &[], &["--seconds"]).is_err());
        let f = Flags::parse(&args(&["--seconds", "x"]), &[], &["--seconds"]).expect("parses");
        assert!(f.value::<u64>("--seconds").is_err());
    }
}
