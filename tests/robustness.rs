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

/// Every error that names a field is located, and every location is a real
/// place in the input: a line that exists, shown as written, and a column on it.
fn assert_located(input: &[u8], diags: &[brief::diag::Diagnostic]) {
    let text = String::from_utf8_lossy(input);
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    // Lines as YAML counts them: a lone carriage return ends one too.
    let lines: Vec<&str> = text.split("\r\n").flat_map(|l| l.split(['\n', '\r'])).collect();
    for d in diags.iter().filter(|d| d.is_error()) {
        assert!(!d.message.is_empty(), "an error without a message");
        assert!(d.path.is_none() || d.span.is_some(), "a field error without a place: {d:?}");
        let Some(span) = &d.span else { continue };
        // Only the not-UTF-8 error points at bytes the lossy text cannot show.
        if d.message.contains("not UTF-8") {
            continue;
        }
        let line = lines.get(span.line.wrapping_sub(1)).copied().unwrap_or("");
        assert!(span.line >= 1 && span.line <= lines.len().max(1), "line out of range: {d:?}");
        assert_eq!(span.text, line, "snippet is not the input's line: {d:?}");
        assert!(
            span.col >= 1 && span.col <= line.chars().count() + 1,
            "column off the line: {d:?}"
        );
    }
}

#[test]
fn mutated_briefs_never_panic_and_errors_are_located() {
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let seeds = seeds();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut failures, mut with_path) = (0, 0);
    for i in 0..3000 {
        let seed = &seeds[i % seeds.len()];
        let input = mutate(&mut rng, seed);
        if let Err(diags) = check("m.yaml", &input, &env) {
            failures += 1;
            assert!(diags.iter().any(|d| d.is_error()), "a failure without an error: {diags:?}");
            with_path += usize::from(diags.iter().any(|d| d.path.is_some()));
            assert_located(&input, &diags);
        }
    }
    assert!(failures > 100, "the mutations should break many briefs ({failures})");
    assert!(with_path > 50, "many failures name a field ({with_path})");
}

#[test]
fn arbitrary_bytes_never_panic_and_are_refused_with_located_errors() {
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let mut rng = Rng(42);
    for _ in 0..2000 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let ascii: Vec<u8> =
            bytes.iter().map(|b| b"ab: -[]{}&*!|>'\"\n #0.9"[*b as usize % 22]).collect();
        for input in [&bytes, &ascii] {
            // Noise is never a brief: it has no `brief:` and `meeting:`.
            let diags = check("r.yaml", input, &env).expect_err("noise is not a brief");
            assert!(diags.iter().all(|d| d.file == "r.yaml"), "{diags:?}");
            assert_located(input, &diags);
        }
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
    let mut replayed = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "README.md" {
            continue;
        }
        replayed += 1;
        let result = if name.ends_with(".md") {
            let text = String::from_utf8_lossy(&bytes);
            // A template that does not parse is an answer too, but a located one.
            match brief::render::Template::from_source("fuzz.md", &text, Default::default()) {
                Ok(t) => {
                    let options = brief::BuildOptions { template: Some(t), ..Default::default() };
                    brief::build("example.yaml", &example, &env, &options)
                }
                Err(d) => {
                    assert!(d.span.is_some(), "{name}: unlocated template error {d:?}");
                    continue;
                }
            }
        } else {
            brief::build(&name, &bytes, &env, &brief::BuildOptions::default())
        };
        if name.starts_with("template-output-bomb") {
            let errors = result.as_ref().err().expect("the output bomb is refused");
            assert!(errors[0].message.contains("more than 32 MiB"), "{}", errors[0].message);
        }
        match result {
            Ok(built) => assert!(built.value.pdf.starts_with(b"%PDF-"), "{name}: not a PDF"),
            Err(errors) => {
                assert!(errors.iter().any(|d| d.is_error()), "{name}: {errors:?}");
                if !name.ends_with(".md") {
                    assert_located(&bytes, &errors);
                }
            }
        }
    }
    assert!(replayed > 0, "no fuzz input was replayed");
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
