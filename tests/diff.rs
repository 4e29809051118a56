//! `brief diff` and `brief build --changes-since` end to end: exit codes and
//! reports, the changes box (pdftotext), change bars (their positions in the
//! laid-out pages), old versions from YAML, from `git:REV` in a temporary
//! repository and from a PDF built with `--embed-source`, and the email.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, brief_in, scratch};

/// The build date every run of this file stamps its PDFs with.
const EPOCH: Option<&str> = Some("1625443200");

#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLE: &str = "briefs/az-kg-2021-07-05.yaml";

fn new_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE)).unwrap()
}

/// Version 0.3 of the example: a key message and the summary worded
/// differently, the fourth message not yet written, an agenda point since dropped, a measure still pending.
fn old_text() -> String {
    let mut s = new_text();
    for (from, to) in [
        ("version: \"1.0\"", "version: \"0.3\""),
        ("  date: 2021-07-05\n  as_of: 2021-07-05", "  date: 2021-07-01\n  as_of: 2021-07-01"),
        (
            "the **67% growth** in mutual trade in January–May 2021",
            "the growth in mutual trade in early 2021",
        ),
        ("  - Azerbaijan will complete the park and school it funds in Bishkek.\n", ""),
        ("The sides agreed to reactivate", "The sides discussed reactivating"),
        (
            "medical aid of April 2020.\n",
            "medical aid of April 2020.\n      - Cultural exchange programme for 2022.\n",
        ),
        (
            "Create a joint investment fund\n    status: under consideration",
            "Create a joint investment fund\n    status: pending",
        ),
    ] {
        assert!(s.contains(from), "the example changed: {from}");
        s = s.replacen(from, to, 1);
    }
    s
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn page_one(pdf: &Path) -> String {
    let text = tool("pdftotext", &["-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The box on page 1 names what was added, changed and removed.
fn assert_box(pdf: &Path) {
    let text = page_one(pdf);
    for expected in [
        "Changes since version 0.3 (1 July 2021)",
        "Added: Key messages 4: Azerbaijan will complete the park and school",
        "Changed: Key messages 1:",
        "67% growth",
        "Changed: Agreed measures 4: Status: pending, now under consideration",
        "Removed: Agenda 3.2: Cultural exchange programme for 2022.",
    ] {
        assert!(text.contains(expected), "{expected:?} not on page 1:\n{text}");
    }
}

#[test]
fn diff_exits_0_when_the_same_1_when_different_2_on_trouble() {
    let dir = scratch("exit");
    let old = write(&dir, "old.yaml", &old_text());
    let same = brief(&["diff", EXAMPLE, EXAMPLE], EPOCH);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(same.stdout.is_empty());

    let differ = brief(&["diff", old.to_str().unwrap(), EXAMPLE], EPOCH);
    assert_eq!(differ.status.code(), Some(1), "{}", stderr(&differ));
    let out = String::from_utf8(differ.stdout).unwrap();
    assert!(out.contains("added    key_messages[3]"), "{out}");
    assert!(out.contains("removed  agenda[2].points[1]"), "{out}");
    assert!(out.contains("{+**67% growth**+}"), "{out}");

    let json = brief(&["diff", old.to_str().unwrap(), EXAMPLE, "--format", "json"], EPOCH);
    assert_eq!(json.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["same"], false);
    let kinds: Vec<&str> =
        value["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"added") && kinds.contains(&"removed") && kinds.contains(&"changed"));

    let missing = brief(&["diff", "nope.yaml", EXAMPLE], EPOCH);
    assert_eq!(missing.status.code(), Some(2));
    let bad = write(&dir, "bad.yaml", "brief: [\n");
    let invalid = brief(&["diff", bad.to_str().unwrap(), EXAMPLE], EPOCH);
    assert_eq!(invalid.status.code(), Some(2), "{}", stderr(&invalid));
    assert!(stderr(&invalid).contains("bad.yaml"), "{}", stderr(&invalid));
}

#[test]
fn changes_since_a_yaml_file_puts_the_box_on_page_one_and_rebuilds_the_same_bytes() {
    let dir = scratch("yaml");
    let old = write(&dir, "old.yaml", &old_text());
    let pdf = dir.join("new.pdf");
    let args = ["build", EXAMPLE, "--changes-since", old.to_str().unwrap(), "-o"];
    let o = brief(&[&args[..], &[pdf.to_str().unwrap()]].concat(), EPOCH);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_box(&pdf);
    let first = std::fs::read(&pdf).unwrap();
    let again = brief(&[&args[..], &[pdf.to_str().unwrap()]].concat(), EPOCH);
    assert!(again.status.success());
    assert_eq!(first, std::fs::read(&pdf).unwrap(), "not byte-identical");

    // Without the option there is no box.
    let plain = dir.join("plain.pdf");
    assert!(brief(&["build", EXAMPLE, "-o", plain.to_str().unwrap()], EPOCH).status.success());
    assert!(!page_one(&plain).contains("Changes since"));

    // One old file cannot be the old version of several briefs.
    let o = brief(
        &[
            "build",
            "briefs",
            "--changes-since",
            old.to_str().unwrap(),
            "-o",
            dir.join("out").to_str().unwrap(),
        ],
        EPOCH,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("use --changes-since git:REV"), "{}", stderr(&o));

    // With no differences the box says so.
    let same = dir.join("same.pdf");
    let o =
        brief(&["build", EXAMPLE, "--changes-since", EXAMPLE, "-o", same.to_str().unwrap()], EPOCH);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = page_one(&same);
    assert!(text.contains("Changes since version 1.0 (5 July 2021) No changes."), "{text}");
}

#[test]
fn every_product_gets_the_box() {
    let dir = scratch("products");
    let old = write(&dir, "old.yaml", &old_text());
    let out = dir.join("out");
    let o = brief(
        &[
            "build",
            EXAMPLE,
            "--all-products",
            "--changes-since",
            old.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        EPOCH,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let pdfs: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 3);
    for pdf in pdfs {
        let text = page_one(&pdf);
        assert!(text.contains("Changes since version 0.3"), "{pdf:?}: {text}");
    }
}

/// Change bars, checked where layout puts them: in the outer margin (right
/// on odd pages, left on even ones), level with the changed block, and
/// nowhere beside a block that did not change.
#[test]
fn change_bars_stand_in_the_outer_margin_beside_the_changed_blocks() {
    use brief::frame::{Item, Seg};
    let env = brief::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let old = brief::check("old.yaml", old_text().as_bytes(), &env).unwrap().value;
    let new = brief::check("new.yaml", new_text().as_bytes(), &env).unwrap().value;
    let old = brief::diff::origin::value(&old);
    let changes = brief::diff::diff_values(&old, &brief::diff::origin::value(&new));
    let extras = brief::render::Extras {
        changes: Some(brief::diff::wording::changes_box(&old, &changes, "en")),
        embedded: None,
    };
    let template = brief::render::Template::builtin("briefing-note").unwrap();
    let inputs = brief::render::Inputs { today: new.brief.date, created: 0, paper: None };
    let rendered = brief::render::render_with(&template, &new, &inputs, &extras).unwrap();
    let style = rendered.style.clone();
    let doc = brief::layout::layout(&rendered, env.fonts).unwrap();

    // Bars: thin filled rectangles outside the text column, as (x, top, bottom).
    let bars = |page: usize| -> Vec<(f32, f32, f32)> {
        doc.pages[page]
            .leaves()
            .into_iter()
            .filter_map(|i| match i {
                Item::Path(p) if p.fill.is_some() => match p.segs[..] {
                    [Seg::Move(x0, y0), Seg::Line(x1, _), Seg::Line(_, y1), ..] => {
                        let outside =
                            x1 <= style.margin_left || x0 >= style.page_width - style.margin_right;
                        (outside && (x1 - x0).abs() < 3.0).then_some((x0, y0, y1))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect()
    };
    // The last run with the text: the box on page 1 quotes some of it first.
    let line = |page: usize, text: &str| -> f32 {
        doc.pages[page]
            .leaves()
            .into_iter()
            .rev()
            .find_map(|i| match i {
                Item::Text(r) if r.text().contains(text) => Some(r.y),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{text:?} not on page {}", page + 1))
    };
    let beside =
        |page: usize, y: f32| bars(page).iter().any(|(_, top, bottom)| *top < y && y < *bottom);

    let right = style.page_width - style.margin_right;
    assert!(!bars(0).is_empty(), "no change bar on page 1");
    assert!(bars(0).iter().all(|(x, _, _)| *x > right), "page 1 bars not in the right margin");
    // The added fourth key message and the reworded first one have bars…
    assert!(beside(0, line(0, "Azerbaijan will complete the park")), "{:?}", bars(0));
    assert!(beside(0, line(0, "67% growth")), "{:?}", bars(0));
    // …and so does the summary, a whole field changed (a `::: changed` block)…
    assert!(beside(0, line(0, "The sides agreed to reactivate")), "{:?}", bars(0));
    // …the unchanged second one does not.
    assert!(!beside(0, line(0, "The joint intergovernmental commission should")));
    // On page 2 the changed measure's row has one, in the left margin.
    let row = line(1, "Create a joint investment fund");
    assert!(beside(1, row), "{:?}", bars(1));
    assert!(bars(1).iter().all(|(x, _, _)| *x < style.margin_left));
    assert!(!beside(1, line(1, "Reactivate the joint intergovernmental")));

    // Built without --changes-since, nothing is barred.
    let plain = brief::render::render(&template, &new, &inputs).unwrap();
    let doc = brief::layout::layout(&plain, env.fonts).unwrap();
    let any = doc.pages.iter().flat_map(|p| p.leaves()).any(|i| match i {
        Item::Path(p) => p.segs.iter().any(|s| matches!(s, Seg::Move(x, _) if *x > right)),
        _ => false,
    });
    assert!(!any, "a bar without --changes-since");
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git is needed");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

#[test]
fn changes_since_a_git_revision_in_a_temporary_repository() {
    let dir = scratch("git");
    git(&dir, &["init", "-q"]);
    write(&dir, "brief.yaml", &old_text());
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "version 0.3"]);
    write(&dir, "brief.yaml", &new_text());
    write(&dir, "fresh.yaml", &new_text().replace("bilateral meeting\n", "working lunch\n"));

    let o = brief_in(&dir, &["diff", "git:HEAD", "brief.yaml"], EPOCH);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    let o = brief_in(&dir, &["build", ".", "-o", "out", "--changes-since", "git:HEAD"], EPOCH);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_box(&dir.join("out/2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf"));
    let fresh = dir.join("out/2021-07-05_azerbaijan-kyrgyzstan-working-lunch.pdf");
    assert!(!page_one(&fresh).contains("Changes since"), "a new brief got a box");
    let summary = stderr(&o);
    assert!(
        summary.contains("1 brief new since git:HEAD") && summary.contains("fresh.yaml"),
        "{summary}"
    );

    let o = brief_in(&dir, &["diff", "git:no-such-rev", "brief.yaml"], EPOCH);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown git revision `no-such-rev`"), "{}", stderr(&o));
    let o = brief_in(
        &dir,
        &["build", "brief.yaml", "-o", "x.pdf", "--changes-since", "git:nope"],
        EPOCH,
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown git revision `nope`"), "{}", stderr(&o));

    let outside = scratch("no-repo");
    write(&outside, "brief.yaml", &new_text());
    let o = brief_in(&outside, &["diff", "git:HEAD", "brief.yaml"], EPOCH);
    // A temporary folder may sit inside someone's repository; only outside one is the error sure.
    if Command::new("git")
        .args(["-C", outside.to_str().unwrap(), "rev-parse"])
        .output()
        .is_ok_and(|g| !g.status.success())
    {
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("not inside a git repository"), "{}", stderr(&o));
    }
}

#[test]
fn changes_since_a_pdf_built_with_embed_source() {
    let dir = scratch("embed");
    let old = write(&dir, "old.yaml", &old_text());
    let old_pdf = dir.join("old.pdf");
    let o = brief(
        &["build", old.to_str().unwrap(), "--embed-source", "-o", old_pdf.to_str().unwrap()],
        EPOCH,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tool("pdfdetach", &["-list", old_pdf.to_str().unwrap()]).contains("brief-source.json"));
    tool("qpdf", &["--check", old_pdf.to_str().unwrap()]);
    // The model, not the YAML: the source's comments stay behind.
    let json = brief::pdf::embed::read(&std::fs::read(&old_pdf).unwrap()).unwrap();
    let json = String::from_utf8(json).unwrap();
    assert!(
        json.contains("\"version\":\"0.3\"") && !json.contains("Every measure reported"),
        "{json}"
    );

    let pdf = dir.join("new.pdf");
    let o = brief(
        &[
            "build",
            EXAMPLE,
            "--changes-since",
            old_pdf.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ],
        EPOCH,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_box(&pdf);
    let o = brief(&["diff", old_pdf.to_str().unwrap(), EXAMPLE], EPOCH);
    assert_eq!(o.status.code(), Some(1));

    // Off by default; a PDF without it is a clear error.
    assert!(tool("pdfdetach", &["-list", pdf.to_str().unwrap()]).starts_with("0 embedded files"));
    let o = brief(
        &[
            "build",
            EXAMPLE,
            "--changes-since",
            pdf.to_str().unwrap(),
            "-o",
            dir.join("x.pdf").to_str().unwrap(),
        ],
        EPOCH,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("this PDF has no embedded brief source"), "{}", stderr(&o));
}

#[test]
fn the_email_lists_the_changes_shortened() {
    let dir = scratch("eml");
    let old = write(&dir, "old.yaml", &old_text());
    let pdf = dir.join("new.pdf");
    let o = brief(
        &[
            "build",
            EXAMPLE,
            "--eml",
            "--from",
            "Desk <desk@example.gov>",
            "--changes-since",
            old.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ],
        EPOCH,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let eml = std::fs::read_to_string(pdf.with_extension("eml")).unwrap();
    // Quoted-printable: undo soft line breaks before looking.
    let eml = eml.replace("=\r\n", "").replace("=\n", "");
    let text = eml.split("Content-Type: text/html").next().unwrap();
    for expected in [
        "Changes since version 0.3 (1 July 2021)",
        "- Added: Key messages 4: Azerbaijan will complete",
        "- Removed: Agenda 3.2: Cultural exchange programme for 2022.",
    ] {
        assert!(text.contains(expected), "{expected:?} not in the text part:\n{text}");
    }
    assert!(eml.contains("<h2>Changes since version 0.3 (1 July 2021)</h2>"));
    let plain = dir.join("plain.pdf");
    assert!(
        brief(
            &[
                "build",
                EXAMPLE,
                "--eml",
                "--from",
                "Desk <desk@example.gov>",
                "-o",
                plain.to_str().unwrap()
            ],
            EPOCH
        )
        .status
        .success()
    );
    assert!(
        !std::fs::read_to_string(plain.with_extension("eml")).unwrap().contains("Changes since")
    );
}

#[test]
fn embedding_and_the_old_version_are_inputs_of_the_up_to_date_check() {
    let dir = scratch("fresh");
    let out = dir.join("out");
    let old = write(&dir, "old.yaml", &old_text());
    let run = |extra: &[&str]| {
        let o =
            brief(&[&["build", EXAMPLE, "-o", out.to_str().unwrap()][..], extra].concat(), EPOCH);
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o)
    };
    assert!(run(&[]).contains("built "));
    assert!(run(&[]).contains("up to date"));
    assert!(run(&["--embed-source"]).contains("built "), "embedding did not rebuild");
    assert!(run(&["--embed-source"]).contains("up to date"));
    let with_old = ["--embed-source", "--changes-since", old.to_str().unwrap()];
    assert!(run(&with_old).contains("built "), "a different old version did not rebuild");
    assert!(run(&with_old).contains("up to date"));
}
