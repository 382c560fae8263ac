//! [`SplicedClip`] and the objects it holds.

use crate::enums::{ClipStatus, Integration, Visibility};
use crate::facet_map::FacetMap;
use crate::ids::{DeviceFacetUuid, Ruuid};
use crate::raw::Float;
use crate::text::Str;

json_object! {
    /// One clip-splicing job (`SplicedClipType`): footage from one or more
    /// cameras being uploaded and rendered into a video clip.
    pub struct SplicedClip<'a> + arena ArenaSplicedClip {
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
        "description" => description: Str<'a>,
        /// Per-device upload progress, keyed by device facet uuid.
        "deviceMap" => device_map: FacetMap<'a, DeviceProgress<'a>>,
        /// The order in which devices are presented.
        "devicePresentationOrder" => device_presentation_order: Vec<Option<DeviceFacetUuid<'a>>>,
        /// The main device.
        "deviceUuid" => device_uuid: DeviceFacetUuid<'a>,
        /// Per-device upload progress (same shape as `deviceMap`).
        "deviceUuidMap" => device_uuid_map: FacetMap<'a, DeviceProgress<'a>>,
        /// Crops and dewarps applied to each device's footage.
        "deviceUuidToAlteredViewMap" => device_uuid_to_altered_view_map: FacetMap<'a, Option<Vec<AlteredView<'a>>>>,
        /// Fisheye presentation of each device's footage.
        "deviceUuidToFisheyePresentationMap" => device_uuid_to_fisheye_presentation_map: FacetMap<'a, Option<Vec<DewarpedView<'a>>>>,
        /// Clip length (the API does not state the unit; seconds in practice).
        "duration" => duration: i32,
        /// Integrations the finished clip is uploaded to.
        "integrationUploadList" => integration_upload_list: Vec<Integration<'a>>,
        /// Whether the clip comes from a policy event.
        "isPolicyEvent" => is_policy_event: bool,
        /// Region of the metadata bucket.
        "metadataBucketRegion" => metadata_bucket_region: Str<'a>,
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
        "title" => title: Str<'a>,
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
    pub struct AccessSettings<'a> + arena ArenaAccessSettings {
        /// Roles allowed to see the clip.
        "allowedRoles" => allowed_roles: Vec<Option<Ruuid<'a>>>,
        /// Users allowed to see the clip.
        "allowedUsers" => allowed_users: Vec<Option<Ruuid<'a>>>,
        /// Overall visibility.
        "visibility" => visibility: Visibility<'a>,
    }
}

json_object! {
    /// Where a clip is stored (`MetaDataLocationType`).
    pub struct TargetLocation<'a> + arena ArenaTargetLocation {
        /// Storage region.
        "region" => region: Str<'a>,
    }
}

json_object! {
    /// One device's upload progress (`SplicedClipProgress`).
    pub struct DeviceProgress<'a> + arena ArenaDeviceProgress {
        /// Region the device uploads to.
        "region" => region: Str<'a>,
        /// Segments uploaded so far.
        "segmentsUploaded" => segments_uploaded: i32,
        /// Segments to upload in all.
        "totalSegments" => total_segments: i32,
    }
}

json_object! {
    /// A crop and dewarp applied to a device's footage (`AlteredView`).
    pub struct AlteredView<'a> + arena ArenaAlteredView {
        /// The crop rectangle.
        "crop" => crop: CropRect<'a>,
        /// The dewarp parameters.
        "dewarp" => dewarp: DewarpedView<'a>,
    }
}

json_object! {
    /// A crop rectangle in permyriad (1/10 000) of the frame (`CroppedPermyriadRect`).
    pub struct CropRect<'a> + arena ArenaCropRect {
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
    pub struct DewarpedView<'a> + arena ArenaDewarpedView {
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
    pub struct AspectRatio<'a> + arena ArenaAspectRatio {
        /// Height part.
        "height" => height: i32,
        /// Width part.
        "width" => width: i32,
    }
}

json_object! {
    /// The request body of both endpoints: an empty object, `{}`.
    pub struct Request<'a> {
    }
}
