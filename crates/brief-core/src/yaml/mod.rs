//! YAML read with the place of every node, and checked against a JSON Schema
//! with every problem located at once: what the brief format and a
//! template's theme are both read with.

pub mod check;
mod index;
pub mod tree;

pub use index::Index;
