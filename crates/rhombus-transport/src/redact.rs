//! Replacing a secret in text shown to a user: the one redaction mechanism
//! that credentials, errors and bodies share (kept apart from all three so
//! that none of them imports another for it).

use std::borrow::Cow;

use rhombus_model::DecodeError;

/// What a secret prints as, wherever it would otherwise show.
pub(crate) const REDACTED: &str = "<redacted>";

/// `text` with every `secret` in it replaced by [`REDACTED`] (server text
/// shown to a user may echo the key).
pub(crate) fn hide<'t>(text: &'t str, secret: &str) -> Cow<'t, str> {
    if secret.is_empty() || !text.contains(secret) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.replace(secret, REDACTED))
    }
}

/// A decode error with `secret` replaced in what it quotes of the input.
pub(crate) fn hide_in_error(error: DecodeError, secret: &str) -> DecodeError {
    error.replace_text(secret, REDACTED)
}
