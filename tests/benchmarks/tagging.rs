//! In-process cost of one build of the example brief: the median of
//! `BRIEF_BENCH_RUNS` (default 200) builds after one warm-up, and the bytes.
//! `tests/benchmarks/tagging.sh` runs it for this tree and for the last
//! untagged commit, side by side (issue 15: tagging may cost at most +10 %
//! time and +4 KB); with `BRIEF_BENCH_RUNS=1` and `=11` under callgrind it
//! gives instruction counts, which other load on the machine cannot skew.

use std::time::{Duration, Instant};

use brief::{BuildOptions, Env, build};
use chrono::NaiveDate;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("briefs/az-kg-2021-07-05.yaml");
    let bytes = std::fs::read(&path).expect("example");
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).expect("date"), Some(1_625_443_200));
    let options = BuildOptions::default();
    let file = path.display().to_string();
    let runs: usize =
        std::env::var("BRIEF_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let built = build(&file, &bytes, &env, &options).expect("builds").value;
    let mut times: Vec<Duration> = (1..runs)
        .map(|_| {
            let start = Instant::now();
            let _ = build(&file, &bytes, &env, &options);
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    println!(
        "example, in-process: {:.3} ms (median of {}), {} bytes",
        median.as_secs_f64() * 1000.0,
        times.len(),
        built.pdf.len()
    );
}
