//! Simulator settings written as text, for command lines: faults, `429`
//! forms and API paths (`"server-error:503".parse::<Fault>()`).

use crate::faults::{Fault, RetryAfter};
use crate::ratelimit::RetryAfterForm;
use crate::server::ApiPath;
use std::str::FromStr;
use std::time::Duration;

/// The fault names [`Fault`]'s `FromStr` accepts, with their argument.
pub const FAULT_SYNTAX: &str = "\
latency:DURATION (e.g. 250ms, 3s), rate-limited[:SECONDS|:date:SECONDS|:absent], \
server-error[:STATUS], drop-mid-body, truncated-body, cut-json, invalid-json, \
error-body[:MESSAGE], warning[:MESSAGE], empty-list, big-list:COUNT, \
respond:STATUS:BODY, hang, stall-body[:STATUS]";

impl FromStr for Fault {
    type Err = String;

    /// A fault as `name[:argument]`, the name being [`Fault::name`]; see
    /// [`FAULT_SYNTAX`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        fault(text).map_err(|why| format!("{text:?} is not a fault: {why}; one of: {FAULT_SYNTAX}"))
    }
}

/// [`Fault`]'s `FromStr`, with errors that say only what is wrong.
fn fault(text: &str) -> Result<Fault, String> {
    let (name, arg) = match text.split_once(':') {
        Some((name, arg)) => (name, Some(arg)),
        None => (text, None),
    };
    let fault = match (name, arg) {
        ("latency", Some(d)) => Fault::Latency(duration(d)?),
        ("rate-limited", None) => Fault::RateLimited(RetryAfter::Seconds(1)),
        ("rate-limited", Some("absent")) => Fault::RateLimited(RetryAfter::Absent),
        ("rate-limited", Some(arg)) => match arg.strip_prefix("date:") {
            Some(secs) => Fault::RateLimited(RetryAfter::Date(Duration::from_secs(number(secs)?))),
            None => Fault::RateLimited(RetryAfter::Seconds(number(arg)?)),
        },
        ("server-error", None) => Fault::ServerError(503),
        ("server-error", Some(s)) => Fault::ServerError(status(s)?),
        ("drop-mid-body", None) => Fault::DropMidBody,
        ("truncated-body", None) => Fault::TruncatedBody,
        ("cut-json", None) => Fault::CutJson,
        ("invalid-json", None) => Fault::InvalidJson,
        ("error-body", msg) => Fault::ErrorBody(msg.unwrap_or("Simulated backend failure").into()),
        ("warning", msg) => Fault::Warning(msg.unwrap_or("Results may be incomplete").into()),
        ("empty-list", None) => Fault::EmptyList,
        ("big-list", Some(n)) => {
            Fault::BigList(usize::try_from(number(n)?).map_err(|e| e.to_string())?)
        }
        ("respond", Some(arg)) => {
            let (code, body) = arg.split_once(':').unwrap_or((arg, ""));
            Fault::text(status(code)?, body)
        }
        ("hang", None) => Fault::Hang,
        ("stall-body", None) => Fault::StallBody(200),
        ("stall-body", Some(s)) => Fault::StallBody(status(s)?),
        _ => return Err("unknown name or argument".into()),
    };
    Ok(fault)
}

impl FromStr for RetryAfterForm {
    type Err = String;

    /// `seconds`, `date` or `absent`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "seconds" => Ok(RetryAfterForm::Seconds),
            "date" => Ok(RetryAfterForm::Date),
            "absent" => Ok(RetryAfterForm::Absent),
            _ => Err(format!("{text:?} is not seconds, date or absent")),
        }
    }
}

impl FromStr for ApiPath {
    type Err = String;

    /// `event` or `video`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "event" => Ok(ApiPath::Event),
            "video" => Ok(ApiPath::Video),
            _ => Err(format!("{text:?} is not event or video")),
        }
    }
}

fn number(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number"))
}

fn status(text: &str) -> Result<u16, String> {
    match number(text)? {
        n @ 100..=599 => Ok(n as u16),
        _ => Err(format!("{text:?} is not an HTTP status (100-599)")),
    }
}

/// `250ms`, `3s`, or bare milliseconds.
fn duration(text: &str) -> Result<Duration, String> {
    if let Some(ms) = text.strip_suffix("ms") {
        Ok(Duration::from_millis(number(ms)?))
    } else if let Some(s) = text.strip_suffix('s') {
        Ok(Duration::from_secs(number(s)?))
    } else {
        Ok(Duration::from_millis(number(text)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_fault_can_be_written_as_text() {
        let cases = [
            ("latency:250ms", Fault::Latency(Duration::from_millis(250))),
            ("latency:3s", Fault::Latency(Duration::from_secs(3))),
            ("latency:40", Fault::Latency(Duration::from_millis(40))),
            ("rate-limited", Fault::RateLimited(RetryAfter::Seconds(1))),
            ("rate-limited:7", Fault::RateLimited(RetryAfter::Seconds(7))),
            (
                "rate-limited:date:30",
                Fault::RateLimited(RetryAfter::Date(Duration::from_secs(30))),
            ),
            (
                "rate-limited:absent",
                Fault::RateLimited(RetryAfter::Absent),
            ),
            ("server-error", Fault::ServerError(503)),
            ("server-error:502", Fault::ServerError(502)),
            ("drop-mid-body", Fault::DropMidBody),
            ("truncated-body", Fault::TruncatedBody),
            ("cut-json", Fault::CutJson),
            ("invalid-json", Fault::InvalidJson),
            (
                "error-body:Backend: down",
                Fault::ErrorBody("Backend: down".into()),
            ),
            (
                "warning",
                Fault::Warning("Results may be incomplete".into()),
            ),
            ("empty-list", Fault::EmptyList),
            ("big-list:5000", Fault::BigList(5000)),
            (
                "respond:403:Invalid api key",
                Fault::text(403, "Invalid api key"),
            ),
            ("hang", Fault::Hang),
            ("stall-body:503", Fault::StallBody(503)),
        ];
        let mut names = BTreeSet::new();
        for (text, fault) in cases {
            assert_eq!(text.parse::<Fault>(), Ok(fault.clone()), "{text}");
            names.insert(fault.name());
        }
        // Every variant has a text form (Fault::name is exhaustive).
        assert_eq!(names.len(), 14);
        for bad in [
            "",
            "latency",
            "latency:soon",
            "server-error:99",
            "server-error:600",
            "big-list",
            "hang:now",
            "teapot",
        ] {
            let error = bad.parse::<Fault>().unwrap_err();
            assert!(error.contains(&format!("{bad:?}")), "{bad}: {error}");
        }
    }

    #[test]
    fn forms_and_paths_by_name() {
        assert_eq!("date".parse(), Ok(RetryAfterForm::Date));
        assert_eq!("absent".parse(), Ok(RetryAfterForm::Absent));
        assert_eq!("seconds".parse(), Ok(RetryAfterForm::Seconds));
        assert!("never".parse::<RetryAfterForm>().is_err());
        assert_eq!("event".parse(), Ok(ApiPath::Event));
        assert_eq!("video".parse(), Ok(ApiPath::Video));
        assert!("clips".parse::<ApiPath>().is_err());
    }
}
