//! Reading a response body into one buffer under a size limit.

use bytes::{Bytes, BytesMut};

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
    let mut buffer = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if (first.len() + buffer.len() + chunk.len()) as u64 > limit {
            return Err(BodyError::TooLarge);
        }
        if first.is_empty() && buffer.is_empty() {
            first = chunk;
            continue;
        }
        if buffer.is_empty() {
            // A second chunk: from here on, gather into one buffer. Never trust
            // Content-Length for more than the limit allows; the buffer grows as needed.
            let capacity = announced.unwrap_or(8 * 1024).min(limit) as usize;
            buffer.reserve(capacity.max(first.len() + chunk.len()));
            buffer.extend_from_slice(&std::mem::take(&mut first));
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(if buffer.is_empty() {
        first
    } else {
        buffer.freeze()
    })
}

/// Reads at most `max` bytes of a body (for error excerpts); read errors end it early.
pub(crate) async fn read_prefix(response: &mut reqwest::Response, max: usize) -> Bytes {
    let mut buffer = BytesMut::new();
    while buffer.len() < max {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let take = chunk.len().min(max - buffer.len());
                buffer.extend_from_slice(&chunk[..take]);
            }
            _ => break,
        }
    }
    buffer.freeze()
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
    use super::{error_message, excerpt};

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
