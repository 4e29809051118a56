//! The brief as a Word document (DOCX), from the same rendered document the
//! PDF is laid out from, and a reviewed Word document read back.
//!
//! [`write`] turns a [`Rendered`] into a DOCX package: Word's own styles, the
//! marking and caveat in every page's header and footer, "Page X of Y" as
//! fields, charts as SVG pictures with a PNG fallback, and every paragraph or
//! cell that shows a field of the source inside a content control tagged
//! with the field's path (`key_messages[2]`), locked against deletion but not
//! against editing, so the mapping survives a clearance round in Word.
//! [`read`] reads such a document back after review: the text of each
//! control with tracked changes accepted, the comments and where they are
//! anchored, and what stands outside any control.
//!
//! Output is byte-identical run to run: parts in a fixed order, every entry
//! dated 1980-01-01 (the ZIP format's epoch), the creation time in the
//! document properties from the build's time (`SOURCE_DATE_EPOCH`).
//!
//! Fonts are named, not embedded: the brief's families are free (Noto) and
//! Word substitutes a missing one; a full embedded face would add 2 MB (Latin)
//! to 16 MB (CJK) to every document mailed around, Word embeds only whole
//! TrueType faces (the PDF writer's subsets drop the `cmap` Word needs), and
//! the PDF stays the typeset record.

mod body;
mod parts;
pub mod read;

use std::io::Write as _;

use brief_core::document::Rendered;
use brief_core::text::FontBook;

pub use parts::IDENTITY;

/// The version of the layout of fields in the documents this crate writes;
/// [`read`] refuses another.
pub const FORMAT_VERSION: u32 = 1;

/// Where a document comes from, recorded in its custom properties so that
/// `brief review` can tell the brief and version it was made from.
#[derive(Debug, Clone, Default)]
pub struct Info<'a> {
    /// SHA-256 of the source file's bytes, hex.
    pub source_sha256: &'a str,
    /// The source's file name, for messages.
    pub source_name: &'a str,
    /// The template (product) it was built with.
    pub template: &'a str,
    /// What makes the brief the same brief across versions (its reference,
    /// or its parties): a document of another brief is refused.
    pub identity: &'a str,
}

/// A picture in the package.
#[derive(Debug, Clone)]
pub(crate) struct Media {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a document could not be written.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The markup cannot be read.
    Markup(String),
    /// A chart could not be drawn as a picture.
    Picture(String),
    /// The package could not be assembled.
    Package(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Markup(why) | Error::Picture(why) | Error::Package(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {}

/// The rendered brief as DOCX bytes.
pub fn write(doc: &Rendered, fonts: &FontBook, info: &Info) -> Result<Vec<u8>, Error> {
    let blocks =
        brief_layout::markup::parse(&doc.markup).map_err(|e| Error::Markup(e.to_string()))?;
    let (document, body) = body::Body::new(doc, fonts).document(&blocks)?;
    let latin = family_name(fonts);
    let fam = parts::families(&latin, &doc.meta.language);
    let rtl = doc.dir == brief_core::locale::Dir::Rtl;
    let width = doc.style.page_width - doc.style.margin_left - doc.style.margin_right;
    let has = |ext: &str| body.media.iter().any(|m| m.name.ends_with(ext));
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), parts::content_types(has(".png"), has(".svg")).into_bytes()),
        ("_rels/.rels".into(), parts::package_rels().into_bytes()),
        ("docProps/core.xml".into(), parts::core(doc).into_bytes()),
        ("docProps/app.xml".into(), parts::app().into_bytes()),
        ("docProps/custom.xml".into(), parts::custom(doc, info).into_bytes()),
        ("word/document.xml".into(), document.into_bytes()),
        ("word/_rels/document.xml.rels".into(), parts::document_rels(&body.rels).into_bytes()),
        ("word/styles.xml".into(), parts::styles(doc, &fam).into_bytes()),
        ("word/numbering.xml".into(), parts::numbering(&body.lists, rtl).into_bytes()),
        ("word/settings.xml".into(), parts::settings(doc).into_bytes()),
        ("word/header1.xml".into(), parts::header(doc).into_bytes()),
        ("word/footer1.xml".into(), parts::footer(doc, width).into_bytes()),
    ];
    for m in body.media {
        files.push((format!("word/media/{}", m.name), m.bytes));
    }
    package(&files)
}

/// The family the body text is set in: the bundled Noto Sans, or the
/// family name a house face gives itself.
fn family_name(fonts: &FontBook) -> String {
    let named = fonts.face_data(0).and_then(|(bytes, index)| {
        let face = ttf_parser::Face::parse(bytes, index).ok()?;
        face.names().into_iter().find_map(|n| {
            (n.name_id == ttf_parser::name_id::FAMILY && n.is_unicode())
                .then(|| n.to_string())
                .flatten()
        })
    });
    named.unwrap_or_else(|| "Noto Sans".to_string())
}

/// The ZIP package, entries in the given order, every one dated the ZIP
/// epoch, deflated, so the same parts give the same bytes.
fn package(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Package(format!("cannot write the DOCX ({e})"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in files {
        // PNGs are compressed already.
        let options = if name.ends_with(".png") {
            options.compression_method(zip::CompressionMethod::Stored)
        } else {
            options
        };
        zip.start_file(name.as_str(), options).map_err(|e| fail(&e))?;
        zip.write_all(bytes).map_err(|e| fail(&e))?;
    }
    let cursor = zip.finish().map_err(|e| fail(&e))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests;
