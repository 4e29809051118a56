//! Signed PDFs (`--sign`, `--sign-key`/`--sign-cert`, `brief verify`), checked
//! by independent tools: poppler's `pdfsig` (trusting the test CA through an
//! NSS database) and pyHanko (in target/sign-venv), plus `qpdf --check`. A CA,
//! keys and certificates are made here with the `openssl` CLI, never committed.
//! A tier of its own (run by `tests/run`): it needs the tools `tests/run` installs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

#[path = "common/cli.rs"]
mod cli;
#[path = "common/tool.rs"]
mod tool;
use cli::{root, scratch};
use tool::tool;

const BRIEF: &str = "briefs/tr-gr-2026-05-20.yaml";

/// `brief args…` at the run's signing time, with `env` set besides.
fn brief(args: &[&str], env: &[(&str, &str)]) -> Output {
    let epoch = epoch().0.to_string();
    cli::command(args, Some(&epoch)).envs(env.iter().copied()).output().expect("runs brief")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "brief failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is needed; run tests/run");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A throwaway CA, an RSA and an EC P-256 signer it certifies, the RSA one
/// also as PKCS#12 (password `s3cret`), and an NSS database trusting the CA
/// for pdfsig. Made once per test run.
fn keys() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("keys");
        openssl(&dir, &[
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "3650", "-subj", "/CN=Brief Test CA",
            "-addext", "basicConstraints=critical,CA:true",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        std::fs::write(
            dir.join("leaf.cnf"),
            "basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
        )
        .unwrap();
        openssl(&dir, &["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key"]);
        openssl(&dir, &["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.key"]);
        for (name, cn, serial) in [("rsa", "Test Signer RSA", "4242"), ("ec", "Test Signer EC", "4243")] {
            let key = format!("{name}.key");
            let csr = format!("{name}.csr");
            let pem = format!("{name}.pem");
            let subject = format!("/CN={cn}/O=Brief Tests");
            openssl(&dir, &["req", "-new", "-key", &key, "-subj", &subject, "-out", &csr]);
            openssl(&dir, &[
                "x509", "-req", "-in", &csr, "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial",
                serial, "-days", "3650", "-sha256", "-extfile", "leaf.cnf", "-out", &pem,
            ]);
        }
        openssl(&dir, &[
            "pkcs12", "-export", "-inkey", "rsa.key", "-in", "rsa.pem", "-certfile", "ca.pem",
            "-out", "rsa.p12", "-passout", "pass:s3cret",
        ]);
        let nss = dir.join("nss");
        std::fs::create_dir_all(&nss).unwrap();
        let db = format!("sql:{}", nss.display());
        tool("certutil", &["-N", "-d", &db, "--empty-password"]);
        let ca = dir.join("ca.pem");
        tool("certutil", &["-A", "-d", &db, "-n", "brief-test-ca", "-t", "CT,C,C", "-i", ca.to_str().unwrap()]);
        dir
    })
}

/// The creation (and so signing) time of every build here: just after the
/// certificates were issued, since pdfsig checks them at the signing time.
/// Also as `verify` prints it.
fn epoch() -> &'static (i64, String) {
    static EPOCH: OnceLock<(i64, String)> = OnceLock::new();
    EPOCH.get_or_init(|| {
        keys();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
        let secs = now.as_secs() as i64 + 1;
        let shown = chrono::DateTime::from_timestamp(secs, 0).unwrap();
        (secs, shown.format("%Y-%m-%d %H:%M:%S UTC").to_string())
    })
}

fn key(name: &str) -> String {
    keys().join(name).to_string_lossy().into_owned()
}

/// Builds the example signed with the RSA PEM key, its source embedded.
fn signed_rsa(dir: &Path) -> PathBuf {
    let pdf = dir.join("signed.pdf");
    let (k, c) = (key("rsa.key"), key("rsa.pem"));
    ok(&brief(
        &[
            "build",
            BRIEF,
            "-o",
            pdf.to_str().unwrap(),
            "--embed-source",
            "--sign-key",
            &k,
            "--sign-cert",
            &c,
        ],
        &[],
    ));
    pdf
}

/// pdfsig's report, trusting the test CA; never goes online.
fn pdfsig(pdf: &Path) -> String {
    let db = format!("sql:{}", keys().join("nss").display());
    let out = Command::new("pdfsig")
        .args(["-nssdir", &db, "-no-ocsp", pdf.to_str().unwrap()])
        .output()
        .expect("pdfsig is needed; run tests/run");
    // pdfsig exits non-zero for an invalid signature: the text says which.
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

const PYHANKO: &str = r#"
import sys
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
ca, path = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    r = PdfFileReader(f)
    sigs = r.embedded_signatures
    print("signatures", len(sigs))
    for s in sigs:
        vc = ValidationContext(trust_roots=[load_cert_from_pemder(ca)])
        st = validate_pdf_signature(s, vc)
        print("field", s.field_name)
        print("subfilter", s.sig_object.get("/SubFilter"))
        print("intact", st.intact)
        print("valid", st.valid)
        print("trusted", st.trusted)
        print("coverage", st.coverage.name)
        print("signer", st.signing_cert.subject.native.get("common_name"))
        print("attrs", ",".join(sorted(a["type"].native for a in s.signer_info["signed_attrs"])))
"#;

/// pyHanko's findings, one `key value` per line.
fn pyhanko(pdf: &Path) -> String {
    let python = root().join("target/sign-venv/bin/python");
    let out = Command::new(&python)
        .args(["-c", PYHANKO, &key("ca.pem"), pdf.to_str().unwrap()])
        .output()
        .unwrap_or_else(|e| panic!("pyHanko is needed in target/sign-venv ({e}); run tests/run"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "pyHanko failed on {}: {text}{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn verify(pdf: &Path) -> (i32, String) {
    let out = brief(&["verify", pdf.to_str().unwrap()], &[]);
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

fn assert_good(pdf: &Path, signer: &str) {
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let report = pdfsig(pdf);
    assert!(report.contains("Signature Validation: Signature is Valid."), "{report}");
    // Trust is pyHanko's to judge below: pdfsig 22.12 answers "Unknown issue
    // with Certificate" for this test CA, for a signature pyHanko itself made
    // with the same key and NSS database too, while NSS's certutil -V finds the
    // signer's certificate valid for signing under it.
    assert!(report.contains("Total document signed"), "{report}");
    assert!(report.contains("ETSI.CAdES.detached"), "{report}");
    let py = pyhanko(pdf);
    for line in [
        "signatures 1",
        "intact True",
        "valid True",
        "trusted True",
        "coverage ENTIRE_FILE",
        "subfilter /ETSI.CAdES.detached",
    ] {
        assert!(py.lines().any(|l| l == line), "pyHanko: no `{line}` in\n{py}");
    }
    assert!(py.contains(&format!("signer {signer}")), "{py}");
    let (code, text) = verify(pdf);
    assert_eq!(code, 0, "{text}");
    let at = &epoch().1;
    assert!(text.contains(&format!("intact, signed by {signer}, at {at}")), "{text}");
    assert!(text.contains("covers the whole file"), "{text}");
}

#[test]
fn an_rsa_pem_signature_is_valid_for_pdfsig_pyhanko_qpdf_and_verify() {
    let dir = scratch("rsa");
    let pdf = signed_rsa(&dir);
    assert_good(&pdf, "Test Signer RSA");
    let (_, text) = verify(&pdf);
    assert!(text.contains("embedded source brief-source.json: inside the signed range"), "{text}");
    // The original revision is untouched: the file starts with the unsigned build.
    let plain = dir.join("plain.pdf");
    ok(&brief(&["build", BRIEF, "-o", plain.to_str().unwrap(), "--embed-source"], &[]));
    let (signed, plain) = (std::fs::read(&pdf).unwrap(), std::fs::read(&plain).unwrap());
    assert!(signed.starts_with(&plain) && signed.len() > plain.len());
    // PAdES B-B's signed attributes: no signing-time (the time is the dictionary's /M).
    let py = pyhanko(&pdf);
    assert!(
        py.lines().any(|l| l == "attrs content_type,message_digest,signing_certificate_v2"),
        "{py}"
    );
}

#[test]
fn signing_is_deterministic_with_rsa_and_ecdsa() {
    for (k, c) in [("rsa.key", "rsa.pem"), ("ec.key", "ec.pem")] {
        let dir = scratch(&format!("det-{k}"));
        let (k, c) = (key(k), key(c));
        let a = dir.join("a.pdf");
        let b = dir.join("b.pdf");
        for out in [&a, &b] {
            ok(&brief(
                &["build", BRIEF, "-o", out.to_str().unwrap(), "--sign-key", &k, "--sign-cert", &c],
                &[],
            ));
        }
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "{k}: two builds differ"
        );
    }
}

#[test]
fn an_ecdsa_signature_is_valid_too() {
    let dir = scratch("ec");
    let pdf = dir.join("ec.pdf");
    let (k, c) = (key("ec.key"), key("ec.pem"));
    ok(&brief(
        &["build", BRIEF, "-o", pdf.to_str().unwrap(), "--sign-key", &k, "--sign-cert", &c],
        &[],
    ));
    assert_good(&pdf, "Test Signer EC");
}

#[test]
fn a_pkcs12_file_signs_with_the_password_from_the_environment() {
    let dir = scratch("p12");
    let pdf = dir.join("p12.pdf");
    let p12 = key("rsa.p12");
    let args = ["build", BRIEF, "-o", pdf.to_str().unwrap(), "--sign", &p12];
    ok(&brief(&args, &[("BRIEF_SIGN_PASSWORD", "s3cret")]));
    assert_good(&pdf, "Test Signer RSA");
    // A wrong or missing password: trouble, said plainly, nothing written.
    let other = dir.join("wrong.pdf");
    let args = ["build", BRIEF, "-o", other.to_str().unwrap(), "--sign", &p12];
    for env in [&[("BRIEF_SIGN_PASSWORD", "nope")][..], &[]] {
        let out = brief(&args, env);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("BRIEF_SIGN_PASSWORD"), "{err}");
        assert!(!other.exists());
    }
}

#[test]
fn one_changed_byte_breaks_the_signature_for_every_checker() {
    let dir = scratch("tamper");
    let pdf = signed_rsa(&dir);
    let mut bytes = std::fs::read(&pdf).unwrap();
    // A letter of the document information's /Producer, in the signed range.
    let at = bytes.windows(5).position(|w| w == b"brief").expect("a `brief` in the file");
    bytes[at] = b'B';
    let bad = dir.join("tampered.pdf");
    std::fs::write(&bad, &bytes).unwrap();
    let report = pdfsig(&bad);
    assert!(!report.contains("Signature is Valid"), "{report}");
    assert!(
        report.contains("Signature is Invalid") || report.contains("Digest Mismatch"),
        "{report}"
    );
    let py = pyhanko(&bad);
    assert!(py.lines().any(|l| l == "intact False"), "{py}");
    let (code, text) = verify(&bad);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("BROKEN: the document was changed after signing"), "{text}");
}

const APPEND: &str = r#"
import sys
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
with open(sys.argv[1], "rb") as f:
    w = IncrementalPdfFileWriter(f)
    w.root["/Lang"] = generic.TextStringObject("en")
    w.update_root()
    with open(sys.argv[2], "wb") as out:
        w.write(out)
"#;

#[test]
fn a_revision_appended_after_signing_is_reported_exactly() {
    let dir = scratch("appended");
    let pdf = signed_rsa(&dir);
    let signed_len = std::fs::metadata(&pdf).unwrap().len();
    let after = dir.join("after.pdf");
    // pyHanko's own incremental writer changes the catalog's language.
    let python = root().join("target/sign-venv/bin/python");
    let out = Command::new(&python)
        .args(["-c", APPEND, pdf.to_str().unwrap(), after.to_str().unwrap()])
        .output()
        .expect("pyHanko is needed; run tests/run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let len = std::fs::metadata(&after).unwrap().len();
    let (code, text) = verify(&after);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("intact, signed by Test Signer RSA"), "{text}");
    assert!(text.contains(&format!("covers bytes 0 to {signed_len} of {len}")), "{text}");
    let tail = len - signed_len;
    let said = format!(
        "NOT COVERED: {tail} bytes after the signed revision: 1 later revision(s) defining objects "
    );
    assert!(text.contains(&said), "{text}");
    let py = pyhanko(&after);
    assert!(py.lines().any(|l| l == "coverage ENTIRE_REVISION"), "{py}");
    assert!(py.lines().any(|l| l == "intact True"), "{py}");
}

#[test]
fn verify_says_unsigned_and_unreadable_apart() {
    let dir = scratch("unsigned");
    let plain = dir.join("plain.pdf");
    ok(&brief(&["build", BRIEF, "-o", plain.to_str().unwrap()], &[]));
    let (code, text) = verify(&plain);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("no signature"), "{text}");
    let (code, text) = verify(&dir.join("missing.pdf"));
    assert_eq!(code, 2, "{text}");
    let not_pdf = dir.join("x.pdf");
    std::fs::write(&not_pdf, "hello").unwrap();
    assert_eq!(verify(&not_pdf).0, 2);
}

#[test]
fn batches_and_books_sign_every_output() {
    let dir = scratch("batch");
    let out = dir.join("out");
    let (k, c) = (key("rsa.key"), key("rsa.pem"));
    let sources = ["briefs/tr-gr-2026-05-20.yaml", "briefs/jp-kr-2026-11-20.yaml"];
    let mut args = vec!["build"];
    args.extend(sources);
    args.extend(["-o", out.to_str().unwrap(), "--sign-key", &k, "--sign-cert", &c]);
    ok(&brief(&args, &[]));
    let pdfs: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 2);
    for pdf in &pdfs {
        let (code, text) = verify(pdf);
        assert_eq!(code, 0, "{text}");
    }
    // Up to date only with the same signer: unsigned rebuilds.
    let mut plain = vec!["build"];
    plain.extend(sources);
    plain.extend(["-o", out.to_str().unwrap()]);
    ok(&brief(&plain, &[]));
    assert_eq!(verify(&pdfs[0]).0, 1, "an unsigned build left the signed PDF");
    let book = dir.join("book.pdf");
    let mut args = vec!["book"];
    args.extend(sources);
    args.extend(["-o", book.to_str().unwrap(), "--sign-key", &k, "--sign-cert", &c]);
    ok(&brief(&args, &[]));
    assert_good(&book, "Test Signer RSA");
}

/// PDF/UA-1 and PDF/A-2a still hold once signed (page-validation, when
/// `tests/run` installed it).
#[test]
fn a_signed_pdf_stays_pdf_ua_and_pdf_a() {
    let python = std::env::var("BRIEF_A11Y_PYTHON")
        .expect("BRIEF_A11Y_PYTHON is not set: run this tier through tests/run");
    let dir = scratch("a11y");
    // Without --embed-source: an attachment makes the file PDF/A-3, not -2.
    let pdf = dir.join("signed.pdf");
    let (k, c) = (key("rsa.key"), key("rsa.pem"));
    ok(&brief(
        &["build", BRIEF, "-o", pdf.to_str().unwrap(), "--sign-key", &k, "--sign-cert", &c],
        &[],
    ));
    let code = r#"
import sys, page
bad = 0
for profile in ("ua1", "2a"):
    r = page.validate_pdf(sys.argv[1], profile=profile)
    print(profile, len(r.failures), r.is_compliant)
    for f in r.failures:
        print("   ", f.rule_id, f.message)
    bad += len(r.failures) > 0 or not r.is_compliant
sys.exit(1 if bad else 0)
"#;
    let out = Command::new(&python).args(["-c", code, pdf.to_str().unwrap()]).output().unwrap();
    assert!(
        out.status.success(),
        "page-validation:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
