//! `brief.toml` end to end: found walking up from a source, its template,
//! template folders and output used by a plain `brief build`, precedence of
//! flags, environment and file, located errors, `brief config`, and the
//! sender of `--eml` never invented.

#[path = "common/cli.rs"]
mod cli;
use cli::{command, parts, root, scratch};

#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::path::{Path, PathBuf};
use std::process::Output;

/// The words the house template adds under the title, to tell its PDFs apart.
const MARK: &str = "Europe Desk house note";

/// `brief args…` in `dir`, with no sender from the developer's environment
/// unless `env` gives one.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = command(args, Some("0"));
    cmd.current_dir(dir);
    for var in ["BRIEF_SMTP_FROM", "BRIEF_SMTP_SERVER", "BRIEF_SMTP_PORT", "BRIEF_SMTP_SECURITY"] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("runs brief")
}

/// A project: `brief.toml` (the given text), `templates/house-note` (the
/// briefing note with [`MARK`] under the title) and `desk/sub/x.yaml`, the
/// example brief with its `template:` line replaced by `template_line`.
fn project(name: &str, toml: &str, template_line: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let house = dir.join("templates/house-note");
    std::fs::create_dir_all(&house).unwrap();
    let main = std::fs::read_to_string(root().join("templates/briefing-note/main.md")).unwrap();
    let (first, rest) = main.split_once('\n').unwrap();
    let (title, rest) = rest.split_once('\n').unwrap();
    std::fs::write(house.join("main.md"), format!("{first}\n{title}\n\n{MARK}\n{rest}")).unwrap();
    let theme = root().join("templates/briefing-note/theme.yaml");
    std::fs::copy(theme, house.join("theme.yaml")).unwrap();
    std::fs::write(dir.join("brief.toml"), toml).unwrap();
    let example = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    assert!(example.contains("  template: briefing-note\n"));
    let source = example.replace("  template: briefing-note\n", template_line);
    let sub = dir.join("desk/sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("x.yaml"), source).unwrap();
    (dir, sub.join("x.yaml"))
}

const PDF: &str = "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf";

fn text(pdf: &Path) -> String {
    tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
}

#[test]
fn plain_build_uses_the_configured_template_and_output_found_walking_up() {
    let toml = "template = \"house-note\"\ntemplate_dirs = [\"templates\"]\noutput = \"pdfs\"\npaper = \"letter\"\n";
    let (dir, _) = project("plain", toml, "");
    // From a folder below the file, naming the source relative to it.
    let (code, _, err) = parts(&run(&dir.join("desk"), &["build", "sub/x.yaml"], &[]));
    assert_eq!(code, 0, "{err}");
    // `output` is relative to brief.toml, not to the working folder.
    let pdf = dir.join("pdfs").join(PDF);
    assert!(pdf.is_file(), "{err}");
    assert!(!dir.join("desk/out").exists());
    assert!(text(&pdf).contains(MARK), "the house template was not used");
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Page size:       612 x 792 pts (letter)"), "paper: {info}");

    // A flag beats the file: the built-in template and another folder.
    let args = ["build", "desk/sub/x.yaml", "--template", "briefing-note", "-o", "flag"];
    let (code, _, err) = parts(&run(&dir, &args, &[]));
    assert_eq!(code, 0, "{err}");
    assert!(!text(&dir.join("flag").join(PDF)).contains(MARK));
}

#[test]
fn a_source_names_a_house_template_through_template_dirs() {
    let toml = "template_dirs = [\"templates\"]\n";
    let (dir, source) = project("named", toml, "  template: house-note\n");
    let (code, _, err) = parts(&run(&dir, &["build", source.to_str().unwrap()], &[]));
    assert_eq!(code, 0, "{err}");
    assert!(text(&dir.join("out").join(PDF)).contains(MARK));

    // A name that matches nothing: located in the source, with what exists.
    let bad = std::fs::read_to_string(&source).unwrap().replace("house-note", "house-noet");
    std::fs::write(&source, &bad).unwrap();
    let (code, _, err) = parts(&run(&dir, &["build", source.to_str().unwrap()], &[]));
    assert_eq!(code, 1, "{err}");
    let line = bad.lines().position(|l| l.contains("house-noet")).unwrap() + 1;
    assert!(err.contains("unknown template `house-noet`"), "{err}");
    assert!(err.contains(&format!("x.yaml:{line}:13")), "not located: {err}");
    assert!(err.contains("house-note (") && err.contains("briefing-note (built-in)"), "{err}");
    assert!(err.contains("did you mean `house-note`?"), "{err}");
}

#[test]
fn unknown_keys_are_located_with_did_you_mean() {
    let toml = "template_dirs = [\"templates\"]\nlangauge = \"en-GB\"\n[email]\nfrom = \"x\"\n";
    let (dir, source) = project("unknown", toml, "");
    let (code, _, err) = parts(&run(&dir, &["build", source.to_str().unwrap()], &[]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown key `langauge`"), "{err}");
    assert!(err.contains("brief.toml:2:1"), "{err}");
    assert!(err.contains("did you mean `language`?"), "{err}");
    // Every problem at once: the sender that is no address too.
    assert!(err.contains("brief.toml:4:8") && err.contains("is not an e-mail address"), "{err}");
    assert!(!dir.join("out").exists(), "nothing is built with a bad configuration");
}

#[test]
fn a_configured_template_that_finds_nothing_is_located_in_brief_toml() {
    let toml = "template_dirs = [\"templates\"]\ntemplate = \"house-nte\"\n";
    let (dir, source) = project("badname", toml, "");
    let (code, out, err) = parts(&run(&dir, &["config", source.to_str().unwrap()], &[]));
    assert_eq!(code, 2, "{err}");
    assert!(out.contains("template = \"house-nte\""), "the settings are still shown: {out}");
    assert!(err.contains("brief.toml:2:12") && err.contains("did you mean `house-note`?"), "{err}");
    let (code, _, err) = parts(&run(&dir, &["build", source.to_str().unwrap()], &[]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown template `house-nte`") && !dir.join("out").exists(), "{err}");
}

#[test]
fn config_prints_each_setting_and_where_it_came_from() {
    let toml = "template_dirs = [\"templates\"]\nlanguage = \"fr\"\n\n[email]\nfrom = \"Desk <desk@example.gov>\"\n[smtp]\nport = 2525\n";
    let (dir, source) = project("show", toml, "");
    let file = dir.join("brief.toml").canonicalize().unwrap();
    let env = [("BRIEF_SMTP_SERVER", "mail.example.gov")];
    let (code, out, err) = parts(&run(&dir, &["config", source.to_str().unwrap()], &env));
    assert_eq!(code, 0, "{err}");
    let f = file.display();
    let line = |key: &str| out.lines().find(|l| l.starts_with(&format!("{key} = "))).unwrap();
    assert!(out.starts_with(&format!("# {f}\n")), "{out}");
    assert!(line("language").contains("\"fr\"") && line("language").ends_with(&format!("# {f}:2")));
    assert!(line("email.from").ends_with(&format!("# {f}:5")), "{out}");
    assert!(line("smtp.port").contains("2525") && line("smtp.port").ends_with(&format!("# {f}:7")));
    assert!(line("smtp.server").contains("mail.example.gov"), "{out}");
    assert!(line("smtp.server").ends_with("# environment BRIEF_SMTP_SERVER"), "{out}");
    assert!(line("output").ends_with("# default") && line("smtp.security").ends_with("# default"));

    // Without a brief.toml above: the defaults, said so.
    let bare = scratch("bare");
    let (code, out, _) = parts(&run(&bare, &["config"], &[]));
    assert_eq!(code, 0);
    if !out.starts_with("# no brief.toml") {
        // A brief.toml above the temporary folder would apply: the test cannot tell.
        assert!(out.lines().next().unwrap().ends_with("brief.toml"), "{out}");
        return;
    }
    assert!(out.contains("output = \"out\""), "{out}");
}

#[test]
fn eml_sender_comes_from_flag_then_environment_then_file_and_is_never_invented() {
    let (dir, source) = project("sender", "", "");
    let src = source.to_str().unwrap();
    let eml = dir.join("out").join(PDF).with_extension("eml");
    // No sender anywhere: refused before anything is written.
    let (code, _, err) = parts(&run(&dir, &["build", src, "--eml"], &[]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no sender"), "{err}");
    assert!(!dir.join("out").exists(), "nothing written: {err}");
    let (code, _, err) = parts(&run(&dir, &["book", src, "-o", "b.pdf", "--eml"], &[]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no sender") && !dir.join("b.pdf").exists(), "{err}");

    let from = |eml: &Path| {
        let text = std::fs::read_to_string(eml).unwrap();
        text.lines().find(|l| l.starts_with("From: ")).unwrap().to_string()
    };
    std::fs::write(dir.join("brief.toml"), "[email]\nfrom = \"File Desk <file@example.gov>\"\n")
        .unwrap();
    let (code, _, err) = parts(&run(&dir, &["build", src, "--eml", "--force"], &[]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(from(&eml), "From: \"File Desk\" <file@example.gov>");
    let env = [("BRIEF_SMTP_FROM", "Env Desk <env@example.gov>")];
    let (code, _, err) = parts(&run(&dir, &["build", src, "--eml", "--force"], &env));
    assert_eq!(code, 0, "{err}");
    assert_eq!(from(&eml), "From: \"Env Desk\" <env@example.gov>");
    let args = ["build", src, "--eml", "--force", "--from", "Flag Desk <flag@example.gov>"];
    let (code, _, err) = parts(&run(&dir, &args, &env));
    assert_eq!(code, 0, "{err}");
    assert_eq!(from(&eml), "From: \"Flag Desk\" <flag@example.gov>");
    assert!(!std::fs::read_to_string(&eml).unwrap().contains("noreply@localhost"));
}

#[test]
fn sources_of_two_projects_are_not_built_in_one_run() {
    let (dir, source) = project("two", "output = \"pdfs\"\n", "");
    let other = dir.join("desk/other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("brief.toml"), "output = \"elsewhere\"\n").unwrap();
    std::fs::copy(&source, other.join("y.yaml")).unwrap();
    let (code, _, err) = parts(&run(&dir, &["build", "desk"], &[]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is configured by") && err.contains("a run of its own"), "{err}");
    assert!(!dir.join("pdfs").exists() && !other.join("elsewhere").exists());
}

#[test]
fn new_writes_the_configured_language() {
    let dir = scratch("new");
    std::fs::write(dir.join("brief.toml"), "language = \"fr-CA\"\n").unwrap();
    let (code, _, err) = parts(&run(&dir, &["new", "n.yaml"], &[]));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.join("n.yaml")).unwrap();
    assert!(text.contains("  language: fr-CA "), "{text}");
    let (code, _, err) = parts(&run(&dir, &["check", "n.yaml"], &[]));
    assert_eq!(code, 0, "the starter still passes check: {err}");
}

/// `--watch` reads brief.toml again when it changes: a new output folder
/// gets the next build. Bounded: the watcher is killed after at most 60 s.
#[test]
fn watch_follows_a_changed_brief_toml() {
    let (dir, source) = project("watch", "output = \"first\"\n", "");
    let mut cmd = command(&["build", source.to_str().unwrap(), "--watch"], Some("0"));
    cmd.current_dir(&dir).stdout(std::process::Stdio::null());
    cmd.stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().expect("runs brief --watch");
    let wait_for = |path: &Path| {
        let start = std::time::Instant::now();
        while !path.is_file() && start.elapsed() < std::time::Duration::from_secs(30) {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        path.is_file()
    };
    let first = wait_for(&dir.join("first").join(PDF));
    // Past the file system's timestamp granularity, so the change is newer.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(dir.join("brief.toml"), "output = \"second\"\n").unwrap();
    let second = wait_for(&dir.join("second").join(PDF));
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "the first build did not happen");
    assert!(second, "brief.toml's new output was not used");
}
