//! The one description of the schema: every object, its fields, their JSON
//! names, types and docs. `json_object!` makes each object's struct, decoder,
//! encoder, serde impl, drift report and [`Shape`] from its list here, so a
//! field added here is decoded, written, documented and generated (by the
//! property tests, the fuzzers and the simulator, which walk [`Shape`])
//! with no other edit.
//!
//! Every field is optional (`null` and absent are alike); lists and maps
//! keep `null` and misfit elements in their place (see [`Item`](crate::Item)).

use crate::model::containers::{FacetMap, List};
use crate::model::enums::{ClipStatus, Integration, Visibility};
use crate::model::ids::{DeviceFacetUuid, Ruuid};
use crate::model::leaves::{Float, RawJson};

json_object! {
    /// The answer of `getSplicedClipsInProgress` (event and video paths alike).
    ///
    /// An HTTP 200 may still be a failure: call [`Response::into_result`].
    pub struct Response<'a> {
        /// `true` when the call failed (see `error_msg`).
        "error" => error: bool,
        /// Why the call failed.
        "errorMsg" => error_msg: &'a str,
        /// The clips in progress.
        "splicedClips" => spliced_clips: List<'a, SplicedClip<'a>>,
        /// A caveat on a successful answer, to show the user.
        "warningMsg" => warning_msg: &'a str,
    }
}

json_object! {
    /// One clip-splicing job (`SplicedClipType`): footage from one or more
    /// cameras being uploaded and rendered into a video clip.
    pub struct SplicedClip<'a> counted {
        /// Who may see the clip.
        "accessSettings" => access_settings: AccessSettings<'a>,
        /// Whether the clip is sent for video analysis.
        "analyzeClip" => analyze_clip: bool,
        /// Where the clip is stored.
        "clipTargetLocation" => clip_target_location: TargetLocation<'a>,
        /// The clip's id.
        "clipUuid" => clip_uuid: Ruuid<'a>,
        /// Whether the clip was deleted from the console.
        "consoleDelete" => console_delete: bool,
        /// Whether the clip is deleted.
        "deleted" => deleted: bool,
        /// Free-text description.
        "description" => description: &'a str,
        /// Per-device upload progress, keyed by device facet uuid.
        "deviceMap" => device_map: FacetMap<'a, DeviceProgress<'a>>,
        /// The order in which devices are presented.
        "devicePresentationOrder" => device_presentation_order: List<'a, DeviceFacetUuid<'a>>,
        /// The main device.
        "deviceUuid" => device_uuid: DeviceFacetUuid<'a>,
        /// Per-device upload progress (same shape as `deviceMap`).
        "deviceUuidMap" => device_uuid_map: FacetMap<'a, DeviceProgress<'a>>,
        /// Crops and dewarps applied to each device's footage.
        "deviceUuidToAlteredViewMap" => device_uuid_to_altered_view_map: FacetMap<'a, List<'a, AlteredView<'a>>>,
        /// Fisheye presentation of each device's footage.
        "deviceUuidToFisheyePresentationMap" => device_uuid_to_fisheye_presentation_map: FacetMap<'a, List<'a, DewarpedView<'a>>>,
        /// Clip length (the API does not state the unit; seconds in practice).
        "duration" => duration: i32,
        /// Integrations the finished clip is uploaded to.
        "integrationUploadList" => integration_upload_list: List<'a, Integration<'a>>,
        /// Whether the clip comes from a policy event.
        "isPolicyEvent" => is_policy_event: bool,
        /// Region of the metadata bucket.
        "metadataBucketRegion" => metadata_bucket_region: &'a str,
        /// The owning organization.
        "orgUuid" => org_uuid: Ruuid<'a>,
        /// Whether the clip is saved.
        "saveClip" => save_clip: bool,
        /// Whether a frame is saved.
        "saveFrame" => save_frame: bool,
        /// Segments uploaded so far, over all devices.
        "segmentsUploaded" => segments_uploaded: i32,
        /// Whether the clip goes to shared storage.
        "sendToSharedStorage" => send_to_shared_storage: bool,
        /// Start of the footage, epoch milliseconds.
        "startTime" => start_time: i64,
        /// Where the job is.
        "status" => status: ClipStatus<'a>,
        /// When `status` last changed, epoch milliseconds.
        "statusUpdatedAtMs" => status_updated_at_ms: i64,
        /// Offset of the thumbnail into the clip, seconds.
        "thumbnailRelativeSecond" => thumbnail_relative_second: Float<'a>,
        /// When the job was created, epoch milliseconds.
        "timestampMs" => timestamp_ms: i64,
        /// Title.
        "title" => title: &'a str,
        /// Segments to upload in all, over all devices.
        "totalSegments" => total_segments: i32,
        /// The transaction that created the clip.
        "transactionUuid" => transaction_uuid: Ruuid<'a>,
        /// The user who requested the clip.
        "userUuid" => user_uuid: Ruuid<'a>,
    }
}

json_object! {
    /// Who may see a clip (`ClipAccessSettings`).
    pub struct AccessSettings<'a> {
        /// Roles allowed to see the clip.
        "allowedRoles" => allowed_roles: List<'a, Ruuid<'a>>,
        /// Users allowed to see the clip.
        "allowedUsers" => allowed_users: List<'a, Ruuid<'a>>,
        /// Overall visibility.
        "visibility" => visibility: Visibility<'a>,
    }
}

json_object! {
    /// Where a clip is stored (`MetaDataLocationType`).
    pub struct TargetLocation<'a> {
        /// Storage region.
        "region" => region: &'a str,
    }
}

json_object! {
    /// One device's upload progress (`SplicedClipProgress`).
    pub struct DeviceProgress<'a> {
        /// Region the device uploads to.
        "region" => region: &'a str,
        /// Segments uploaded so far.
        "segmentsUploaded" => segments_uploaded: i32,
        /// Segments to upload in all.
        "totalSegments" => total_segments: i32,
    }
}

json_object! {
    /// A crop and dewarp applied to a device's footage (`AlteredView`).
    pub struct AlteredView<'a> {
        /// The crop rectangle.
        "crop" => crop: CropRect<'a>,
        /// The dewarp parameters.
        "dewarp" => dewarp: DewarpedView<'a>,
    }
}

json_object! {
    /// A crop rectangle in permyriad (1/10 000) of the frame (`CroppedPermyriadRect`).
    pub struct CropRect<'a> {
        /// Height.
        "height" => height: i32,
        /// Width.
        "width" => width: i32,
        /// Left edge.
        "x" => x: i32,
        /// Top edge.
        "y" => y: i32,
    }
}

json_object! {
    /// A dewarped view of fisheye footage (`DewarpedView`).
    pub struct DewarpedView<'a> {
        /// Output aspect ratio.
        "aspectRatio" => aspect_ratio: AspectRatio<'a>,
        /// Pitch, degrees.
        "pitchDegrees" => pitch_degrees: Float<'a>,
        /// Roll, degrees.
        "rollDegrees" => roll_degrees: Float<'a>,
        /// Vertical field of view, degrees.
        "verticalFieldOfViewDegrees" => vertical_field_of_view_degrees: i32,
        /// Yaw, degrees.
        "yawDegrees" => yaw_degrees: Float<'a>,
    }
}

json_object! {
    /// An aspect ratio, `width:height`.
    pub struct AspectRatio<'a> {
        /// Height part.
        "height" => height: i32,
        /// Width part.
        "width" => width: i32,
    }
}

/// How a value of the schema looks on the wire: what generators produce and
/// what the docs describe.
#[derive(Debug)]
#[non_exhaustive]
pub enum Shape {
    /// `true` or `false`.
    Bool,
    /// An integer in `i32`'s range.
    Int32,
    /// An integer in `i64`'s range (epoch milliseconds).
    Int64,
    /// Free text.
    Text,
    /// A Rhombus uuid (22 url-safe base64 characters).
    Ruuid,
    /// A device uuid with an optional facet (`RUUID.v0`).
    FacetUuid,
    /// One of a growing set of values (the ones this version knows).
    Enum(&'static [&'static str]),
    /// A number within `f32`'s range.
    Float,
    /// Any JSON value.
    Any,
    /// An array of the shape.
    List(&'static Shape),
    /// An object keyed by device facet uuid, with values of the shape.
    FacetMap(&'static Shape),
    /// An object of the schema.
    Object(&'static ObjectShape),
}

/// An object of the schema: its name, doc and fields.
#[derive(Debug)]
pub struct ObjectShape {
    /// The Rust type's name.
    pub name: &'static str,
    /// The type's doc.
    pub doc: &'static str,
    /// The fields, in the spec's order.
    pub fields: &'static [FieldShape],
}

/// One field of an object.
#[derive(Debug)]
pub struct FieldShape {
    /// The JSON key.
    pub json: &'static str,
    /// The field's doc.
    pub doc: &'static str,
    /// The value's shape.
    pub shape: &'static Shape,
}

/// A type of the schema, with its [`Shape`].
pub trait Described {
    /// How values of the type look on the wire.
    const SHAPE: Shape;
}

macro_rules! described {
    ($($t:ty => $shape:expr),* $(,)?) => {$(
        impl Described for $t {
            const SHAPE: Shape = $shape;
        }
    )*};
}
described!(
    bool => Shape::Bool,
    i32 => Shape::Int32,
    i64 => Shape::Int64,
    &str => Shape::Text,
    Ruuid<'_> => Shape::Ruuid,
    DeviceFacetUuid<'_> => Shape::FacetUuid,
    Float<'_> => Shape::Float,
    RawJson<'_> => Shape::Any,
    ClipStatus<'_> => Shape::Enum(ClipStatus::TEXTS),
    Visibility<'_> => Shape::Enum(Visibility::TEXTS),
    Integration<'_> => Shape::Enum(Integration::TEXTS),
);

impl<T: Described> Described for List<'_, T> {
    const SHAPE: Shape = Shape::List(&T::SHAPE);
}

impl<V: Described> Described for FacetMap<'_, V> {
    const SHAPE: Shape = Shape::FacetMap(&V::SHAPE);
}
