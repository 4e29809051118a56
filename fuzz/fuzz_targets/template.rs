//! Fuzz target: arbitrary template text rendered for the example brief, then laid out and written.
#![no_main]

use libfuzzer_sys::fuzz_target;

const EXAMPLE: &[u8] = include_bytes!("../../briefs/az-kg-2021-07-05.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let Ok(template) = brief::render::Template::from_source("fuzz.md", text, Default::default()) else { return };
    let options = brief::BuildOptions { template: Some(template), ..Default::default() };
    let _ = brief::build("example.yaml", EXAMPLE, &env, &options);
});
