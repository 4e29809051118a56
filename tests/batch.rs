//! Batch runs end to end: hundreds of briefs, broken ones failing alone,
//! incremental reruns, interrupts that leave no partial PDF, the manifest.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, command, scratch};

/// The build date every run of this file stamps its PDFs with.
const EPOCH: Option<&str> = Some("0");

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Writes `n` briefs with distinct titles; every 40th is broken (one party).
fn generate(dir: &Path, n: usize) -> usize {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml"),
    )
    .unwrap();
    let mut broken = 0;
    for i in 0..n {
        let mut text = example.replacen(
            "title: Azerbaijan – Kyrgyzstan bilateral meeting",
            &format!("title: Brief number {i}"),
            1,
        );
        if i % 40 == 7 {
            let start = text.find("    - country: Kyrgyzstan").unwrap();
            let end = text.find("purpose:").unwrap();
            text.replace_range(start..end, "\n");
            broken += 1;
        }
        std::fs::write(dir.join(format!("b{i:03}.yaml")), text).unwrap();
    }
    broken
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    v.sort();
    v
}

#[test]
fn two_hundred_briefs_build_fail_alone_and_rerun_incrementally() {
    let dir = scratch("200");
    let src = dir.join("src");
    let out = dir.join("out");
    std::fs::create_dir_all(&src).unwrap();
    let broken = generate(&src, 200);
    let manifest = dir.join("manifest.json");
    let o = brief(
        &[
            "build",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--manifest",
            manifest.to_str().unwrap(),
        ],
        EPOCH,
    );
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!("{} built, {broken} failed, 0 up to date", 200 - broken)),
        "{stderr}"
    );
    let built = pdfs(&out);
    assert_eq!(built.len(), 200 - broken);
    for pdf in &built {
        let check = Command::new("qpdf")
            .arg("--check")
            .arg(pdf)
            .output()
            .expect("qpdf is needed; run tests/run");
        assert!(check.status.success(), "{}", pdf.display());
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let entries = json["briefs"].as_array().unwrap();
    assert_eq!(entries.len(), 200);
    assert_eq!(entries.iter().filter(|e| e["status"] == "failed").count(), broken);
    let good = entries.iter().find(|e| e["status"] == "built").unwrap();
    assert_eq!(good["sha256"].as_str().unwrap().len(), 64);
    // A rerun skips everything that built.
    let again = brief(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains(&format!("0 built, {broken} failed, {} up to date", 200 - broken)),
        "{stderr}"
    );
    // --force rebuilds, to identical bytes.
    let before = std::fs::read(&built[0]).unwrap();
    let forced = brief(
        &["build", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "--force", "-j", "1"],
        EPOCH,
    );
    assert!(String::from_utf8_lossy(&forced.stderr).contains(&format!("{} built", 200 - broken)));
    assert_eq!(std::fs::read(&built[0]).unwrap(), before);
}

#[test]
fn a_changed_source_is_rebuilt_and_the_rest_skipped() {
    let dir = scratch("changed");
    let src = dir.join("src");
    let out = dir.join("out");
    std::fs::create_dir_all(&src).unwrap();
    generate(&src, 5);
    assert!(
        brief(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH)
            .status
            .success()
    );
    let file = src.join("b002.yaml");
    let text =
        std::fs::read_to_string(&file).unwrap().replace("Brief number 2", "Brief number two");
    std::fs::write(&file, text).unwrap();
    let o = brief(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 built, 0 failed, 4 up to date"));
}

#[test]
fn fail_fast_stops_early() {
    let dir = scratch("failfast");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    generate(&src, 60);
    let o = brief(
        &[
            "build",
            src.to_str().unwrap(),
            "-o",
            dir.join("out").to_str().unwrap(),
            "--fail-fast",
            "-j",
            "1",
        ],
        EPOCH,
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    // One job builds in source order: b000..b006, then b007 is the first
    // failure, and nothing after it is built.
    assert_eq!(pdfs(&dir.join("out")).len(), 7, "{stderr}");
    assert!(stderr.contains("7 built, 2 failed, 0 up to date, 51 skipped"), "{stderr}");
}

#[test]
fn shards_split_a_run_without_overlap() {
    let dir = scratch("shards");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    generate(&src, 12);
    let mut names_seen = std::collections::BTreeSet::new();
    let mut total = 0;
    let mut codes = Vec::new();
    for k in 1..=3 {
        let out = dir.join(format!("out{k}"));
        let shard = format!("{k}/3");
        let o = brief(
            &["build", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "--shard", &shard],
            EPOCH,
        );
        codes.push(o.status.code());
        let built = if out.exists() { names(&out) } else { Vec::new() };
        total += built.len();
        names_seen.extend(built);
    }
    assert_eq!(total, 12 - 1, "one of the twelve is broken");
    assert_eq!(names_seen.len(), total, "no brief is built by two shards");
    // The shard holding the broken brief exits 1, the others 0.
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(sorted, [Some(0), Some(0), Some(1)], "{codes:?}");
}

#[cfg(unix)]
#[test]
fn sigint_stops_after_the_briefs_under_way_and_the_rerun_completes() {
    interrupted("INT", 130);
}

#[cfg(unix)]
#[test]
fn sigterm_stops_like_sigint_and_the_state_is_written() {
    interrupted("TERM", 143);
}

/// Interrupts a batch of 120 briefs with `signal` once its first PDF is
/// written: it must exit `code` before the end, leave only whole PDFs and no
/// temporaries, record every PDF it wrote, and a rerun must build the rest.
#[cfg(unix)]
fn interrupted(signal: &str, code: i32) {
    let dir = scratch(&format!("sig{signal}"));
    let src = dir.join("src");
    let out = dir.join("out");
    std::fs::create_dir_all(&src).unwrap();
    generate(&src, 120);
    let args = ["build", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "-j", "1", "-q"];
    let child = command(&args, EPOCH).stderr(Stdio::null()).spawn().unwrap();
    first_pdf(&out);
    let kill = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
    assert!(kill.as_ref().is_ok_and(|s| s.success()), "kill -{signal}: {kill:?}");
    let status = child.wait_with_output().unwrap().status;
    assert_eq!(status.code(), Some(code));
    let built = pdfs(&out);
    assert!(!built.is_empty() && built.len() < 117, "{}", built.len());
    for pdf in &built {
        let check = Command::new("qpdf").arg("--check").arg(pdf).output().unwrap();
        assert!(check.status.success(), "{}", pdf.display());
    }
    let leftovers = std::fs::read_dir(&out)
        .map(|d| {
            d.flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".brief-tmp")).count()
        })
        .unwrap_or(0);
    assert_eq!(leftovers, 0);
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(".brief-state.json")).unwrap()).unwrap();
    assert_eq!(state["outputs"].as_object().unwrap().len(), built.len(), "every PDF recorded");
    let o = brief(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(&format!("{} up to date", built.len())), "{stderr}");
    assert_eq!(o.status.code(), Some(1), "one of the sources is broken: {stderr}");
    assert_eq!(pdfs(&out).len(), 117);
}

#[test]
fn equal_names_in_one_batch_get_their_file_stems_and_equal_stems_are_refused() {
    let dir = scratch("collide");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml");
    std::fs::copy(&example, dir.join("a.yaml")).unwrap();
    std::fs::copy(&example, dir.join("b.yaml")).unwrap();
    let out = dir.join("out");
    let o = brief(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        names(&out),
        [
            "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting_a.pdf",
            "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting_b.pdf"
        ]
    );
    // The same file name in two folders: nothing left to tell them apart.
    let twin = scratch("collide-twin");
    for sub in ["x", "y"] {
        std::fs::create_dir_all(twin.join(sub)).unwrap();
        std::fs::copy(&example, twin.join(sub).join("a.yaml")).unwrap();
    }
    let out = twin.join("out");
    let o = brief(&["build", twin.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("x/a.yaml")
            && stderr.contains("y/a.yaml")
            && stderr.contains("would both write"),
        "{stderr}"
    );
    assert!(!out.exists());
}

fn names(dir: &Path) -> Vec<String> {
    pdfs(dir).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect()
}

fn example_with_title(title: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml"),
    )
    .unwrap()
    .replacen(
        "title: Azerbaijan – Kyrgyzstan bilateral meeting",
        &format!("title: {title}"),
        1,
    )
}

#[test]
fn titles_in_other_scripts_and_long_titles_get_distinct_readable_names() {
    let dir = scratch("scripts");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let long = "Bilateral meeting on the joint commission for trade, transport and energy, session";
    for (file, title) in [
        ("ru1.yaml", "Встреча министров иностранных дел"),
        ("ru2.yaml", "Встреча министров экономики"),
        ("el.yaml", "Συνάντηση υπουργών"),
        ("long1.yaml", &format!("{long} one")),
        ("long2.yaml", &format!("{long} two")),
    ] {
        std::fs::write(src.join(file), example_with_title(title)).unwrap();
    }
    let out = dir.join("out");
    let o = brief(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let names = names(&out);
    assert_eq!(names.len(), 5, "{names:?}");
    for name in &names {
        assert!(name.is_ascii() && !name.contains("_.pdf"), "{name}");
    }
    assert!(
        names.contains(&"2021-07-05_vstrecha-ministrov-inostrannykh-del.pdf".to_string()),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.starts_with("2021-07-05_sunantese-upourgon")), "{names:?}");
    let cut: Vec<&String> =
        names.iter().filter(|n| n.starts_with("2021-07-05_bilateral")).collect();
    assert_eq!(cut.len(), 2, "{names:?}");
    assert!(cut.iter().all(|n| n.len() <= "2021-07-05_".len() + 60 + 9 + 4), "{cut:?}");
}

#[test]
fn a_second_source_never_silently_replaces_anothers_pdf() {
    let dir = scratch("replace");
    let (a, b) = (dir.join("a.yaml"), dir.join("b.yaml"));
    let text = example_with_title("Встреча");
    std::fs::write(&a, &text).unwrap();
    std::fs::write(&b, text.replace("Ruslan Kazakbaev", "Ruslan Kazakbayev")).unwrap();
    let out = dir.join("out");
    let first = brief(&["build", a.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    let [pdf] = &pdfs(&out)[..] else { panic!("one PDF") };
    let before = std::fs::read(pdf).unwrap();
    let second = brief(&["build", b.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("a.yaml") && stderr.contains("b.yaml") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(pdf).unwrap(), before, "the first brief's PDF is kept");
    let forced =
        brief(&["build", b.to_str().unwrap(), "-o", out.to_str().unwrap(), "--force"], EPOCH);
    assert_eq!(forced.status.code(), Some(0));
    assert_eq!(pdfs(&out).len(), 1);
    // A source renamed (the old name gone) takes its PDF over without --force.
    let c = dir.join("c.yaml");
    std::fs::rename(&b, &c).unwrap();
    let renamed = brief(&["build", c.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert_eq!(renamed.status.code(), Some(0), "{}", String::from_utf8_lossy(&renamed.stderr));
}

#[test]
fn eml_is_written_when_asked_for_even_if_the_pdfs_are_up_to_date() {
    let dir = scratch("eml");
    let src = dir.join("src");
    let out = dir.join("out");
    std::fs::create_dir_all(&src).unwrap();
    generate(&src, 3);
    let args = ["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()];
    assert_eq!(brief(&args, EPOCH).status.code(), Some(0));
    let emls = || {
        std::fs::read_dir(&out)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "eml"))
            .count()
    };
    let with_eml = [&args[..], &["--eml"]].concat();
    let o = brief(&with_eml, EPOCH);
    assert!(String::from_utf8_lossy(&o.stderr).contains("3 built, 0 failed, 0 up to date"));
    assert_eq!(emls(), 3);
    let again = brief(&with_eml, EPOCH);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 built, 0 failed, 3 up to date"));
    std::fs::remove_file(pdfs(&out)[0].with_extension("eml")).unwrap();
    let o = brief(&with_eml, EPOCH);
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 built, 0 failed, 2 up to date"));
    assert_eq!(emls(), 3);
}

#[test]
fn inputs_are_never_outputs() {
    let dir = scratch("inputs");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml");
    let src = dir.join("a.yaml");
    std::fs::copy(&example, &src).unwrap();
    let original = std::fs::read(&src).unwrap();
    let out = dir.join("out");
    // --manifest naming the source, spelled another way.
    let other_spelling = dir.join(".").join("a.yaml");
    let o = brief(
        &[
            "build",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--manifest",
            other_spelling.to_str().unwrap(),
        ],
        EPOCH,
    );
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&src).unwrap(), original);
    // A source named like a PDF, built onto itself.
    let y = dir.join("y.pdf");
    std::fs::copy(&example, &y).unwrap();
    let o = brief(&["build", y.to_str().unwrap(), "-o", y.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("input"));
    assert_eq!(std::fs::read(&y).unwrap(), original);
    // --manifest naming one of the PDFs.
    assert_eq!(
        brief(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH).status.code(),
        Some(0)
    );
    let [pdf] = &pdfs(&out)[..] else { panic!("one PDF") };
    let bytes = std::fs::read(pdf).unwrap();
    let o = brief(
        &[
            "build",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--manifest",
            pdf.to_str().unwrap(),
        ],
        EPOCH,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(pdf).unwrap(), bytes);
    // A template folder's files are inputs too.
    let template = dir.join("template");
    std::fs::create_dir_all(&template).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/briefing-note");
    for f in ["main.md", "theme.yaml"] {
        std::fs::copy(root.join(f), template.join(f)).unwrap();
    }
    let main_md = std::fs::read(template.join("main.md")).unwrap();
    let o = brief(
        &[
            "build",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--template",
            template.to_str().unwrap(),
            "--manifest",
            template.join("main.md").to_str().unwrap(),
        ],
        EPOCH,
    );
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(template.join("main.md")).unwrap(), main_md);
    // An upper-case extension still names a file.
    let report = dir.join("Report.PDF");
    let o = brief(&["build", src.to_str().unwrap(), "-o", report.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(report.is_file() && std::fs::read(&report).unwrap().starts_with(b"%PDF-"));
}

/// Waits until the first PDF of a run appears; a minute without one fails
/// the test there, rather than signalling a run that never started.
fn first_pdf(out: &Path) {
    for _ in 0..600 {
        if out.exists() && !pdfs(out).is_empty() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("no PDF in {} within a minute", out.display());
}

#[test]
fn a_panic_in_one_brief_fails_that_brief_alone() {
    let dir = scratch("panic");
    let src = dir.join("src");
    let out = dir.join("out");
    std::fs::create_dir_all(&src).unwrap();
    generate(&src, 4);
    let args = ["build", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "--color", "never"];
    let o = command(&args, None).env("BRIEF_DEBUG_PANIC_ON", "b001.yaml").output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("3 built, 1 failed"), "{stderr}");
    assert!(stderr.contains("b001.yaml: internal error"), "{stderr}");
    assert_eq!(pdfs(&out).len(), 3);
}

#[cfg(unix)]
#[test]
fn a_brief_whose_path_is_too_long_is_reported_not_skipped() {
    let dir = scratch("deep");
    // Built one folder at a time, as no single path may be this long.
    let part = "d".repeat(200);
    let mut script = String::from("set -e\n");
    for _ in 0..20 {
        script.push_str(&format!("mkdir {part} && cd {part}\n"));
    }
    script.push_str(&format!(
        "cp {} {}.yaml\n",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml").display(),
        "y".repeat(200)
    ));
    let made = Command::new("sh").arg("-c").arg(&script).current_dir(&dir).status().unwrap();
    assert!(made.success());
    let out = scratch("deep-out");
    let o = brief(
        &["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "--color", "never"],
        EPOCH,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not built") && stderr.contains("yyyy.yaml"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_state_file_or_folder_that_cannot_be_written_is_exit_2() {
    let dir = scratch("exit2");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml");
    let out = dir.join("out");
    std::fs::create_dir_all(out.join(".brief-state.json")).unwrap();
    let o = brief(&["build", example.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(dir.join("file"), "").unwrap();
    let blocked = dir.join("file").join("out");
    let o = brief(&["build", example.to_str().unwrap(), "-o", blocked.to_str().unwrap()], EPOCH);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot create folder"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn symlinks_in_a_batch_folder_are_not_followed_out_of_it() {
    let dir = scratch("links");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml");
    let (src, outside) = (dir.join("src"), dir.join("outside"));
    std::fs::create_dir_all(&src).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::copy(&example, src.join("a.yaml")).unwrap();
    let other = std::fs::read_to_string(&example).unwrap().replacen(
        "title: Azerbaijan – Kyrgyzstan bilateral meeting",
        "title: Outside the folder",
        1,
    );
    std::fs::write(outside.join("b.yaml"), other).unwrap();
    std::os::unix::fs::symlink(outside.join("b.yaml"), src.join("b.yaml")).unwrap();
    std::os::unix::fs::symlink(&outside, src.join("more")).unwrap();
    let out = dir.join("out");
    let o = brief(
        &["build", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "--color", "never"],
        EPOCH,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let built: Vec<String> =
        pdfs(&out).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(built, ["2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf"]);
    assert_eq!(stderr.matches("symbolic link skipped").count(), 2, "{stderr}");
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symlink_is_replaced_never_written_through() {
    let dir = scratch("outlink");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let target = out.join("2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf");
    std::os::unix::fs::symlink(&victim, &target).unwrap();
    let o = brief(&["build", example.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let meta = std::fs::symlink_metadata(&target).unwrap();
    assert!(meta.is_file() && std::fs::read(&target).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn output_names_never_leave_the_output_folder() {
    let dir = scratch("names");
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/az-kg-2021-07-05.yaml"),
    )
    .unwrap();
    let hostile = example.replacen(
        "title: Azerbaijan – Kyrgyzstan bilateral meeting",
        "title: ../../../etc/evil /tmp/x \\\\server\\share",
        1,
    );
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.yaml"), hostile).unwrap();
    let out = dir.join("out");
    let o = brief(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let names: Vec<String> =
        pdfs(&out).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["2021-07-05_etc-evil-tmp-x-server-share.pdf"]);
    let entries: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(entries.len(), 2, "nothing written beside out/: {entries:?}");
}
