//! Property test: arbitrary bytes and mutated briefs never panic `check`, and
//! every failure is reported as located diagnostics.

use brief::{Env, check};
use chrono::NaiveDate;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that stress YAML and the validator when spliced in.
const SPLICE: [&[u8]; 16] = [
    b": ",
    b"- ",
    b"&a ",
    b"*a",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"'",
    b"\n  ",
    b"\t",
    b"null",
    b".nan",
    b"\xff",
    b"\xe2\x80",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(5) {
            0 if !out.is_empty() => {
                let end = (at + rng.below(40)).min(out.len());
                out.drain(at.min(end)..end);
            }
            1 => {
                let piece = SPLICE[rng.below(SPLICE.len())];
                out.splice(at..at, piece.iter().copied());
            }
            2 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] = rng.next() as u8;
            }
            3 => {
                // Duplicate a line somewhere else: repeated keys, odd nesting.
                let text = out.clone();
                let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
                let line = lines[rng.below(lines.len())].to_vec();
                out.splice(at..at, line.into_iter().chain([b'\n']));
            }
            _ => {
                let noise: Vec<u8> = (0..rng.below(16)).map(|_| rng.next() as u8).collect();
                out.splice(at..at, noise);
            }
        }
    }
    out
}

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for dir in ["briefs", "tests/fixtures/good", "tests/fixtures/bad"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(path).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") && !path.ends_with("alias-bomb.yaml") {
                seeds.push(std::fs::read(path).unwrap());
            }
        }
    }
    seeds
}

#[test]
fn mutated_briefs_never_panic_and_errors_are_located() {
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let seeds = seeds();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut failures = 0;
    for i in 0..3000 {
        let seed = &seeds[i % seeds.len()];
        let input = mutate(&mut rng, seed);
        if let Err(diags) = check("m.yaml", &input, &env) {
            failures += 1;
            assert!(!diags.is_empty(), "a failure without a diagnostic");
            assert!(diags.iter().all(|d| !d.message.is_empty()));
        }
    }
    assert!(failures > 100, "the mutations should break many briefs ({failures})");
}

#[test]
fn arbitrary_bytes_never_panic() {
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let mut rng = Rng(42);
    for _ in 0..2000 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let _ = check("r.yaml", &bytes, &env);
        let ascii: Vec<u8> =
            bytes.iter().map(|b| b"ab: -[]{}&*!|>'\"\n #0.9"[*b as usize % 22]).collect();
        let _ = check("r.yaml", &ascii, &env);
    }
}

#[test]
fn inputs_the_fuzzers_found_stay_fixed() {
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let example = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml"),
    )
    .unwrap();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "README.md" {
            continue;
        }
        if name.ends_with(".md") {
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(t) =
                brief::render::Template::from_source("fuzz.md", &text, Default::default())
            {
                let options = brief::BuildOptions { template: Some(t), paper: None };
                let result = brief::build("example.yaml", &example, &env, &options);
                if name.starts_with("template-output-bomb") {
                    let errors = result.err().expect("the output bomb is refused");
                    assert!(
                        errors[0].message.contains("more than 32 MiB"),
                        "{}",
                        errors[0].message
                    );
                }
            }
        } else {
            let _ = brief::build(&name, &bytes, &env, &brief::BuildOptions::default());
        }
    }
}

#[test]
fn two_hundred_thousand_anchors_and_aliases_are_checked_without_panic() {
    // 200,000 anchors, each aliased once: the alias measure once compared
    // every alias with every anchor measured before (40,000 took 1.0 s in a
    // release build; this many would take minutes). Now a map lookup each.
    let n = 200_000;
    let mut text = String::from("a:\n");
    (0..n).for_each(|i| text.push_str(&format!("  - &x{i} v\n")));
    text.push_str("b:\n");
    (0..n).for_each(|i| text.push_str(&format!("  - *x{i}\n")));
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let errors = check("anchors.yaml", text.as_bytes(), &env).expect_err("not a brief");
    assert!(errors.iter().any(|d| d.message.contains("unknown")), "{:?}", errors[0].message);
}
