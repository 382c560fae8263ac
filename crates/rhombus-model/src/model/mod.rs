//! The model's types: leaves (ids, open enums, floats, raw JSON) and the
//! arena containers that hold them. The objects themselves are defined in
//! [`crate::schema`].

#[macro_use]
mod open_enum;
pub(crate) mod containers;
pub(crate) mod enums;
pub(crate) mod ids;
pub(crate) mod leaves;
