//! Benchmark: a 30-brief summit book against the same 30 briefs built one by one.
//!
//! Run with `cargo bench --bench book`. Targets (issue 17): the book builds in
//! less time than the 30 separate briefs and is at most 60 % of their summed
//! size (fonts embedded once, shared by every brief). Both sides run on one
//! thread, so the comparison is of work, not of cores.

use std::path::Path;
use std::time::{Duration, Instant};

use brief::book::{Options, bind};
use brief::{BuildOptions, Env, build};
use chrono::NaiveDate;

/// Briefs the book cycles through: Latin, Cyrillic, Greek, CJK, Georgian.
const SOURCES: [&str; 4] = [
    "briefs/az-kg-2021-07-05.yaml",
    "briefs/kz-de-2026-03-12-draft.yaml",
    "briefs/tr-gr-2026-05-20.yaml",
    "briefs/cn-ge-2026-09-15.yaml",
];
const BRIEFS: usize = 30;
const RUNS: usize = 3;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("project folder");
    let env = Env::fixed(NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"), Some(1_700_000_000));
    let sources: Vec<(String, Vec<u8>)> = (0..BRIEFS)
        .map(|i| {
            let text = std::fs::read_to_string(SOURCES[i % SOURCES.len()]).expect("example");
            // A title of its own, so the book holds 30 different meetings.
            let text = text.replacen("\n  title: ", &format!("\n  title: {:02} ", i + 1), 1);
            (format!("brief-{i:02}.yaml"), text.into_bytes())
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let (separate, separate_bytes) = pool.install(|| {
        best(|| {
            sources
                .iter()
                .map(|(f, b)| {
                    build(f, b, &env, &BuildOptions::default()).expect("builds").value.pdf.len()
                })
                .sum::<usize>()
        })
    });
    let (bound, book_bytes) = pool.install(|| {
        best(|| bind(&sources, &env, &Options::default()).expect("binds").value.pdf.len())
    });
    let share = book_bytes as f64 / separate_bytes as f64 * 100.0;
    println!("{:<34} {:>10} {:>10}", "", "time", "bytes");
    println!(
        "{:<34} {:>10.0?} {:>10}",
        format!("{BRIEFS} briefs built one by one"),
        separate,
        separate_bytes
    );
    println!("{:<34} {:>10.0?} {:>10}", format!("one book of the {BRIEFS}"), bound, book_bytes);
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!(
        "book time {:.0} % of the separate builds (target < 100 %): {}",
        bound.as_secs_f64() / separate.as_secs_f64() * 100.0,
        verdict(bound < separate)
    );
    println!(
        "book size {share:.0} % of their summed size (target <= 60 %): {}",
        verdict(share <= 60.0)
    );
}

/// The fastest of a few runs, and what the run returned.
fn best(mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut fastest = Duration::MAX;
    let mut out = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        out = f();
        fastest = fastest.min(t.elapsed());
    }
    (fastest, out)
}
