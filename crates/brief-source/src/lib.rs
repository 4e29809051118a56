//! Reading: YAML bytes → the raw source model, with every structural problem located.
//!
//! Order matters for safety: size, encoding and YAML budgets are checked before
//! anything expands the input, the schema check then reports every structural
//! problem at once, and serde builds the typed model only from a clean tree.

pub mod edit;
pub mod raw;
pub use brief_core::yaml::{check, tree};

use std::sync::OnceLock;

use brief_core::diag::{Diagnostic, Span};
pub use brief_core::yaml::Index;
use tree::{Pos, Value};

/// Largest source accepted, as the format promises.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// A source read and checked structurally, with the positions of its fields.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The typed source.
    pub raw: raw::Source,
    /// Where each field stands.
    pub index: Index,
}

/// The JSON Schema of the format, generated from the raw types, with what
/// `check` checks wherever a schema can say it (see [`strengthen`]), so an
/// editor flags those mistakes as they are typed.
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut schema = structure().clone();
        strengthen(&mut schema);
        schema
    })
}

/// The schema as generated from the raw types: the structure [`load`]
/// checks (types, required and unknown fields, enums); what [`schema`]
/// adds for editors, `check` says in its own words with hints.
fn structure() -> &'static serde_json::Value {
    static STRUCTURE: OnceLock<serde_json::Value> = OnceLock::new();
    STRUCTURE.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(raw::Source)).unwrap_or_default()
    })
}

/// A date as `check` reads it: YYYY-MM-DD, month 01–12, day 01–31 (the
/// day within its month is left to `check`).
const DATE: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/// A 24-hour time, HH:MM.
const TIME: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
/// A figure id.
const FIGURE_ID: &str = "^[a-z0-9-]+$";
/// A recipient: `local@domain`, or a name (quoted if it has a comma) and `<local@domain>`.
const ADDRESS: &str = r#"^(("[^"]*"|[^",<>@]*)\s*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@",]+@[^\s<>@",]+)$"#;

/// Adds to the generated schema the rules serde's types cannot carry:
/// patterns for dates, times, figure ids and country codes, the supported
/// languages (each code, and the regional forms that fall back to one), at
/// least two parties, the format version, and examples.
fn strengthen(schema: &mut serde_json::Value) {
    use serde_json::json;
    let codes: Vec<&str> = brief_core::locale::LANGUAGES.iter().map(|l| l.code).collect();
    let primaries = codes.iter().map(|c| c.replace('-', "[-_]")).collect::<Vec<_>>().join("|");
    let language = json!({
        "anyOf": [
            { "enum": codes },
            { "type": "string", "pattern": format!("^({primaries})([-_][A-Za-z0-9]{{1,8}})*$") },
            { "type": "null" }
        ],
        "description": format!(
            "BCP 47 language tag: a supported language ({}), or a regional form that falls back to one (en-GB, pt-BR, zh-TW, uz-Latn).",
            brief_core::locale::supported_list()
        ),
        "examples": ["en-GB", "fr", "pt-BR", "zh-Hant"]
    });
    let date = |example: &str| json!({ "pattern": DATE, "examples": [example] });
    let zone = |example: &str| json!({ "minLength": 1, "examples": [example] });
    let patches: [(&str, serde_json::Value); 16] = [
        ("/properties/format", json!({ "enum": [1, null], "examples": [1] })),
        ("/$defs/Brief/properties/date", date("2026-03-12")),
        ("/$defs/Brief/properties/as_of", date("2026-03-10")),
        ("/$defs/Brief/properties/language", language),
        (
            "/$defs/Brief/properties/title",
            json!({ "minLength": 1, "examples": ["Kazakhstan – Germany consultations"] }),
        ),
        ("/$defs/Brief/properties/version", json!({ "examples": ["1.2"] })),
        ("/$defs/Meeting/properties/date", date("2026-03-12")),
        ("/$defs/Meeting/properties/time", json!({ "pattern": TIME, "examples": ["09:30"] })),
        ("/$defs/Meeting/properties/time_zone", zone("Asia/Baku")),
        ("/$defs/AgendaItem/properties/time", json!({ "pattern": TIME, "examples": ["11:30"] })),
        ("/$defs/AgendaItem/properties/time_zone", zone("Europe/Brussels")),
        ("/$defs/Meeting/properties/parties", json!({ "minItems": 2 })),
        ("/$defs/Party/properties/code", json!({ "pattern": "^[A-Z]{2}$", "examples": ["KZ"] })),
        ("/$defs/Outcome/properties/due", date("2026-06-30")),
        (
            "/$defs/Figure/properties/id",
            json!({ "pattern": FIGURE_ID, "minLength": 1, "examples": ["trade-turnover"] }),
        ),
        ("/$defs/Reference/properties/date", date("2026-01-31")),
    ];
    for (pointer, patch) in patches {
        // Every pointer names a field of the format (a test holds them to it).
        let Some(target) = schema.pointer_mut(pointer).and_then(|t| t.as_object_mut()) else {
            continue;
        };
        if let Some(patch) = patch.as_object() {
            // A language replaces the plain string; the rest add to it.
            if patch.contains_key("anyOf") {
                target.retain(|k, _| k == "description");
            }
            for (k, v) in patch {
                target.insert(k.clone(), v.clone());
            }
        }
    }
    // Numbers a double holds exactly (past 2^53 a value would print as
    // another), and recipients as the mail stage reads them: an address, or
    // `Name <address>` with any comma in the name quoted.
    let exact =
        json!({ "minimum": -9_007_199_254_740_992_i64, "maximum": 9_007_199_254_740_992_i64 });
    let address = json!({
        "pattern": ADDRESS,
        "examples": ["Europe Desk <desk@example.gov>", "\"Smith, John\" <j.smith@example.gov>"]
    });
    for (pointer, patch) in [
        ("/$defs/Fact/properties/value", &exact),
        ("/$defs/Series/properties/values/items", &exact),
        ("/$defs/Distribution/properties/to/items", &address),
        ("/$defs/Distribution/properties/cc/items", &address),
    ] {
        if let (Some(t), Some(patch)) =
            (schema.pointer_mut(pointer).and_then(|t| t.as_object_mut()), patch.as_object())
        {
            t.extend(patch.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    // Every series has at least one value, every figure a category and a series.
    for (pointer, least) in [
        ("/$defs/Figure/properties/categories", 1),
        ("/$defs/Figure/properties/series", 1),
        ("/$defs/Series/properties/values", 1),
    ] {
        if let Some(t) = schema.pointer_mut(pointer).and_then(|t| t.as_object_mut()) {
            t.insert("minItems".into(), json!(least));
        }
    }
}

/// Why a source could not be loaded: every structural problem and, when
/// the rest of the source still makes a brief, that brief, so its meaning can
/// be checked in the same pass.
#[derive(Debug)]
pub struct Failed {
    /// The problems, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The source with the faulty parts left out, if it still holds a brief.
    pub partial: Option<Box<Parsed>>,
}

impl From<Vec<Diagnostic>> for Failed {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Failed { diagnostics, partial: None }
    }
}

/// Why a source file could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// The file is larger than [`MAX_BYTES`]: the source is invalid.
    TooLarge(Diagnostic),
    /// The file cannot be read, or is not a regular file (a folder, a pipe, a device).
    Unreadable(Diagnostic),
}

impl ReadError {
    /// The diagnostic to report.
    pub fn diagnostic(&self) -> &Diagnostic {
        match self {
            ReadError::TooLarge(d) | ReadError::Unreadable(d) => d,
        }
    }
}

/// Reads a source file, never more than [`MAX_BYTES`] + 1 bytes of it.
///
/// Only regular files are read: a device such as `/dev/zero` never ends and a
/// named pipe blocks until someone writes to it, so both are refused before
/// the file is opened. The length is checked again while reading, because a
/// file may grow (or be replaced) between the check and the read.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let name = path.display().to_string();
    let io = |e: std::io::Error| {
        ReadError::Unreadable(Diagnostic::error(&name, format!("cannot read ({e})")))
    };
    let not_regular = |what: &str| {
        ReadError::Unreadable(
            Diagnostic::error(&name, format!("cannot read: {what}, not a regular file"))
                .expected("a briefing source saved as a file")
                .hint("save the brief to a file and name that file"),
        )
    };
    let too_large = |len: u64| {
        ReadError::TooLarge(
            Diagnostic::error(&name, format!("source is {len} bytes, more than the 8 MiB limit"))
                .hint("a brief is text; move bulky material elsewhere"),
        )
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(file_kind(&meta)));
    }
    if meta.len() > MAX_BYTES as u64 {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(file_kind(&meta)));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_BYTES as u64) as usize);
    file.take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() > MAX_BYTES {
        let len = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(too_large(len.max(bytes.len() as u64)));
    }
    Ok(bytes)
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "it is a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "it is a device";
        }
        if t.is_socket() {
            return "it is a socket";
        }
    }
    if meta.is_dir() { "it is a folder" } else { "it is not a file" }
}

/// Reads a source from bytes; `file` is the name diagnostics print.
pub fn load(file: &str, bytes: &[u8]) -> Result<Parsed, Failed> {
    let text = decode(file, bytes).map_err(|d| vec![d])?;
    let mut index = Index::new(file, text);
    let root = match tree::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(vec![empty(file, bytes)].into()),
        Err(e) => {
            let d = Diagnostic::error(file, e.message).at(e.pos.map(|p| index.span(p)));
            return Err(vec![match e.hint {
                Some(h) => d.hint(h),
                None => d,
            }]
            .into());
        }
    };
    if !matches!(root.resolve().value, Value::Map(_)) {
        let d = Diagnostic::error(file, "a brief must be a mapping of fields at the top level")
            .at(Some(index.span(root.pos)))
            .expected("`brief:`, `meeting:` and the other fields of the format")
            .hint("start from `brief new FILE`");
        return Err(vec![d].into());
    }
    index.record(&root, "");
    let (problems, json) = check::check(&root, structure());
    // The checked tree, typed by the schema, is the source: reading the
    // text a second time (serde-saphyr) cost a third of loading. With
    // problems it is what the rest of the checks see.
    let typed = json.and_then(|j| serde_json::from_value::<raw::Source>(j).ok());
    if !problems.is_empty() {
        let diagnostics = problems.into_iter().map(|p| problem(&index, p)).collect();
        let partial = typed.map(|raw| Box::new(Parsed { raw, index }));
        return Err(Failed { diagnostics, partial });
    }
    // Should the tree and the text ever disagree on a value, the text is
    // read as before, so its error is located.
    if let Some(raw) = typed {
        return Ok(Parsed { raw, index });
    }
    // The tree check reported every control character in a value; one left
    // in a comment is harmless, and must not become a syntax error here.
    let (text, _) = tree::mask_controls(text);
    deserialize(&text, &index).map(|raw| Parsed { raw, index }).map_err(Failed::from)
}

fn problem(index: &Index, p: check::Problem) -> Diagnostic {
    let mut d = Diagnostic::error(index.file(), p.message).at(Some(index.span(p.pos))).path(p.path);
    d.expected = p.expected;
    d.hint = p.hint;
    d
}

fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    if bytes.len() > MAX_BYTES {
        return Err(Diagnostic::error(
            file,
            format!("source is {} bytes, more than the 8 MiB limit", bytes.len()),
        )
        .hint("a brief is text; move bulky material elsewhere"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let col = String::from_utf8_lossy(good.rsplit(|b| *b == b'\n').next().unwrap_or_default())
            .chars()
            .count()
            + 1;
        Diagnostic::error(
            file,
            format!("source is not UTF-8 text (invalid byte 0x{:02X})", bytes[e.valid_up_to()]),
        )
        .at(Some(Span { line, col, len: 1, text: String::new() }))
        .expected("a UTF-8 encoded YAML file")
        .hint("save the file as UTF-8, or check that it is a brief and not a binary file")
    })?;
    if text.contains('\0') {
        return Err(Diagnostic::error(file, "source contains NUL bytes; it is not a text file")
            .expected("a UTF-8 encoded YAML file"));
    }
    Ok(text)
}

fn empty(file: &str, bytes: &[u8]) -> Diagnostic {
    let what = if bytes.is_empty() {
        "source is empty"
    } else {
        "source holds no YAML document (only blanks or comments)"
    };
    Diagnostic::error(file, what)
        .expected("a brief with at least `brief:` and `meeting:`")
        .hint("run `brief new FILE` for a starter brief")
}

fn deserialize(text: &str, index: &Index) -> Result<raw::Source, Vec<Diagnostic>> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_depth: tree::MAX_DEPTH, max_nodes: tree::MAX_NODES },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let pos =
            e.location().map(|l| Pos { line: l.line() as usize, col: l.column() as usize, len: 1 });
        let message = e.without_snippet().to_string();
        vec![Diagnostic::error(index.file(), message).at(pos.map(|p| index.span(p)))]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "brief:\n  title: T\n  date: 2021-07-05\nmeeting:\n  kind: Call\n  date: 2021-07-05\n  parties:\n    - country: A\n    - country: B\n";

    fn errors(text: &str) -> Vec<Diagnostic> {
        load("t.yaml", text.as_bytes()).expect_err("should fail").diagnostics
    }

    #[test]
    fn loads_minimal_brief() {
        let loaded = load("t.yaml", MINIMAL.as_bytes()).expect("loads");
        assert_eq!(loaded.raw.meeting.parties.len(), 2);
        assert_eq!(loaded.index.value("meeting.parties[1].country").map(|s| s.line), Some(9));
    }

    #[test]
    fn reports_all_structural_problems_at_once() {
        let text = MINIMAL
            .replace("  title: T\n", "  title: T\n  clasification: X\n  status: finalised\n");
        let errs = errors(&text);
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `classification`?"));
        assert_eq!(errs[1].path.as_deref(), Some("brief.status"));
    }

    #[test]
    fn messages_say_what_a_person_meant() {
        // A missing date asks for a date, not "a text".
        let errs = errors(&MINIMAL.replace("  kind: Call\n  date: 2021-07-05\n", "  kind: Call\n"));
        assert_eq!(errs[0].path.as_deref(), Some("meeting.date"));
        assert!(errs[0].expected.as_deref().unwrap_or("").contains("YYYY-MM-DD"), "{errs:#?}");
        // `yes` is text in YAML 1.2: the hint gives the boolean.
        let text = MINIMAL.replace(
            "    - country: A\n",
            "    - country: A\n      delegation:\n        - name: Ann\n          lead: yes\n",
        );
        let errs = errors(&text);
        assert_eq!(errs[0].hint.as_deref(), Some("write `true`"), "{errs:#?}");
        // A key message in bold reads as an alias: say so, show it quoted.
        let text = format!("{MINIMAL}key_messages:\n  - **Bold** start of a message\n");
        let errs = errors(&text);
        assert!(errs[0].message.contains("starting with `*`"), "{errs:#?}");
        assert_eq!(errs[0].span.as_ref().map(|s| (s.line, s.col)), Some((11, 5)));
        let hint = errs[0].hint.as_deref().unwrap_or("");
        assert!(hint.contains("- \"**Bold** start of a message\""), "{hint}");
    }

    #[test]
    fn plain_numbers_are_accepted_as_text() {
        let text = MINIMAL.replace("  title: T\n", "  title: T\n  version: 1.2\n");
        let loaded = load("t.yaml", text.as_bytes()).expect("loads");
        assert_eq!(loaded.raw.brief.version.as_deref(), Some("1.2"));
    }

    fn located(errs: &[Diagnostic], path: &str) -> (usize, usize, String) {
        let d = errs.iter().find(|d| d.path.as_deref() == Some(path));
        let d = d.unwrap_or_else(|| panic!("no error at {path}: {errs:#?}"));
        let span = d.span.as_ref().expect("located");
        (span.line, span.col, d.message.clone())
    }

    #[test]
    fn control_characters_are_errors_at_the_character() {
        // A bell in a plain scalar, an escape in double quotes, and a
        // backspace on the third line of a `|` block.
        let text = MINIMAL
            .replace("  title: T\n", "  title: T\u{7}x\n  subtitle: \"ab\\x1b[2J\"\n")
            .replace(
                "  kind: Call\n",
                "  kind: Call\n  location: |\n    line one\n    line two\n    ok \u{8}here\n",
            );
        let errs = errors(&text);
        assert_eq!(
            located(&errs, "brief.title"),
            (2, 11, "control character U+0007 in the text".into())
        );
        assert_eq!(located(&errs, "brief.subtitle").0, 3);
        assert_eq!(located(&errs, "brief.subtitle").1, 16);
        assert_eq!(located(&errs, "meeting.location").0, 10);
        assert_eq!(located(&errs, "meeting.location").1, 8);
        let d = errs.iter().find(|d| d.path.as_deref() == Some("meeting.location")).unwrap();
        assert_eq!(d.span.as_ref().unwrap().text, "    ok \u{8}here");
    }

    #[test]
    fn a_control_character_in_folded_text_is_found_and_del_and_c1_too() {
        let text = MINIMAL.replace(
            "  title: T\n",
            "  title: >-\n    first\n    second \u{7f}\n  subtitle: \"a\u{85}b\"\n",
        );
        let errs = errors(&text);
        assert_eq!(located(&errs, "brief.title").0, 4);
        assert_eq!(located(&errs, "brief.title").1, 12);
        assert!(located(&errs, "brief.subtitle").2.contains("U+0085"));
    }

    #[test]
    fn tabs_newlines_bidi_marks_and_joiners_stay_allowed() {
        let text = MINIMAL.replace(
            "  title: T\n",
            "  title: \"a\\tb \u{200F}x\u{200E} \u{200D}\u{200C}\u{61C}y\"\n  subtitle: |\n    one\n    two\n",
        );
        load("t.yaml", text.as_bytes()).expect("loads");
    }

    /// Embeddings, overrides and isolates would show the words after them
    /// in another order than the source's: each is an error at its own
    /// character, written literally or as a double-quoted escape.
    #[test]
    fn direction_controls_are_errors_at_the_character() {
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            let text = MINIMAL.replace("  title: T\n", &format!("  title: pay {c}100 not 1000\n"));
            let errs = errors(&text);
            let (line, col, message) = located(&errs, "brief.title");
            assert_eq!((line, col), (2, 14), "U+{:04X}", c as u32);
            assert!(message.starts_with(&format!("text direction control U+{:04X} (", c as u32)));
            let escaped = format!("  title: \"pay \\u{:04X}100\"\n", c as u32);
            let errs = errors(&MINIMAL.replace("  title: T\n", &escaped));
            assert_eq!(located(&errs, "brief.title").0, 2);
            assert_eq!(located(&errs, "brief.title").1, 15);
        }
        let errs =
            errors(&MINIMAL.replace("  title: T\n", "  title: >-\n    a\n    b \u{202E}c\n"));
        assert_eq!(located(&errs, "brief.title").0, 4);
        assert!(located(&errs, "brief.title").2.contains("right-to-left override"));
    }

    #[test]
    fn a_control_character_in_a_comment_is_harmless() {
        let text = format!("# pasted \u{7} here\n{MINIMAL}");
        load("t.yaml", text.as_bytes()).expect("loads");
    }

    #[test]
    fn yaml_tags_other_than_str_are_errors() {
        let text = MINIMAL.replace("  title: T\n", "  title: !foo bar\n  version: !!str 1.10\n");
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        let (line, _, message) = located(&errs, "brief.title");
        assert_eq!((line, message.as_str()), (2, "the YAML tag `!foo` is not supported"));
        let errs = errors(&MINIMAL.replace("  title: T\n", "  title: !custom\n    x: 1\n"));
        assert_eq!(located(&errs, "brief.title").0, 2, "the tag, on the line above the mapping");
        for tagged in ["  title: !!int 5\n", "  title: !custom\n    x: 1\n", "  !foo title: T\n"] {
            let errs = errors(&MINIMAL.replace("  title: T\n", tagged));
            assert!(
                errs.iter().any(|d| d.message.contains("is not supported")),
                "{tagged}: {errs:#?}"
            );
        }
    }

    const FACT: &str = "facts:\n  - label: L\n    value: VALUE\n";

    #[test]
    fn integers_beyond_two_to_the_53_are_errors() {
        for big in [
            "9007199254740993",
            "-9007199254740993",
            "123456789012345678901234567890",
            "0x20000000000001",
        ] {
            let errs = errors(&format!("{MINIMAL}{}", FACT.replace("VALUE", big)));
            let (line, col, message) = located(&errs, "facts[0].value");
            assert_eq!((line, col), (12, 12), "{big}");
            assert!(message.contains("too large to keep exactly"), "{message}");
        }
        for fine in ["9007199254740992", "-9007199254740992", "1e300", "12345.678"] {
            load("t.yaml", format!("{MINIMAL}{}", FACT.replace("VALUE", fine)).as_bytes())
                .expect(fine);
        }
    }

    #[test]
    fn unquoted_versions_keep_their_digits() {
        let text = MINIMAL.replace("  title: T\n", "  title: T\n  version: 1.10\n");
        let loaded = load("t.yaml", text.as_bytes()).expect("loads");
        assert_eq!(loaded.raw.brief.version.as_deref(), Some("1.10"));
    }

    const MERGE: &str = "brief:\n  title: T\n  date: 2021-07-05\nmeeting:\n  kind: Call\n  date: 2021-07-05\n  parties:\n    - country: A\n      delegation:\n        - &lead\n          name: Ann\n          role: Minister\n          lead: LEAD\n        - &deputy\n          name: Bob\n          role: Deputy\n    - country: B\n      delegation:\n        - <<: *lead\n          name: Cem\n        - <<: [*deputy, *lead]\n";

    #[test]
    fn merge_keys_share_fields_and_written_keys_win() {
        let loaded = load("t.yaml", MERGE.replace("LEAD", "true").as_bytes()).expect("loads");
        let b = &loaded.raw.meeting.parties[1].delegation;
        assert_eq!(
            (b[0].name.as_str(), b[0].role.as_deref(), b[0].lead),
            ("Cem", Some("Minister"), Some(true))
        );
        // The earlier mapping of a list wins: Bob's name and role, Ann's `lead`.
        assert_eq!(
            (b[1].name.as_str(), b[1].role.as_deref(), b[1].lead),
            ("Bob", Some("Deputy"), Some(true))
        );
        assert_eq!(
            loaded.index.value("meeting.parties[1].delegation[0].role").map(|s| s.line),
            Some(12)
        );
    }

    #[test]
    fn errors_in_merged_fields_point_where_they_are_written() {
        let errs = errors(&MERGE.replace("LEAD", "maybe"));
        assert_eq!(located(&errs, "meeting.parties[1].delegation[0].lead").0, 13);
        let errs = errors(&MERGE.replace("*deputy, *lead]", "*deputy, 5]"));
        assert!(errs[0].message.contains("merge key"), "{errs:#?}");
        assert_eq!(errs[0].span.as_ref().map(|s| s.line), Some(21));
    }

    #[test]
    fn merge_bombs_are_refused_before_copying() {
        let mut text = String::from("a: &a {k0: [x, x, x, x, x, x, x, x, x, x]}\n");
        for i in 1..40 {
            let keys: String = (0..200).map(|k| format!("k{i}_{k}: *a, ")).collect();
            text.push_str(&format!("m{i}: &m{i} {{<<: [*a], {keys}}}\n"));
        }
        let big: String = (0..3000).map(|i| format!("  - {{<<: *m{}}}\n", 1 + i % 39)).collect();
        text.push_str(&format!("list:\n{big}"));
        let errs = errors(&text);
        assert!(errs[0].message.contains("expand to more than"), "{errs:#?}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_refused_without_reading() {
        let err = read_file(std::path::Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(&err, ReadError::Unreadable(_)), "{err:?}");
        assert!(err.diagnostic().message.contains("it is a device, not a regular file"));
        let dir = std::env::temp_dir().join(format!("brief-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("pipe.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(made.success());
        // Opening a pipe with no writer would block forever: the refusal must come first.
        let err = read_file(&fifo).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.diagnostic().message.contains("named pipe"), "{err:?}");
        let err = read_file(&std::env::temp_dir()).unwrap_err();
        assert!(err.diagnostic().message.contains("folder"), "{err:?}");
    }

    #[test]
    fn files_are_read_up_to_the_limit() {
        let path = std::env::temp_dir().join(format!("brief-read-{}.yaml", std::process::id()));
        std::fs::write(&path, vec![b'#'; MAX_BYTES]).unwrap();
        assert_eq!(read_file(&path).map(|b| b.len()), Ok(MAX_BYTES));
        std::fs::write(&path, vec![b'#'; MAX_BYTES + 1]).unwrap();
        let err = read_file(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(err, ReadError::TooLarge(_)), "{err:?}");
    }
}

#[cfg(test)]
mod typed_tree {
    use super::*;

    /// Every YAML source of the repository that checks cleanly: read from
    /// its checked tree, it is what serde-saphyr reads from its text.
    #[test]
    fn the_checked_tree_reads_as_the_text_does() {
        let mut files = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut dirs = vec![root.join("briefs"), root.join("tests")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    files.push(path);
                }
            }
        }
        let mut compared = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            let Ok(Some(root)) = tree::parse(&text) else { continue };
            let (problems, json) = check::check(&root, structure());
            let Some(json) = json.filter(|_| problems.is_empty()) else { continue };
            let Ok(from_text) = serde_saphyr::from_str::<raw::Source>(&text) else { continue };
            let from_tree: raw::Source = serde_json::from_value(json).unwrap_or_else(|e| {
                panic!("{}: the checked tree does not read: {e}", path.display())
            });
            assert_eq!(
                serde_json::to_value(&from_tree).unwrap(),
                serde_json::to_value(&from_text).unwrap(),
                "{}",
                path.display()
            );
            compared += 1;
        }
        assert!(compared >= 8, "only {compared} sources compared");
    }
}

#[cfg(test)]
mod schema_tests {
    use super::*;

    #[test]
    fn the_schema_carries_every_rule_it_can() {
        let s = schema();
        for (pointer, key) in [
            ("/$defs/Brief/properties/date", "pattern"),
            ("/$defs/Brief/properties/as_of", "pattern"),
            ("/$defs/Brief/properties/language", "anyOf"),
            ("/$defs/Meeting/properties/date", "pattern"),
            ("/$defs/Meeting/properties/time", "pattern"),
            ("/$defs/Meeting/properties/time_zone", "examples"),
            ("/$defs/AgendaItem/properties/time", "pattern"),
            ("/$defs/AgendaItem/properties/time_zone", "examples"),
            ("/$defs/Meeting/properties/parties", "minItems"),
            ("/$defs/Party/properties/code", "pattern"),
            ("/$defs/Outcome/properties/due", "pattern"),
            ("/$defs/Figure/properties/id", "pattern"),
            ("/$defs/Figure/properties/series", "minItems"),
            ("/$defs/Fact/properties/value", "maximum"),
            ("/$defs/Distribution/properties/to/items", "pattern"),
            ("/$defs/Reference/properties/date", "pattern"),
            ("/properties/format", "enum"),
        ] {
            assert!(s.pointer(&format!("{pointer}/{key}")).is_some(), "{pointer} has {key}");
            let described = pointer.ends_with("/items")
                || s.pointer(&format!("{pointer}/description")).is_some();
            assert!(described, "{pointer} is described");
        }
        let language = s.pointer("/$defs/Brief/properties/language/anyOf/1/pattern").unwrap();
        let language = language.as_str().unwrap();
        assert!(language.contains("zh[-_]Hant") && language.starts_with("^(en|"), "{language}");
    }
}
