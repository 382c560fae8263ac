//! `rhombus config show`: every resolved setting and its source, the key masked.

use std::io::Write;

use super::Context;
use crate::config::{AuthType, Source, mask, rhombus_dir};
use crate::error::{CliResult, ExitCode};

/// Prints the settings as `name  value  (source)` lines.
pub fn run(ctx: &Context) -> CliResult {
    let s = ctx.settings()?;
    let none = || ("-".to_owned(), "not set".to_owned());
    let src = |source: &Source| source.to_string();
    let output = match &s.output {
        Some(o) => (
            format!("{:?}", o.value).to_ascii_lowercase(),
            src(&o.source),
        ),
        None => (
            format!("{:?}", ctx.format(&s)).to_ascii_lowercase(),
            "default: table on a terminal, json otherwise".to_owned(),
        ),
    };
    let mut rows = vec![
        ("profile", (s.profile.value.clone(), src(&s.profile.source))),
        (
            "api_key",
            s.api_key
                .as_ref()
                .map_or_else(none, |k| (mask(&k.value), src(&k.source))),
        ),
        (
            "endpoint_url",
            (s.base_url.value.clone(), src(&s.base_url.source)),
        ),
        (
            "endpoint_path",
            (s.endpoint.value.path().to_owned(), src(&s.endpoint.source)),
        ),
        (
            "auth_type",
            (
                match s.auth_type.value {
                    AuthType::Token => "token",
                    AuthType::Cert => "cert",
                }
                .to_owned(),
                src(&s.auth_type.source),
            ),
        ),
        (
            "is_partner",
            (s.is_partner.value.to_string(), src(&s.is_partner.source)),
        ),
        (
            "partner_org",
            s.partner_org
                .as_ref()
                .map_or_else(none, |o| (o.value.clone(), src(&o.source))),
        ),
        (
            "timeout",
            s.timeout.as_ref().map_or_else(
                || {
                    (
                        "-".to_owned(),
                        "default: 10s connect, 30s per attempt, 5m in all".to_owned(),
                    )
                },
                |t| {
                    (
                        humantime::format_duration(t.value).to_string(),
                        src(&t.source),
                    )
                },
            ),
        ),
        ("output", output),
    ];
    for (name, file) in [("cert_file", &s.cert_file), ("key_file", &s.key_file)] {
        if let Some(f) = file {
            rows.push((name, (f.value.display().to_string(), src(&f.source))));
        }
    }
    let dir = rhombus_dir(&ctx.env);
    for (name, file) in [
        ("config file", "config"),
        ("credentials file", "credentials"),
    ] {
        let (value, state) = match &dir {
            Some(dir) => {
                let path = dir.join(file);
                let state = if path.exists() { "found" } else { "not found" };
                (path.display().to_string(), state.to_owned())
            }
            None => ("-".to_owned(), "HOME is not set".to_owned()),
        };
        rows.push((name, (value, state)));
    }
    let name_width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let value_width = rows
        .iter()
        .map(|(_, (v, _))| v.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = ctx.stdout();
    for (name, (value, source)) in rows {
        writeln!(
            out,
            "{name:<name_width$}  {value:<value_width$}  ({source})"
        )?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}
