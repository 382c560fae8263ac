//! The structs a peer parser decodes into: the same schema as `rhombus-model`,
//! written the way each library's users would write it (serde derive).
//!
//! One generic shape serves every peer: `S` is the string type (`String`,
//! or [`PeerStr`] for the borrowing peers) and `Dev`/`Alt`/`Fish` are the four
//! facet maps (typed maps, or `sonic_rs::LazyValue` left unparsed).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, Visitor};

/// A borrowed-when-possible string (serde's `Cow<str>` always copies inside
/// `Option` or `Vec`; this does not).
#[derive(Debug)]
pub struct PeerStr<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for PeerStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PeerStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(PeerStr(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(PeerStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(PeerStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// The response envelope.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response<S, Dev, Alt, Fish> {
    /// `error`.
    pub error: Option<bool>,
    /// `errorMsg`.
    pub error_msg: Option<S>,
    /// `splicedClips`.
    pub spliced_clips: Option<Vec<Clip<S, Dev, Alt, Fish>>>,
    /// `warningMsg`.
    pub warning_msg: Option<S>,
}

/// One clip, every spec field.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Clip<S, Dev, Alt, Fish> {
    pub access_settings: Option<AccessSettings<S>>,
    pub analyze_clip: Option<bool>,
    pub clip_target_location: Option<TargetLocation<S>>,
    pub clip_uuid: Option<S>,
    pub console_delete: Option<bool>,
    pub deleted: Option<bool>,
    pub description: Option<S>,
    pub device_map: Option<Dev>,
    pub device_presentation_order: Option<Vec<Option<S>>>,
    pub device_uuid: Option<S>,
    pub device_uuid_map: Option<Dev>,
    pub device_uuid_to_altered_view_map: Option<Alt>,
    pub device_uuid_to_fisheye_presentation_map: Option<Fish>,
    pub duration: Option<i32>,
    pub integration_upload_list: Option<Vec<S>>,
    pub is_policy_event: Option<bool>,
    pub metadata_bucket_region: Option<S>,
    pub org_uuid: Option<S>,
    pub save_clip: Option<bool>,
    pub save_frame: Option<bool>,
    pub segments_uploaded: Option<i32>,
    pub send_to_shared_storage: Option<bool>,
    pub start_time: Option<i64>,
    pub status: Option<S>,
    pub status_updated_at_ms: Option<i64>,
    pub thumbnail_relative_second: Option<f64>,
    pub timestamp_ms: Option<i64>,
    pub title: Option<S>,
    pub total_segments: Option<i32>,
    pub transaction_uuid: Option<S>,
    pub user_uuid: Option<S>,
}

/// `accessSettings`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AccessSettings<S> {
    pub allowed_roles: Option<Vec<Option<S>>>,
    pub allowed_users: Option<Vec<Option<S>>>,
    pub visibility: Option<S>,
}

/// `clipTargetLocation`.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct TargetLocation<S> {
    pub region: Option<S>,
}

/// A `deviceMap` value.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct DeviceProgress<S> {
    pub region: Option<S>,
    pub segments_uploaded: Option<i32>,
    pub total_segments: Option<i32>,
}

/// An altered view.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct AlteredView {
    pub crop: Option<CropRect>,
    pub dewarp: Option<DewarpedView>,
}

/// A crop rectangle.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct CropRect {
    pub height: Option<i32>,
    pub width: Option<i32>,
    pub x: Option<i32>,
    pub y: Option<i32>,
}

/// A dewarped view.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct DewarpedView {
    pub aspect_ratio: Option<AspectRatio>,
    pub pitch_degrees: Option<f64>,
    pub roll_degrees: Option<f64>,
    pub vertical_field_of_view_degrees: Option<i32>,
    pub yaw_degrees: Option<f64>,
}

/// An aspect ratio.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct AspectRatio {
    pub height: Option<i32>,
    pub width: Option<i32>,
}

/// Typed facet maps keyed by `K`.
type Maps<K, S> = (
    HashMap<K, Option<DeviceProgress<S>>>,
    HashMap<K, Option<Vec<AlteredView>>>,
    HashMap<K, Option<Vec<DewarpedView>>>,
);

/// serde_json into owned structs, every map typed.
pub type Owned = Response<
    String,
    <Maps<String, String> as MapTypes>::Dev,
    <Maps<String, String> as MapTypes>::Alt,
    <Maps<String, String> as MapTypes>::Fish,
>;

/// simd-json into borrowed structs (it unescapes in place, so keys borrow too), every map typed.
pub type SimdBorrowed<'a> = Response<
    PeerStr<'a>,
    <Maps<&'a str, PeerStr<'a>> as MapTypes>::Dev,
    <Maps<&'a str, PeerStr<'a>> as MapTypes>::Alt,
    <Maps<&'a str, PeerStr<'a>> as MapTypes>::Fish,
>;

/// sonic-rs into borrowed structs with the four maps left lazy (unparsed).
pub type SonicBorrowed<'a> = Response<
    PeerStr<'a>,
    sonic_rs::LazyValue<'a>,
    sonic_rs::LazyValue<'a>,
    sonic_rs::LazyValue<'a>,
>;

/// Names the parts of a `Maps` tuple.
pub trait MapTypes {
    /// `deviceMap` / `deviceUuidMap`.
    type Dev;
    /// `deviceUuidToAlteredViewMap`.
    type Alt;
    /// `deviceUuidToFisheyePresentationMap`.
    type Fish;
}

impl<D, A, F> MapTypes for (D, A, F) {
    type Dev = D;
    type Alt = A;
    type Fish = F;
}

/// Number of clips a peer decoded (to keep the result alive and cross-check).
pub fn clip_count<S, D, A, F>(r: &Response<S, D, A, F>) -> usize {
    r.spliced_clips.as_ref().map_or(0, Vec::len)
}
