//! Output verification over every example and test brief, in every product:
//! `qpdf --check` clean, every font embedded and subset, the title, every
//! participant's name and the marking on every page, pages as expected.
//! Also the stress cases: huge or hostile briefs build correctly or fail clearly.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use brief::model::Brief;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed ({e}); run tests/run"));
    assert!(o.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn env() -> brief::Env {
    brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0))
}

/// Text extraction joins lines; compare without whitespace.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn verify(pdf: &Path, brief: &Brief, expect_pages: Option<usize>) {
    let path = pdf.to_str().unwrap();
    tool("qpdf", &["--check", path]);
    for row in tool("pdffonts", &[path]).lines().skip(2) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains('+'), "{path}: font not subset: {row}");
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 3],
            ["yes", "yes"],
            "{path}: not embedded and subset: {row}"
        );
    }
    let info = tool("pdfinfo", &[path]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    if let Some(n) = expect_pages {
        assert_eq!(pages, n, "{path}");
    }
    let all = squash(&tool("pdftotext", &[path, "-"]));
    assert!(all.contains(&squash(&brief.brief.title)), "{path}: title missing");
    for party in &brief.meeting.parties {
        for person in party.delegation.iter().filter(|p| p.lead == Some(true)) {
            assert!(all.contains(&squash(&person.name)), "{path}: {} missing", person.name);
        }
    }
    if let Some(marking) = &brief.brief.classification {
        for page in 1..=pages {
            let p = page.to_string();
            let text = tool("pdftotext", &["-f", &p, "-l", &p, path, "-"]);
            assert!(text.contains(&marking.to_uppercase()), "{path}: no marking on page {page}");
        }
    }
}

#[test]
fn every_example_and_test_brief_in_every_product_verifies() {
    let dir = std::env::temp_dir().join(format!("brief-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut sources = brief::collect_sources(&[
        root().join("briefs"),
        root().join("tests/fixtures/good"),
        root().join("templates/starter.yaml"),
    ])
    .unwrap()
    .files;
    sources.sort();
    let mut checked = 0;
    for source in sources {
        let bytes = std::fs::read(&source).unwrap();
        for (product, _, _) in brief::render::BUILTIN {
            let options = brief::BuildOptions {
                template: brief::render::Template::builtin(product),
                paper: None,
            };
            let built = brief::build(&source.display().to_string(), &bytes, &env(), &options)
                .unwrap_or_else(|d| panic!("{source:?}: {d:?}"));
            let out = dir.join(format!("{product}.pdf"));
            std::fs::write(&out, &built.pdf).unwrap();
            let expect = (product == "one-pager").then_some(1);
            verify(&out, &built.brief, expect);
            if source.ends_with("az-kg-2021-07-05.yaml") && product == "briefing-note" {
                assert_eq!(built.pages, 2, "the example note is two pages");
            }
            checked += 1;
        }
    }
    assert!(checked >= 15);
    let _ = std::fs::remove_dir_all(&dir);
}

fn example() -> String {
    std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap()
}

fn replace_section(text: &str, key: &str, next: &str, with: &str) -> String {
    let start = text.find(&format!("\n{key}:")).unwrap() + 1;
    let end = text.find(&format!("\n{next}:")).unwrap() + 1;
    format!("{}{with}{}", &text[..start], &text[end..])
}

fn build_timed(text: &str) -> (Result<brief::Built, Vec<brief::diag::Diagnostic>>, f64) {
    let t = Instant::now();
    let r = brief::build("stress.yaml", text.as_bytes(), &env(), &brief::BuildOptions::default());
    (r, t.elapsed().as_secs_f64())
}

#[test]
fn stress_many_outcomes_build_and_repeat_the_table_header() {
    let rows: String = (0..2000)
        .map(|i| format!("  - text: Measure {i}\n    status: agreed\n    owner: Ministry {i}\n"))
        .collect();
    let text = replace_section(&example(), "outcomes", "background", &format!("outcomes:\n{rows}"));
    let (built, _) = build_timed(&text);
    let built = built.expect("builds");
    assert!(built.pages > 40, "{} pages", built.pages);
}

#[test]
fn stress_huge_background_and_an_unbreakable_word() {
    let word = "x".repeat(5000);
    let para =
        "Trade and transport links were discussed at length by both delegations. ".repeat(40);
    let body: String = (0..60).map(|_| format!("  {para}\n\n")).collect();
    let text = replace_section(
        &example(),
        "background",
        "facts",
        &format!("background: |\n  {word}\n\n{body}"),
    );
    let (built, _) = build_timed(&text);
    let built = built.expect("builds");
    assert!(built.pages > 10);
}

#[test]
fn stress_a_hundred_figures() {
    let figs: String = (0..100)
        .map(|i| format!("  - id: f{i}\n    title: Figure {i}\n    kind: {}\n    categories: [a, b, c]\n    series:\n      - name: s\n        values: [1, {i}, -2]\n", ["bar", "hbar", "line", "area", "stacked", "pie"][i % 6]))
        .collect();
    let text = replace_section(&example(), "figures", "risks", &format!("figures:\n{figs}\n"));
    let (built, _) = build_timed(&text);
    let built = built.expect("builds");
    assert!(built.pages >= 15, "{}", built.pages);
}

#[test]
fn stress_a_table_cell_too_wide_for_the_page() {
    let cell = "y".repeat(3000);
    let text = replace_section(
        &example(),
        "outcomes",
        "background",
        &format!("outcomes:\n  - text: {cell}\n    owner: {cell}\n    status: done\n"),
    );
    let (built, _) = build_timed(&text);
    let built = built.expect("a too-wide cell wraps between characters rather than overflowing");
    assert!(built.pages >= 2);
}

#[test]
fn stress_time_grows_linearly() {
    // Not a timing target (those live in the benchmark): a guard against
    // quadratic blow-ups, with a generous factor for noisy machines.
    let make = |n: usize| {
        let rows: String = (0..n)
            .map(|i| format!("  - text: Measure {i} for the record\n    status: agreed\n"))
            .collect();
        replace_section(&example(), "outcomes", "background", &format!("outcomes:\n{rows}"))
    };
    let (_, small) = build_timed(&make(100));
    let (_, _) = build_timed(&make(100));
    let (_, small2) = build_timed(&make(100));
    let (_, big) = build_timed(&make(1000));
    let base = small.min(small2).max(0.005);
    assert!(big < base * 40.0, "100 rows {base:.3}s, 1000 rows {big:.3}s");
}
