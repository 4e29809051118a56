//! The bundled faces: Noto Sans for Latin, Cyrillic and Greek, then a chain
//! of Noto faces for symbols, mathematics and the world's scripts.
//!
//! Every face is compiled into the binary (`fonts/`, SIL Open Font License)
//! and parsed only when a brief first needs it, so a Latin-only brief pays
//! nothing for Arabic or CJK. Which file covers what, and why these files,
//! is in `fonts/README.md`.

use unicode_script::Script;

/// The bundled family, in [`FontStyle::ALL`](crate::frame::FontStyle::ALL) order.
pub(super) static FAMILY: [(&str, &[u8]); 4] = [
    ("Noto Sans", include_bytes!("../../../../fonts/NotoSans-Regular.ttf")),
    ("Noto Sans Bold", include_bytes!("../../../../fonts/NotoSans-Bold.ttf")),
    ("Noto Sans Italic", include_bytes!("../../../../fonts/NotoSans-Italic.ttf")),
    ("Noto Sans Bold Italic", include_bytes!("../../../../fonts/NotoSans-BoldItalic.ttf")),
];

/// One face file of the fallback chain (a face in a collection by `index`).
pub(super) struct File {
    pub name: &'static str,
    pub bytes: &'static [u8],
    pub index: u32,
}

const fn file(name: &'static str, bytes: &'static [u8]) -> File {
    File { name, bytes, index: 0 }
}

/// One link of the fallback chain: a regular face, its bold if one is
/// bundled (otherwise bold is synthesised), and the scripts it is the
/// designated face for (tried before faces that merely cover a character).
pub(super) struct Link {
    pub regular: File,
    pub bold: Option<File>,
    pub scripts: &'static [Script],
}

/// The CJK collection: one file, five regional faces sharing their outlines.
static CJK: &[u8] = include_bytes!("../../../../fonts/NotoSansCJK-Regular.ttc");

/// Faces of the CJK collection, by [`Han`] variant (the file's own order).
pub(super) const CJK_FACES: [(&str, u32); 5] = [
    ("Noto Sans CJK JP", 0),
    ("Noto Sans CJK KR", 1),
    ("Noto Sans CJK SC", 2),
    ("Noto Sans CJK TC", 3),
    ("Noto Sans CJK HK", 4),
];

/// The CJK collection's bytes.
pub(super) fn cjk_bytes() -> &'static [u8] {
    CJK
}

/// Scripts the CJK face is designated for.
pub(super) const CJK_SCRIPTS: &[Script] =
    &[Script::Han, Script::Hiragana, Script::Katakana, Script::Hangul, Script::Bopomofo];

/// The chain after the family, in the order faces are tried for characters
/// no designated face claims: mathematics before symbols (their arrows and
/// operators match Noto Sans's weight), scripts last. CJK comes after all of
/// these and is built from [`CJK_FACES`].
pub(super) fn chain() -> Vec<Link> {
    macro_rules! font {
        ($name:literal, $file:literal) => {
            file($name, include_bytes!(concat!("../../../../fonts/", $file)))
        };
    }
    vec![
        Link {
            regular: font!("Noto Sans Math", "NotoSansMath-Regular.ttf"),
            bold: None,
            scripts: &[],
        },
        Link {
            regular: font!("Noto Sans Symbols 2", "NotoSansSymbols2-Regular.ttf"),
            bold: None,
            scripts: &[],
        },
        Link {
            regular: font!("Noto Sans Symbols", "NotoSansSymbols-Regular.ttf"),
            bold: Some(font!("Noto Sans Symbols Bold", "NotoSansSymbols-Bold.ttf")),
            scripts: &[],
        },
        Link {
            regular: font!("Noto Sans Georgian", "NotoSansGeorgian-Regular.ttf"),
            bold: Some(font!("Noto Sans Georgian Bold", "NotoSansGeorgian-Bold.ttf")),
            scripts: &[Script::Georgian],
        },
        Link {
            regular: font!("Noto Sans Armenian", "NotoSansArmenian-Regular.ttf"),
            bold: Some(font!("Noto Sans Armenian Bold", "NotoSansArmenian-Bold.ttf")),
            scripts: &[Script::Armenian],
        },
        Link {
            regular: font!("Noto Sans Hebrew", "NotoSansHebrew-Regular.ttf"),
            bold: Some(font!("Noto Sans Hebrew Bold", "NotoSansHebrew-Bold.ttf")),
            scripts: &[Script::Hebrew],
        },
        Link {
            regular: font!("Noto Sans Arabic", "NotoSansArabic-Regular.ttf"),
            bold: Some(font!("Noto Sans Arabic Bold", "NotoSansArabic-Bold.ttf")),
            scripts: &[Script::Arabic],
        },
        Link {
            regular: font!("Noto Sans Devanagari", "NotoSansDevanagari-Regular.ttf"),
            bold: Some(font!("Noto Sans Devanagari Bold", "NotoSansDevanagari-Bold.ttf")),
            scripts: &[Script::Devanagari],
        },
        Link {
            regular: font!("Noto Sans Thai", "NotoSansThai-Regular.ttf"),
            bold: Some(font!("Noto Sans Thai Bold", "NotoSansThai-Bold.ttf")),
            scripts: &[Script::Thai],
        },
    ]
}
