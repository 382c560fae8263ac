#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

#[macro_use]
mod open_enum;
#[macro_use]
mod object;
#[macro_use]
pub mod fast;
#[macro_use]
pub mod arena;

mod clip;
mod decode;
mod drift;
mod encode;
mod enums;
mod error;
mod facet_map;
mod ids;
mod owned;
mod path;
mod raw;
mod response;
pub mod stream;
mod text;
mod views;

pub use clip::{
    AccessSettings, AlteredView, AspectRatio, CropRect, DeviceProgress, DewarpedView, Request,
    SplicedClip, TargetLocation,
};
pub use decode::{
    ClipFailure, Tolerant, decode, decode_clip, decode_owned, decode_str, decode_tolerant,
};
pub use drift::{Drift, DriftKind, FindDrift};
pub use encode::WriteJson;
pub use enums::{ClipStatus, Integration, Visibility};
pub use error::{DecodeError, DecodeErrorKind};
pub use facet_map::FacetMap;
pub use ids::{DeviceFacetUuid, Ruuid};
pub use owned::IntoOwned;
pub use raw::{Extra, Float, RawJson};
pub use response::{ApiError, Response};
pub use text::Str;
pub use views::{Progress, epoch_ms};

/// The request body both endpoints take.
pub const REQUEST_BODY: &[u8] = b"{}";
