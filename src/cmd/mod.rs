//! One file per subcommand that has more to it than a call into the library.

pub(crate) mod book;
pub(crate) mod build;
pub(crate) mod charts;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod languages;
pub(crate) mod new;
pub(crate) mod send;
