//! Fuzz target: arbitrary bytes through the whole pipeline (check → render → layout → PDF).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    // Errors are fine; panics, hangs and crashes are what the fuzzer hunts.
    let _ = brief::build("fuzz.yaml", data, &env, &brief::BuildOptions::default());
});
