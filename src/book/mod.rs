//! The summit book (`brief book`): a batch of briefs bound into one PDF, with
//! a cover, a schedule of the meetings and an outline.
//!
//! The book is laid out as one document, not glued from PDFs: each brief is
//! rendered and laid out as `build` would (`crate::frames`), the cover and
//! schedule are markup laid out by the same engine, and the pages are written
//! once, so every face is embedded once for the whole book.

pub mod mail;
pub mod marking;
mod zone;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diag::{Diagnostic, Warned};
use crate::document::{Furniture, Rendered, RunningLine};
use crate::escape::markup as esc;
use crate::frame::{Bookmark, Document, FontStyle, Item, Meta, Page, Role, TextRun, renumber};
use crate::locale;
use crate::model::Brief;
use crate::render::Template;
use crate::text::FontBook;
use crate::{BuildOptions, Env};

/// What a book is made of besides its sources.
#[derive(Clone, Default)]
pub struct Options {
    /// The book's title; by default the meetings' common place or kind.
    pub title: Option<String>,
    /// The product every brief is built as; the briefing note by default.
    pub template: Option<Template>,
    /// Paper size in points, overriding the theme's.
    pub paper: Option<(f32, f32)>,
    /// The language of the cover and schedule; by default the briefs'
    /// common one, else English.
    pub language: Option<String>,
    /// Show each brief's changes since its own path at this git revision
    /// (`--changes-since git:REV`): a changes box and change bars.
    pub since_revision: Option<String>,
    /// Print every brief no one cleared as a draft (DRAFT on its pages):
    /// `book --eml --allow-draft`.
    pub mark_uncleared: bool,
    /// The principal's time zone, an IANA name as IANA writes it: the
    /// cover and schedule give each meeting's date and time in it.
    pub time_zone: Option<String>,
}

/// One brief in the book.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// Its source file.
    pub file: String,
    /// The brief.
    pub brief: Brief,
    /// Zero-based index of its first page in the book.
    pub first_page: usize,
    /// Its number of pages.
    pub pages: usize,
}

/// A bound book.
pub struct Book {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Number of pages, cover and schedule included.
    pub pages: usize,
    /// Pages before the first brief (cover and schedule).
    pub front_pages: usize,
    /// The briefs, in meeting order.
    pub entries: Vec<Chapter>,
    /// The title on the cover.
    pub title: String,
    /// The highest marking of any brief, in capitals.
    pub marking: Option<String>,
    /// Every brief's handling caveat, each once.
    pub handling: Option<String>,
    /// The language of the cover and schedule.
    pub language: String,
    /// The creation time written into the PDF.
    pub created: i64,
}

/// Where a schedule row's link points before the pages are known: a
/// reserved domain (RFC 2606), turned into a jump inside the book once laid
/// out, so the layout's link check and placement serve the schedule too.
const ROW_LINK: &str = "https://brief-book.invalid/";

/// Binds the sources (file name, bytes) into one book, with the warnings of
/// every brief. Every source is checked first: any error in any of them and
/// no book is made; the diagnostics of every failing brief come back together.
pub fn bind(
    sources: &[(String, Vec<u8>)],
    env: &Env,
    options: &Options,
) -> Result<Warned<Book>, Vec<Diagnostic>> {
    if sources.is_empty() {
        return Err(vec![Diagnostic::error("brief book", "no briefing sources to bind")]);
    }
    let checked: Vec<_> =
        sources.par_iter().map(|(file, bytes)| (file, crate::check(file, bytes, env))).collect();
    let mut failed = Vec::new();
    let mut briefs = Vec::new();
    let mut warnings = Vec::new();
    for (file, result) in checked {
        match result {
            Ok(c) => {
                let mut brief = c.take(&mut warnings);
                if options.mark_uncleared && !brief.cleared() {
                    brief.brief.status = crate::model::Status::Draft;
                }
                briefs.push((file.clone(), brief));
            }
            Err(diags) => failed.extend(diags),
        }
    }
    if !failed.is_empty() {
        return Err(failed);
    }
    // Meeting order: date, then time (untimed first; in the principal's
    // zone where one is set), then title; the file last, so equal meetings
    // still bind in one order.
    let tz = options.time_zone.as_deref();
    briefs.sort_by_cached_key(|(f, b)| (zone::at(b, tz), b.brief.title.clone(), f.clone()));
    if let Some(to) = tz {
        warnings.extend(located(zone::warnings(&briefs, to), sources));
    }
    let template = match &options.template {
        Some(t) => t.clone(),
        None => Template::builtin(crate::render::DEFAULT).ok_or_else(|| {
            vec![Diagnostic::error("brief book", "the default template is not built in")]
        })?,
    };
    let scales = marking::scales(template.theme());
    let marks: Vec<marking::Marked<'_>> = briefs
        .iter()
        .map(|(f, b)| marking::Marked { file: f, marking: b.brief.classification.as_deref() })
        .collect();
    let top = marking::highest(&marks, &scales).map_err(|diags| located(diags, sources))?;
    let language = book_language(&briefs, options)?;

    // One template for every brief: one chain of faces, so glyph ids agree.
    let build = BuildOptions {
        template: Some(template.clone()),
        paper: options.paper,
        ..BuildOptions::default()
    };
    let framed: Vec<_> = briefs
        .par_iter()
        .map(|(file, brief)| {
            let mut build = build.clone();
            if let Some(rev) = &options.since_revision {
                let origin = crate::diff::origin::Origin::Git(rev.clone());
                match crate::diff::origin::load(&origin, std::path::Path::new(file), env) {
                    Ok(old) => build.since = old.map(std::sync::Arc::new),
                    Err(diags) => {
                        let mut out = vec![
                            Diagnostic::error(
                                file,
                                format!("cannot show the changes since git:{rev}"),
                            )
                            .hint("the old version must be readable and valid; see below"),
                        ];
                        out.extend(diags);
                        return Err(out);
                    }
                }
            }
            crate::frames(file, brief, env, &build)
        })
        .collect();
    let mut laid = Vec::new();
    for (result, (file, brief)) in framed.into_iter().zip(&briefs) {
        match result {
            Ok(f) => {
                let f = f.take(&mut warnings);
                laid.push((file.clone(), brief.clone(), f.doc));
            }
            Err(diags) => failed.extend(diags),
        }
    }
    if !failed.is_empty() {
        return Err(failed);
    }

    let style = template
        .theme()
        .style(options.paper)
        .map_err(|m| vec![Diagnostic::error(template.file(), m)])?;
    let fonts = template.fonts().unwrap_or(env.fonts).for_language(&language);
    let front = Front { briefs: &briefs, top: top.as_deref(), language: &language, options };
    // The schedule's page numbers depend on how many pages it takes: lay it
    // out until the count it assumes is the count it gets.
    let mut assumed = 2;
    let front_doc = loop {
        let starts = starts(assumed, laid.iter().map(|(_, _, d)| d.pages.len()));
        let rendered = front.rendered(&style, &starts, env, fonts);
        let doc = crate::layout::layout(&rendered, fonts).map_err(|e| {
            vec![Diagnostic::error(
                "brief book",
                format!("cannot lay out the cover and schedule: {e}"),
            )]
        })?;
        if doc.pages.len() == assumed {
            break doc;
        }
        if doc.pages.len() < assumed && assumed > 2 {
            // Never oscillate: a longer count leaves blank room, not wrong numbers.
            let mut doc = doc;
            while doc.pages.len() < assumed {
                doc.pages
                    .push(Page { items: Vec::new(), ..doc.pages[doc.pages.len() - 1].clone() });
            }
            break doc;
        }
        assumed = doc.pages.len();
    };
    let front_pages = front_doc.pages.len();

    let mut book = Document {
        meta: Meta {
            title: front.title(),
            author: agreed(&briefs, |b| b.brief.prepared_by.as_deref()).unwrap_or_default(),
            subject: locale::label("Briefing book", &language).unwrap_or("Briefing book").into(),
            keywords: briefs.iter().map(|(_, b)| b.brief.title.clone()).collect(),
            created: briefs.iter().map(|(_, b)| env.created_for(b.brief.date)).max().unwrap_or(0),
            embedded: None,
            language: language.clone(),
        },
        ..Document::default()
    };
    let targets = starts(front_pages, laid.iter().map(|(_, _, d)| d.pages.len()));
    // One structure tree: the cover and schedule a section, each brief a
    // part, their elements renumbered into the book's tree.
    let map = book.structure.graft(&front_doc.structure, Role::Sect);
    for mut page in front_doc.pages {
        page.items = page.items.into_iter().map(|i| row_link(i, &targets)).collect();
        renumber(&mut page.items, &map);
        book.pages.push(page);
    }
    let mut entries = Vec::new();
    for (file, brief, mut doc) in laid {
        let first_page = book.pages.len();
        let map = book.structure.graft(&doc.structure, Role::Part);
        for page in &mut doc.pages {
            renumber(&mut page.items, &map);
        }
        book.bookmarks.push(Bookmark {
            title: brief.brief.title.clone(),
            page: first_page,
            level: 0,
            y: 0.0,
        });
        // The brief's headings beneath its entry; its own title (level 1)
        // is the entry already.
        book.bookmarks.extend(
            doc.bookmarks
                .into_iter()
                .filter(|b| b.level > 1)
                .map(|b| Bookmark { page: b.page + first_page, ..b }),
        );
        entries.push(Chapter { file, brief, first_page, pages: doc.pages.len() });
        book.pages.extend(doc.pages);
    }
    let rtl = locale::dir(&language) == locale::Dir::Rtl;
    for (i, page) in book.pages.iter_mut().enumerate() {
        page.items.push(folio(i + 1, page, &style, fonts, &language, rtl));
    }
    let pages = book.pages.len();
    let (title, handling, created) = (book.meta.title.clone(), front.handling(), book.meta.created);
    let pdf = crate::pdf::write_owned(book, fonts)
        .map_err(|e| vec![Diagnostic::error("brief book", format!("cannot write the PDF: {e}"))])?;
    let marking = top.clone();
    let book =
        Book { pdf, pages, front_pages, entries, title, marking, handling, language, created };
    Ok(Warned::with(book, warnings))
}

/// Diagnostics about the sources' fields given their place in the source.
fn located(diags: Vec<Diagnostic>, sources: &[(String, Vec<u8>)]) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .map(|d| match sources.iter().find(|(f, _)| *f == d.file) {
            Some((_, bytes)) => crate::locate(d, bytes),
            None => d,
        })
        .collect()
}

/// The zero-based first page of each brief when `front` pages come first.
fn starts(front: usize, pages: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut at = front;
    pages
        .map(|n| {
            let first = at;
            at += n;
            first
        })
        .collect()
}

/// A schedule row's placeholder link made a jump to its brief's first page.
fn row_link(item: Item, targets: &[usize]) -> Item {
    match item {
        Item::Link { x, y, w, h, url } => {
            match url.strip_prefix(ROW_LINK).and_then(|n| n.parse::<usize>().ok()) {
                Some(n) if n < targets.len() => Item::GoTo { x, y, w, h, page: targets[n] },
                _ => Item::Link { x, y, w, h, url },
            }
        }
        Item::Rotated { x, y, degrees, items } => Item::Rotated {
            x,
            y,
            degrees,
            items: items.into_iter().map(|i| row_link(i, targets)).collect(),
        },
        // A row's links are inside its cell's tagged content.
        Item::Tagged { node, items } => {
            Item::Tagged { node, items: items.into_iter().map(|i| row_link(i, targets)).collect() }
        }
        Item::Artifact { kind, items } => Item::Artifact {
            kind,
            items: items.into_iter().map(|i| row_link(i, targets)).collect(),
        },
        other => other,
    }
}

/// The book's page number, in the outer bottom corner below the brief's own
/// footer, so a brief keeps its "Page X of Y" and the book still counts.
fn folio(
    n: usize,
    page: &Page,
    style: &crate::style::Style,
    fonts: &FontBook,
    language: &str,
    rtl: bool,
) -> Item {
    let text = locale::number(n as f64, 0, language);
    let size = style.small_size;
    let glyphs = fonts.shape_dir(FontStyle::Bold, size, &text, rtl);
    let w: f32 = glyphs.iter().map(|g| g.advance).sum();
    let x = if rtl { style.margin_left } else { page.width - style.margin_right - w };
    Item::Text(TextRun {
        x,
        y: page.height - 22.0,
        font: FontStyle::Bold,
        size,
        color: style.muted,
        glyphs,
    })
}

/// The book's language: asked for, else the briefs' common one, else English.
fn book_language(briefs: &[(String, Brief)], options: &Options) -> Result<String, Vec<Diagnostic>> {
    let tag = match &options.language {
        Some(tag) => tag.clone(),
        None => agreed(briefs, |b| Some(b.brief.language.as_str())).unwrap_or_else(|| "en".into()),
    };
    locale::resolve(&tag).map_err(|u| {
        let d = Diagnostic::error("--language", u.reason)
            .expected(format!("one of: {}", locale::supported_list()));
        vec![match u.suggestion {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d,
        }]
    })?;
    Ok(tag)
}

/// The meetings' dates as one: a single date in full, else the first and
/// the last (a range without weekdays: two long dates with them read as a list).
pub(crate) fn date_range(dates: impl Iterator<Item = NaiveDate>, language: &str) -> String {
    let dates: Vec<NaiveDate> = dates.collect();
    match (dates.iter().min(), dates.iter().max()) {
        (Some(a), Some(b)) if a == b => locale::long_date(*a, language),
        (Some(a), Some(b)) => {
            format!("{} – {}", locale::date(*a, language), locale::date(*b, language))
        }
        _ => String::new(),
    }
}

/// The value every brief gives, if they all give the same one.
fn agreed<'a>(
    briefs: &'a [(String, Brief)],
    field: impl Fn(&'a Brief) -> Option<&'a str>,
) -> Option<String> {
    let mut values = briefs.iter().map(|(_, b)| field(b));
    let first = values.next()??;
    values.all(|v| v == Some(first)).then(|| first.to_string())
}

/// Who cleared a brief, for the schedule and the book's email: the
/// clearers' names, or the language's DRAFT when no one has.
pub fn cleared_by(brief: &Brief, tag: &str) -> String {
    match &brief.clearance {
        Some(c) if brief.cleared() => {
            let names: Vec<String> = c
                .cleared_by
                .iter()
                .map(|s| s.name.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            locale::list(&names, tag)
        }
        _ => locale::label("DRAFT", tag).unwrap_or("DRAFT").to_string(),
    }
}

/// The cover and schedule, before layout.
struct Front<'a> {
    briefs: &'a [(String, Brief)],
    top: Option<&'a str>,
    language: &'a str,
    options: &'a Options,
}

impl Front<'_> {
    fn word(&self, key: &str) -> String {
        locale::label(key, self.language).unwrap_or(key).to_string()
    }

    /// The title: asked for, else the common place, else the common kind.
    fn title(&self) -> String {
        self.options
            .title
            .clone()
            .or_else(|| agreed(self.briefs, |b| b.meeting.location.as_deref()))
            .or_else(|| agreed(self.briefs, |b| Some(b.meeting.kind.as_str())))
            .unwrap_or_else(|| self.word("Briefing book"))
    }

    fn dates(&self) -> String {
        let tz = self.options.time_zone.as_deref();
        date_range(self.briefs.iter().map(|(_, b)| zone::at(b, tz).0), self.language)
    }

    /// The handling caveats of every brief, each once, in meeting order.
    fn handling(&self) -> Option<String> {
        let mut seen: Vec<&str> = Vec::new();
        for (_, b) in self.briefs {
            if let Some(h) = b.brief.handling.as_deref().map(str::trim)
                && !seen.iter().any(|s| s.eq_ignore_ascii_case(h))
            {
                seen.push(h);
            }
        }
        (!seen.is_empty()).then(|| seen.join(" · "))
    }

    /// The places of the meetings, each once, in meeting order.
    fn places(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for (_, b) in self.briefs {
            if let Some(p) = b.meeting.location.as_deref().map(str::trim).filter(|p| !p.is_empty())
                && !seen.contains(&p)
            {
                seen.push(p);
            }
        }
        seen
    }

    /// The parties of a meeting, as the schedule and cover name them.
    fn parties(b: &Brief) -> String {
        b.meeting.parties.iter().map(|p| p.country.as_str()).collect::<Vec<_>>().join(" – ")
    }

    /// The heads of delegation of a meeting, in party order.
    fn heads(b: &Brief) -> Vec<&str> {
        b.meeting
            .parties
            .iter()
            .flat_map(|p| p.delegation.iter().filter(|d| d.lead == Some(true)))
            .map(|d| d.name.as_str())
            .collect()
    }

    /// The cover, a page a principal is handed: the title, when and where,
    /// the marking and every caveat, then each meeting (date, parties, heads
    /// of delegation), a draft said so; then the schedule, one row a
    /// meeting, each row a link to its brief.
    fn markup(&self, starts: &[usize]) -> String {
        let mut m = String::new();
        let title = self.title();
        m.push_str(&format!("# {}\n\n", esc(&title)));
        let kind = self.word("Briefing book");
        if kind != title {
            m.push_str(&format!("*{}*\n\n", esc(&kind)));
        }
        let draft = self.word("DRAFT");
        m.push_str("::: fields\n");
        let mut field = |label: &str, value: &str| {
            if !value.is_empty() {
                // The marking stands out: it decides who may carry the book.
                let value = if label == "Classification" {
                    format!("**{}**", esc(value))
                } else {
                    esc(value)
                };
                m.push_str(&format!("{}: {value}\n", esc(&self.word(label))));
            }
        };
        field("Dates", &self.dates());
        // The clock every time in the book is read on, when one is set.
        let tz = self.options.time_zone.as_deref();
        field("Time zone", &tz.map(|z| locale::zone::name(z, self.language)).unwrap_or_default());
        field("Place", &self.places().join(" · "));
        field("Meetings", &locale::number(self.briefs.len() as f64, 0, self.language));
        field("For", &agreed(self.briefs, |b| b.brief.prepared_for.as_deref()).unwrap_or_default());
        field("From", &agreed(self.briefs, |b| b.brief.prepared_by.as_deref()).unwrap_or_default());
        field("Classification", self.top.unwrap_or_default());
        field("Handling", &self.handling().unwrap_or_default());
        m.push_str(":::\n\n");
        // Each meeting on the cover: when, who, who leads; a draft said so.
        m.push_str(&format!("## {}\n\n", esc(&self.word("Meetings"))));
        for (i, (_, b)) in self.briefs.iter().enumerate() {
            let (date, time) = zone::when(b, tz, self.language);
            let mut when = locale::date(date, self.language);
            if !time.is_empty() {
                when = locale::join(&when, &time, self.language);
            }
            let mut line = format!("{}. **{}** · {}", i + 1, esc(&when), esc(&Self::parties(b)));
            if b.brief.status == crate::model::Status::Draft {
                line.push_str(&format!(" · **{}**", esc(&draft)));
            }
            let heads = Self::heads(b);
            if !heads.is_empty() {
                // A hard line break: the heads of delegation under their meeting.
                line.push_str(&format!("\\\n{}", esc(&heads.join("; "))));
            }
            m.push_str(&line);
            m.push('\n');
        }
        m.push_str("\n::: pagebreak\n\n");
        m.push_str(&format!("## {}\n\n", esc(&self.word("Schedule"))));
        // The clock the Time column reads, named once above it.
        if let Some(tz) = tz {
            let name = locale::zone::name(tz, self.language);
            m.push_str(&format!(
                "::: fields\n{}: {}\n:::\n\n",
                esc(&self.word("Time zone")),
                esc(&name)
            ));
        }
        let heads =
            ["Date", "Time", "Place", "Parties", "Heads of delegation", "Classification", "Page"];
        m.push('|');
        for h in heads {
            m.push_str(&format!(" {} |", esc(&self.word(h))));
        }
        m.push_str("\n|");
        m.push_str(&"---|".repeat(heads.len()));
        m.push('\n');
        for (i, (_, b)) in self.briefs.iter().enumerate() {
            let (date, time) = zone::when_in_schedule(b, tz, self.language);
            let link = |text: &str| format!("[{}]({ROW_LINK}{i})", esc(text));
            let page = starts.get(i).map_or(0, |p| p + 1);
            let mut marking = esc(&b
                .brief
                .classification
                .as_deref()
                .map(crate::document::marking)
                .unwrap_or_default());
            if b.brief.status == crate::model::Status::Draft {
                let sep = if marking.is_empty() { "" } else { " · " };
                marking.push_str(&format!("{sep}**{}**", esc(&draft)));
            }
            let cells = [
                // Kept on one line: a date broken over three reads as three.
                link(&locale::short_date(date, self.language).replace(' ', "\u{a0}")),
                esc(&time),
                esc(b.meeting.location.as_deref().unwrap_or_default()),
                link(&Self::parties(b)),
                esc(&Self::heads(b).join("; ")),
                marking,
                link(&locale::number(page as f64, 0, self.language)),
            ];
            m.push('|');
            for c in cells {
                m.push_str(&format!(" {c} |"));
            }
            m.push('\n');
        }
        // Who cleared each brief, under the table: a column more would
        // break the words of every other one.
        m.push_str(&format!("\n::: small\n**{}**\n", esc(&self.word("Clearance"))));
        for (_, b) in self.briefs {
            let when = locale::short_date(zone::at(b, tz).0, self.language);
            let parties: Vec<&str> = b.meeting.parties.iter().map(|p| p.country.as_str()).collect();
            let who = cleared_by(b, self.language);
            let who = if b.cleared() {
                self.word("Cleared by {names}").replace("{names}", &who)
            } else {
                who
            };
            let row = format!("{when}, {}: {who}", parties.join(" – "));
            m.push_str(&format!("\n{}\n", esc(&row)));
        }
        m.push_str(":::\n");
        m
    }

    fn rendered(
        &self,
        style: &crate::style::Style,
        starts: &[usize],
        env: &Env,
        fonts: &FontBook,
    ) -> Rendered {
        let line = |text: String, field| RunningLine::new(&text, field);
        // Every caveat is on the cover; the running line carries them only
        // when they fit it (the layout refuses a furniture line that runs off).
        let size = style.marking_size * 0.85;
        let running = self
            .handling()
            .filter(|h| fonts.width(FontStyle::Regular, size, h) <= style.text_width());
        Rendered {
            markup: self.markup(starts),
            style: style.clone(),
            furniture: Furniture {
                marking: self.top.map(|m| line(m.to_string(), "brief.classification")),
                handling: running.map(|h| line(h, "brief.handling")),
                footer: line(running_title(&self.title(), style, fonts), "--title"),
                page_label: String::new(),
                watermark: None,
            },
            meta: Meta { created: env.created.unwrap_or(0), ..Meta::default() },
            figures: Vec::new(),
            formats: crate::document::Formats::of(self.language),
            dir: locale::dir(self.language),
        }
    }
}

/// The book's title as its running footer carries it: whole when it fits
/// the line, else cut at a word with an ellipsis (the cover has it whole),
/// so a long `--title` never stops the book.
fn running_title(title: &str, style: &crate::style::Style, fonts: &FontBook) -> String {
    let size = style.small_size;
    // The layout measures the footer with the gap before a page label.
    let fits =
        |t: &str| fonts.width(FontStyle::Regular, size, &format!("{t}    ")) <= style.text_width();
    if fits(title) {
        return title.to_string();
    }
    let words: Vec<&str> = title.split(' ').collect();
    for n in (1..words.len()).rev() {
        let candidate = format!("{}…", words[..n].join(" ").trim_end());
        if fits(&candidate) {
            return candidate;
        }
    }
    // One long word: cut it.
    let chars: Vec<char> = title.chars().collect();
    for n in (1..chars.len()).rev() {
        let candidate = format!("{}…", chars[..n].iter().collect::<String>());
        if fits(&candidate) {
            return candidate;
        }
    }
    "…".to_string()
}

#[cfg(test)]
mod tests;
