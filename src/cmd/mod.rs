//! One file per subcommand that has more to it than a call into the library;
//! `brief build` and `brief send` live in `build.rs` and `send.rs`.

pub(crate) mod charts;
pub(crate) mod check;
pub(crate) mod new;
