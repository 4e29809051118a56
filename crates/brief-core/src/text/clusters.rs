//! The text each shaped glyph stands for, from the glyphs' clusters: what
//! the PDF's ToUnicode map and /ActualText spans say a glyph reads as.

use unicode_script::{Script as Usc, UnicodeScript};

/// The text each glyph stands for, given each glyph's cluster (a byte index
/// into `text`). Glyphs of one cluster are adjacent; each gets one character
/// in order so a glyph is never mapped to more than its own character, except
/// that when a cluster has fewer glyphs than characters the first glyph (the
/// ligature) takes the surplus.
pub(super) fn glyph_texts(text: &str, clusters: &[usize]) -> Vec<compact_str::CompactString> {
    let mut starts = clusters.to_vec();
    starts.sort_unstable();
    starts.dedup();
    let end_of =
        |c: usize| starts.get(starts.partition_point(|&s| s <= c)).map_or(text.len(), |&s| s);
    let mut out = Vec::with_capacity(clusters.len());
    let mut i = 0;
    while i < clusters.len() {
        let c = clusters[i];
        let n_glyphs = clusters[i..].iter().take_while(|&&x| x == c).count();
        let chars: Vec<&str> = split_chars(text.get(c..end_of(c)).unwrap_or(""));
        let surplus = chars.len().saturating_sub(n_glyphs);
        // Which glyph took two characters? A ligature of letters (ffi) is
        // the first; when the surplus is marks (a shadda and a fatha drawn as
        // one glyph over their letter) it is the last, so the letter keeps
        // its own character and maps back to it wherever it is drawn.
        let is_mark = |s: &&str| {
            s.chars().next().is_some_and(|c| {
                matches!(c.script(), Usc::Inherited)
                    || unicode_properties::UnicodeGeneralCategory::general_category_group(c)
                        == unicode_properties::GeneralCategoryGroup::Mark
            })
        };
        let marks_last = n_glyphs > 1 && chars.iter().skip(n_glyphs - 1).all(is_mark);
        let mut rest = chars.into_iter();
        for k in 0..n_glyphs {
            let take = match (k == 0, k + 1 == n_glyphs, marks_last) {
                (true, _, false) => surplus + 1,
                (_, true, true) => surplus + 1,
                _ => 1,
            };
            out.push(rest.by_ref().take(take).collect());
        }
        i += n_glyphs;
    }
    out
}

/// `text` cut into one-character slices.
fn split_chars(text: &str) -> Vec<&str> {
    text.char_indices().map(|(i, c)| &text[i..i + c.len_utf8()]).collect()
}
