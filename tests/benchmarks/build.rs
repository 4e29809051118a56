//! Benchmark: time per brief in-process and as a whole process, peak memory, bytes.
//!
//! Run with `cargo bench --bench build`. Targets (issue 3, 2-page example with
//! its two charts): ≤ 15 ms per whole process, ≤ 35 KB, ≤ 30 MB peak memory.
//!
//! Side by side with Typst (issues 18 and 23): the same brief set by Typst
//! (`tests/benchmarks/typst/az-kg.typ`, the same four faces from `fonts/`).
//! - One brief, whole process against whole process: `brief build` against
//!   the Typst CLI's `typst compile`, each the median of many runs taken in
//!   turn; goal ≤ 0.15x. Typst runs with `fonts/` (the 20 faces brief
//!   carries) and again with only the four faces the document uses.
//!   Measured only when a `typst` binary is found:
//!   `BRIEF_BENCH_TYPST=/path/to/typst`, or `typst` on `PATH` (crates.io
//!   `typst-cli` 0.15.1: `cargo install typst-cli --version 0.15.1 --locked`).
//!   Nothing in the build depends on it; without it the line says so.
//! - A batch against Typst's reused compiler (its Python binding, PyPI
//!   `typst`, installed on the first run into `target/bench-venv`, or
//!   `BRIEF_BENCH_PYTHON`): goal ≥ 10x its briefs per second. The binding's
//!   fresh compile is printed too, for comparison with earlier figures; its
//!   start-up is not a whole process's.
//!
//! `BRIEF_BENCH_COLD_BUILD=1` also times a cold release build.

#[path = "../common/long.rs"]
mod long;

#[path = "median.rs"]
mod median;
use median::median;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use brief::{BuildOptions, Env, build};
use chrono::NaiveDate;

const EXAMPLE: &str = "briefs/az-kg-2021-07-05.yaml";
const SCRIPTS: &str = "briefs/cn-ge-2026-09-15.yaml";

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("project folder");
    let long = long_brief();
    let dir = std::env::temp_dir().join(format!("brief-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let long_path = dir.join("long-20-pages.yaml");
    std::fs::write(&long_path, &long).expect("write long brief");
    let line_path = long_line(&dir);
    println!(
        "{:<28} {:>10} {:>12} {:>10} {:>8} {:>6}",
        "brief", "in-process", "whole build", "peak RSS", "bytes", "pages"
    );
    // Issue 13: a Latin brief pays nothing for the other scripts' faces;
    // a brief in Chinese, Georgian, Arabic, Hebrew and symbols stays within
    // 3x the example's time and embeds subsets only.
    for (name, path) in [
        ("example (2 charts)", Path::new(EXAMPLE)),
        ("scripts: CJK, Arabic, …", Path::new(SCRIPTS)),
        ("20-page brief", long_path.as_path()),
        ("line of 50,000 CSV rows", line_path.as_path()),
    ] {
        report(name, path, &dir);
    }
    charts();
    let batch_rate = batch(&dir);
    typst(&dir, batch_rate);
    size_and_build();
    stress();
    memory(&dir);
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
    .value;
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
/// Briefs per second of the 200-brief batch on all cores.
fn batch(dir: &Path) -> f64 {
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
    let mut rate = 0.0;
    // `-j` takes 1 to 256 (0 is refused): all cores is their count.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).to_string();
    for jobs in ["1", cores.as_str()] {
        let label = if jobs == "1" { "1 core".to_string() } else { format!("all cores ({jobs})") };
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
        rate = 200.0 / wall.as_secs_f64();
    }
    rate
}

/// The example as one whole `brief build` process against one whole `typst
/// compile` process (the CLI), then a batch against Typst's reused compiler.
fn typst(dir: &Path, batch_rate: f64) {
    println!();
    println!("{:<40} {:>10} {:>10} {:>8}", "side by side with Typst", "brief", "typst", "ratio");
    let exe = env!("CARGO_BIN_EXE_brief");
    let out = dir.join("typst-side.pdf");
    let args = ["build", EXAMPLE, "-o", out.to_str().unwrap_or_default(), "-q"];
    let typ = Path::new("tests/benchmarks/typst");
    match typst_cli() {
        Some(cli) => {
            // Typst reads every face of its font folder at start; brief
            // carries the same 20 faces in its binary and reads one when a
            // brief needs it. So Typst runs twice: with `fonts/` (the same
            // faces as brief) and with only the four Noto Sans faces this
            // document uses (its least start-up).
            let four = dir.join("four-faces");
            std::fs::create_dir_all(&four).expect("folder");
            for face in ["Regular", "Bold", "Italic", "BoldItalic"] {
                let name = format!("NotoSans-{face}.ttf");
                std::fs::copy(Path::new("fonts").join(&name), four.join(&name)).expect("face");
            }
            for (label, fonts) in [
                ("one brief, whole process / typst CLI", Path::new("fonts")),
                ("  typst with the four faces it uses", four.as_path()),
            ] {
                let doc = typ.join("az-kg.typ");
                let typst_out = dir.join("typst-cli.pdf");
                let typst_args = [
                    "compile".as_ref(),
                    "--font-path".as_ref(),
                    fonts.as_os_str(),
                    "--ignore-system-fonts".as_ref(),
                    doc.as_os_str(),
                    typst_out.as_os_str(),
                ];
                // Both sides in turn, so a busy moment of the machine falls
                // on both; the median of each side's runs.
                let (mut ours, mut theirs) = (Vec::new(), Vec::new());
                for _ in 0..41 {
                    ours.push(timed(|| {
                        Command::new(exe).args(args).status().is_ok_and(|s| s.success())
                    }));
                    theirs.push(timed(|| {
                        Command::new(&cli).args(typst_args).status().is_ok_and(|s| s.success())
                    }));
                }
                match (middle(ours), middle(theirs)) {
                    (Some(ours), Some(theirs)) => println!(
                        "{label:<40} {ours:>8.1}ms {theirs:>8.1}ms {:>7.2}x  (goal <= 0.15x)",
                        ours / theirs
                    ),
                    _ => println!("typst CLI: {} failed on az-kg.typ", cli.display()),
                }
            }
        }
        None => println!(
            "typst CLI: not measured (set BRIEF_BENCH_TYPST or put `typst` on PATH; \
             cargo install typst-cli --version 0.15.1 --locked)"
        ),
    }
    let Some(python) = typst_python() else {
        println!(
            "typst batch: not measured (no Python with PyPI `typst`; pip could not install it)"
        );
        return;
    };
    // Typst's cold start is one measurement per process, and it varies from
    // process to process (40 to 107 ms seen on this machine): the median of
    // seven processes.
    let figures: Vec<(String, f64)> = (0..7)
        .filter_map(|_| {
            Command::new(&python)
                .arg(typ.join("compare.py"))
                .args([typ.to_str().unwrap_or_default(), "fonts", out.to_str().unwrap_or_default()])
                .output()
                .ok()
        })
        .flat_map(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            text.lines()
                .filter_map(|l| {
                    let (k, v) = l.split_once(' ')?;
                    Some((k.to_string(), v.parse().ok()?))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let get = |k: &str| {
        let mut v: Vec<f64> = figures.iter().filter(|(n, _)| n == k).map(|f| f.1).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    let (Some(cold), Some(reused)) = (get("cold"), get("reused")) else {
        println!("typst: compare.py gave no figures");
        return;
    };
    let ours = ms(median(30, || {
        let _ = Command::new(exe).args(args).status();
    }));
    let typst_rate = 1000.0 / reused;
    println!(
        "{:<40} {ours:>8.1}ms {cold:>8.1}ms {:>7.2}x  (the binding's start, not a process's)",
        "one brief, whole process / binding",
        ours / cold
    );
    println!(
        "{:<40} {batch_rate:>8.0}/s {typst_rate:>8.0}/s {:>7.1}x  (goal >= 10x)",
        "batch: 200 briefs, all cores / reused",
        batch_rate / typst_rate
    );
}

/// The Typst CLI: `BRIEF_BENCH_TYPST`, or `typst` on `PATH`, if it runs.
fn typst_cli() -> Option<std::path::PathBuf> {
    let candidate = match std::env::var_os("BRIEF_BENCH_TYPST") {
        Some(path) => std::path::PathBuf::from(path),
        None => std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|d| d.join("typst"))
            .find(|p| p.is_file())?,
    };
    let runs = Command::new(&candidate).arg("--version").output();
    runs.is_ok_and(|o| o.status.success()).then_some(candidate)
}

/// How long `run` took in milliseconds, if it succeeded.
fn timed(run: impl FnOnce() -> bool) -> Option<f64> {
    let t = Instant::now();
    run().then(|| ms(t.elapsed()))
}

/// The median of runs that all succeeded; `None` if any failed.
fn middle(runs: Vec<Option<f64>>) -> Option<f64> {
    let mut runs: Vec<f64> = runs.into_iter().collect::<Option<_>>()?;
    runs.sort_by(f64::total_cmp);
    runs.get(runs.len() / 2).copied()
}

/// A Python that can import `typst`: `BRIEF_BENCH_PYTHON`, or a virtual
/// environment under target/ made (once) with pip.
fn typst_python() -> Option<String> {
    let works = |py: &str| {
        Command::new(py).args(["-c", "import typst"]).output().is_ok_and(|o| o.status.success())
    };
    if let Ok(py) = std::env::var("BRIEF_BENCH_PYTHON") {
        return works(&py).then_some(py);
    }
    let venv = Path::new("target/bench-venv");
    let py = venv.join("bin/python").to_string_lossy().into_owned();
    if !works(&py) {
        let made = Command::new("python3").args(["-m", "venv"]).arg(venv).status();
        let pip = Command::new(&py).args(["-m", "pip", "install", "-q", "typst"]).status();
        if !(made.is_ok_and(|s| s.success()) && pip.is_ok_and(|s| s.success())) {
            return None;
        }
    }
    works(&py).then_some(py)
}

/// The binary's size, and with `BRIEF_BENCH_COLD_BUILD=1` a cold release build
/// of the whole dependency tree in a scratch target folder.
fn size_and_build() {
    let exe = env!("CARGO_BIN_EXE_brief");
    let size = std::fs::metadata(exe).map_or(0, |m| m.len());
    println!();
    println!("binary: {:.1} MB (goal <= 8 MB)", size as f64 / 1_048_576.0);
    if std::env::var_os("BRIEF_BENCH_COLD_BUILD").is_none() {
        println!("cold release build: set BRIEF_BENCH_COLD_BUILD=1 to time it");
        return;
    }
    let scratch = std::env::temp_dir().join(format!("brief-cold-{}", std::process::id()));
    let t = Instant::now();
    let ok = Command::new(env!("CARGO"))
        .args(["build", "--release", "--locked", "--quiet", "--target-dir"])
        .arg(&scratch)
        .status()
        .is_ok_and(|s| s.success());
    let took = t.elapsed();
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "cold release build: {:.0} s{} (goal <= 150 s on 2 cores)",
        took.as_secs_f64(),
        if ok { "" } else { " (failed)" }
    );
}

fn report(name: &str, path: &Path, dir: &Path) {
    let bytes = std::fs::read(path).expect("source");
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).expect("date"), Some(0));
    let options = BuildOptions::default();
    let file = path.display().to_string();
    let built = build(&file, &bytes, &env, &options).expect("builds").value;
    let in_process = median(30, || {
        let _ = build(&file, &bytes, &env, &options);
    });
    // One output per brief: a PDF written from another brief is never replaced.
    let stem = path.file_stem().map_or("out".into(), |s| s.to_string_lossy().into_owned());
    let out = dir.join(format!("{stem}.pdf"));
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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident memory of one whole run, from GNU time when it is installed.
fn peak_rss_kb(exe: &str, args: &[&str]) -> Option<u64> {
    let out =
        Command::new("/usr/bin/time").arg("-f").arg("%M").arg(exe).args(args).output().ok()?;
    String::from_utf8_lossy(&out.stderr).lines().last()?.trim().parse().ok()
}

/// Issue 29: the example with its first chart a line of 50,000 days read
/// from a CSV file (drawn reduced by LTTB); returns the brief's path.
fn long_line(dir: &Path) -> std::path::PathBuf {
    let example = std::fs::read_to_string(EXAMPLE).expect("example");
    let inline = "    kind: bar\n    unit: USD million\n    categories: [\"2020\", \"Jan–May 2021\"]\n    series:\n      - name: Trade turnover\n        values: [5.4, 3.6]\n";
    let data = "    kind: line\n    unit: USD million\n    data:\n      file: long.csv\n      categories: day\n      series:\n        - name: Trade turnover\n          values: value\n";
    assert!(example.contains(inline), "the example's first figure changed");
    let start = NaiveDate::from_ymd_opt(1890, 1, 1).expect("date");
    let mut csv = String::from("day,value\n");
    for (i, day) in start.iter_days().take(50_000).enumerate() {
        let v = 500.0 + 200.0 * (i as f64 / 900.0).sin() + (i * 7919 % 101) as f64 / 4.0;
        csv.push_str(&format!("{day},{v:.2}\n"));
    }
    std::fs::write(dir.join("long.csv"), csv).expect("write the CSV");
    let path = dir.join("line-50000.yaml");
    std::fs::write(&path, example.replace(inline, data)).expect("write the brief");
    path
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
                        |b| format!("{} p", b.value.pages),
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

/// Peak memory per page of a long brief as a whole process (30,000
/// outcomes, some 840 pages, so the fixed part weighs little): goal ≤ 0.3 MB
/// a page.
fn memory(dir: &Path) {
    let example = std::fs::read_to_string(EXAMPLE).expect("example");
    let Some((_, base, make)) = stress_cases(&example).into_iter().next() else { return };
    let text = make(base * 300);
    let env = Env::fixed(NaiveDate::from_ymd_opt(2021, 7, 1).expect("date"), Some(0));
    let Ok(built) =
        build("long.yaml", text.as_bytes(), &env, &BuildOptions::default()).map(|b| b.value)
    else {
        println!("memory: the long brief failed to build");
        return;
    };
    let path = dir.join("long-outcomes.yaml");
    std::fs::write(&path, &text).expect("write long brief");
    let out = dir.join("long-outcomes.pdf");
    let args =
        ["build", path.to_str().unwrap_or_default(), "-o", out.to_str().unwrap_or_default(), "-q"];
    println!();
    match peak_rss_kb(env!("CARGO_BIN_EXE_brief"), &args) {
        Some(kb) => {
            let mb = kb as f64 / 1024.0;
            println!(
                "memory: {mb:.1} MB peak for {} pages, {:.2} MB a page (goal <= 0.3)",
                built.pages,
                mb / built.pages.max(1) as f64
            );
        }
        None => println!("memory: not measured (no GNU time at /usr/bin/time)"),
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
