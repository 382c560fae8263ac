//! The JSON the simulator serves, as its own serde types (independent of
//! `rhombus-model`, so the two can check each other).

use serde::Serialize;
use std::collections::BTreeMap;

/// The response envelope of both `getSplicedClipsInProgress` paths.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Envelope<'a> {
    pub error: bool,
    pub error_msg: Option<&'a str>,
    pub spliced_clips: &'a [Clip],
    pub warning_msg: Option<&'a str>,
}

/// One spliced clip, with every field the spec lists plus a few it does not.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Clip {
    pub access_settings: AccessSettings,
    pub analyze_clip: bool,
    pub clip_target_location: Location,
    pub clip_uuid: String,
    pub console_delete: bool,
    pub deleted: bool,
    pub description: Option<String>,
    pub device_map: BTreeMap<String, Progress>,
    pub device_presentation_order: Vec<String>,
    pub device_uuid: String,
    pub device_uuid_map: BTreeMap<String, Progress>,
    pub device_uuid_to_altered_view_map: BTreeMap<String, Vec<AlteredView>>,
    pub device_uuid_to_fisheye_presentation_map: BTreeMap<String, Vec<DewarpedView>>,
    pub duration: u32,
    pub integration_upload_list: Vec<String>,
    pub is_policy_event: bool,
    pub metadata_bucket_region: String,
    pub org_uuid: String,
    pub save_clip: bool,
    pub save_frame: bool,
    pub segments_uploaded: u32,
    pub send_to_shared_storage: bool,
    pub start_time: i64,
    pub status: &'static str,
    pub status_updated_at_ms: i64,
    pub thumbnail_relative_second: f64,
    pub timestamp_ms: i64,
    pub title: String,
    pub total_segments: u32,
    pub transaction_uuid: String,
    pub user_uuid: String,
    // Fields the live API sends and the spec does not know.
    pub completed_sub_clip_count: u32,
    pub expected_sub_clip_count: u32,
    pub parent_clip_uuid: Option<String>,
    pub device_interval_map: BTreeMap<String, Interval>,
    pub pending_consumers: Vec<&'static str>,
}

/// `ClipAccessSettings`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccessSettings {
    pub allowed_roles: Vec<String>,
    pub allowed_users: Vec<String>,
    pub visibility: &'static str,
}

/// `MetaDataLocationType`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Location {
    pub region: &'static str,
}

/// `SplicedClipProgress`: one device's upload progress.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Progress {
    pub region: &'static str,
    pub segments_uploaded: u32,
    pub total_segments: u32,
}

/// `AlteredView`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlteredView {
    pub crop: Rect,
    pub dewarp: Option<DewarpedView>,
}

/// `CroppedPermyriadRect` (units of 1/10000 of the frame).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// `DewarpedView`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DewarpedView {
    pub aspect_ratio: AspectRatio,
    pub pitch_degrees: f32,
    pub roll_degrees: f32,
    pub vertical_field_of_view_degrees: u32,
    pub yaw_degrees: f32,
}

/// `AspectRatio`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AspectRatio {
    pub width: u32,
    pub height: u32,
}

/// An entry of the undocumented `deviceIntervalMap`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Interval {
    pub start_time_ms: i64,
    pub end_time_ms: i64,
}

/// Serializes an envelope (never fails: every type here is plain data).
pub(crate) fn to_bytes(envelope: &Envelope<'_>) -> Vec<u8> {
    serde_json::to_vec(envelope).unwrap_or_else(|_| b"{}".to_vec())
}
