//! Templates and themes end to end: the three products, custom template
//! folders, and a located error for every class of template mistake.

#[path = "common/cli.rs"]
mod cli;
use cli::{brief, brief_in, root, scratch};

/// The build date every run of this file stamps its PDFs with.
const EPOCH: Option<&str> = Some("0");

#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::path::{Path, PathBuf};
use std::process::Output;

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).unwrap()
}

fn text(pdf: &Path) -> String {
    tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
}

/// Each broken template, and the exit code it must give: 2 when the
/// template cannot be loaded (its syntax, its theme), so the run stops before
/// any brief, as for a `--template` folder that cannot be read; 1 when the
/// template fails on the brief it renders, which the run counts as failed.
macro_rules! template_error {
    ($($test:ident => $case:literal, $code:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let dir = scratch($case);
            let tpl = root().join("tests/fixtures/templates").join($case);
            let src = root().join("briefs/az-kg-2021-07-05.yaml");
            let out = dir.join("x.pdf");
            let o = brief(&["build", src.to_str().unwrap(), "--template", tpl.to_str().unwrap(), "-o", out.to_str().unwrap(), "--color", "never"], EPOCH);
            assert_eq!(o.status.code(), Some($code), "{o:?}");
            assert!(!out.exists(), "no PDF after a template error");
            let stderr = String::from_utf8_lossy(&o.stderr).replace(root().to_str().unwrap(), "[root]");
            // The run's duration varies; everything else is exact.
            let stderr: String = stderr.lines().map(|l| match l.rfind(" in ") {
                Some(i) if l.ends_with(" s") => format!("{} in [time]\n", &l[..i]),
                _ => format!("{l}\n"),
            }).collect();
            assert!(stderr.starts_with("error"), "{stderr}");
            insta::assert_snapshot!($case, stderr);
        }
    )*};
}

template_error! {
    template_syntax_error => "syntax-error", 2,
    template_undefined_variable => "undefined-variable", 1,
    template_unknown_filter => "unknown-filter", 1,
    template_missing_figure => "missing-figure", 1,
    template_endless_loop => "endless-loop", 1,
    theme_unknown_key => "bad-theme", 2,
    template_include_outside_the_folder => "include-outside", 1,
    template_include_missing => "include-missing", 1,
    template_error_inside_a_partial => "partial-error", 1,
    template_runaway_output => "runaway-output", 1,
    template_memory_bomb => "memory-bomb", 1,
    template_writes_a_bad_link => "link-in-template", 1,
}

fn build_with(template: &Path, out: &Path) -> Output {
    let src = root().join("briefs/az-kg-2021-07-05.yaml");
    let args = ["build", src.to_str().unwrap(), "--template", template.to_str().unwrap()];
    brief(&[&args[..], &["-o", out.to_str().unwrap(), "--color", "never"]].concat(), EPOCH)
}

#[test]
fn a_template_folder_includes_and_imports_its_own_partials() {
    let dir = scratch("partials");
    let out = dir.join("p.pdf");
    let o = build_with(&root().join("tests/fixtures/templates/with-partials"), &out);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let text = text(&out);
    assert!(text.contains("Prepared from a template with partials."), "{text}");
    assert!(text.contains("Ali Asadov") && text.contains("Ruslan Kazakbaev"), "{text}");
    assert!(text.contains("Who attends"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_template_never_follows_a_symbolic_link_out_of_its_folder() {
    let dir = scratch("symlink");
    let tpl = dir.join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("main.md"), "# {{ brief.title|text }}\n\n{% include \"leak.md\" %}\n")
        .unwrap();
    let outside = root().join("tests/fixtures/templates/outside.md");
    std::os::unix::fs::symlink(&outside, tpl.join("leak.md")).unwrap();
    let out = dir.join("s.pdf");
    let o = build_with(&tpl, &out);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("`leak.md` is a symbolic link"), "{stderr}");
    assert!(stderr.contains("main.md:3:"), "located at the include: {stderr}");
    assert!(!out.exists());
}

/// A template folder with `main.md` including `name`, and the files given.
fn folder_including(case: &str, name: &str, files: &[&str]) -> PathBuf {
    let tpl = scratch(case).join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("main.md"), format!("# T\n\n{{% include \"{name}\" %}}\n")).unwrap();
    for file in files {
        let path = tpl.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "partial\n").unwrap();
    }
    tpl
}

fn include_error(tpl: &Path) -> String {
    let out = tpl.parent().unwrap().join("x.pdf");
    let o = build_with(tpl, &out);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!out.exists());
    assert!(stderr.contains("main.md:3:"), "located at the include: {stderr}");
    assert!(!stderr.contains("not found"), "says why, not \"not found\": {stderr}");
    stderr
}

#[cfg(unix)]
#[test]
fn an_include_through_a_linked_folder_names_the_link() {
    let tpl = folder_including("linked-dir", "shared/a.md", &[]);
    std::os::unix::fs::symlink(
        root().join("tests/fixtures/templates/with-partials/parts"),
        tpl.join("shared"),
    )
    .unwrap();
    let stderr = include_error(&tpl);
    assert!(stderr.contains("`shared/a.md` is inside `shared`, a symbolic link"), "{stderr}");
}

#[test]
fn an_include_of_a_hidden_file_says_hidden_files_are_never_read() {
    let stderr = include_error(&folder_including("hidden", ".drafts/a.md", &[".drafts/a.md"]));
    assert!(stderr.contains("`.drafts/a.md` is hidden"), "{stderr}");
}

#[test]
fn an_include_nine_folders_deep_names_the_depth_limit() {
    let deep = "1/2/3/4/5/6/7/8/9/a.md";
    let stderr = include_error(&folder_including("deep", deep, &[deep]));
    assert!(
        stderr.contains("is 9 folders deep; partials are read at most 8 folders deep"),
        "{stderr}"
    );
}

#[test]
fn a_bad_link_in_the_brief_is_the_brief_s_error() {
    let dir = scratch("link-in-brief");
    let text = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let text =
        text.replacen("purpose: >-\n", "purpose: >-\n  See [notes](file:///srv/notes.txt).\n", 1);
    assert!(text.contains("file:///srv/notes.txt"));
    let src = dir.join("b.yaml");
    std::fs::write(&src, text).unwrap();
    let out = dir.join("b.pdf");
    let tpl = root().join("tests/fixtures/templates/link-in-template");
    let o = brief(
        &[
            "build",
            src.to_str().unwrap(),
            "--template",
            tpl.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--color",
            "never",
        ],
        EPOCH,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let first = stderr.lines().take(2).collect::<Vec<_>>().join("\n");
    assert!(first.contains("file:///srv/notes.txt") && first.contains("b.yaml"), "{stderr}");
}

#[test]
fn one_pager_is_one_page_even_for_a_very_long_brief() {
    let dir = scratch("onepager");
    for source in [
        "briefs/az-kg-2021-07-05.yaml",
        "briefs/kz-de-2026-03-12-draft.yaml",
        "briefs/tr-gr-2026-05-20.yaml",
    ] {
        // One file per source: a PDF recorded for another source is not replaced (issue 24).
        let out = dir.join(format!("one-{}.pdf", &source[7..12]));
        let o = brief(
            &["build", source, "--template", "one-pager", "-o", out.to_str().unwrap()],
            EPOCH,
        );
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stderr}");
        assert_eq!(pages(&out), 1, "{source}");
        assert!(stderr.contains(" (1 page, "), "one page, not \"1 pages\": {stderr}");
    }
    let mut long = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let many: String = (0..40).map(|i| format!("  - Key message number {i}, long enough to take a whole line of the page on its own.\n")).collect();
    long = long.replacen("key_messages:\n", &format!("key_messages:\n{many}"), 1);
    let src = dir.join("long.yaml");
    std::fs::write(&src, long).unwrap();
    let out = dir.join("long.pdf");
    let o = brief(
        &["build", src.to_str().unwrap(), "--template", "one-pager", "-o", out.to_str().unwrap()],
        EPOCH,
    );
    assert!(o.status.success());
    assert_eq!(pages(&out), 1);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("left out outcomes"), "says what it dropped: {stderr}");
}

#[test]
fn talking_points_carry_the_marking_on_every_page() {
    let dir = scratch("tp");
    let out = dir.join("tp.pdf");
    let o = brief(
        &[
            "build",
            "briefs/kz-de-2026-03-12-draft.yaml",
            "--template",
            "talking-points",
            "-o",
            out.to_str().unwrap(),
        ],
        EPOCH,
    );
    assert!(o.status.success());
    let texts = tool::page_texts(&out, &[]);
    assert_eq!(texts.len(), pages(&out));
    for (page, text) in (1..).zip(&texts) {
        assert_eq!(text.matches("OFFICIAL-SENSITIVE").count(), 2, "page {page}");
    }
}

#[test]
fn a_custom_template_folder_builds_from_any_directory() {
    let dir = scratch("custom");
    let tpl = dir.join("my-note");
    std::fs::create_dir_all(&tpl).unwrap();
    let main = std::fs::read_to_string(root().join("templates/briefing-note/main.md")).unwrap();
    // One section removed: no background.
    let start = main.find("{% if background %}").unwrap();
    let end = start + main[start..].find("{% endif %}").unwrap() + "{% endif %}".len();
    let main = format!("{}{}", &main[..start], &main[end..]);
    std::fs::write(tpl.join("main.md"), main).unwrap();
    std::fs::write(tpl.join("theme.yaml"), "marking: top right\ncolors:\n  heading: \"#7a1f1f\"\n")
        .unwrap();
    let elsewhere = scratch("cwd");
    let src = root().join("briefs/az-kg-2021-07-05.yaml");
    let o = brief_in(
        &elsewhere,
        &["build", src.to_str().unwrap(), "--template", tpl.to_str().unwrap(), "-o", "note.pdf"],
        EPOCH,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = text(&elsewhere.join("note.pdf"));
    assert!(!t.contains("Background"), "the removed section is gone");
    assert!(t.contains("Agreed measures"));
    assert_eq!(
        t.matches("OFFICIAL").count(),
        2 * pages(&elsewhere.join("note.pdf")),
        "marking top right and at the foot of every page"
    );
}

#[test]
fn all_products_in_one_run() {
    let dir = scratch("products");
    let o = brief(
        &["build", "briefs/az-kg-2021-07-05.yaml", "--all-products", "-o", dir.to_str().unwrap()],
        EPOCH,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting_briefing-note.pdf",
            "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting_one-pager.pdf",
            "2021-07-05_azerbaijan-kyrgyzstan-bilateral-meeting_talking-points.pdf",
        ]
    );
}

/// A copy of the house-typeface fixture in a scratch folder, to break.
fn house_copy(case: &str) -> PathBuf {
    let dir = scratch(case).join("tpl");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/house")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    dir
}

fn fonts(pdf: &Path) -> String {
    tool("pdffonts", &[pdf.to_str().unwrap()])
}

#[test]
fn a_house_typeface_sets_the_text_and_the_bundled_faces_fill_in() {
    let dir = scratch("house");
    let out = dir.join("house.pdf");
    let src = root().join("briefs/cn-ge-2026-09-15.yaml");
    let tpl = root().join("tests/fixtures/house");
    let o = brief_in(
        &dir,
        &["build", src.to_str().unwrap(), "--template", tpl.to_str().unwrap(), "-o", "house.pdf"],
        EPOCH,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed = fonts(&out);
    // Latin in the house faces (all four styles are used by the note)…
    for face in ["DejaVuSerif ", "DejaVuSerif-Bold ", "DejaVuSerif-Italic "] {
        assert!(listed.contains(&format!("+{face}")), "{face} missing:\n{listed}");
    }
    // …and what the house typeface lacks from the bundled chain.
    for face in ["NotoSansGeorgian-Regular", "NotoSansCJK", "NotoSansMath-Regular"] {
        assert!(listed.contains(face), "{face} missing:\n{listed}");
    }
    // The serif house face is wider: the title wraps before "visit".
    let text = text(&out).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("China – Georgia (中国 – საქართველო) official visit"), "{text}");
}

#[test]
fn a_broken_or_missing_house_font_is_an_error_naming_the_file() {
    // Not a font at all.
    let tpl = house_copy("house-broken");
    std::fs::write(tpl.join("DejaVuSerif-Bold.ttf"), b"not a font").unwrap();
    let o = build_with(&tpl, &tpl.join("x.pdf"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("DejaVuSerif-Bold.ttf") && stderr.contains("bold"), "{stderr}");
    assert!(!tpl.join("x.pdf").exists());
    // A font that parses but whose glyph data is damaged: refused when the
    // template is read, naming the file, not later against the brief.
    let tpl = house_copy("house-damaged");
    let path = tpl.join("DejaVuSerif-Bold.ttf");
    let mut bytes = std::fs::read(&path).unwrap();
    let tables = u16::from_be_bytes([bytes[4], bytes[5]]) as usize;
    for i in 0..tables {
        let at = 12 + 16 * i;
        if &bytes[at..at + 4] == b"glyf" {
            let word = |k: usize| u32::from_be_bytes(bytes[k..k + 4].try_into().unwrap()) as usize;
            let (offset, len) = (word(at + 8), word(at + 12));
            for k in (offset + 200..offset + len).step_by(7) {
                bytes[k] = 0xFF;
            }
        }
    }
    std::fs::write(&path, bytes).unwrap();
    let o = build_with(&tpl, &tpl.join("x.pdf"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("DejaVuSerif-Bold.ttf") && stderr.contains("damaged"), "{stderr}");
    // A style the theme does not name.
    let tpl = house_copy("house-lacking");
    let theme = std::fs::read_to_string(tpl.join("theme.yaml")).unwrap();
    std::fs::write(
        tpl.join("theme.yaml"),
        theme.replace("  bold_italic: DejaVuSerif-BoldItalic.ttf\n", ""),
    )
    .unwrap();
    let o = build_with(&tpl, &tpl.join("x.pdf"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bold_italic"), "{stderr}");
    // A file named but not there.
    let tpl = house_copy("house-absent");
    std::fs::remove_file(tpl.join("DejaVuSerif-Italic.ttf")).unwrap();
    let o = build_with(&tpl, &tpl.join("x.pdf"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("DejaVuSerif-Italic.ttf") && stderr.contains("fonts.italic"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_house_font_is_never_read_through_a_symbolic_link() {
    let tpl = house_copy("house-link");
    std::fs::remove_file(tpl.join("DejaVuSerif.ttf")).unwrap();
    std::os::unix::fs::symlink(
        root().join("tests/fixtures/house/DejaVuSerif.ttf"),
        tpl.join("DejaVuSerif.ttf"),
    )
    .unwrap();
    let o = build_with(&tpl, &tpl.join("x.pdf"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("symbolic links are not followed"), "{stderr}");
}

/// `brief templates export` writes each built-in as a folder that checks
/// clean and, built unchanged, makes the very PDF the built-in makes.
#[test]
fn an_exported_built_in_checks_clean_and_builds_the_same_pdf() {
    let dir = scratch("export");
    let src = root().join("briefs/az-kg-2021-07-05.yaml");
    for name in ["briefing-note", "one-pager", "talking-points"] {
        let tpl = dir.join(name);
        let o = brief(&["templates", "export", name, tpl.to_str().unwrap()], EPOCH);
        assert!(o.status.success(), "{o:?}");
        let theme = std::fs::read_to_string(tpl.join("theme.yaml")).unwrap();
        for key in ["margins_mm:", "colors:", "chart_palette:", "fonts:", "markings:", "drop:"] {
            assert!(theme.contains(key), "{name}: {key} missing from the exported theme");
        }
        let o = brief(&["templates", "check", tpl.to_str().unwrap()], EPOCH);
        assert!(o.status.success(), "{o:?}");
        let (ours, theirs) =
            (dir.join(format!("{name}-exported.pdf")), dir.join(format!("{name}.pdf")));
        let args = ["build", src.to_str().unwrap(), "--template"];
        let o = brief(
            &[&args[..], &[tpl.to_str().unwrap(), "-o", ours.to_str().unwrap()]].concat(),
            EPOCH,
        );
        assert!(o.status.success(), "{o:?}");
        let o = brief(&[&args[..], &[name, "-o", theirs.to_str().unwrap()]].concat(), EPOCH);
        assert!(o.status.success(), "{o:?}");
        assert!(
            std::fs::read(&ours).unwrap() == std::fs::read(&theirs).unwrap(),
            "{name}: PDFs differ"
        );
    }
    // Never over a file already there, unless asked.
    let tpl = dir.join("briefing-note");
    std::fs::write(tpl.join("main.md"), "# mine\n").unwrap();
    let o = brief(&["templates", "export", "briefing-note", tpl.to_str().unwrap()], EPOCH);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert_eq!(std::fs::read_to_string(tpl.join("main.md")).unwrap(), "# mine\n");
    let o =
        brief(&["templates", "export", "briefing-note", tpl.to_str().unwrap(), "--force"], EPOCH);
    assert!(o.status.success(), "{o:?}");
    assert_ne!(std::fs::read_to_string(tpl.join("main.md")).unwrap(), "# mine\n");
    let o =
        brief(&["templates", "export", "briefing-notes", dir.join("x").to_str().unwrap()], EPOCH);
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `briefing-note`?"), "{o:?}");
}

/// Every problem of a template folder at once, each at its file, line and
/// column: theme keys and values, wording keys, an undefined field.
#[test]
fn templates_check_reports_every_problem_of_a_folder_located() {
    let dir = scratch("template-check");
    let tpl = dir.join("house");
    let o = brief(&["templates", "export", "briefing-note", tpl.to_str().unwrap()], EPOCH);
    assert!(o.status.success(), "{o:?}");
    let edit = |file: &str, from: &str, to: &str| {
        let path = tpl.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("theme.yaml", "description:", "descripton:");
    edit("theme.yaml", "  muted: '#", "  muted: 'red'\n  mutedx: '#");
    edit("theme.yaml", "page: a4", "page: a5");
    edit("locales/en.yaml", "\"Agenda\": \"Agenda\"", "\"Agendaa\": \"Order of business\"");
    edit("main.md", "brief.title | text", "brief.titel | text");
    let norm =
        |o: &Output| String::from_utf8_lossy(&o.stderr).replace(dir.to_str().unwrap(), "[dir]");
    let o = brief(&["templates", "check", tpl.to_str().unwrap(), "--color", "never"], EPOCH);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let report = norm(&o);
    insta::assert_snapshot!("templates-check", report);
    // `brief check --template` reports the same, once, before the briefs.
    let src = root().join("briefs/az-kg-2021-07-05.yaml");
    let o = brief(
        &["check", src.to_str().unwrap(), "--template", tpl.to_str().unwrap(), "--color", "never"],
        EPOCH,
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let check = norm(&o);
    for needle in ["descripton", "mutedx", "`red`", "a5", "Agendaa", "brief.titel"] {
        assert!(check.contains(needle), "{needle} not in\n{check}");
    }
}

#[test]
fn a_marking_on_no_scale_stops_a_single_brief_and_a_theme_can_add_its_scale() {
    let dir = scratch("marking");
    let example = std::fs::read_to_string(root().join("briefs/az-kg-2021-07-05.yaml")).unwrap();
    let src = dir.join("brief.yaml");
    let marked =
        |m: &str| example.replace("classification: OFFICIAL", &format!("classification: {m}"));
    std::fs::write(&src, marked("OFICIAL-SENSITIVE")).unwrap();
    let s = src.to_str().unwrap();
    for cmd in ["build", "check"] {
        let o = brief_in(&dir, &[cmd, s, "--color", "never"], EPOCH);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{cmd}: {err}");
        assert!(err.contains("unknown marking `OFICIAL-SENSITIVE`"), "{cmd}: {err}");
        assert!(err.contains("did you mean `OFFICIAL-SENSITIVE`?"), "{cmd}: {err}");
        assert!(err.contains(&format!("{s}:10:")), "{cmd}: located at its line: {err}");
    }
    // A house scale beside the shipped ones: its markings and theirs build.
    let tpl = dir.join("house");
    std::fs::create_dir_all(&tpl).unwrap();
    let main = std::fs::read_to_string(root().join("templates/briefing-note/main.md")).unwrap();
    std::fs::write(tpl.join("main.md"), main).unwrap();
    std::fs::write(tpl.join("theme.yaml"), "add_markings: [Reservado, Confidencial, Secreto]\n")
        .unwrap();
    let t = tpl.to_str().unwrap();
    for (m, ok) in [("Confidencial", true), ("OFFICIAL", true), ("Confidental", false)] {
        std::fs::write(&src, marked(m)).unwrap();
        let o = brief_in(&dir, &["build", s, "--template", t, "-o", "out.pdf"], EPOCH);
        assert_eq!(o.status.success(), ok, "{m}: {}", String::from_utf8_lossy(&o.stderr));
    }
    // Instead of them: the shipped markings are unknown.
    std::fs::write(tpl.join("theme.yaml"), "markings: [Reservado, Confidencial, Secreto]\n")
        .unwrap();
    std::fs::write(&src, marked("OFFICIAL")).unwrap();
    let o = brief_in(&dir, &["build", s, "--template", t, "-o", "out.pdf"], EPOCH);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("theme: RESERVADO < CONFIDENCIAL < SECRETO"), "{err}");
}
