//! Benchmark: time per brief in-process and as a whole process, peak memory, bytes.
//!
//! Run with `cargo bench --bench build`. Targets (issue 3, 2-page example with
//! its two charts): ≤ 15 ms per whole process, ≤ 35 KB, ≤ 30 MB peak memory.

#[path = "../common/long.rs"]
mod long;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use brief::{BuildOptions, Env, build};
use chrono::NaiveDate;

const EXAMPLE: &str = "briefs/az-kg-2021-07-05.yaml";

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("project folder");
    let long = long_brief();
    let dir = std::env::temp_dir().join(format!("brief-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let long_path = dir.join("long-20-pages.yaml");
    std::fs::write(&long_path, &long).expect("write long brief");
    println!(
        "{:<28} {:>10} {:>12} {:>10} {:>8} {:>6}",
        "brief", "in-process", "whole build", "peak RSS", "bytes", "pages"
    );
    for (name, path) in
        [("example (2 charts)", Path::new(EXAMPLE)), ("20-page brief", long_path.as_path())]
    {
        report(name, path, &dir);
    }
    charts();
    batch(&dir);
    stress();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Drawing time per chart, for every figure of the example with every kind.
fn charts() {
    let source = std::fs::read("briefs/kz-de-2026-03-12-draft.yaml").expect("example");
    let brief = brief::check(
        "kz-de",
        &source,
        &Env::fixed(NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"), Some(0)),
    )
    .expect("valid")
    .brief;
    let style = brief::charts::ChartStyle::default();
    let fonts = brief::text::FontBook::builtin();
    println!();
    println!("{:<28} {:>10}", "chart (480 x 300 pt)", "draw time");
    for fig in &brief.figures {
        let t = median(200, || {
            let _ = brief::charts::draw(fig, &style, fonts, 0.0, 0.0, 480.0, 300.0);
        });
        println!("{:<28} {:>8.3}ms", format!("{} ({:?})", fig.id, fig.kind), ms(t));
    }
}

/// Briefs per second for 200 briefs with charts, at one and at all cores.
fn batch(dir: &Path) {
    let src = dir.join("batch-src");
    std::fs::create_dir_all(&src).expect("folder");
    let example = std::fs::read_to_string(EXAMPLE).expect("example");
    for i in 0..200 {
        let text =
            example.replacen("title: Azerbaijan", &format!("title: Brief {i} Azerbaijan"), 1);
        std::fs::write(src.join(format!("b{i:03}.yaml")), text).expect("write");
    }
    let exe = env!("CARGO_BIN_EXE_brief");
    let out = dir.join("batch-out");
    println!();
    println!(
        "{:<28} {:>10} {:>12} {:>10}",
        "200 briefs, 2 charts each", "wall", "briefs/s", "peak RSS"
    );
    for jobs in ["1", "0"] {
        let label = if jobs == "1" {
            "1 core".to_string()
        } else {
            format!("all cores ({})", std::thread::available_parallelism().map_or(1, |n| n.get()))
        };
        let args = [
            "build",
            src.to_str().unwrap_or_default(),
            "-o",
            out.to_str().unwrap_or_default(),
            "--force",
            "-q",
            "-j",
            jobs,
        ];
        let wall = median(3, || {
            let _ = Command::new(exe).args(args).status();
        });
        let rss = peak_rss_kb(exe, &args)
            .map_or("n/a".to_string(), |kb| format!("{:.1} MB", kb as f64 / 1024.0));
        println!("{label:<28} {:>8.0}ms {:>12.0} {rss:>10}", ms(wall), 200.0 / wall.as_secs_f64());
    }
}

fn report(name: &str, path: &Path, dir: &Path) {
    let bytes = std::fs::read(path).expect("source");
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).expect("date"), Some(0));
    let options = BuildOptions::default();
    let file = path.display().to_string();
    let built = build(&file, &bytes, &env, &options).expect("builds");
    let in_process = median(30, || {
        let _ = build(&file, &bytes, &env, &options);
    });
    let out = dir.join("out.pdf");
    let exe = env!("CARGO_BIN_EXE_brief");
    let args =
        ["build", path.to_str().unwrap_or_default(), "-o", out.to_str().unwrap_or_default(), "-q"];
    let whole = median(20, || {
        let _ = Command::new(exe).args(args).status();
    });
    let rss = peak_rss_kb(exe, &args)
        .map_or("n/a".to_string(), |kb| format!("{:.1} MB", kb as f64 / 1024.0));
    println!(
        "{name:<28} {:>8.2}ms {:>10.2}ms {rss:>10} {:>8} {:>6}",
        ms(in_process),
        ms(whole),
        built.pdf.len(),
        built.pages
    );
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident memory of one whole run, from GNU time when it is installed.
fn peak_rss_kb(exe: &str, args: &[&str]) -> Option<u64> {
    let out =
        Command::new("/usr/bin/time").arg("-f").arg("%M").arg(exe).args(args).output().ok()?;
    String::from_utf8_lossy(&out.stderr).lines().last()?.trim().parse().ok()
}

/// The example grown to about twenty pages.
fn long_brief() -> String {
    long::long_brief(&std::fs::read_to_string(EXAMPLE).expect("example"))
}

/// A stress case: its name, the size unit, the 1x size and how to make it.
type Case<'a> = (&'a str, usize, Box<dyn Fn(usize) -> String + 'a>);

/// Stress curve: each stress case of `tests/verify.rs` at 1x, 10x and 100x
/// its size (100x is the size), with the time ratio per tenfold step:
/// about 10 means linear.
fn stress() {
    let example = std::fs::read_to_string(EXAMPLE).expect("example");
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).expect("date"), Some(0));
    println!();
    println!(
        "{:<34} {:>20} {:>20} {:>20} {:>11}",
        "stress (in-process, median of 3)", "1x", "10x", "100x", "x10 steps"
    );
    for (name, base, make) in stress_cases(&example) {
        let runs: Vec<(f64, String)> = [1, 10, 100]
            .iter()
            .map(|k| {
                let text = make(base * k);
                let mut result = String::new();
                let time = median(3, || {
                    let built =
                        build("stress.yaml", text.as_bytes(), &env, &BuildOptions::default());
                    result = built.map_or_else(
                        |d| format!("failed: {}", d[0].message),
                        |b| format!("{} p", b.pages),
                    );
                });
                (ms(time), result)
            })
            .collect();
        let cell = |(t, p): &(f64, String)| format!("{t:.1} ms ({p})");
        let steps = format!("{:.1}, {:.1}", runs[1].0 / runs[0].0, runs[2].0 / runs[1].0);
        println!(
            "{name:<34} {:>20} {:>20} {:>20} {steps:>11}",
            cell(&runs[0]),
            cell(&runs[1]),
            cell(&runs[2])
        );
    }
}

fn stress_cases(example: &str) -> Vec<Case<'_>> {
    let para = "Trade and transport links were discussed at length by both delegations. ";
    vec![
        (
            "outcomes (100 .. 10,000)",
            100,
            Box::new(move |n| {
                let rows: String = (0..n)
                    .map(|i| {
                        format!(
                            "  - text: Measure {i}\n    status: agreed\n    owner: Ministry {i}\n"
                        )
                    })
                    .collect();
                splice(example, "outcomes", "background", &format!("outcomes:\n{rows}"))
            }),
        ),
        (
            "background (10 KB .. 1 MB)",
            14,
            Box::new(move |n| {
                let body: String = (0..n).map(|_| format!("  {}\n\n", para.repeat(10))).collect();
                splice(example, "background", "facts", &format!("background: |\n{body}"))
            }),
        ),
        (
            "figures (1 .. 100)",
            1,
            Box::new(move |n| {
                let figs: String = (0..n)
                    .map(|i| format!("  - id: f{i}\n    title: Figure {i}\n    kind: {}\n    categories: [a, b, c, d]\n    series:\n      - name: s\n        values: [1, {i}, 3, -2]\n", ["bar", "hbar", "line", "area", "stacked", "pie"][i % 6]))
                    .collect();
                splice(example, "figures", "risks", &format!("figures:\n{figs}"))
            }),
        ),
        (
            "unbreakable word (50 .. 5,000 ch)",
            50,
            Box::new(move |n| {
                let word = "x".repeat(n);
                splice(
                    example,
                    "background",
                    "facts",
                    &format!("background: |\n  {para}{word} {para}\n"),
                )
            }),
        ),
        (
            "table cell (30 .. 3,000 ch)",
            30,
            Box::new(move |n| {
                let cell = "y".repeat(n);
                let row =
                    format!("outcomes:\n  - text: {cell}\n    owner: {cell}\n    status: done\n");
                splice(example, "outcomes", "background", &row)
            }),
        ),
    ]
}

fn splice(text: &str, key: &str, next: &str, with: &str) -> String {
    let (Some(start), Some(end)) =
        (text.find(&format!("\n{key}:")), text.find(&format!("\n{next}:")))
    else {
        return text.to_string();
    };
    format!("{}{with}{}", &text[..start + 1], &text[end + 1..])
}
