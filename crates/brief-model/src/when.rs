//! A meeting's start time and its time zone, checked.

use chrono::NaiveTime;

use super::Validator;

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

    /// An IANA time zone CLDR knows, for a meeting with a start time.
    pub(super) fn time_zone(&mut self, name: &str, timed: bool) -> Option<String> {
        use brief_core::locale::zone;
        let path = "meeting.time_zone";
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
            self.diags.push(d.hint("add `time: \"HH:MM\"` to the meeting, or remove `time_zone`"));
        }
        Some(canonical.to_string())
    }
}
