//! Briefs for other stages' tests (the `test-support` feature).

use super::*;

/// The example brief, validated.
pub fn example() -> Brief {
    from(include_str!("../../../briefs/az-kg-2021-07-05.yaml"))
}

/// The smallest valid brief.
pub fn brief() -> Brief {
    from(include_str!("../../../tests/fixtures/good/minimal.yaml"))
}

fn from(text: &str) -> Brief {
    let loaded =
        brief_source::load("t.yaml", text.as_bytes()).map_err(|f| f.diagnostics).expect("loads");
    validate(&loaded, &|_| Vec::new()).expect("valid").value
}
