//! Compile-time guarantees downstream code relies on.

use rhombus_model::{DecodeError, Response, SplicedClip};
use static_assertions::assert_impl_all;

assert_impl_all!(Response<'static>: Send, Sync, Clone, std::fmt::Debug, serde::Serialize);
assert_impl_all!(SplicedClip<'static>: Send, Sync, Clone);
assert_impl_all!(DecodeError: Send, Sync, std::error::Error);

#[test]
fn serialising_the_request_gives_an_empty_object() {
    let body = serde_json::to_vec(&rhombus_model::Request::default()).expect("encodes");
    assert_eq!(body, rhombus_model::REQUEST_BODY);
}
