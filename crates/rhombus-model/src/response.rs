//! [`Response`]: the envelope both endpoints answer with, and its [`ApiError`].

use std::fmt;

use crate::clip::SplicedClip;
use crate::owned::IntoOwned;
use crate::text::Str;

json_object! {
    /// The answer of `getSplicedClipsInProgress` (event and video paths alike).
    ///
    /// An HTTP 200 may still be a failure: call [`Response::into_result`].
    pub struct Response<'a> + arena ArenaResponse {
        /// `true` when the call failed (see `error_msg`).
        "error" => error: bool,
        /// Why the call failed.
        "errorMsg" => error_msg: Str<'a>,
        /// The clips in progress.
        "splicedClips" => spliced_clips: Vec<SplicedClip<'a>>,
        /// A caveat on a successful answer, to show the user.
        "warningMsg" => warning_msg: Str<'a>,
    }
}

impl<'a> Response<'a> {
    /// The clips (empty when the server sent none or `null`).
    pub fn clips(&self) -> &[SplicedClip<'a>] {
        self.spliced_clips.as_deref().unwrap_or_default()
    }

    /// Whether the server said the call failed (`"error": true`).
    pub fn is_error(&self) -> bool {
        self.error == Some(true)
    }

    /// The warning on a successful answer, if any.
    pub fn warning(&self) -> Option<&str> {
        self.warning_msg.as_deref()
    }

    /// `Err` when the body says `"error": true`; the response itself otherwise
    /// (its `warning_msg` stays reachable).
    pub fn into_result(self) -> Result<Self, ApiError> {
        ApiError::check(self.error, self.error_msg.as_deref())?;
        Ok(self)
    }

    /// Copies everything borrowed so the response outlives its input.
    pub fn into_owned(self) -> Response<'static> {
        IntoOwned::into_owned(self)
    }
}

/// The API reported a failure in the body (`"error": true`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The server's `errorMsg`, if it sent one.
    pub message: Option<String>,
}

impl ApiError {
    /// The envelope's verdict: `Err` exactly when `error` is `true`.
    pub(crate) fn check(error: Option<bool>, message: Option<&str>) -> Result<(), ApiError> {
        match error {
            Some(true) => Err(ApiError {
                message: message.map(str::to_owned),
            }),
            _ => Ok(()),
        }
    }
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
