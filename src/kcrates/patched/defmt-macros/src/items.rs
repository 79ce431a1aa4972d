//! Procedural macros that expand to items

pub(crate) mod bitflags;
pub(crate) mod timestamp;
