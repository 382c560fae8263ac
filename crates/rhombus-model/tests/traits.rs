//! What the model's types promise to the compiler: shareable across threads,
//! and small enough for the memory bound the docs state.

use rhombus_model::{Decoder, Item, OwnedClip, OwnedResponse, Response, SplicedClip};
use static_assertions::assert_impl_all;

assert_impl_all!(OwnedResponse: Send, Sync);
assert_impl_all!(OwnedClip: Send, Sync, Clone);
assert_impl_all!(Response<'static>: Send, Sync, Clone);
assert_impl_all!(Decoder: Send);

/// The worst a body can make the tree cost per input byte: a list of empty
/// objects, `{},` (3 bytes) each a whole clip in the arena. The crate's
/// README states this bound; `max_tree_bytes` caps it.
#[test]
fn a_clip_costs_at_most_170_bytes_per_byte_of_its_smallest_json() {
    let clip = size_of::<Item<'_, SplicedClip<'_>>>();
    assert!(clip <= 3 * 170, "{clip} bytes per clip");
}

#[test]
fn a_detached_clip_is_equal_and_holds_only_itself() {
    let body = br#"{"splicedClips":[{"clipUuid":"A","duration":"long","x":[1]},{"clipUuid":"B"}],"warningMsg":"w"}"#;
    let response = std::sync::Arc::new(Decoder::new().decode_owned(&body[..]).unwrap());
    let clips = OwnedClip::all(&response);
    let detached = clips[0].detach();
    assert_eq!(detached, clips[0], "the same values, raw ones included");
    assert_eq!(detached.get().id(), "A");
    assert_eq!(detached.response().response().clip_items().len(), 1);
    assert_eq!(detached.response().response().warning_msg, None);
    assert!(
        !std::sync::Arc::ptr_eq(detached.response(), &response),
        "the source response is not held"
    );
    // A clip alone in its response is its own copy already.
    let alone = detached.detach();
    assert!(std::sync::Arc::ptr_eq(
        alone.response(),
        detached.response()
    ));
}
