//! A meeting's start time and its time zone, checked.

use chrono::NaiveTime;

use super::{AgendaItem, Validator};

impl Validator<'_> {
    pub(super) fn time(&mut self, path: &str, text: &str) -> Option<NaiveTime> {
        let parsed =
            NaiveTime::parse_from_str(text.trim(), "%H:%M").ok().filter(|_| text.trim().len() == 5);
        if parsed.is_none() {
            let d = self.index.error(path, format!("`{text}` is not a valid time"));
            self.diags.push(
                d.expected("a 24-hour time as HH:MM, e.g. 09:30")
                    .hint("hours 00–23 and minutes 00–59, quoted: time: \"09:30\""),
            );
        }
        parsed
    }

    /// An IANA time zone CLDR knows, at `path`, for a time (`timed`): the
    /// meeting's or an agenda item's.
    pub(super) fn time_zone(&mut self, path: &str, name: &str, timed: bool) -> Option<String> {
        use brief_core::locale::zone;
        let Some(canonical) = zone::canonical(name.trim()) else {
            let mut d = self.index.error(path, format!("`{name}` is not a time zone")).expected(
                "an IANA time zone name, e.g. Asia/Baku, Europe/Berlin, America/New_York",
            );
            if let Some(like) = brief_core::diag::did_you_mean(name.trim(), zone::names()) {
                d = d.hint(format!("did you mean `{like}`?"));
            }
            self.diags.push(d);
            return None;
        };
        if !timed {
            let d = self.index.error(path, "a time zone without a start time");
            let whose = if path.starts_with("meeting") { "the meeting" } else { "the item" };
            self.diags
                .push(d.hint(format!("add `time: \"HH:MM\"` to {whose}, or remove `time_zone`")));
        }
        Some(canonical.to_string())
    }

    /// The agenda, each item's time checked (written back as `HH:MM`) and
    /// its zone as IANA writes it.
    pub(super) fn agenda(&mut self, raw: &[AgendaItem]) -> Vec<AgendaItem> {
        let mut out = raw.to_vec();
        for (i, item) in out.iter_mut().enumerate() {
            let at = format!("agenda[{i}]");
            if let Some(t) = &item.time {
                item.time =
                    self.time(&format!("{at}.time"), t).map(|t| t.format("%H:%M").to_string());
            }
            if let Some(z) = &item.time_zone {
                let timed = raw[i].time.is_some();
                item.time_zone = self.time_zone(&format!("{at}.time_zone"), z, timed);
            }
        }
        out
    }
}
