#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

#[macro_use]
mod object;

mod decode;
mod drift;
mod encode;
mod error;
#[cfg(feature = "gen")]
pub mod generate;
mod lex;
mod model;
mod path;
mod response;
pub mod schema;
mod views;

pub use decode::{
    ClipStream, DecodeOptions, Decoded, Decoder, OwnedClip, OwnedResponse, StreamedClip,
};
pub use drift::{Drift, DriftKind, FindDrift};
pub use encode::WriteJson;
pub use error::{DecodeError, DecodeErrorKind};
pub use model::containers::{Extra, FacetMap, Item, List, Map};
pub use model::enums::{ClipStatus, Integration, Visibility};
pub use model::ids::{DeviceFacetUuid, Ruuid};
pub use model::leaves::{Float, RawJson};
pub use response::ApiError;
pub use schema::{
    AccessSettings, AlteredView, AspectRatio, CropRect, DeviceProgress, DewarpedView, Response,
    SplicedClip, TargetLocation,
};
pub use views::{Progress, epoch_ms};

/// The request body both endpoints take.
pub const REQUEST_BODY: &[u8] = b"{}";
