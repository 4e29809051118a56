//! The package parts around the body: styles, numbering, settings, header
//! and footer, document properties, content types and relationships.

use std::fmt::Write as _;

use brief_core::document::Rendered;
use brief_core::escape::xml;
use brief_core::frame::Rgb;
use brief_core::locale::Dir;
use brief_core::style::Marking;

use crate::Info;

pub(crate) const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub(crate) const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Points to twentieths of a point (twips), Word's unit of length.
pub(crate) fn twips(pt: f32) -> i64 {
    (pt * 20.0).round() as i64
}

/// Points to half-points, Word's unit of type size.
pub(crate) fn half(pt: f32) -> i64 {
    (pt * 2.0).round() as i64
}

pub(crate) fn hex(c: Rgb) -> String {
    format!("{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The families a run is set in: Latin (and Cyrillic, Greek), East Asian and
/// complex script, named as the PDF's faces are (Noto, or the house face).
pub(crate) struct Families {
    pub latin: String,
    pub east_asia: &'static str,
    pub complex: &'static str,
}

pub(crate) fn families(latin: &str, language: &str) -> Families {
    let primary = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    let lower = language.to_ascii_lowercase();
    let east_asia = match primary.as_str() {
        "ja" => "Noto Sans CJK JP",
        "ko" => "Noto Sans CJK KR",
        "zh" if lower.contains("hk") || lower.contains("mo") => "Noto Sans CJK HK",
        "zh" if lower.contains("hant") || lower.contains("tw") => "Noto Sans CJK TC",
        _ => "Noto Sans CJK SC",
    };
    let complex = match primary.as_str() {
        "he" | "yi" => "Noto Sans Hebrew",
        "th" => "Noto Sans Thai",
        "hi" | "mr" | "ne" => "Noto Sans Devanagari",
        _ => "Noto Sans Arabic",
    };
    Families { latin: latin.to_string(), east_asia, complex }
}

/// `word/styles.xml`: Word's own style names (Title, Heading 1–3, List
/// Number, List Bullet, Caption, Header, Footer, Hyperlink) set to the
/// theme, so a director's edits keep the house look.
pub(crate) fn styles(doc: &Rendered, fam: &Families) -> String {
    let s = &doc.style;
    let lang = &doc.meta.language;
    let rtl = doc.dir == Dir::Rtl;
    let line = (s.line_height * 240.0).round() as i64;
    let gap = twips(s.para_gap);
    let bidi = if rtl { "<w:bidi/>" } else { "" };
    let mut out = String::from(DECL);
    let _ = write!(
        out,
        "<w:styles xmlns:w=\"{W}\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{l}\" w:hAnsi=\"{l}\" w:eastAsia=\"{ea}\" w:cs=\"{cs}\"/><w:color w:val=\"{text}\"/><w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/><w:lang w:val=\"{lang}\" w:eastAsia=\"{lang}\" w:bidi=\"{lang}\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>{bidi}<w:spacing w:after=\"{gap}\" w:line=\"{line}\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>",
        l = xml(&fam.latin),
        ea = fam.east_asia,
        cs = fam.complex,
        text = hex(s.text),
        sz = half(s.body_size),
        lang = xml(lang),
    );
    let heading = hex(s.heading);
    let muted = hex(s.muted);
    let para = |out: &mut String, id: &str, name: &str, ppr: &str, rpr: &str| {
        let _ = write!(
            out,
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        );
    };
    out.push_str("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>");
    let size = |pt: f32| format!("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", half(pt));
    para(
        &mut out,
        "Title",
        "Title",
        &format!(
            "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"{}\"/><w:outlineLvl w:val=\"0\"/>",
            twips(s.para_gap * 0.5)
        ),
        &format!("<w:b/><w:bCs/><w:color w:val=\"{heading}\"/>{}", size(s.title_size)),
    );
    for (level, (id, pt)) in
        [("Heading1", s.h2_size), ("Heading2", s.h3_size), ("Heading3", s.body_size)]
            .iter()
            .enumerate()
    {
        para(
            &mut out,
            id,
            &format!("heading {}", level + 1),
            &format!(
                "<w:keepNext/><w:keepLines/><w:spacing w:before=\"{}\" w:after=\"{}\"/><w:outlineLvl w:val=\"{}\"/>",
                twips(s.heading_gap),
                twips(s.para_gap * 0.5),
                level + 1
            ),
            &format!("<w:b/><w:bCs/><w:color w:val=\"{heading}\"/>{}", size(*pt)),
        );
    }
    let item = format!("<w:spacing w:after=\"{}\"/><w:contextualSpacing/>", twips(s.item_gap));
    para(&mut out, "ListNumber", "List Number", &item, "");
    para(&mut out, "ListBullet", "List Bullet", &item, "");
    para(&mut out, "ListContinue", "List Continue", &item, "");
    para(
        &mut out,
        "Caption",
        "caption",
        &format!(
            "<w:keepNext/><w:spacing w:before=\"{}\" w:after=\"60\"/>",
            twips(s.para_gap * 0.5)
        ),
        &format!("<w:b/><w:bCs/><w:color w:val=\"{heading}\"/>{}", size(s.body_size)),
    );
    para(
        &mut out,
        "FigureNote",
        "Figure Note",
        "<w:spacing w:after=\"120\"/>",
        &format!("<w:color w:val=\"{muted}\"/>{}", size(s.small_size)),
    );
    para(
        &mut out,
        "Small",
        "Small",
        "",
        &format!("<w:color w:val=\"{muted}\"/>{}", size(s.small_size)),
    );
    para(
        &mut out,
        "FieldLabel",
        "Field Label",
        "<w:spacing w:after=\"40\"/>",
        &format!("<w:b/><w:bCs/><w:color w:val=\"{muted}\"/>"),
    );
    para(&mut out, "FieldValue", "Field Value", "<w:spacing w:after=\"40\"/>", "");
    para(
        &mut out,
        "FactFigure",
        "Fact Figure",
        "<w:spacing w:after=\"40\"/>",
        &format!("<w:b/><w:bCs/><w:color w:val=\"{heading}\"/>{}", size(s.fact_size)),
    );
    para(&mut out, "TableText", "Table Text", "<w:spacing w:after=\"40\"/>", "");
    para(
        &mut out,
        "Header",
        "header",
        "<w:spacing w:after=\"0\"/>",
        &format!("<w:b/><w:bCs/>{}", size(s.marking_size)),
    );
    para(
        &mut out,
        "Footer",
        "footer",
        "<w:spacing w:after=\"0\"/>",
        &format!("<w:color w:val=\"{muted}\"/>{}", size(s.small_size)),
    );
    let _ = write!(
        out,
        "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:rPr><w:color w:val=\"{}\"/><w:u w:val=\"single\"/></w:rPr></w:style>",
        hex(s.link)
    );
    // The table style: rules in the theme's colour, a shaded header row.
    let rule = hex(s.rule);
    let bidi_visual = if rtl { "<w:bidiVisual/>" } else { "" };
    let _ = write!(
        out,
        "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
<w:style w:type=\"table\" w:styleId=\"BriefTable\"><w:name w:val=\"Brief Table\"/><w:basedOn w:val=\"TableNormal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:tblPr>{bidi_visual}<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"{rule}\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"{rule}\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"{rule}\"/></w:tblBorders><w:tblCellMar><w:top w:w=\"57\" w:type=\"dxa\"/><w:left w:w=\"85\" w:type=\"dxa\"/><w:bottom w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblStylePr w:type=\"firstRow\"><w:rPr><w:b/><w:bCs/><w:color w:val=\"{heading}\"/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr><w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{head}\"/></w:tcPr></w:tblStylePr></w:style>\
<w:style w:type=\"table\" w:styleId=\"BriefPlain\"><w:name w:val=\"Brief Plain\"/><w:basedOn w:val=\"TableNormal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:tblPr>{bidi_visual}<w:tblCellMar><w:top w:w=\"28\" w:type=\"dxa\"/><w:left w:w=\"0\" w:type=\"dxa\"/><w:bottom w:w=\"28\" w:type=\"dxa\"/><w:right w:w=\"113\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
        head = hex(s.table_head),
    );
    out.push_str("</w:styles>");
    out
}

/// `word/numbering.xml`: one decimal and one bullet scheme, and one
/// instance per list so each numbered list starts where its markup says.
pub(crate) fn numbering(lists: &[(bool, u64)], rtl: bool) -> String {
    let mut out = String::from(DECL);
    let _ = write!(out, "<w:numbering xmlns:w=\"{W}\">");
    let bidi = if rtl { "<w:bidi/>" } else { "" };
    for (id, numbered) in [(0, true), (1, false)] {
        let _ = write!(
            out,
            "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
        );
        for level in 0..9u32 {
            let (fmt, text) = match (numbered, level % 3) {
                (true, 0) => ("decimal", format!("%{}.", level + 1)),
                (true, 1) => ("lowerLetter", format!("%{}.", level + 1)),
                (true, _) => ("lowerRoman", format!("%{}.", level + 1)),
                (false, 0) => ("bullet", "\u{2022}".to_string()),
                (false, 1) => ("bullet", "\u{2013}".to_string()),
                (false, _) => ("bullet", "\u{25E6}".to_string()),
            };
            let left = 360 * (level + 1);
            let _ = write!(
                out,
                "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr>{bidi}<w:ind w:left=\"{left}\" w:hanging=\"360\"/></w:pPr></w:lvl>"
            );
        }
        out.push_str("</w:abstractNum>");
    }
    for (i, (numbered, start)) in lists.iter().enumerate() {
        let abs = if *numbered { 0 } else { 1 };
        let _ = write!(out, "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{abs}\"/>", i + 1);
        if *numbered {
            let _ = write!(
                out,
                "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride>"
            );
        }
        out.push_str("</w:num>");
    }
    out.push_str("</w:numbering>");
    out
}

/// `word/settings.xml`: fields updated on opening (the page count), the
/// language of the theme's fonts, and no compatibility mode.
pub(crate) fn settings(doc: &Rendered) -> String {
    let lang = xml(&doc.meta.language);
    format!(
        "{DECL}<w:settings xmlns:w=\"{W}\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat><w:themeFontLang w:val=\"{lang}\" w:eastAsia=\"{lang}\" w:bidi=\"{lang}\"/></w:settings>"
    )
}

/// A paragraph of furniture text.
fn line(out: &mut String, text: &str, jc: &str, rtl: bool, extra_rpr: &str) {
    let bidi = if rtl { "<w:bidi/>" } else { "" };
    let _ = write!(
        out,
        "<w:p><w:pPr><w:pStyle w:val=\"Header\"/>{bidi}<w:jc w:val=\"{jc}\"/></w:pPr><w:r><w:rPr>{extra_rpr}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        xml(text)
    );
}

/// `word/header1.xml`: the marking and the handling caveat on every page
/// (centred, or in the top right-hand corner as the theme asks), and the
/// draft's watermark word.
pub(crate) fn header(doc: &Rendered) -> String {
    let rtl = doc.dir == Dir::Rtl;
    let f = &doc.furniture;
    let jc = match doc.style.marking {
        Marking::TopAndBottom => "center",
        Marking::TopRight => "end",
    };
    let mut out = format!("{DECL}<w:hdr xmlns:w=\"{W}\" xmlns:r=\"{R}\">");
    if let Some(m) = &f.marking {
        line(&mut out, &m.text, jc, rtl, "");
    }
    if let Some(h) = &f.handling {
        line(&mut out, &h.text, jc, rtl, "<w:b w:val=\"0\"/><w:bCs w:val=\"0\"/>");
    }
    if let Some(w) = &f.watermark {
        let color = hex(doc.style.watermark);
        line(
            &mut out,
            w,
            "start",
            rtl,
            &format!("<w:color w:val=\"{color}\"/><w:spacing w:val=\"40\"/>"),
        );
    }
    if f.marking.is_none() && f.handling.is_none() && f.watermark.is_none() {
        out.push_str("<w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr></w:p>");
    }
    out.push_str("</w:hdr>");
    out
}

/// `word/footer1.xml`: the marking (top and bottom), the reference and
/// version at the start, "Page X of Y" at the end, X and Y as Word's own
/// PAGE and NUMPAGES fields.
pub(crate) fn footer(doc: &Rendered, width: f32) -> String {
    let rtl = doc.dir == Dir::Rtl;
    let f = &doc.furniture;
    let mut out = format!("{DECL}<w:ftr xmlns:w=\"{W}\" xmlns:r=\"{R}\">");
    let bidi = if rtl { "<w:bidi/>" } else { "" };
    let _ = write!(
        out,
        "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:tabs><w:tab w:val=\"end\" w:pos=\"{}\"/></w:tabs>{bidi}</w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:tab/></w:r>",
        twips(width),
        xml(&f.footer.text)
    );
    // "Page {page} of {total}": the words around the two numbers kept as the
    // language puts them.
    let mut rest = f.page_label.as_str();
    while !rest.is_empty() {
        let next = [("{page}", "PAGE"), ("{total}", "NUMPAGES")]
            .iter()
            .filter_map(|(k, field)| rest.find(k).map(|at| (at, *k, *field)))
            .min();
        let (at, key, field) = match next {
            Some(n) => n,
            None => (rest.len(), "", ""),
        };
        if at > 0 {
            let _ =
                write!(out, "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", xml(&rest[..at]));
        }
        if field.is_empty() {
            break;
        }
        let _ = write!(
            out,
            "<w:fldSimple w:instr=\" {field} \\* MERGEFORMAT \"><w:r><w:rPr><w:noProof/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>"
        );
        rest = &rest[at + key.len()..];
    }
    out.push_str("</w:p>");
    if let (Some(m), Marking::TopAndBottom) = (&f.marking, doc.style.marking) {
        line(&mut out, &m.text, "center", rtl, "");
    }
    out.push_str("</w:ftr>");
    out
}

/// An ISO 8601 time in UTC, as Office writes `dcterms:created`.
fn w3cdtf(epoch: i64) -> String {
    chrono::DateTime::from_timestamp(epoch, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// `docProps/core.xml`: title, subject, author, keywords, language, and the
/// creation time of the build (`SOURCE_DATE_EPOCH`).
pub(crate) fn core(doc: &Rendered) -> String {
    let m = &doc.meta;
    let when = w3cdtf(m.created);
    format!(
        "{DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><cp:keywords>{}</cp:keywords><dc:language>{}</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified></cp:coreProperties>",
        xml(&m.title),
        xml(&m.subject),
        xml(&m.author),
        xml(&m.keywords.join(", ")),
        xml(&m.language),
    )
}

/// `docProps/app.xml`.
pub(crate) fn app() -> String {
    format!(
        "{DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>brief {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    )
}

/// The custom properties `brief review` and a registry's labelling tools read.
pub(crate) const MARKING: &str = "Classification";
/// The handling caveat.
pub(crate) const HANDLING: &str = "Handling";
/// The SHA-256 of the source the document was built from.
pub(crate) const SOURCE: &str = "BriefSourceSHA256";
/// The source's file name.
pub(crate) const SOURCE_NAME: &str = "BriefSourceName";
/// The template (product) it was built with.
pub(crate) const TEMPLATE: &str = "BriefTemplate";
/// What makes the brief the same brief across versions.
pub const IDENTITY: &str = "BriefIdentity";
/// The version of the DOCX layout of fields, so a later `brief` knows what it reads.
pub(crate) const FORMAT: &str = "BriefDocxFormat";

/// `docProps/custom.xml`: the marking (so a registry's labelling tools can
/// read it), the handling caveat, and what `brief review` checks.
pub(crate) fn custom(doc: &Rendered, info: &Info) -> String {
    let mut props: Vec<(&str, String)> = Vec::new();
    if let Some(m) = &doc.furniture.marking {
        props.push((MARKING, m.text.clone()));
    }
    if let Some(h) = &doc.furniture.handling {
        props.push((HANDLING, h.text.clone()));
    }
    props.push((SOURCE, info.source_sha256.to_string()));
    props.push((SOURCE_NAME, info.source_name.to_string()));
    props.push((TEMPLATE, info.template.to_string()));
    props.push((IDENTITY, info.identity.to_string()));
    props.push((FORMAT, crate::FORMAT_VERSION.to_string()));
    let mut out = format!(
        "{DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
    );
    for (i, (name, value)) in props.iter().enumerate() {
        let _ = write!(
            out,
            "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" name=\"{name}\"><vt:lpwstr>{}</vt:lpwstr></property>",
            i + 2,
            xml(value)
        );
    }
    out.push_str("</Properties>");
    out
}

pub(crate) fn content_types(has_png: bool, has_svg: bool) -> String {
    let mut out = format!(
        "{DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    );
    if has_png {
        out.push_str("<Default Extension=\"png\" ContentType=\"image/png\"/>");
    }
    if has_svg {
        out.push_str("<Default Extension=\"svg\" ContentType=\"image/svg+xml\"/>");
    }
    for (part, kind) in [
        (
            "/word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
        (
            "/word/styles.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        ),
        (
            "/word/numbering.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        ),
        (
            "/word/settings.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
        ),
        (
            "/word/header1.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
        ),
        (
            "/word/footer1.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
        ),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
        (
            "/docProps/custom.xml",
            "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        ),
    ] {
        let _ = write!(out, "<Override PartName=\"{part}\" ContentType=\"{kind}\"/>");
    }
    out.push_str("</Types>");
    out
}

pub(crate) fn package_rels() -> String {
    format!(
        "{DECL}<Relationships xmlns=\"{REL}\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/><Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\" Target=\"docProps/custom.xml\"/></Relationships>"
    )
}

/// A relationship of the main document: images and links.
pub(crate) enum Rel {
    Image(String),
    Link(String),
}

pub(crate) fn document_rels(rels: &[Rel]) -> String {
    let mut out = format!(
        "{DECL}<Relationships xmlns=\"{REL}\"><Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/><Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/><Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/><Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>"
    );
    for (i, rel) in rels.iter().enumerate() {
        let _ = match rel {
            Rel::Image(target) => write!(
                out,
                "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{}\"/>",
                i + 1,
                xml(target)
            ),
            Rel::Link(url) => write!(
                out,
                "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
                i + 1,
                xml(url)
            ),
        };
    }
    out.push_str("</Relationships>");
    out
}
