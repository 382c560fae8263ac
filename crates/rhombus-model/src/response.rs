//! What [`Response`] tells beyond its fields, and its [`ApiError`].

use std::fmt;

use crate::model::containers::Item;
use crate::schema::{Response, SplicedClip};

impl<'a> Response<'a> {
    /// The clips, in order (none when the server sent none or `null`;
    /// elements that are `null` or no clip are skipped: see [`Response::clip_items`]).
    pub fn clips(&self) -> impl DoubleEndedIterator<Item = &'a SplicedClip<'a>> + use<'a> {
        self.clip_items().iter().filter_map(Item::value)
    }

    /// Every element of `splicedClips`, clips or not.
    pub fn clip_items(&self) -> &'a [Item<'a, SplicedClip<'a>>] {
        self.spliced_clips.map_or(&[], |list| list.items())
    }

    /// Whether the server said the call failed: `"error": true`, or an
    /// `error` that is no boolean and not `false`-like (`"true"`, `1`): a
    /// failure is never taken for a success.
    pub fn is_error(&self) -> bool {
        self.error == Some(true)
            || self.error.is_none()
                && self.extra.get("error").is_some_and(|raw| {
                    !matches!(raw.get().trim(), "false" | "null" | "\"false\"" | "0")
                })
    }

    /// The warning on a successful answer, if any.
    pub fn warning(&self) -> Option<&'a str> {
        self.warning_msg
    }

    /// `Err` when the body says `"error": true`; the response itself otherwise
    /// (its `warning_msg` stays reachable).
    pub fn into_result(self) -> Result<Self, ApiError> {
        if self.is_error() {
            return Err(ApiError {
                message: self.error_msg.map(str::to_owned),
            });
        }
        Ok(self)
    }
}

/// The API reported a failure in the body (`"error": true`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The server's `errorMsg`, if it sent one.
    pub message: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message.as_deref() {
            Some(m) if !m.is_empty() => write!(f, "the API reported an error: {m}"),
            _ => f.write_str("the API reported an error without a message"),
        }
    }
}

impl std::error::Error for ApiError {}
