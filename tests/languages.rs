//! `brief languages`: every supported language listed, a tag resolved or refused.

use std::process::Command;

fn brief(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_brief")).args(args).output().expect("runs brief");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

#[test]
fn lists_every_language_with_its_direction_and_a_cldr_date() {
    let (code, out, err) = brief(&["languages"]);
    assert_eq!(code, 0, "{err}");
    for l in brief::locale::LANGUAGES {
        let line = out.lines().find(|line| line.starts_with(&format!("{:<4}", l.code)));
        let line = line.unwrap_or_else(|| panic!("{} missing: {out}", l.code));
        assert!(line.contains(l.name) && line.contains(l.native), "{line}");
    }
    assert!(out.lines().any(|l| l.starts_with("ky") && l.contains("дүйшөмбү")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("ar") && l.contains("rtl")), "{out}");
}

#[test]
fn a_tag_is_resolved_or_refused_with_the_list() {
    let (code, out, err) = brief(&["languages", "pt-BR"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("pt-BR: wording of pt (Portuguese), formats of pt-BR"), "{out}");
    let (code, _, err) = brief(&["languages", "--color", "never", "kg"]);
    assert_eq!(code, 1);
    assert!(err.contains("`kg` is not a supported language"), "{err}");
    assert!(err.contains("ky (Kyrgyz)") && err.contains("did you mean `ky`?"), "{err}");
}
