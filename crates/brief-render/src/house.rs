//! What a template folder brings of its own besides templates: its house
//! typeface (four faces, checked before any brief uses them) and its
//! corrections to the built-in wording.

use brief_core::diag::Diagnostic;
use brief_core::locale::{self, wording};
use brief_core::text::FontBook;
use brief_core::yaml::{Index, tree};

use super::folder;
use super::theme::HouseFonts;

/// Reads the four faces a theme names from the template folder (never
/// following a symbolic link out of it) and makes a book of them followed by
/// the bundled chain. Books are kept per process by content, so a watch loop
/// that reloads the template does not load the faces again.
pub(super) fn house_fonts(
    dir: &std::path::Path,
    house: &HouseFonts,
) -> Result<&'static FontBook, Diagnostic> {
    use std::sync::Mutex;
    static BOOKS: Mutex<Vec<(Vec<u8>, &'static FontBook)>> = Mutex::new(Vec::new());
    let mut faces: Vec<(String, Vec<u8>)> = Vec::new();
    for (key, name) in house.files() {
        let path = dir.join(name);
        let shown = path.display().to_string();
        let error = |why: String| {
            Diagnostic::error(&shown, format!("cannot use the house font (fonts.{key}): {why}"))
                .hint("name a TrueType or OpenType file inside the template folder")
        };
        let meta = std::fs::symlink_metadata(&path).map_err(|e| error(e.to_string()))?;
        if !meta.is_file() {
            return Err(error("not a regular file (symbolic links are not followed)".into()));
        }
        let bytes = std::fs::read(&path).map_err(|e| error(e.to_string()))?;
        check_outlines(&bytes).map_err(error)?;
        faces.push((shown, bytes));
    }
    let mut key = Vec::new();
    for (_, bytes) in &faces {
        key.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        key.extend_from_slice(brief_core::hash::sha256(bytes).as_bytes());
    }
    let mut books = BOOKS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, book)) = books.iter().find(|(k, _)| *k == key) {
        return Ok(book);
    }
    let names: Vec<String> = faces.iter().map(|(n, _)| n.clone()).collect();
    let faces: [(String, Vec<u8>); 4] =
        faces.try_into().map_err(|_| Diagnostic::error(names.join(", "), "four faces expected"))?;
    let book = FontBook::house(faces).map_err(|e| {
        Diagnostic::error(e.file(), e.to_string())
            .expected("a TrueType or OpenType font file (.ttf or .otf)")
            .hint("fonts.regular, bold, italic and bold_italic must each name a font file")
    })?;
    books.push((key, book));
    Ok(book)
}

/// Whether the outlines of the characters a brief mostly uses can be cut
/// out of a face, as the PDF writer will: a font whose glyph data is
/// damaged is refused here, naming its file, not later against a brief.
fn check_outlines(bytes: &[u8]) -> Result<(), String> {
    let face = rustybuzz::ttf_parser::Face::parse(bytes, 0)
        .map_err(|e| format!("not a TrueType or OpenType font: {e}"))?;
    let mut remap = subsetter::GlyphRemapper::new();
    for c in (' '..='~').chain('\u{A0}'..='\u{FF}') {
        if let Some(g) = face.glyph_index(c) {
            remap.remap(g.0);
        }
    }
    subsetter::subset(bytes, 0, &remap)
        .map(|_| ())
        .map_err(|e| format!("damaged glyph data ({e:?})"))
}

/// Wording files of a template folder, by language code.
pub type Wording = std::collections::BTreeMap<String, wording::Table>;

pub(super) fn phrase(own: &Wording, key: &str, tag: &str) -> Option<String> {
    let code = locale::code(tag);
    own.get(code)
        .and_then(|table| table.get(key).cloned())
        .or_else(|| locale::label(key, tag).map(String::from))
}

/// A template folder's `locales/<code>.yaml` files: corrections to the
/// built-in wording of supported languages, checked like the built-in files
/// except that a file need not repeat every phrase. Every problem of every
/// file is reported, each at its key's line.
pub(super) fn own_wording(dir: &std::path::Path) -> Result<Wording, Vec<Diagnostic>> {
    let mut own = Wording::new();
    let mut found = Vec::new();
    let folder = dir.join("locales");
    // Like partials, wording never comes through a link from outside the folder.
    if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(vec![
            Diagnostic::error(folder.display().to_string(), "a symbolic link, not followed")
                .hint("keep the template's locales/ folder inside the template folder"),
        ]);
    }
    let Ok(entries) = std::fs::read_dir(&folder) else { return Ok(own) };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        match own_table(&path) {
            Ok(Some((code, table))) => {
                own.insert(code, table);
            }
            Ok(None) => {}
            Err(mut problems) => found.append(&mut problems),
        }
    }
    if found.is_empty() { Ok(own) } else { Err(found) }
}

/// One wording file: its language code and table, `None` for a file that
/// is not `<code>.yaml`.
fn own_table(path: &std::path::Path) -> Result<Option<(String, wording::Table)>, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let Some(code) =
        path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".yaml"))
    else {
        return Ok(None);
    };
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| vec![Diagnostic::error(&file, format!("cannot read wording ({e})"))])?;
    if !meta.is_file() || meta.len() > folder::MAX_FILE_BYTES {
        return Err(vec![
            Diagnostic::error(&file, "not a wording file of at most 1 MiB")
                .hint("a template's locales/ folder holds <code>.yaml files only, no links"),
        ]);
    }
    let Some(language) = locale::LANGUAGES.iter().find(|l| l.code == code) else {
        let mut d = Diagnostic::error(&file, format!("`{code}` is not a supported language"))
            .expected(locale::supported_list());
        d = match brief_core::diag::did_you_mean(code, locale::LANGUAGES.iter().map(|l| l.code)) {
            Some(like) => d.hint(format!("did you mean `{like}.yaml`?")),
            None => d.hint(
                "a template's wording corrects a supported language; name the file by its code",
            ),
        };
        return Err(vec![d]);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![Diagnostic::error(&file, format!("cannot read wording ({e})"))])?;
    let mut index = Index::new(&file, &text);
    if let Ok(Some(root)) = tree::parse(&text) {
        index.record(&root, "");
        // Wording is printed on every page: a control character or a
        // direction control in it is refused as in a brief.
        let flawed: Vec<Diagnostic> = tree::flaws(&root)
            .into_iter()
            .map(|f| {
                Diagnostic::error(&file, f.message.clone())
                    .at(Some(index.span(f.pos)))
                    .expected(f.expected.clone())
                    .hint(f.hint.clone())
            })
            .collect();
        if !flawed.is_empty() {
            return Err(flawed);
        }
    }
    let table = wording::parse(&text)
        .map_err(|e| vec![Diagnostic::error(&file, format!("not a wording table: {e}"))])?;
    let english: Vec<&str> = wording::keys().collect();
    let problems: Vec<Diagnostic> = wording::problems_by_key(&table, true)
        .into_iter()
        .map(|(key, why)| {
            let d = Diagnostic::error(&file, why).at(index.key(&key));
            match brief_core::diag::did_you_mean(&key, english.iter().copied()).filter(|_| !english.contains(&key.as_str())) {
                Some(like) => d.hint(format!("did you mean `{like}`?")),
                None => d.hint(format!(
                    "keys are the English phrases of locales/en.yaml; placeholders stay as they are ({})",
                    language.name
                )),
            }
        })
        .collect();
    if problems.is_empty() { Ok(Some((code.to_string(), table))) } else { Err(problems) }
}
