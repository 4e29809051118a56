//! Issue 27 end to end: clearance, the distribution policy and its floor,
//! the `SIO-Label` header, the transport rules and the send log, driven
//! through the `brief` binary against a real SMTP server (aiosmtpd on
//! 127.0.0.1, see `tests/common/smtp.rs`).

#[path = "common/cli.rs"]
mod cli;
#[path = "common/smtp.rs"]
mod smtp;

use std::path::{Path, PathBuf};

use cli::{parts, root, scratch};

const EXAMPLE: &str = "briefs/az-kg-2021-07-05.yaml";
const PDF: &str = "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting.pdf";
const FROM: &str = "Desk <desk@example.gov>";

/// `brief args…` with `SOURCE_DATE_EPOCH=0` and `vars`; code, stdout, stderr.
fn run(args: &[&str], vars: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = cli::command(args, Some("0"));
    for var in ["BRIEF_SMTP_FROM", "BRIEF_SMTP_SERVER", "BRIEF_SMTP_PORT", "BRIEF_SMTP_SECURITY"] {
        cmd.env_remove(var);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    parts(&cmd.output().expect("runs brief"))
}

/// The example's text with each `(from, to)` replaced, each of which must occur.
fn example_with(edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "the example has no `{from}`");
        text = text.replacen(from, to, 1);
    }
    text
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("in the text") + 1
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The example without its `clearance:` block: not cleared.
fn uncleared() -> String {
    let text = example_with(&[]);
    let start = text.find("\nclearance:\n").expect("the example is cleared") + 1;
    let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e + 1);
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn a_secret_brief_with_recipients_is_refused_everywhere_and_nothing_is_written_or_sent() {
    let dir = scratch("secret");
    let text = example_with(&[("classification: OFFICIAL\n", "classification: SECRET\n")]);
    let src = write(&dir, "secret.yaml", &text);
    let out = dir.join("out");
    // check: an error at each recipient's line, naming the floor.
    let (code, _, err) = run(&["check", s(&src)], &[]);
    assert_eq!(code, 1, "{err}");
    for who in ["pm.office@example.gov", "eca.desk@example.gov", "economy@example.gov"] {
        let at = format!("secret.yaml:{}:", line_of(&text, who));
        assert!(err.contains(&at), "no error at {at}: {err}");
    }
    assert!(err.contains("at or above SECRET"), "{err}");
    // build --eml: the brief fails, nothing of it is written.
    let (code, _, err) = run(&["build", s(&src), "-o", s(&out), "--eml", "--from", FROM], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(!out.join(PDF).exists() && !out.join(PDF.replace(".pdf", ".eml")).exists());
    // A policy cannot lower the floor: saying SECRET may be mailed is itself an error.
    let policy = write(&dir, "policy.yaml", "markings:\n  SECRET:\n    email: true\n");
    let (code, _, err) = run(&["check", s(&src), "--policy", s(&policy)], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("policy.yaml:3:") && err.contains("no policy can allow it"), "{err}");
    // send: refused before connecting (nothing listens there either way).
    let (code, _, err) = run(&["build", s(&src), "-o", s(&out)], &[]);
    assert_eq!(code, 0, "a PDF alone may be built: {err}");
    let server = smtp::start("secret");
    let port = server.port.to_string();
    let send = ["send", s(&src), "-o", s(&out), "--server", "127.0.0.1", "--port", &port];
    let (code, _, err) = run(&[&send[..], &["--security", "none", "--from", FROM]].concat(), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("at or above SECRET"), "{err}");
    assert_eq!(smtp::count(&server), 0, "nothing was sent");
    assert!(!out.join(".brief-send.jsonl").exists());
    // book --eml --to: refused, no book, no email.
    let book = dir.join("book.pdf");
    let (code, _, err) = run(
        &["book", s(&src), "-o", s(&book), "--eml", "--from", FROM, "--to", "pm@example.gov"],
        &[],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("at or above SECRET"), "{err}");
    assert!(!book.exists() && !dir.join("book.eml").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

const POLICY: &str = "\
# Only example.gov may receive OFFICIAL-SENSITIVE briefs.
markings:
  OFFICIAL:
    email: true
  OFFICIAL-SENSITIVE:
    email: true
    domains: [example.gov]
  SECRET:
    email: false
";

#[test]
fn a_policy_refuses_a_recipient_outside_its_domains_at_its_line_and_the_rest_of_the_batch_builds() {
    let dir = scratch("domains");
    let briefs = dir.join("briefs");
    std::fs::create_dir_all(&briefs).unwrap();
    let outside = example_with(&[
        ("classification: OFFICIAL\n", "classification: OFFICIAL-SENSITIVE\n"),
        ("<economy@example.gov>", "<economy@example.com>"),
    ]);
    let inside = example_with(&[
        ("classification: OFFICIAL\n", "classification: OFFICIAL-SENSITIVE\n"),
        ("title: Azerbaijan – Kyrgyzstan bilateral meeting\n", "title: Inside the policy\n"),
    ]);
    let bad = write(&briefs, "outside.yaml", &outside);
    write(&briefs, "inside.yaml", &inside);
    let policy = write(&dir, "policy.yaml", POLICY);
    let line = line_of(&outside, "economy@example.com");
    let rule = "policy.yaml:5: `example.com` is not among the recipients allowed for \
                `OFFICIAL-SENSITIVE` (example.gov)";
    // The flag, the environment and brief.toml all name it.
    let toml = write(&dir, "brief.toml", "policy = \"policy.yaml\"\n");
    for (flag, vars) in [
        (vec!["--policy", s(&policy)], vec![]),
        (vec![], vec![("BRIEF_POLICY", s(&policy))]),
        (vec![], vec![]),
    ] {
        let (code, _, err) = run(&[&["check", s(&briefs)][..], &flag].concat(), &vars);
        assert_eq!(code, 1, "{flag:?} {vars:?}: {err}");
        assert!(err.contains(&format!("outside.yaml:{line}:")), "{err}");
        assert!(err.contains(rule), "{err}");
        assert_eq!(err.matches("may not receive this brief").count(), 1, "{err}");
    }
    std::fs::remove_file(&toml).unwrap();
    // Without a policy, example.com is any other address.
    let (code, _, err) = run(&["check", s(&briefs)], &[]);
    assert_eq!(code, 0, "{err}");
    // build --eml: the refused brief fails alone; the other builds with its email.
    let out = dir.join("out");
    let (code, _, err) = run(
        &["build", s(&briefs), "-o", s(&out), "--eml", "--from", FROM, "--policy", s(&policy)],
        &[],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(rule) && err.contains(&format!("outside.yaml:{line}:")), "{err}");
    let inside_pdf = out.join("2021-07-05_inside-the-policy.pdf");
    assert!(inside_pdf.exists() && inside_pdf.with_extension("eml").exists(), "{err}");
    assert!(!out.join(PDF).exists(), "nothing of the refused brief is written");
    let _ = bad;
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn invalid_policy_files_get_located_errors_with_did_you_mean() {
    let dir = scratch("bad-policy");
    let src = write(&dir, "x.yaml", &example_with(&[]));
    let policy = write(
        &dir,
        "policy.yaml",
        "markings:\n  OFFICAL:\n    email: true\n  OFFICIAL-SENSITIVE:\n    email: yes\n    domain: [example.gov]\n  UNCLASSIFIED:\n    tls: true\nscael: [A]\n",
    );
    let (code, _, err) = run(&["check", s(&src), "--policy", s(&policy)], &[]);
    assert_eq!(code, 2, "{err}");
    for (at, says) in [
        ("policy.yaml:2:3", "did you mean `OFFICIAL`?"),
        ("policy.yaml:5:12", "`yes` is not true or false"),
        ("policy.yaml:6:5", "did you mean `markings.OFFICIAL-SENSITIVE.domains`?"),
        ("policy.yaml:8:5", "does not say whether it may go by e-mail"),
        ("policy.yaml:9:1", "did you mean `scale`?"),
    ] {
        assert!(err.contains(at), "no error at {at}: {err}");
        assert!(err.contains(says), "{says}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_cleared_brief_shows_its_clearance_on_the_page_and_in_the_eml_with_its_sio_label() {
    let dir = scratch("cleared");
    let src = write(&dir, "x.yaml", &example_with(&[]));
    let out = dir.join("out");
    let (code, _, err) = run(&["build", s(&src), "-o", s(&out), "--eml", "--from", FROM], &[]);
    assert_eq!(code, 0, "{err}");
    let text = cli_pdftotext(&out.join(PDF));
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(folded.contains("Drafted by Leyla Mammadova"), "{folded}");
    assert!(folded.contains("Cleared by Rashad Aliyev"), "{folded}");
    assert!(folded.contains("Approved by Elnur Mammadov"), "{folded}");
    let eml = std::fs::read_to_string(out.join(PDF.replace(".pdf", ".eml"))).unwrap();
    assert!(eml.contains("\r\nSIO-Label: marking=\"OFFICIAL\"\r\n"), "{eml}");
    let body = decode_text_part(&eml);
    assert!(
        body.contains(
            "Cleared by Rashad Aliyev (Head, Europe and Central Asia Department), 30 June 2021"
        ),
        "{body}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn cli_pdftotext(pdf: &Path) -> String {
    let run =
        std::process::Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext runs");
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// The plain-text part of a message, decoded by Python's own email parser.
fn decode_text_part(eml: &str) -> String {
    python_email(eml, "m.get_body(('plain',)).get_content()")
}

/// The subject of a message, decoded by Python's own email parser.
fn decoded_subject(eml: &str) -> String {
    python_email(eml, "str(m['subject'])")
}

/// `expression` of the message `m` read by Python's email parser.
fn python_email(eml: &str, expression: &str) -> String {
    let script = format!(
        "import sys, email, email.policy\n\
         m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)\n\
         sys.stdout.write({expression})"
    );
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(&script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(eml.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A folder with the source `text` built into `out/`.
struct Built {
    dir: PathBuf,
    src: PathBuf,
    out: PathBuf,
}

impl Drop for Built {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn built(name: &str, text: &str) -> Built {
    let dir = scratch(name);
    let src = write(&dir, "brief.yaml", text);
    let out = dir.join("out");
    let (code, _, err) = run(&["build", s(&src), "-o", s(&out)], &[]);
    assert_eq!(code, 0, "{err}");
    Built { dir, src, out }
}

/// `brief send` of `b` to the server on 127.0.0.1 in clear text, plus `extra`.
fn send(b: &Built, port: u16, extra: &[&str], vars: &[(&str, &str)]) -> (i32, String, String) {
    let port = port.to_string();
    let mut args = vec!["send", s(&b.src), "-o", s(&b.out), "--server", "127.0.0.1", "--port"];
    args.extend([port.as_str(), "--security", "none", "--from", FROM]);
    args.extend(extra);
    run(&args, vars)
}

#[test]
fn send_refuses_an_uncleared_brief_unless_allow_draft_which_marks_the_subject() {
    let b = built("uncleared", &uncleared());
    let server = smtp::start("uncleared");
    let (code, _, err) = send(&b, server.port, &[], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("brief.yaml") && err.contains("not cleared"), "{err}");
    assert_eq!(smtp::count(&server), 0);
    // build --eml refuses it too, unless --allow-draft, which marks the pages.
    let (code, _, err) =
        run(&["build", s(&b.src), "-o", s(&b.out), "--eml", "--from", FROM, "--force"], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("not cleared"), "{err}");
    assert!(!b.out.join(PDF.replace(".pdf", ".eml")).exists());
    let (code, _, err) =
        run(&["build", s(&b.src), "-o", s(&b.out), "--eml", "--from", FROM, "--allow-draft"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(cli_pdftotext(&b.out.join(PDF)).contains("DRAFT"), "every page marked DRAFT");
    let (code, _, err) = send(&b, server.port, &["--allow-draft"], &[]);
    assert_eq!(code, 0, "{err}");
    let got = smtp::received(&server, 1);
    assert!(got["subject"].as_str().unwrap().ends_with("(DRAFT)"), "{got}");
}

#[test]
fn the_send_log_has_one_synced_line_per_message_whose_sha256_is_the_pdf_sent() {
    let b = built("log", &example_with(&[]));
    let server = smtp::start("log");
    for n in 1..=2 {
        let (code, _, err) = send(&b, server.port, &[], &[]);
        assert_eq!(code, 0, "{err}");
        smtp::received(&server, n);
    }
    let log = std::fs::read_to_string(b.out.join(".brief-send.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> =
        log.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 2, "{log}");
    for (i, line) in lines.iter().enumerate() {
        let sent = std::fs::read(server.folder.join(format!("{}.pdf", i + 1))).unwrap();
        assert_eq!(line["pdf_sha256"], brief::batch::sha256(&sent), "{line}");
        assert_eq!(line["pdf"], PDF);
        assert_eq!(line["source"], s(&b.src));
        assert_eq!(line["server"], format!("127.0.0.1:{}", server.port));
        let eml = std::fs::read_to_string(server.folder.join(format!("{}.eml", i + 1))).unwrap();
        let id = line["message_id"].as_str().unwrap();
        assert!(eml.contains(&format!("Message-ID: {id}\r\n")), "{id}");
        assert_eq!(
            line["accepted"],
            serde_json::json!([
                "pm.office@example.gov",
                "eca.desk@example.gov",
                "economy@example.gov"
            ])
        );
        assert_eq!(line["refused"], serde_json::json!([]));
        assert!(line["time"].as_str().unwrap().ends_with('Z'), "{line}");
    }
}

#[test]
fn clear_text_is_refused_except_to_a_loopback_relay_and_a_policy_can_forbid_even_that() {
    let b = built("clear-text", &example_with(&[]));
    // TEST-NET-1: never reached, the refusal comes first.
    let (code, _, err) = run(
        &[
            "send",
            s(&b.src),
            "-o",
            s(&b.out),
            "--server",
            "192.0.2.1",
            "--security",
            "none",
            "--from",
            FROM,
        ],
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--security none") && err.contains("loopback"), "{err}");
    assert!(!err.contains("connect"), "refused before connecting: {err}");
    let server = smtp::start("clear-text");
    let (code, _, err) = send(&b, server.port, &[], &[]);
    assert_eq!(code, 0, "a loopback relay in clear text: {err}");
    let policy =
        write(&b.dir, "policy.yaml", "markings:\n  OFFICIAL:\n    email: true\n    tls: true\n");
    let (code, _, err) = send(&b, server.port, &["--policy", s(&policy)], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("policy.yaml:2 (OFFICIAL)") && err.contains("TLS"), "{err}");
    assert_eq!(smtp::count(&server), 1, "only the first was sent");
}

#[test]
fn a_policy_that_requires_a_signature_refuses_an_unsigned_pdf() {
    let b = built("signed", &example_with(&[]));
    let server = smtp::start("signed");
    let policy =
        write(&b.dir, "policy.yaml", "markings:\n  OFFICIAL:\n    email: true\n    signed: true\n");
    let (code, _, err) = send(&b, server.port, &["--policy", s(&policy)], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("policy.yaml:2 (OFFICIAL)") && err.contains("signature"), "{err}");
    assert_eq!(smtp::count(&server), 0);
    // build --eml asks for --sign as well.
    let (code, _, err) = run(
        &["build", s(&b.src), "-o", s(&b.out), "--eml", "--from", FROM, "--policy", s(&policy)],
        &[],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--sign"), "{err}");
}

#[test]
fn send_dry_run_shows_every_decision() {
    let text = example_with(&[
        ("classification: OFFICIAL\n", "classification: OFFICIAL-SENSITIVE\n"),
        ("<economy@example.gov>", "<economy@example.com>"),
    ]);
    let b = built("dry-run", &text);
    let policy = write(&b.dir, "policy.yaml", POLICY);
    let port = smtp::free_port();
    let (code, _, err) = send(&b, port, &["--dry-run", "--policy", s(&policy)], &[]);
    assert_eq!(code, 1, "{err}");
    for says in [
        "policy.yaml:5 (OFFICIAL-SENSITIVE)",
        "allowed: pm.office@example.gov",
        "allowed: eca.desk@example.gov",
        "refused: economy@example.com",
        "connection: none to 127.0.0.1",
    ] {
        assert!(err.contains(says), "{says}: {err}");
    }
    assert!(!err.contains("connection refused"), "a dry run connects to nothing: {err}");
}

#[test]
fn the_book_schedule_and_its_email_carry_each_briefs_clearance() {
    let dir = scratch("book");
    let cleared = write(&dir, "cleared.yaml", &example_with(&[]));
    let draft = uncleared()
        .replace("title: Azerbaijan – Kyrgyzstan bilateral meeting\n", "title: Follow-up call\n");
    let draft = write(&dir, "draft.yaml", &draft);
    let book = dir.join("book.pdf");
    let args = ["book", s(&cleared), s(&draft), "-o", s(&book), "--eml", "--from", FROM];
    // The uncleared brief stops the email, and with it the book.
    let (code, _, err) = run(&args, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("draft.yaml") && err.contains("not cleared"), "{err}");
    assert!(!err.contains("cleared.yaml:"), "only the uncleared brief is named: {err}");
    assert!(!book.exists());
    let (code, _, err) = run(&[&args[..], &["--allow-draft"]].concat(), &[]);
    assert_eq!(code, 0, "{err}");
    let pages = cli_pages(&book);
    let schedule = pages[1].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(schedule.contains("Clearance"), "{schedule}");
    assert!(schedule.contains("Rashad Aliyev and Samira Huseynova"), "{schedule}");
    assert!(schedule.contains("DRAFT"), "the uncleared brief's row: {schedule}");
    let eml = std::fs::read_to_string(dir.join("book.eml")).unwrap();
    let body = decode_text_part(&eml);
    assert!(body.contains("· Cleared by Rashad Aliyev and Samira Huseynova"), "{body}");
    assert!(decoded_subject(&eml).ends_with("(DRAFT)"), "the subject says DRAFT");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each page's text, as pdftotext reads it.
fn cli_pages(pdf: &Path) -> Vec<String> {
    cli_pdftotext(pdf).split('\u{c}').map(String::from).collect()
}

#[test]
fn check_validates_the_clearance_dates_and_that_a_final_brief_names_a_clearer() {
    let dir = scratch("clearance");
    // A clearer's date after the brief's is an error at that date, unless a note says why.
    let late = example_with(&[("      date: 2021-06-30\n", "      date: 2021-07-09\n")]);
    let src = write(&dir, "late.yaml", &late);
    let (code, _, err) = run(&["check", s(&src)], &[]);
    assert_eq!(code, 1, "{err}");
    let at = format!("late.yaml:{}:13", line_of(&late, "date: 2021-07-09"));
    assert!(err.contains(&at) && err.contains("clearance.cleared_by[0].date"), "{err}");
    assert!(err.contains("2021-07-09 is after the brief's date (2021-07-05)"), "{err}");
    let noted = late.replace(
        "      date: 2021-07-09\n",
        "      date: 2021-07-09\n      note: cleared on return from mission\n",
    );
    let src = write(&dir, "noted.yaml", &noted);
    let (code, _, err) = run(&["check", s(&src)], &[]);
    assert_eq!(code, 0, "{err}");
    // `status: final` with a record that names no clearer says what is not so.
    let text = uncleared().replace(
        "\ndistribution:",
        "\nclearance:\n  drafted_by:\n    name: Leyla Mammadova\n    date: 2021-06-28\n\ndistribution:",
    );
    let src = write(&dir, "final.yaml", &text);
    let (code, _, err) = run(&["check", s(&src)], &[]);
    assert_eq!(code, 1, "{err}");
    let at = format!("final.yaml:{}:", line_of(&text, "status: final"));
    assert!(err.contains(&at) && err.contains("names no one"), "{err}");
    // Without `status`, the same brief is a draft until cleared: DRAFT on its pages.
    let draft = text.replace("  status: final\n", "");
    let src = write(&dir, "draft.yaml", &draft);
    let pdf = dir.join("draft.pdf");
    let (code, _, err) = run(&["build", s(&src), "-o", s(&pdf)], &[]);
    assert_eq!(code, 0, "{err}");
    let pages = cli_pages(&pdf);
    assert!(
        pages.iter().filter(|p| !p.trim().is_empty()).all(|p| p.contains("DRAFT")),
        "{pages:?}"
    );
    assert!(pages.concat().contains("Drafted by Leyla Mammadova"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_policy_that_requires_a_signature_lets_a_validly_signed_pdf_go_and_mails_it_signed() {
    let dir = scratch("signed-ok");
    // A throwaway P-256 key and self-signed certificate, never committed.
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("openssl runs (tests/run installs it)");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        "k.pem",
    ]);
    openssl(&[
        "req", "-new", "-x509", "-key", "k.pem", "-subj", "/CN=Desk", "-days", "2", "-out", "c.pem",
    ]);
    let src = write(&dir, "brief.yaml", &example_with(&[]));
    let out = dir.join("out");
    let policy =
        write(&dir, "policy.yaml", "markings:\n  OFFICIAL:\n    email: true\n    signed: true\n");
    let (key, cert) = (dir.join("k.pem"), dir.join("c.pem"));
    let sign = ["--sign-key", s(&key), "--sign-cert", s(&cert)];
    let build = ["build", s(&src), "-o", s(&out), "--eml", "--from", FROM, "--policy", s(&policy)];
    let (code, _, err) = run(&[&build[..], &sign].concat(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.join(PDF.replace(".pdf", ".eml")).exists());
    let b = Built { dir: dir.clone(), src, out };
    let server = smtp::start("signed-ok");
    let (code, _, err) = send(&b, server.port, &["--policy", s(&policy)], &[]);
    assert_eq!(code, 0, "{err}");
    let sent = std::fs::read(server.folder.join("1.pdf")).unwrap();
    assert_eq!(sent, std::fs::read(b.out.join(PDF)).unwrap(), "the signed PDF as built");
    assert_eq!(brief::sign::verify::verify(&sent).verdict(), brief::sign::Verdict::Valid);
}
