//! The `java` shape: what a Java (Jackson) server writes for the same state.

use super::node::Node;
use super::{Body, Class, EXTRA_RATE};
use crate::rng::Rng;

/// Classes of the `java` shape, clip classes in the order they are applied.
pub(crate) const CLASSES: &[Class] = &[
    Class::NullInList,
    Class::NullMapValue,
    Class::NullInMapList,
    Class::AbsentField,
    Class::NullValue,
    Class::UnicodeEscape,
    Class::ErrorNull,
];

/// Clip fields a Java server may leave out.
const MAY_BE_ABSENT: &[&str] = &[
    "description",
    "thumbnailRelativeSecond",
    "metadataBucketRegion",
    "consoleDelete",
    "saveFrame",
    "isPolicyEvent",
    "analyzeClip",
    "clipTargetLocation",
    "sendToSharedStorage",
];

/// Clip fields a Java server may send as `null`.
const MAY_BE_NULL: &[&str] = &[
    "title",
    "duration",
    "startTime",
    "statusUpdatedAtMs",
    "transactionUuid",
    "userUuid",
    "saveClip",
    "deleted",
    "deviceUuid",
    "orgUuid",
];

pub(crate) fn apply(body: &mut Body, rng: &mut Rng) {
    body.place(rng, &CLASSES[..6], EXTRA_RATE, clip);
    if matches!(body.envelope.get("error"), Some(Node::Bool(false)) | None) {
        body.envelope.set("error", Node::Null);
        body.classes.insert(Class::ErrorNull);
    }
    if body.envelope.get("errorMsg") == Some(&Node::Null) {
        body.envelope.remove("errorMsg");
        body.classes.insert(Class::AbsentField);
    }
}

fn clip(class: Class, clip: &mut Node, rng: &mut Rng) -> bool {
    match class {
        Class::NullInList => {
            let roles = clip.child("accessSettings").list("allowedRoles");
            roles.insert(0, Node::Null);
            roles.push(Node::str(rng.ruuid()));
            clip.list("devicePresentationOrder").push(Node::Null);
            true
        }
        Class::NullMapValue => {
            let facet = format!("{}.v0", rng.ruuid());
            clip.child("deviceMap").push(&facet, Node::Null);
            clip.child("deviceUuidMap").push(&facet, Node::Null);
            true
        }
        Class::NullInMapList => {
            let views = clip.child("deviceUuidToAlteredViewMap");
            match views.members_mut().first_mut() {
                Some((_, Node::Arr(list))) => list.push(Node::Null),
                _ => views.push(&format!("{}.v0", rng.ruuid()), Node::Arr(vec![Node::Null])),
            }
            true
        }
        Class::AbsentField => {
            let first = rng.pick(MAY_BE_ABSENT);
            let second = rng.pick(MAY_BE_ABSENT);
            clip.remove(first) | clip.remove(second)
        }
        Class::NullValue => {
            for _ in 0..2 {
                let field = rng.pick::<&str>(MAY_BE_NULL);
                clip.set(field, Node::Null);
            }
            clip.child("accessSettings").set("visibility", Node::Null);
            if let Some(progress) = clip.first_obj_value("deviceMap") {
                progress.set("totalSegments", Node::Null);
            }
            true
        }
        Class::UnicodeEscape => {
            let mut escaped = false;
            clip.for_each_str(|node| {
                if let Node::Str(s) = node {
                    *node = Node::Escaped(std::mem::take(s));
                    escaped = true;
                }
            });
            escaped
        }
        _ => false,
    }
}
