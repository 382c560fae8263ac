//! The `drift` shape: what a newer server writes for the same state.

use super::node::Node;
use super::{Body, Class, EXTRA_RATE};
use crate::rng::Rng;

/// Classes of the `drift` shape, clip classes in the order they are applied.
pub(crate) const CLASSES: &[Class] = &[
    Class::UnknownClipField,
    Class::UnknownNestedField,
    Class::UnknownMapValueField,
    Class::NewEnumValue,
    Class::StringForInt,
    Class::IntegralFloat,
    Class::ArrayForNumber,
    Class::OutOfRangeInt,
    Class::MapsDisagree,
    Class::OtherShapeMapValue,
    Class::ZeroTotal,
    Class::UnknownEnvelopeField,
];

/// Statuses a newer server might have added.
const NEW_STATUSES: &[&str] = &["ARCHIVING", "TRANSCODING", "PENDING_APPROVAL"];

pub(crate) fn apply(body: &mut Body, rng: &mut Rng) {
    body.place(rng, &CLASSES[..11], EXTRA_RATE, clip);
    body.envelope.push("requestId", Node::str(rng.ruuid()));
    body.envelope.push(
        "paging",
        Node::Obj(vec![
            ("nextToken".into(), Node::Null),
            ("pageSize".into(), Node::num(500)),
        ]),
    );
    body.classes.insert(Class::UnknownEnvelopeField);
}

fn clip(class: Class, clip: &mut Node, rng: &mut Rng) -> bool {
    match class {
        Class::UnknownClipField => {
            clip.push("retentionDays", Node::num(30));
            clip.push("labels", Node::Arr(vec![Node::str("evidence")]));
            clip.push(
                "aiSummary",
                Node::Obj(vec![("text".into(), Node::str("A forklift passes"))]),
            );
            true
        }
        Class::UnknownNestedField => {
            clip.child("accessSettings")
                .push("linkExpiresAtMs", Node::num(1_800_000_000_000_i64));
            clip.child("clipTargetLocation")
                .push("bucket", Node::str("clips-archive"));
            for (_, views) in clip.child("deviceUuidToAlteredViewMap").members_mut() {
                if let Node::Arr(views) = views {
                    for view in views.iter_mut().filter(|v| matches!(v, Node::Obj(_))) {
                        if let Some(crop @ Node::Obj(_)) = view.get_mut("crop") {
                            crop.push("rotationDegrees", Node::num(0));
                        }
                    }
                }
            }
            true
        }
        Class::UnknownMapValueField => match clip.first_obj_value("deviceMap") {
            Some(progress) => {
                progress.push("bytesUploaded", Node::num(rng.range(0, 1 << 30)));
                true
            }
            None => false,
        },
        Class::NewEnumValue => {
            clip.set("status", Node::str(*rng.pick(NEW_STATUSES)));
            clip.child("accessSettings")
                .set("visibility", Node::str("LINK_SHARED"));
            clip.list("integrationUploadList")
                .push(Node::str("GENETEC"));
            true
        }
        Class::StringForInt => {
            let text = match clip.get("duration") {
                Some(Node::Num(n)) => n.clone(),
                _ => "60".into(),
            };
            clip.set("duration", Node::Str(text));
            true
        }
        Class::IntegralFloat => {
            let whole = match clip.get("totalSegments") {
                Some(Node::Num(n)) if n.bytes().all(|b| b.is_ascii_digit()) => n.clone(),
                _ => "60".into(),
            };
            clip.set("totalSegments", Node::Num(format!("{whole}.0")));
            true
        }
        Class::ArrayForNumber => {
            let number = match clip.get("thumbnailRelativeSecond") {
                Some(n @ Node::Num(_)) => n.clone(),
                _ => Node::num(1.5),
            };
            clip.set("thumbnailRelativeSecond", Node::Arr(vec![number]));
            true
        }
        Class::OutOfRangeInt => {
            clip.set("segmentsUploaded", Node::num(i64::from(i32::MAX) + 1));
            true
        }
        Class::MapsDisagree => match clip.get_mut("deviceUuidMap") {
            Some(Node::Obj(devices)) if !devices.is_empty() => {
                devices.remove(0);
                true
            }
            _ => false,
        },
        Class::OtherShapeMapValue => {
            let facet = format!("{}.v0", rng.ruuid());
            clip.child("deviceUuidMap")
                .push(&facet, Node::Arr(vec![Node::num(3), Node::num(10)]));
            true
        }
        Class::ZeroTotal => match clip.first_obj_value("deviceMap") {
            Some(progress) => {
                progress.set("segmentsUploaded", Node::num(0));
                progress.set("totalSegments", Node::num(0));
                true
            }
            None => false,
        },
        _ => false,
    }
}
