//! Response bodies of every class the schema allows and many it does not,
//! walked from [`Shape`](crate::schema::Shape): the one generator the
//! property tests, the fuzz targets and the simulator share, so a class
//! added here is served, property-tested and fuzzed.
//!
//! One walker writes every body; only where its values come from differs:
//! [`response`] makes them up, [`render`] takes them from a base document
//! (the simulator's clip state). Either way, choices come from bytes
//! ([`Choices`]): a fuzzer's input, a proptest value or a seeded RNG drive
//! it alike, and the same bytes always give the same body. Which classes
//! may appear is a [`Mix`]; which did appear is counted in [`Classes`].

mod choices;
mod class;
mod content;
mod mix;
mod text;
mod walk;

pub use choices::Choices;
pub use class::{Class, Classes};
pub use content::KEPT;
pub use mix::Mix;

use content::Content;
use serde_json::Value;

/// A response body with values made up from `choices`; its classes are
/// added to `classes`.
pub fn response(choices: &mut Choices<'_>, mix: Mix, classes: &mut Classes) -> Vec<u8> {
    let (body, found) = walk::body(Content::Made, choices, mix);
    classes.add_all(&found);
    body
}

/// `base` (a response envelope, `{"error":…,"splicedClips":[…],…}`) written
/// as a body of `mix`, the walker's decisions drawn from `choices`; its
/// classes are added to `classes`.
///
/// The base's values are written as they are where no class changes them;
/// those under [`KEPT`] keys always are, so every clip keeps its id, status
/// and progress. Content of the base the mix does not allow is left out
/// (its `null`s without `nulls`; its unknown fields and misfit values
/// without `drift`) or, for an enum value the schema lacks, replaced by the
/// first one it lists.
pub fn render(base: &Value, choices: &mut Choices<'_>, mix: Mix, classes: &mut Classes) -> Vec<u8> {
    let (body, found) = walk::body(Content::Base(base), choices, mix);
    classes.add_all(&found);
    body
}
