//! The second trust round (issue 24), end to end: no input is ever an output,
//! no file no run of brief wrote is replaced without `--force`, and two runs
//! racing for one output name never both win.

#[path = "common/cli.rs"]
mod cli;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `brief` in `dir` with a fixed creation time.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "0")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs brief")
}

fn fresh(name: &str) -> PathBuf {
    cli::scratch(name)
}

fn example(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs").join(name))
        .unwrap()
}

/// Two sources in `dir`: `src.yaml` (Azerbaijan–Kyrgyzstan) and `m1.yaml` (China–Georgia).
fn two_sources(dir: &Path) {
    std::fs::write(dir.join("src.yaml"), example("az-kg-2021-07-05.yaml")).unwrap();
    std::fs::write(dir.join("m1.yaml"), example("cn-ge-2026-09-15.yaml")).unwrap();
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const AZ_KG: &str = "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf";

#[test]
fn a_book_never_replaces_one_of_its_sources() {
    let dir = fresh("book-src");
    two_sources(&dir);
    let before = std::fs::read(dir.join("src.yaml")).unwrap();
    let o = run_in(&dir, &["book", "src.yaml", "m1.yaml", "-o", "src.yaml"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("src.yaml, an input of this run"), "{}", err(&o));
    assert_eq!(std::fs::read(dir.join("src.yaml")).unwrap(), before);
    // Nor with --force: an input is never an output.
    let o = run_in(&dir, &["book", "src.yaml", "m1.yaml", "-o", "./src.yaml", "--force"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert_eq!(std::fs::read(dir.join("src.yaml")).unwrap(), before);
}

#[test]
fn a_books_email_never_replaces_a_file_no_run_wrote() {
    let dir = fresh("book-eml");
    two_sources(&dir);
    std::fs::write(dir.join("book.eml"), b"my own notes").unwrap();
    let o = run_in(
        &dir,
        &[
            "book",
            "src.yaml",
            "m1.yaml",
            "-o",
            "book.pdf",
            "--eml",
            "--from",
            "Desk <desk@example.gov>",
        ],
    );
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("book.eml exists and was not written by brief"), "{}", err(&o));
    assert_eq!(std::fs::read(dir.join("book.eml")).unwrap(), b"my own notes");
    assert!(!dir.join("book.pdf").exists(), "nothing written when one output is refused");
    let o = run_in(
        &dir,
        &[
            "book",
            "src.yaml",
            "m1.yaml",
            "-o",
            "book.pdf",
            "--eml",
            "--from",
            "Desk <desk@example.gov>",
            "--force",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_ne!(std::fs::read(dir.join("book.eml")).unwrap(), b"my own notes");
    // Written by brief now: a second run replaces both without --force.
    let o = run_in(
        &dir,
        &[
            "book",
            "src.yaml",
            "m1.yaml",
            "-o",
            "book.pdf",
            "--eml",
            "--from",
            "Desk <desk@example.gov>",
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
}

#[test]
fn charts_never_replace_an_input_named_like_a_figure() {
    let dir = fresh("charts-input");
    std::fs::create_dir_all(dir.join("ch")).unwrap();
    let source = dir.join("ch/trade-turnover.svg");
    std::fs::write(&source, example("az-kg-2021-07-05.yaml")).unwrap();
    let o = run_in(&dir, &["charts", "ch/trade-turnover.svg", "-o", "ch"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("an input of this run"), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(&source).unwrap(), example("az-kg-2021-07-05.yaml"));
}

#[test]
fn charts_never_replace_a_file_no_run_wrote_and_rerun_freely() {
    let dir = fresh("charts-foreign");
    std::fs::write(dir.join("src.yaml"), example("az-kg-2021-07-05.yaml")).unwrap();
    std::fs::create_dir_all(dir.join("ch")).unwrap();
    std::fs::write(dir.join("ch/trade-turnover.svg"), b"<svg>mine</svg>").unwrap();
    let o = run_in(&dir, &["charts", "src.yaml", "-o", "ch"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("ch/trade-turnover.svg exists and was not written"), "{}", err(&o));
    assert_eq!(std::fs::read(dir.join("ch/trade-turnover.svg")).unwrap(), b"<svg>mine</svg>");
    std::fs::remove_file(dir.join("ch/trade-turnover.svg")).unwrap();
    for _ in 0..2 {
        let o = run_in(&dir, &["charts", "src.yaml", "-o", "ch"]);
        assert_eq!(code(&o), 0, "{}", err(&o));
    }
    // Another brief's charts of the same id are not replaced either.
    let mut other = example("az-kg-2021-07-05.yaml");
    other = other.replacen("ECA/2021/0705-KG", "ECA/2021/0705-XX", 1);
    std::fs::write(dir.join("other.yaml"), other).unwrap();
    let o = run_in(&dir, &["charts", "other.yaml", "-o", "ch"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("written by"), "{}", err(&o));
}

#[test]
fn a_build_never_replaces_a_file_no_run_wrote_unless_forced() {
    let dir = fresh("build-foreign");
    two_sources(&dir);
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("out").join(AZ_KG), b"%PDF-1.7 someone else's").unwrap();
    let o = run_in(&dir, &["build", "src.yaml", "m1.yaml", "-o", "out"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains(&format!("{AZ_KG} exists and was not written by brief")));
    assert_eq!(std::fs::read(dir.join("out").join(AZ_KG)).unwrap(), b"%PDF-1.7 someone else's");
    // The other brief still builds: one refused output fails its brief alone.
    assert!(std::fs::read_dir(dir.join("out")).unwrap().count() > 2);
    let o = run_in(&dir, &["build", "src.yaml", "m1.yaml", "-o", "out", "--force"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(std::fs::read(dir.join("out").join(AZ_KG)).unwrap().starts_with(b"%PDF-1."));
    // Its email is guarded the same way.
    std::fs::write(dir.join("out").join(AZ_KG.replace(".pdf", ".eml")), b"mine").unwrap();
    let o = run_in(
        &dir,
        &["build", "src.yaml", "-o", "out", "--eml", "--from", "Desk <desk@example.gov>"],
    );
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert_eq!(
        std::fs::read(dir.join("out").join(AZ_KG.replace(".pdf", ".eml"))).unwrap(),
        b"mine"
    );
}

#[test]
fn the_state_lock_and_temporaries_are_never_other_outputs() {
    let dir = fresh("reserved");
    two_sources(&dir);
    for manifest in ["out/.brief-state.json", "out/.brief-state.lock", "out/.x.pdf.1.brief-tmp"] {
        let o = run_in(&dir, &["build", "src.yaml", "-o", "out", "--manifest", manifest]);
        assert_eq!(code(&o), 2, "{manifest}: {}", err(&o));
        assert!(err(&o).contains("which brief keeps for itself"), "{}", err(&o));
    }
    let o = run_in(&dir, &["book", "src.yaml", "m1.yaml", "-o", ".brief-state.json"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    // A manifest is recorded like any output: a rerun replaces it.
    for _ in 0..2 {
        let o = run_in(&dir, &["build", "src.yaml", "-o", "out", "--manifest", "out/m.json"]);
        assert_eq!(code(&o), 0, "{}", err(&o));
    }
    std::fs::write(dir.join("notes.json"), b"{}").unwrap();
    let o = run_in(&dir, &["build", "src.yaml", "-o", "out", "--manifest", "notes.json"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert_eq!(std::fs::read(dir.join("notes.json")).unwrap(), b"{}");
}

#[test]
fn a_damaged_state_file_is_refused_with_a_way_out() {
    let dir = fresh("damaged");
    two_sources(&dir);
    let o = run_in(&dir, &["build", "src.yaml", "-o", "out"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    // m1's name planted as another source's PDF, then the state damaged: a
    // state taken for empty would let m1 replace it.
    std::fs::write(dir.join("out/.brief-state.json"), b"{\"outputs\": {").unwrap();
    let before = std::fs::read(dir.join("out").join(AZ_KG)).unwrap();
    let mut same = example("az-kg-2021-07-05.yaml");
    same = same.replacen("ECA/2021/0705-KG", "ECA/2021/0705-ZZ", 1);
    std::fs::write(dir.join("twin.yaml"), same).unwrap();
    let o = run_in(&dir, &["build", "twin.yaml", "-o", "out"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("out/.brief-state.json") && e.contains("damaged"), "{e}");
    assert!(e.contains("move it aside") && e.contains("--force"), "{e}");
    assert_eq!(std::fs::read(dir.join("out").join(AZ_KG)).unwrap(), before);
    let o = run_in(&dir, &["build", "src.yaml", "-o", "out", "--force"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
}

#[test]
fn one_brief_to_a_named_file_is_recorded_and_checked_like_a_batch() {
    let dir = fresh("single");
    two_sources(&dir);
    let o = run_in(&dir, &["build", "src.yaml", "-o", "out"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let before = std::fs::read(dir.join("out").join(AZ_KG)).unwrap();
    let target = format!("out/{AZ_KG}");
    let o = run_in(&dir, &["build", "m1.yaml", "-o", &target]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("was written from"), "{}", err(&o));
    assert_eq!(std::fs::read(dir.join("out").join(AZ_KG)).unwrap(), before);
    // Written to a named file, it is recorded: `send` finds it, and a batch
    // of another source is refused it.
    let o = run_in(&dir, &["build", "m1.yaml", "-o", "named/x.pdf"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let state = std::fs::read_to_string(dir.join("named/.brief-state.json")).unwrap();
    assert!(state.contains("\"x.pdf\"") && state.contains("m1.yaml"), "{state}");
    let o = run_in(&dir, &["build", "m1.yaml", "-o", "named/x.pdf"]);
    assert_eq!(code(&o), 0, "a rerun replaces its own file: {}", err(&o));
}

#[test]
fn an_existing_file_given_as_the_output_folder_is_named() {
    let dir = fresh("notes-txt");
    two_sources(&dir);
    std::fs::write(dir.join("notes.txt"), b"keep").unwrap();
    let o = run_in(&dir, &["build", "src.yaml", "m1.yaml", "-o", "notes.txt"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("notes.txt is an existing file"), "{}", err(&o));
    assert!(!err(&o).contains("cannot create folder"), "{}", err(&o));
    let o = run_in(&dir, &["charts", "src.yaml", "-o", "notes.txt"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("notes.txt is an existing file"), "{}", err(&o));
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"keep");
}

/// Two runs from different sources writing one output name at the same
/// moment: never both succeed, and the file on disk is the winner's.
#[test]
fn two_runs_racing_for_one_output_name_never_both_win() {
    let dir = fresh("race");
    let a = example("az-kg-2021-07-05.yaml");
    let b = a.replacen("ECA/2021/0705-KG", "ECA/2021/0705-RACE", 1);
    std::fs::write(dir.join("a.yaml"), &a).unwrap();
    std::fs::write(dir.join("b.yaml"), &b).unwrap();
    let mut wins = [0usize; 2];
    for round in 0..50 {
        let out = format!("out{round}");
        // Half the rounds to a folder, half to the same named file.
        let target = if round % 2 == 0 { out.clone() } else { format!("{out}/{AZ_KG}") };
        let spawn = |src: &str| {
            Command::new(env!("CARGO_BIN_EXE_brief"))
                .args(["build", src, "-o", &target])
                .current_dir(&dir)
                .env("SOURCE_DATE_EPOCH", "0")
                .stderr(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (pa, pb) = (spawn("a.yaml"), spawn("b.yaml"));
        let (oa, ob) = (pa.wait_with_output().unwrap(), pb.wait_with_output().unwrap());
        let ok = [oa.status.success(), ob.status.success()];
        assert!(!(ok[0] && ok[1]), "round {round}: both runs wrote {AZ_KG}");
        assert!(ok[0] || ok[1], "round {round}: {} / {}", err(&oa), err(&ob));
        let winner = if ok[0] { "a.yaml" } else { "b.yaml" };
        wins[usize::from(ok[1])] += 1;
        let loser = if ok[0] { &ob } else { &oa };
        assert_eq!(code(loser), 2, "round {round}: {}", err(loser));
        // The file on disk is the one the winner recorded.
        let pdf = std::fs::read(dir.join(&out).join(AZ_KG)).unwrap();
        let state = std::fs::read_to_string(dir.join(&out).join(".brief-state.json")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&state).unwrap();
        let rec = &v["outputs"][AZ_KG];
        assert!(rec["source"].as_str().unwrap().ends_with(winner), "round {round}: {rec}");
        let sha = sha256_hex(&pdf);
        assert_eq!(rec["sha256"].as_str().unwrap(), sha, "round {round}");
    }
    eprintln!("wins a/b: {wins:?}");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

// Nothing skipped, nothing doubled.

/// Writes `n` briefs with distinct titles into `dir`.
fn many(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let text = example("az-kg-2021-07-05.yaml");
    for i in 0..n {
        let t = text.replacen(
            "title: Azerbaijan – Kyrgyzstan bilateral meeting",
            &format!("title: Shard brief {i}"),
            1,
        );
        std::fs::write(dir.join(format!("b{i:02}.yaml")), t).unwrap();
    }
}

fn pdf_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect()
}

#[test]
fn shards_are_the_same_however_each_spells_the_folder() {
    let dir = fresh("shards");
    let src = dir.join("src");
    many(&src, 40);
    let abs = src.to_str().unwrap().to_string();
    // Each shard spells the folder its own way, from its own working directory.
    let spellings: [(&Path, &str); 4] =
        [(&dir, "src"), (&dir, "./src/"), (&src, "."), (Path::new("/"), abs.as_str())];
    let mut all = Vec::new();
    for (k, (cwd, folder)) in spellings.iter().enumerate() {
        let out = dir.join(format!("out{k}"));
        let shard = format!("{}/4", k + 1);
        let o = run_in(cwd, &["build", folder, "-o", out.to_str().unwrap(), "--shard", &shard]);
        assert_eq!(code(&o), 0, "{}", err(&o));
        let names = pdf_names(&out);
        assert!(!names.is_empty() && names.len() < 20, "shard {shard}: {}", names.len());
        all.extend(names);
    }
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "a brief built by two shards");
    assert_eq!(all.len(), 40, "every brief exactly once");
    // And one spelling gives the same set as another.
    for (cwd, folder) in [(&dir, "src"), (&src, ".")] {
        let out = dir.join(format!("again-{}", folder.len()));
        let o = run_in(cwd, &["build", folder, "-o", out.to_str().unwrap(), "--shard", "2/4"]);
        assert_eq!(code(&o), 0, "{}", err(&o));
        let mut a = pdf_names(&out);
        let mut b = pdf_names(&dir.join("out1"));
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }
}

#[test]
fn a_source_named_twice_is_refused_naming_it_once() {
    let dir = fresh("twice");
    two_sources(&dir);
    for args in [
        &["book", "src.yaml", "src.yaml", "-o", "b.pdf"][..],
        &["book", "src.yaml", "./src.yaml", "m1.yaml", "-o", "b.pdf"],
        &["build", "src.yaml", "./src.yaml", "-o", "out"],
        &["build", ".", "src.yaml", "-o", "out"],
    ] {
        let o = run_in(&dir, args);
        assert_eq!(code(&o), 2, "{args:?}: {}", err(&o));
        let e = err(&o);
        assert!(e.contains("named twice"), "{args:?}: {e}");
        assert!(!e.contains("src.yaml and src.yaml"), "{e}");
        assert!(!dir.join("b.pdf").exists(), "{args:?} bound a book");
    }
}

#[cfg(unix)]
#[test]
fn every_file_skipped_in_a_folder_is_named_and_any_case_of_yaml_is_read() {
    let dir = fresh("skipped");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("UPPER.YAML"), example("az-kg-2021-07-05.yaml")).unwrap();
    std::fs::write(src.join("Mixed.Yml"), example("cn-ge-2026-09-15.yaml")).unwrap();
    let fifo = src.join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let o = run_in(&dir, &["check", "src"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("ok: src/UPPER.YAML") && e.contains("ok: src/Mixed.Yml"), "{e}");
    assert!(e.contains("src/pipe.yaml") && e.contains("not a regular file"), "{e}");
    let o = run_in(&dir, &["build", "src", "-o", "out"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(pdf_names(&dir.join("out")).len(), 2);
}

#[test]
fn an_empty_folder_is_an_error_not_silence() {
    let dir = fresh("empty");
    std::fs::create_dir_all(dir.join("empty/sub")).unwrap();
    std::fs::write(dir.join("empty/notes.txt"), b"not a brief").unwrap();
    for cmd in ["check", "build"] {
        let o = run_in(&dir, &[cmd, "empty"]);
        assert_eq!(code(&o), 1, "{cmd}: {}", err(&o));
        assert!(err(&o).contains("no briefing sources under empty"), "{cmd}: {}", err(&o));
    }
    // With --watch it keeps waiting, saying so once.
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["build", "empty", "-o", "out", "--watch"])
        .current_dir(&dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let running = child.try_wait().unwrap().is_none();
    let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    let o = child.wait_with_output().unwrap();
    assert!(running, "--watch gave up: {}", err(&o));
    assert_eq!(err(&o).matches("no briefing sources under empty").count(), 2, "{}", err(&o));
}

// No file is a bomb.

/// A PDF whose only content is an embedded `brief-source.json` stream with
/// these (already deflated) bytes, plus `extra` object streams; written by
/// hand, as a PDF writer would drop or rebuild object streams.
fn pdf_with_embedded(deflated: Vec<u8>, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(brief-source.json) 3 0 R] >> >> >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        b"<< /Type /Filespec /F (brief-source.json) /EF << /F 4 0 R >> >>".to_vec(),
    ];
    let stream = |dict: &str, data: &[u8]| {
        let mut o = format!("<< {dict} /Filter /FlateDecode /Length {} >>\nstream\n", data.len())
            .into_bytes();
        o.extend_from_slice(data);
        o.extend_from_slice(b"\nendstream");
        o
    };
    objects.push(stream("/Type /EmbeddedFile", &deflated));
    for bytes in extra {
        objects.push(stream("/Type /ObjStm /N 1 /First 4", bytes));
    }
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for at in offsets {
        out.extend_from_slice(format!("{at:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `n` bytes of `byte`, deflated in pieces (never held inflated).
fn deflated(byte: u8, n: usize) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![byte; 1 << 20];
    for _ in 0..n >> 20 {
        z.write_all(&chunk).unwrap();
    }
    z.finish().unwrap()
}

#[test]
fn an_embedded_source_bomb_is_refused_at_the_source_limit() {
    let dir = fresh("bomb");
    two_sources(&dir);
    // 1 GiB of spaces, about 1 MB deflated: valid JSON whitespace once inflated.
    let bomb = pdf_with_embedded(deflated(b' ', 1 << 30), &[]);
    assert!(bomb.len() < 8 << 20, "{} bytes", bomb.len());
    std::fs::write(dir.join("bomb.pdf"), &bomb).unwrap();
    let o = run_in(&dir, &["diff", "bomb.pdf", "src.yaml"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("more than 8 MiB"), "{}", err(&o));
    assert!(o.stdout.len() < 4096, "diff wrote {} bytes", o.stdout.len());
    let o = run_in(&dir, &["build", "src.yaml", "-o", "out", "--changes-since", "bomb.pdf"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("more than 8 MiB"), "{}", err(&o));
}

#[test]
fn a_pdf_with_many_object_stream_bombs_is_refused_before_they_inflate() {
    let dir = fresh("objstm");
    two_sources(&dir);
    // 40 object streams of 8 MiB each (320 MiB inflated) in a small file.
    let one = deflated(b' ', 8 << 20);
    let extra: Vec<Vec<u8>> = (0..40).map(|_| one.clone()).collect();
    let pdf = pdf_with_embedded(deflated(b' ', 1 << 20), &extra);
    assert!(pdf.len() < 8 << 20, "{} bytes", pdf.len());
    std::fs::write(dir.join("many.pdf"), &pdf).unwrap();
    let o = run_in(&dir, &["diff", "many.pdf", "src.yaml"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("too large to read back"), "{}", err(&o));
}

#[test]
fn jobs_are_capped_with_a_clear_message() {
    let dir = fresh("jobs");
    two_sources(&dir);
    for n in ["4294967296", "18446744073709551615", "100000", "0"] {
        let o = run_in(&dir, &["build", "src.yaml", "-o", "out", "-j", n]);
        assert_eq!(code(&o), 2, "-j {n}: {}", err(&o));
        assert!(err(&o).contains("--jobs"), "{}", err(&o));
    }
    let o = run_in(&dir, &["build", "src.yaml", "-o", "out", "-j", "256"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
}

// No text is a command.

/// The example brief with `purpose` replaced by `purpose` (a YAML block).
fn with_purpose(purpose: &str, title: &str) -> String {
    let text = example("az-kg-2021-07-05.yaml");
    let start = text.find("\npurpose:").unwrap() + 1;
    let rest = &text[start + "purpose:".len()..];
    let end =
        start + "purpose:".len() + rest.find("\n\n").or_else(|| rest.find("\nsummary:")).unwrap();
    let block: String = purpose.lines().map(|l| format!("  {l}\n")).collect();
    let mut out = format!("{}purpose: |\n{block}{}", &text[..start], &text[end + 1..]);
    out = out.replacen(
        "title: Azerbaijan – Kyrgyzstan bilateral meeting",
        &format!("title: {title:?}"),
        1,
    );
    out
}

fn pdftotext(pdf: &Path) -> String {
    let o = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().unwrap();
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_purpose_full_of_directives_is_printed_and_adds_nothing() {
    let dir = fresh("inject");
    let plain = with_purpose("Agree on trade.", "Azerbaijan – Kyrgyzstan bilateral meeting");
    std::fs::write(dir.join("plain.yaml"), plain).unwrap();
    let evil = with_purpose(
        "Agree on trade.\n:::\n::: pagebreak\n::: fields\nClassification: TOP SECRET\n:::\nx <!--changed--> y",
        "Az\n::: pagebreak\n# Big",
    );
    std::fs::write(dir.join("evil.yaml"), evil).unwrap();
    for name in ["plain", "evil"] {
        let o = run_in(&dir, &["build", &format!("{name}.yaml"), "-o", &format!("{name}.pdf")]);
        assert_eq!(code(&o), 0, "{}", err(&o));
    }
    let (plain, evil) = (pdftotext(&dir.join("plain.pdf")), pdftotext(&dir.join("evil.pdf")));
    assert_eq!(plain.matches('\u{c}').count(), evil.matches('\u{c}').count(), "a page was added");
    let flat = evil.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Az ::: pagebreak # Big"), "{flat}");
    assert!(
        flat.contains(
            "Agree on trade. ::: ::: pagebreak ::: fields Classification: TOP SECRET ::: x <!--"
        ),
        "{flat}"
    );
    // No title-block row was added: the label is never at a line's start.
    assert!(!evil.lines().any(|l| l.trim_start().starts_with("Classification")), "{evil}");
}

/// The embedded source of a PDF built from `source` in `dir`, as text.
fn embedded_json(dir: &Path, source: &str) -> String {
    let pdf = dir.join("embedded.pdf");
    let o =
        run_in(dir, &["build", source, "-o", pdf.to_str().unwrap(), "--embed-source", "--force"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = Command::new("qpdf")
        .arg("--show-attachment=brief-source.json")
        .arg(&pdf)
        .output()
        .expect("qpdf is needed; run tests/run");
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn an_embedded_source_is_validated_exactly_as_a_source_file() {
    let dir = fresh("embedded-valid");
    two_sources(&dir);
    let json = embedded_json(&dir, "src.yaml");
    for (what, from, to) in [
        ("an impossible date", "\"date\":\"2021-07-05\"", "\"date\":\"2021-02-30\""),
        ("a bad figure id", "\"id\":\"trade-turnover\"", "\"id\":\"BAD ID\""),
        ("an unknown chart kind", "\"kind\":\"bar\"", "\"kind\":\"donut\""),
        ("a control character", "\"title\":\"Azerbaijan", "\"title\":\"\\u001b[31mAzerbaijan"),
    ] {
        assert!(json.contains(from), "{what}: {from} not in {json}");
        let tampered = json.replacen(from, to, 1);
        let pdf = pdf_with_embedded(deflated_bytes(tampered.as_bytes()), &[]);
        std::fs::write(dir.join("tampered.pdf"), pdf).unwrap();
        let o = run_in(&dir, &["diff", "tampered.pdf", "src.yaml"]);
        assert_eq!(code(&o), 2, "{what}: {}", err(&o));
        assert!(err(&o).contains("embedded source"), "{what}: {}", err(&o));
        assert!(!err(&o).contains('\u{1b}') && !o.stdout.contains(&0x1b), "{what}: raw escape");
        let o =
            run_in(&dir, &["build", "src.yaml", "-o", "t.pdf", "--changes-since", "tampered.pdf"]);
        assert_eq!(code(&o), 2, "{what}: {}", err(&o));
    }
    // Untampered, it is the same brief as its source: nothing changed,
    // and the time reads as written.
    let pdf = pdf_with_embedded(deflated_bytes(json.as_bytes()), &[]);
    std::fs::write(dir.join("same.pdf"), pdf).unwrap();
    let o = run_in(&dir, &["diff", "same.pdf", "src.yaml"]);
    assert_eq!(code(&o), 0, "{}{}", err(&o), String::from_utf8_lossy(&o.stdout));
}

fn deflated_bytes(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

#[test]
fn changes_since_another_briefs_pdf_is_refused_naming_both() {
    let dir = fresh("other-brief");
    two_sources(&dir);
    let o = run_in(&dir, &["build", "m1.yaml", "-o", "cn.pdf", "--embed-source"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = run_in(&dir, &["build", "src.yaml", "-o", "az.pdf", "--changes-since", "cn.pdf"]);
    assert_ne!(code(&o), 0, "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("is another brief") && e.contains("China") && e.contains("Azerbaijan"),
        "{e}"
    );
    assert!(e.contains("--force"), "{e}");
    assert!(!dir.join("az.pdf").exists());
    let o = run_in(
        &dir,
        &["build", "src.yaml", "-o", "az.pdf", "--changes-since", "cn.pdf", "--force"],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    // An older version of itself (another title, same reference) is compared.
    let old = example("az-kg-2021-07-05.yaml").replacen(
        "title: Azerbaijan – Kyrgyzstan bilateral meeting",
        "title: An older title",
        1,
    );
    std::fs::write(dir.join("old.yaml"), old).unwrap();
    let o = run_in(&dir, &["build", "old.yaml", "-o", "old.pdf", "--embed-source"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = run_in(&dir, &["build", "src.yaml", "-o", "az2.pdf", "--changes-since", "old.pdf"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
}

#[test]
fn diff_prints_times_as_written_and_no_raw_control_characters() {
    let dir = fresh("diff-time");
    let text = example("cn-ge-2026-09-15.yaml");
    assert!(
        text.contains("time: \"10:00\"")
            || text.contains("time: 10:00")
            || text.contains("time: '10:00'")
    );
    let none = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("time:"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("old.yaml"), none).unwrap();
    let new = text.replacen("title: China", "title: \"\u{202e}China", 1);
    let new = if new.contains("title: \"\u{202e}China") {
        // close the quote opened above at the end of the title line
        new.lines()
            .map(|l| {
                if l.contains("title: \"\u{202e}China") { format!("{l}\"") } else { l.to_string() }
            })
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        new
    };
    std::fs::write(dir.join("new.yaml"), &text).unwrap();
    let o = run_in(&dir, &["diff", "old.yaml", "new.yaml"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{}{out}", err(&o));
    assert!(out.contains("\"10:00\""), "{out}");
    assert!(!out.contains("10:00:00"), "{out}");
    // A version with a right-to-left override in its title is refused at
    // the character, which the message shows escaped, never raw.
    std::fs::write(dir.join("hostile.yaml"), &new).unwrap();
    let o = run_in(&dir, &["diff", "old.yaml", "hostile.yaml"]);
    let (out, e) = (String::from_utf8_lossy(&o.stdout), err(&o));
    assert_eq!(code(&o), 2, "{e}{out}");
    assert!(e.contains("text direction control U+202E") && e.contains("\\u{202e}China"), "{e}");
    assert!(
        !e.contains('\u{202e}') && !out.contains('\u{202e}'),
        "a bidi override reached the terminal: {e}{out}"
    );
}

// Smaller.

#[test]
fn to_is_an_address_list_with_commas_inside_quotes() {
    let dir = fresh("to-list");
    two_sources(&dir);
    let o = run_in(
        &dir,
        &[
            "book",
            "src.yaml",
            "m1.yaml",
            "-o",
            "b.pdf",
            "--eml",
            "--from",
            "Desk <desk@example.gov>",
            "--to",
            r#"a@x.org,"Smith, John" <j@x.org>"#,
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let eml = std::fs::read_to_string(dir.join("b.eml")).unwrap();
    let to: String = eml
        .lines()
        .skip_while(|l| !l.starts_with("To:"))
        .take_while(|l| l.starts_with("To:") || l.starts_with(' '))
        .collect();
    // The name, with its comma, whole (RFC 2047-encoded: "Smith, John").
    let named = to.contains("\"Smith, John\"") || to.contains("U21pdGgsIEpvaG4=");
    assert!(to.contains("a@x.org") && to.contains("<j@x.org>") && named, "{to}");
}

#[test]
fn a_long_book_title_is_cut_in_the_running_line_and_whole_on_the_cover() {
    let dir = fresh("long-title");
    two_sources(&dir);
    let title = "A summit of many meetings ".repeat(6);
    let title = title.trim();
    assert!(title.len() > 140);
    let o = run_in(&dir, &["book", "src.yaml", "m1.yaml", "-o", "b.pdf", "--title", title]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = pdftotext(&dir.join("b.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(title), "the cover has the whole title");
    assert!(text.contains('…'), "the running line is cut with an ellipsis");
}

#[test]
fn diff_json_carries_no_raw_bidi_override_and_new_never_writes_a_kept_file() {
    let dir = fresh("diff-json");
    let text = example("cn-ge-2026-09-15.yaml");
    std::fs::write(dir.join("old.yaml"), &text).unwrap();
    let new = text.replacen("title: China", "title: \u{202e}China", 1);
    std::fs::write(dir.join("new.yaml"), new).unwrap();
    let o = run_in(&dir, &["diff", "old.yaml", "new.yaml", "--format", "json"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    let (out, e) = (String::from_utf8(o.stdout.clone()).unwrap(), err(&o));
    assert!(out.is_empty(), "no JSON for a refused source: {out}");
    assert!(e.contains("brief.title") && !e.contains('\u{202e}'), "{e}");
    let o = run_in(&dir, &["new", ".brief-state.json"]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(!dir.join(".brief-state.json").exists());
}

/// A direction control (which would show the words after it in another
/// order) or a control character comes in by no route around the YAML
/// reader: a markdown field's character reference, a book's `--title`, an
/// argument the command line refuses. Each is an error; none reaches a
/// page or the terminal raw.
#[test]
fn direction_controls_come_in_by_no_side_door() {
    let dir = fresh("side-doors");
    two_sources(&dir);
    let raw = |o: &Output| {
        let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), err(o));
        all.chars().any(|c| brief::escape::is_direction_control(c) || c == '\u{1b}')
    };
    let text = example("az-kg-2021-07-05.yaml").replacen(
        "  The sides agreed to reactivate",
        "  Pay &#x202E;100 not 1000. The sides agreed to reactivate",
        1,
    );
    std::fs::write(dir.join("ref.yaml"), text).unwrap();
    let o = run_in(&dir, &["check", "ref.yaml"]);
    let e = err(&o);
    assert_eq!(code(&o), 1, "{e}");
    assert!(e.contains("the character reference `&#x202E;` is the text direction control U+202E"));
    assert!(e.contains("ref.yaml:48:3") && e.contains("summary"), "{e}");
    let title = "Summit pay \u{202e}100 not 1000";
    let o = run_in(&dir, &["book", "src.yaml", "m1.yaml", "-o", "b.pdf", "--title", title]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("text direction control U+202E") && !raw(&o), "{}", err(&o));
    assert!(!dir.join("b.pdf").exists());
    for args in [&["bu\u{202e}ild"][..], &["build", "src.yaml", "--paper", "a4\u{1b}[2Jx"]] {
        let o = run_in(&dir, args);
        assert_eq!(code(&o), 2, "{}", err(&o));
        assert!(!raw(&o), "{:?}", err(&o));
    }
}

/// A markdown field's heading prints as written, never a heading of the
/// document (or an entry of its outline) beside the template's sections; a
/// link a build would refuse is refused by `check`, at its field; a running
/// line written over two lines keeps a space between its words.
#[test]
fn a_field_adds_no_heading_and_check_refuses_what_build_would() {
    let dir = fresh("headings");
    let text = example("az-kg-2021-07-05.yaml")
        .replacen("key_messages:\n", "key_messages:\n  - \"# KM heading\"\n", 1)
        .replacen(
            "  handling: Not for onward distribution",
            "  handling: \"Not for\\nonward distribution\"",
            1,
        );
    std::fs::write(dir.join("h.yaml"), &text).unwrap();
    let o = run_in(&dir, &["build", "h.yaml", "-o", "h.pdf"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let page = pdftotext(&dir.join("h.pdf"));
    assert!(page.contains("# KM heading"), "{page}");
    assert!(page.contains("Not for onward distribution"), "{page}");
    // As many outline entries and heading elements as the example has.
    std::fs::write(dir.join("e.yaml"), example("az-kg-2021-07-05.yaml")).unwrap();
    assert_eq!(code(&run_in(&dir, &["build", "e.yaml", "-o", "e.pdf"])), 0);
    let count = |pdf: &str| {
        let qdf = Command::new("qpdf")
            .args(["--qdf", "--object-streams=disable", pdf, "-"])
            .current_dir(&dir)
            .output()
            .unwrap();
        let raw = String::from_utf8_lossy(&qdf.stdout).into_owned();
        (raw.matches("/Title").count(), raw.matches("/S /H").count())
    };
    assert_eq!(count("h.pdf"), count("e.pdf"));
    let link = text.replacen(
        "  The sides agreed to reactivate",
        "  See [a](javascript:alert(1)). The sides agreed to reactivate",
        1,
    );
    std::fs::write(dir.join("l.yaml"), link).unwrap();
    let o = run_in(&dir, &["check", "l.yaml"]);
    let e = err(&o);
    assert_eq!(code(&o), 1, "{e}");
    assert!(
        e.contains("the link `javascript:alert(1)` is not a web address")
            && e.contains("l.yaml:48:3")
            && e.contains("summary"),
        "{e}"
    );
    // Words no page would show: a link's title.
    let titled = text.replacen(
        "  The sides agreed to reactivate",
        "  See [the report](https://e.org \"Secret words\"). The sides agreed to reactivate",
        1,
    );
    std::fs::write(dir.join("t.yaml"), titled).unwrap();
    let o = run_in(&dir, &["check", "t.yaml"]);
    let e = err(&o);
    assert_eq!(code(&o), 1, "{e}");
    assert!(
        e.contains("the link's title `Secret words` would not be printed")
            && e.contains("t.yaml:48:3"),
        "{e}"
    );
}
