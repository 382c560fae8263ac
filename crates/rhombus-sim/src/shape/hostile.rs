//! The `hostile` shape: what a broken or malicious server could send.

use super::node::Node;
use super::{Body, Class, DEEP_NESTING, HUGE_STRING_LEN};
use crate::rng::Rng;

/// Classes of the `hostile` shape: clip classes in the order they are
/// applied, then those of the list and the body.
pub(crate) const CLASSES: &[Class] = &[
    Class::DeepNesting,
    Class::HugeString,
    Class::DuplicateMapKey,
    Class::DuplicateField,
    Class::InvalidUtf8,
    Class::DuplicateClip,
    Class::NonObjectElement,
    Class::Truncated,
];

/// One body in this many is cut short.
const TRUNCATE_ONE_IN: u64 = 4;

pub(crate) fn apply(body: &mut Body, rng: &mut Rng) {
    body.place(rng, &CLASSES[..5], 0.0, clip);
    let clips = body.clip_indices();
    if !clips.is_empty() {
        // The copy follows its original: the second occurrence is the duplicate.
        let i = *rng.pick(&clips);
        let copy = body.elements[i].0.clone();
        let carried = [Class::DuplicateClip].into();
        body.elements.insert(i + 1, (copy, carried));
    }
    for odd in [Node::num(42), Node::Null] {
        let at = rng.range(0, body.elements.len() as u64) as usize;
        let carried = [Class::NonObjectElement].into();
        body.elements.insert(at, (odd, carried));
    }
    body.truncate = rng.range(1, TRUNCATE_ONE_IN) == 1;
}

fn clip(class: Class, clip: &mut Node, _rng: &mut Rng) -> bool {
    match class {
        Class::DeepNesting => {
            let mut nested = vec![b'['; DEEP_NESTING];
            nested.extend_from_slice(b"\"bottom\"");
            nested.extend(std::iter::repeat_n(b']', DEEP_NESTING));
            clip.push("diagnostics", Node::Raw(nested));
            true
        }
        Class::HugeString => {
            let mut text = "A very long description. ".repeat(HUGE_STRING_LEN / 25 + 1);
            text.truncate(HUGE_STRING_LEN);
            clip.set("description", Node::Str(text));
            true
        }
        Class::DuplicateMapKey => {
            let Some(Node::Obj(devices)) = clip.get_mut("deviceMap") else {
                return false;
            };
            let Some((facet, progress)) = devices.iter().find(|(_, v)| matches!(v, Node::Obj(_)))
            else {
                return false;
            };
            // A stale entry first; the last one is the current value.
            let mut stale = progress.clone();
            stale.set("segmentsUploaded", Node::num(0));
            let facet = facet.clone();
            devices.insert(0, (facet, stale));
            true
        }
        Class::DuplicateField => {
            let stale = match clip.get("status") {
                None => return false,
                Some(Node::Str(s)) if s == "INITIATING" => "UNKNOWN",
                Some(_) => "INITIATING",
            };
            // A stale value first; the last one is the current value.
            if let Node::Obj(members) = clip {
                members.insert(0, ("status".into(), Node::str(stale)));
            }
            true
        }
        Class::InvalidUtf8 => {
            // Latin-1 "été " (not UTF-8), then the title as it was.
            let mut bytes = b"\xe9t\xe9 \xff".to_vec();
            if let Some(Node::Str(title)) = clip.get("title") {
                bytes.extend_from_slice(title.as_bytes());
            }
            clip.set("title", Node::Bytes(bytes));
            true
        }
        _ => false,
    }
}
