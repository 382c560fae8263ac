//! Reading a response body into one buffer under a size limit.

use std::borrow::Cow;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::time::Instant;

use crate::redact::hide;
use crate::shorten::shorten;

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

/// Why a 200 body cannot be the API's JSON, seen before decoding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotJson {
    /// Nothing, or only whitespace (a transient fault: worth a retry).
    Empty,
    /// A page of markup (`<` first): a proxy, captive portal or login page.
    Html,
    /// Compressed with this encoding, which the client never asks for.
    Compressed(String),
}

impl NotJson {
    /// What `body` is when it cannot be JSON; `content_encoding` is the
    /// response's `Content-Encoding` header, if any.
    pub(crate) fn sniff(body: &[u8], content_encoding: Option<&str>) -> Option<NotJson> {
        if let Some(encoding) = content_encoding
            .map(str::trim)
            .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("identity"))
        {
            return Some(NotJson::Compressed(encoding.to_ascii_lowercase()));
        }
        const MAGIC: [(&[u8], &str); 4] = [
            (b"\x1f\x8b", "gzip"),
            (b"\x28\xb5\x2f\xfd", "zstd"),
            (b"\xfd7zXZ\x00", "xz"),
            (b"BZh", "bzip2"),
        ];
        if let Some((_, name)) = MAGIC.iter().find(|(magic, _)| body.starts_with(magic)) {
            return Some(NotJson::Compressed((*name).to_owned()));
        }
        let text = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
        let text = text.trim_ascii_start();
        if text.is_empty() {
            Some(NotJson::Empty)
        } else if text.starts_with(b"<") {
            Some(NotJson::Html)
        } else {
            None
        }
    }

    /// The message for the user, naming the cause; an HTML page's title (or
    /// text), from its first `head` bytes, is quoted without `secret`.
    pub(crate) fn describe(&self, body: &[u8], head: usize, secret: &str) -> String {
        match self {
            NotJson::Empty => "the server answered HTTP 200 with an empty body".to_owned(),
            NotJson::Html => {
                let mut message =
                    "the server answered with an HTML page, not JSON (a proxy or captive portal?)"
                        .to_owned();
                // A page can be as large as the body limit: its start will do.
                let start = &body[..body.len().min(head)];
                let whole = start.len() == body.len();
                let title = error_message(&without_secret(start, whole, secret));
                if !title.is_empty() {
                    message.push_str(&format!(": {title:?}"));
                }
                message
            }
            NotJson::Compressed(encoding) => format!(
                "the server sent a {encoding}-compressed body, which this client did not ask for \
                 (a proxy rewriting responses?)"
            ),
        }
    }
}

/// A one-line excerpt of a body, [`shorten`]ed: lossy UTF-8, whitespace
/// collapsed, control characters dropped.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    shorten(&out).into_owned()
}

/// The message of an error body: `errorMsg` or `msg` of a JSON body, the title (or
/// text) of an HTML page, else the body's excerpt.
pub(crate) fn error_message(body: &[u8]) -> String {
    if body.trim_ascii_start().starts_with(b"<") {
        return excerpt(html_text(&String::from_utf8_lossy(body)).as_bytes());
    }
    let mut decoder = rhombus_model::Decoder::new();
    if let Ok(response) = decoder.decode(body) {
        if let Some(message) = response.error_msg {
            return excerpt(message.as_bytes());
        }
        if let Some(raw) = response.extra.get("msg") {
            let text = raw.get();
            let text = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .unwrap_or(text);
            return excerpt(text.as_bytes());
        }
    }
    excerpt(body)
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
    use super::{NotJson, error_message, excerpt, without_secret};

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
        assert_eq!(error_message(br#"{"msg":"bad body"}"#), "bad body");
        assert_eq!(
            error_message(br#"{"error":true,"errorMsg":"Invalid api key"}"#),
            "Invalid api key"
        );
        assert_eq!(
            error_message(b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"),
            "502 Bad Gateway"
        );
        assert_eq!(
            error_message(b" <p>down</p>\n<p>for maintenance</p>"),
            "down for maintenance"
        );
        assert_eq!(error_message(b"<title>"), "");
        assert_eq!(error_message(br#"{"other":1}"#), r#"{"other":1}"#);
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(
            excerpt(b"  {\"msg\":\n  \"bad\"}\r\n"),
            "{\"msg\": \"bad\"}"
        );
        let long = excerpt("word ".repeat(1000).as_bytes());
        assert!(long.contains("characters cut"), "{long}");
        assert_eq!(excerpt(b"ab\x1b[31mc"), "ab[31mc");
        assert_eq!(excerpt(b"\xff\xfeok"), "\u{fffd}\u{fffd}ok");
        assert_eq!(excerpt(b""), "");
    }

    #[test]
    fn bodies_that_cannot_be_json_are_named() {
        let sniff = NotJson::sniff;
        assert_eq!(sniff(b"", None), Some(NotJson::Empty));
        assert_eq!(sniff(b" \r\n\t", None), Some(NotJson::Empty));
        assert_eq!(
            sniff(b"\n <!DOCTYPE html><html>", None),
            Some(NotJson::Html)
        );
        assert_eq!(
            sniff("\u{feff}<html>".as_bytes(), None),
            Some(NotJson::Html)
        );
        let gzip = Some(NotJson::Compressed("gzip".into()));
        assert_eq!(sniff(b"\x1f\x8b\x08\x00", None), gzip, "by its magic bytes");
        assert_eq!(sniff(b"{}", Some("GZIP")), gzip, "by its header");
        assert_eq!(
            sniff(b"(\xb5/\xfd", None),
            Some(NotJson::Compressed("zstd".into()))
        );
        assert_eq!(
            sniff(b"{}", Some("br")),
            Some(NotJson::Compressed("br".into()))
        );
        for json in [
            &b"{}"[..],
            b" [1]",
            b"null",
            b"\"<html>\"",
            b"{\"a\":\"<b>\"}",
        ] {
            assert_eq!(sniff(json, None), None, "{json:?}");
            assert_eq!(sniff(json, Some("identity")), None, "{json:?}");
        }
    }

    #[test]
    fn a_huge_page_is_quoted_from_its_start() {
        let page = format!("<p>{}</p>", "word ".repeat(1_000_000));
        let message = NotJson::Html.describe(page.as_bytes(), 64, "KEY42");
        // Bytes 3..64: twelve words and the start of the next.
        let start = format!("{}w", "word ".repeat(12));
        assert!(message.ends_with(&format!("{start:?}")), "{message}");
    }

    #[test]
    fn an_html_page_is_named_with_its_title_without_the_key() {
        let page = b"<html><title>Hotel Wi-Fi KEY42</title><body>log in</body></html>";
        assert_eq!(
            NotJson::Html.describe(page, 4096, "KEY42"),
            "the server answered with an HTML page, not JSON (a proxy or captive portal?): \
             \"Hotel Wi-Fi <redacted>\""
        );
    }
}
