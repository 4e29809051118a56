//! Text conservation: every word of every printed field comes back out of
//! the PDF. Briefs are generated with long fields (longer than a page, in a
//! table cell, the title block and a callout) and odd ones (scripts, markup
//! characters, words wider than the column); the binary builds them and one
//! `pdftotext` per PDF reads them back.

#[path = "common/cli.rs"]
mod cli;
use cli::scratch;
#[path = "common/tool.rs"]
mod tool;
use tool::tool;

use std::fmt::Write as _;
use std::path::PathBuf;

/// The fields of one generated brief and the words each must print.
#[derive(Default)]
struct Fields {
    /// Starts every word, so briefs (and their output names) differ.
    prefix: String,
    /// Field path → the words it holds.
    words: Vec<(String, Vec<String>)>,
}

impl Fields {
    /// `n` words tagged with the field's own prefix, so a lost one is noticed,
    /// plus the odd words given; returns the text.
    fn add(&mut self, path: &str, tag: &str, n: usize, odd: &[&str]) -> String {
        let prefix = &self.prefix;
        let mut words: Vec<String> = (0..n).map(|i| format!("{prefix}{tag}{i:04}")).collect();
        words.extend(odd.iter().map(|w| w.to_string()));
        let text = words.join(" ");
        self.words.push((path.to_string(), words));
        text
    }
}

/// A YAML double-quoted scalar: JSON's string syntax is valid YAML.
fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// Plain fields (escaped by the template) may hold markup characters.
const PLAIN_ODD: &[&str] = &["x*y", "a_b", "p|q", "<b>", "#1", "50%", "C++", "[x]", "~z~", "a`b"];
/// Markup fields hold other scripts and accents (markup characters there are markup).
const TEXT_ODD: &[&str] =
    &["Ελλάδα", "Кыргызстан", "İsgəndərov", "naïve", "Straße", "œuvre", "“quoted”", "1,234.5"];

/// A brief whose fields are `scale` times as long as a normal brief's.
fn brief(scale: usize, f: &mut Fields) -> String {
    let mut y = String::new();
    let long_word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen".repeat(3);
    let _ = writeln!(y, "format: 1\nbrief:");
    let _ = writeln!(y, "  title: {}", q(&f.add("brief.title", "ttl", 8 * scale, PLAIN_ODD)));
    let _ = writeln!(y, "  subtitle: {}", q(&f.add("brief.subtitle", "sub", 10 * scale, &[])));
    let _ = writeln!(y, "  reference: {}", q(&f.add("brief.reference", "ref", 2, &[])));
    let _ = writeln!(y, "  classification: {}", q(&f.add("brief.classification", "cls", 1, &[])));
    // The marking prints in capitals.
    if let Some((_, words)) = f.words.last_mut() {
        words.iter_mut().for_each(|w| *w = w.to_uppercase());
    }
    let _ = writeln!(y, "  handling: {}", q(&f.add("brief.handling", "hnd", 3, &[])));
    let _ = writeln!(y, "  version: {}", q(&f.add("brief.version", "ver", 1, &[])));
    let _ = writeln!(y, "  date: 2021-07-01\n  status: final\n  language: en");
    let _ = writeln!(y, "  prepared_by: {}", q(&f.add("brief.prepared_by", "pby", 6 * scale, &[])));
    let for_ = f.add("brief.prepared_for", "pfr", 6 * scale, PLAIN_ODD);
    let _ = writeln!(y, "  prepared_for: {}", q(&for_));
    let _ = writeln!(y, "meeting:");
    let _ = writeln!(y, "  kind: {}", q(&f.add("meeting.kind", "knd", 5 * scale, PLAIN_ODD)));
    let _ = writeln!(y, "  date: 2021-07-05");
    let location = f.add("meeting.location", "loc", 60 * scale, &[&long_word, "Bakı"]);
    let _ = writeln!(y, "  location: {}", q(&location));
    let _ = writeln!(y, "  parties:");
    for (p, country) in ["Azerbaijan", "Kyrgyzstan"].iter().enumerate() {
        let _ = writeln!(y, "    - country: {country}\n      delegation:");
        for d in 0..2 {
            let at = format!("meeting.parties[{p}].delegation[{d}]");
            let name = f.add(&format!("{at}.name"), &format!("nm{p}{d}x"), 2, &[]);
            let role = f.add(&format!("{at}.role"), &format!("rl{p}{d}x"), 4 * scale, &[]);
            // A biography of about 6,000 characters at the largest scale.
            let bio = f.add(&format!("{at}.bio"), &format!("bi{p}{d}x"), 30 * scale, TEXT_ODD);
            let _ = writeln!(
                y,
                "        - name: {}\n          role: {}\n          lead: {}\n          bio: {}",
                q(&name),
                q(&role),
                d == 0,
                q(&bio)
            );
        }
    }
    let _ = writeln!(y, "purpose: {}", q(&f.add("purpose", "pur", 40 * scale, TEXT_ODD)));
    let _ = writeln!(y, "summary: {}", q(&f.add("summary", "sum", 30 * scale, TEXT_ODD)));
    let _ = writeln!(y, "key_messages:");
    for i in 0..3 {
        let m = f.add(&format!("key_messages[{i}]"), &format!("km{i}x"), 10 * scale, TEXT_ODD);
        let _ = writeln!(y, "  - {}", q(&m));
    }
    let _ = writeln!(y, "agenda:");
    for i in 0..2 {
        let topic = f.add(&format!("agenda[{i}].topic"), &format!("at{i}x"), 3 * scale, PLAIN_ODD);
        let point = f.add(&format!("agenda[{i}].points[0]"), &format!("ap{i}x"), 12 * scale, &[]);
        let _ = writeln!(y, "  - topic: {}\n    points:\n      - {}", q(&topic), q(&point));
    }
    let _ = writeln!(y, "outcomes:");
    for i in 0..3 {
        // An outcome of about 4,500 characters at the largest scale.
        let text = f.add(&format!("outcomes[{i}].text"), &format!("oc{i}x"), 25 * scale, TEXT_ODD);
        let owner =
            f.add(&format!("outcomes[{i}].owner"), &format!("ow{i}x"), 2 * scale, PLAIN_ODD);
        let _ = writeln!(y, "  - text: {}\n    status: agreed\n    owner: {}", q(&text), q(&owner));
    }
    let background = f.add("background", "bg", 80 * scale, &[&long_word]);
    let _ = writeln!(y, "background: {}", q(&background));
    let _ = writeln!(y, "facts:");
    for i in 0..3 {
        let label = f.add(&format!("facts[{i}].label"), &format!("fl{i}x"), 4 * scale, PLAIN_ODD);
        let note = f.add(&format!("facts[{i}].note"), &format!("fn{i}x"), 2 * scale, &[]);
        let _ = writeln!(y, "  - label: {}\n    value: 5\n    note: {}", q(&label), q(&note));
    }
    let _ = writeln!(y, "sections:");
    let title = f.add("sections[0].title", "stt", 3 * scale, PLAIN_ODD);
    let body = f.add("sections[0].body", "sbd", 40 * scale, TEXT_ODD);
    let _ = writeln!(y, "  - title: {}\n    body: {}", q(&title), q(&body));
    let _ = writeln!(y, "risks:");
    let _ = writeln!(y, "  - {}", q(&f.add("risks[0]", "rsk", 20 * scale, TEXT_ODD)));
    let _ = writeln!(y, "sources:");
    let _ =
        writeln!(y, "  - title: {}", q(&f.add("sources[0].title", "srt", 4 * scale, PLAIN_ODD)));
    let _ = writeln!(y, "    publisher: {}", q(&f.add("sources[0].publisher", "spu", 2, &[])));
    let _ = writeln!(y, "distribution:");
    // Addresses are checked as `send` will: the words are the display name.
    let to = f.add("distribution.to[0]", "dto", 6 * scale, &[]);
    let cc = f.add("distribution.cc[0]", "dcc", 6 * scale, &[]);
    let _ = writeln!(y, "  to: [{}]", q(&format!("{to} <to@example.org>")));
    let _ = writeln!(y, "  cc: [{}]", q(&format!("{cc} <cc@example.org>")));
    y
}

/// Text extraction breaks lines and split words; compare without whitespace.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_word_of_every_printed_field_comes_back_from_the_pdf() {
    let dir = scratch("conservation");
    let (src, out) = (dir.join("src"), dir.join("out"));
    std::fs::create_dir_all(&src).unwrap();
    let mut expected: Vec<(String, Fields)> = Vec::new();
    for (name, scale) in [("short", 1), ("long", 10), ("giant", 20)] {
        let mut fields = Fields { prefix: name[..1].to_string(), ..Fields::default() };
        let text = brief(scale, &mut fields);
        std::fs::write(src.join(format!("{name}.yaml")), text).unwrap();
        expected.push((name.to_string(), fields));
    }
    // The markings are words of their own, so the briefing note is built
    // from a copy whose theme knows them (`add_markings`).
    let house = dir.join("house");
    std::fs::create_dir_all(&house).unwrap();
    let builtin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/briefing-note");
    std::fs::copy(builtin.join("main.md"), house.join("main.md")).unwrap();
    let theme = std::fs::read_to_string(builtin.join("theme.yaml")).unwrap();
    let markings: Vec<String> =
        expected.iter().map(|(n, _)| format!("{}cls0000", &n[..1])).collect();
    let theme = format!("{theme}\nadd_markings: [{}]\n", markings.join(", "));
    std::fs::write(house.join("theme.yaml"), theme).unwrap();
    let (src, out, house) = (src.to_str().unwrap(), out.to_str().unwrap(), house.to_str().unwrap());
    cli::brief_ok(&["build", src, "-o", out, "--template", house], Some("0"));
    let pdfs: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), expected.len(), "{pdfs:?}");
    let mut checked = 0;
    for (name, fields) in &expected {
        let title = &fields.words[0].1[0];
        // The output name comes from the title: find this brief's PDF by its first word.
        let pdf = pdfs
            .iter()
            .find(|p| p.to_string_lossy().contains(title.as_str()))
            .unwrap_or_else(|| panic!("{name}: no PDF named for {title} in {pdfs:?}"));
        let text = squash(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
        for (path, words) in &fields.words {
            let lost: Vec<&String> = words.iter().filter(|w| !text.contains(&squash(w))).collect();
            let first = &lost[..lost.len().min(5)];
            assert!(
                lost.is_empty(),
                "{name}: {path} lost {} of {} words: {first:?}…",
                lost.len(),
                words.len()
            );
            checked += words.len();
        }
    }
    assert!(checked > 10_000, "{checked} words checked");
    let _ = std::fs::remove_dir_all(&dir);
}
