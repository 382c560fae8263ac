//! Reading a response body into one buffer under a size limit.

use std::borrow::Cow;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::time::Instant;

use crate::redact::hide;

/// Why reading a body failed.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// More than the limit (announced by Content-Length or seen while streaming).
    TooLarge,
    /// The connection failed mid-body (reset, closed early: a truncated body).
    Transport(reqwest::Error),
}

/// Reads the whole body into one buffer, sized from Content-Length when given,
/// failing as soon as it would exceed `limit` bytes. A body that arrives as a
/// single chunk is returned as that chunk, without copying it.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: u64,
) -> Result<Bytes, BodyError> {
    let announced = response.content_length();
    if announced.is_some_and(|len| len > limit) {
        return Err(BodyError::TooLarge);
    }
    let mut first = Bytes::new();
    let mut buffer = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if (first.len() + buffer.len() + chunk.len()) as u64 > limit {
            return Err(BodyError::TooLarge);
        }
        if first.is_empty() && buffer.is_empty() {
            first = chunk;
            continue;
        }
        if buffer.is_empty() {
            // A second chunk: from here on, gather into one buffer, sized once
            // by Content-Length (within the limit). The server chooses that
            // number: when the system will not reserve it, the buffer grows as
            // data arrives instead of the process aborting.
            let needed = first.len() + chunk.len();
            let announced = announced.map_or(0, |len| usize::try_from(len).unwrap_or(usize::MAX));
            if buffer.try_reserve_exact(announced.max(needed)).is_err() {
                buffer.reserve(needed);
            }
            buffer.extend_from_slice(&std::mem::take(&mut first));
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(if buffer.is_empty() {
        first
    } else {
        Bytes::from(buffer)
    })
}

/// The start of an error body, for its excerpt: at most `max` bytes, read for
/// at most `wait` (a status is not held up by a body that stalls). Read
/// errors end it early. The flag is whether the body ended within them.
pub(crate) async fn read_prefix(
    response: &mut reqwest::Response,
    max: usize,
    wait: Duration,
) -> (Bytes, bool) {
    let deadline = Instant::now() + wait;
    let mut buffer = BytesMut::new();
    while buffer.len() < max {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                let take = chunk.len().min(max - buffer.len());
                buffer.extend_from_slice(&chunk[..take]);
            }
            Ok(Ok(None)) => return (buffer.freeze(), true),
            Ok(Err(_)) | Err(_) => break,
        }
    }
    (buffer.freeze(), false)
}

/// An error body with `secret` replaced wherever the server echoed it; of a
/// body cut short (not `whole`), also a start of `secret` it ends with, so
/// no part of it survives the excerpt.
pub(crate) fn without_secret<'b>(body: &'b [u8], whole: bool, secret: &str) -> Cow<'b, [u8]> {
    let secret_bytes = secret.as_bytes();
    let mut body = body;
    if !whole {
        if let Some(cut) = (1..secret_bytes.len())
            .rev()
            .find(|&n| body.ends_with(&secret_bytes[..n]))
        {
            body = &body[..body.len() - cut];
        }
    }
    // The excerpt reads the body as lossy UTF-8 anyway.
    match hide(&String::from_utf8_lossy(body), secret) {
        Cow::Borrowed(_) => Cow::Borrowed(body),
        Cow::Owned(hidden) => Cow::Owned(hidden.into_bytes()),
    }
}

/// A short one-line excerpt of a body: lossy UTF-8, whitespace collapsed, control
/// characters dropped, at most `max_chars` characters (then `…`).
pub(crate) fn excerpt(body: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            count += 1;
        }
        for c in word.chars().filter(|c| !c.is_control()) {
            if count == max_chars {
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

/// The message of an error body: `errorMsg` or `msg` of a JSON body, the title (or
/// text) of an HTML page, else the body's excerpt.
pub(crate) fn error_message(body: &[u8], max_chars: usize) -> String {
    if body.trim_ascii_start().starts_with(b"<") {
        return excerpt(
            html_text(&String::from_utf8_lossy(body)).as_bytes(),
            max_chars,
        );
    }
    if let Ok(response) = rhombus_model::decode(body) {
        if let Some(message) = response.error_msg.as_deref() {
            return excerpt(message.as_bytes(), max_chars);
        }
        if let Some(raw) = response.extra.get("msg") {
            let text = raw.get();
            let text = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .unwrap_or(text);
            return excerpt(text.as_bytes(), max_chars);
        }
    }
    excerpt(body, max_chars)
}

/// The `<title>` of an HTML page, or its text with the tags removed.
fn html_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>")) {
        if start + 7 <= end {
            return html[start + 7..end].to_owned();
        }
    }
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{error_message, excerpt, without_secret};

    #[test]
    fn a_secret_is_replaced_and_a_cut_start_of_it_dropped() {
        let hide = |body: &str, whole| {
            String::from_utf8(without_secret(body.as_bytes(), whole, "SECRET").into_owned())
                .unwrap()
        };
        assert_eq!(hide("a SECRET b SECRET", true), "a <redacted> b <redacted>");
        assert_eq!(hide("key SECR", false), "key ", "cut inside the key");
        assert_eq!(
            hide("key SECR", true),
            "key SECR",
            "a whole body is as sent"
        );
        assert_eq!(hide("SECRET", false), "<redacted>");
        assert_eq!(hide("plain", false), "plain");
        assert_eq!(without_secret(b"SECRET", true, "").as_ref(), b"SECRET");
    }

    #[test]
    fn error_messages_come_from_json_bodies() {
        assert_eq!(error_message(br#"{"msg":"bad body"}"#, 50), "bad body");
        assert_eq!(
            error_message(br#"{"error":true,"errorMsg":"Invalid api key"}"#, 50),
            "Invalid api key"
        );
        assert_eq!(
            error_message(b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>", 50),
            "502 Bad Gateway"
        );
        assert_eq!(
            error_message(b" <p>down</p>\n<p>for maintenance</p>", 50),
            "down for maintenance"
        );
        assert_eq!(error_message(b"<title>", 50), "");
        assert_eq!(error_message(br#"{"other":1}"#, 50), r#"{"other":1}"#);
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(
            excerpt(b"  {\"msg\":\n  \"bad\"}\r\n", 100),
            "{\"msg\": \"bad\"}"
        );
        assert_eq!(excerpt(b"abcdef", 3), "abc…");
        assert_eq!(excerpt(b"ab\x1b[31mc", 10), "ab[31mc");
        assert_eq!(excerpt(b"\xff\xfeok", 10), "\u{fffd}\u{fffd}ok");
        assert_eq!(excerpt(b"", 10), "");
    }
}
