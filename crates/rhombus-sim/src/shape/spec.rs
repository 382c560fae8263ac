//! What the OpenAPI reference describes: every object's fields and enums, and
//! pruning a body down to them (the `spec` shape).

use super::node::Node;

/// What one member of a described object holds.
#[derive(Debug)]
enum Holds {
    /// A string, number or boolean.
    Leaf,
    /// A string from this list (the first is the stand-in for others).
    Enum(&'static [&'static str]),
    /// An array of strings from this list (others are dropped).
    EnumList(&'static [&'static str]),
    /// An object.
    Obj(&'static [Field]),
    /// An object whose values are objects.
    MapOf(&'static [Field]),
    /// An object whose values are arrays of objects.
    MapOfLists(&'static [Field]),
}

type Field = (&'static str, Holds);

/// `ClipStatusEnum`.
pub(crate) const STATUS: &[&str] = &[
    "INITIATING",
    "UPLOADING",
    "RENDERING",
    "FAILED",
    "COMPLETE",
    "OFFLINE",
    "DELETED",
    "UNKNOWN",
];
/// `ClipVisibilityEnum`.
pub(crate) const VISIBILITY: &[&str] = &["PRIVATE", "ROLE_RESTRICTED", "ORG_WIDE"];
/// `IntegrationEnum`.
pub(crate) const INTEGRATION: &[&str] = &[
    "AVIGILON_ALTA",
    "BRIVO",
    "BUTTERFLY_MX",
    "DEVICE_INTEGRATION",
    "DICE",
    "ENVOY",
    "FLIC",
    "GENEA",
    "GOOGLE",
    "GUEST_MANAGEMENT",
    "INFORMACAST",
    "INNER_RANGE",
    "KISI",
    "LUMEO",
    "MICROSOFT_TEAMS",
    "OMNIALERT",
    "OPENAI",
    "OPENTECH_ALLIANCE",
    "PIMLOC",
    "PLACE_OS",
    "PRODATAKEY",
    "SHELLY",
    "TOAST",
    "WEBHOOKS",
    "ZAPIER",
    "RAPTOR",
    "NINEONEONE_CELLULAR",
    "SLACK",
    "APERIO",
    "PAR_POS",
    "UNKNOWN",
];

const ASPECT: &[Field] = &[("height", Holds::Leaf), ("width", Holds::Leaf)];
const DEWARP: &[Field] = &[
    ("aspectRatio", Holds::Obj(ASPECT)),
    ("pitchDegrees", Holds::Leaf),
    ("rollDegrees", Holds::Leaf),
    ("verticalFieldOfViewDegrees", Holds::Leaf),
    ("yawDegrees", Holds::Leaf),
];
const RECT: &[Field] = &[
    ("height", Holds::Leaf),
    ("width", Holds::Leaf),
    ("x", Holds::Leaf),
    ("y", Holds::Leaf),
];
const ALTERED: &[Field] = &[("crop", Holds::Obj(RECT)), ("dewarp", Holds::Obj(DEWARP))];
const PROGRESS: &[Field] = &[
    ("region", Holds::Leaf),
    ("segmentsUploaded", Holds::Leaf),
    ("totalSegments", Holds::Leaf),
];
const ACCESS: &[Field] = &[
    ("allowedRoles", Holds::Leaf),
    ("allowedUsers", Holds::Leaf),
    ("visibility", Holds::Enum(VISIBILITY)),
];
const LOCATION: &[Field] = &[("region", Holds::Leaf)];

/// `SplicedClipType`.
const CLIP: &[Field] = &[
    ("accessSettings", Holds::Obj(ACCESS)),
    ("analyzeClip", Holds::Leaf),
    ("clipTargetLocation", Holds::Obj(LOCATION)),
    ("clipUuid", Holds::Leaf),
    ("consoleDelete", Holds::Leaf),
    ("deleted", Holds::Leaf),
    ("description", Holds::Leaf),
    ("deviceMap", Holds::MapOf(PROGRESS)),
    ("devicePresentationOrder", Holds::Leaf),
    ("deviceUuid", Holds::Leaf),
    ("deviceUuidMap", Holds::MapOf(PROGRESS)),
    ("deviceUuidToAlteredViewMap", Holds::MapOfLists(ALTERED)),
    (
        "deviceUuidToFisheyePresentationMap",
        Holds::MapOfLists(DEWARP),
    ),
    ("duration", Holds::Leaf),
    ("integrationUploadList", Holds::EnumList(INTEGRATION)),
    ("isPolicyEvent", Holds::Leaf),
    ("metadataBucketRegion", Holds::Leaf),
    ("orgUuid", Holds::Leaf),
    ("saveClip", Holds::Leaf),
    ("saveFrame", Holds::Leaf),
    ("segmentsUploaded", Holds::Leaf),
    ("sendToSharedStorage", Holds::Leaf),
    ("startTime", Holds::Leaf),
    ("status", Holds::Enum(STATUS)),
    ("statusUpdatedAtMs", Holds::Leaf),
    ("thumbnailRelativeSecond", Holds::Leaf),
    ("timestampMs", Holds::Leaf),
    ("title", Holds::Leaf),
    ("totalSegments", Holds::Leaf),
    ("transactionUuid", Holds::Leaf),
    ("userUuid", Holds::Leaf),
];

/// The response envelope without `splicedClips` (the shapes handle the list).
const ENVELOPE: &[Field] = &[
    ("error", Holds::Leaf),
    ("errorMsg", Holds::Leaf),
    ("warningMsg", Holds::Leaf),
];

/// Prunes the envelope (without its list) to what the reference describes.
pub(crate) fn prune_envelope(envelope: &mut Node) {
    prune(envelope, ENVELOPE);
}

/// Prunes one clip to what the reference describes: unknown fields dropped
/// at every level, unknown enum values replaced (`status`, `visibility`) or
/// dropped (`integrationUploadList`).
pub(crate) fn prune_clip(clip: &mut Node) {
    prune(clip, CLIP);
}

/// Drops unknown members, and `null` where the reference's type is not
/// nullable (a `$ref`'d object or enum, map values, list items).
fn prune(node: &mut Node, fields: &[Field]) {
    let Node::Obj(members) = node else { return };
    members.retain(
        |(key, value)| match fields.iter().find(|(name, _)| name == key) {
            None => false,
            Some((_, Holds::Obj(_) | Holds::Enum(_))) => *value != Node::Null,
            Some(_) => true,
        },
    );
    for (key, value) in members.iter_mut() {
        let Some((_, holds)) = fields.iter().find(|(name, _)| name == key) else {
            continue;
        };
        match holds {
            Holds::Leaf => {}
            Holds::Enum(values) => {
                if matches!(value, Node::Str(s) if !values.contains(&s.as_str())) {
                    *value = Node::str(values[0]);
                }
            }
            Holds::EnumList(values) => {
                if let Node::Arr(items) = value {
                    items.retain(
                        |item| matches!(item, Node::Str(s) if values.contains(&s.as_str())),
                    );
                }
            }
            Holds::Obj(inner) => prune(value, inner),
            Holds::MapOf(inner) => {
                if let Node::Obj(entries) = value {
                    entries.retain(|(_, v)| *v != Node::Null);
                    entries.iter_mut().for_each(|(_, v)| prune(v, inner));
                }
            }
            Holds::MapOfLists(inner) => {
                for (_, v) in value.members_mut() {
                    if let Node::Arr(items) = v {
                        items.retain(|item| *item != Node::Null);
                        items.iter_mut().for_each(|item| prune(item, inner));
                    }
                }
            }
        }
    }
}
