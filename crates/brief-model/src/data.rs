//! Figures whose data comes from a file (`data:`): read through the
//! caller's reader into the source, so the values meet every check inline
//! values meet.

use super::{ReadData, Validator, raw};

impl Validator<'_> {
    /// The source with every figure's `data:` read into its categories and
    /// series, its source line made from the file when it has none, and
    /// the file's status flags added to its note.
    pub(super) fn read_data(&mut self, raw: &raw::Source, read: &ReadData<'_>) -> raw::Source {
        let mut out = raw.clone();
        let language = raw.brief.language.as_deref().unwrap_or("en");
        self.origins = vec![None; raw.figures.len()];
        for (i, f) in out.figures.iter_mut().enumerate() {
            let Some(spec) = &f.data else { continue };
            let path = format!("figures[{i}].data");
            if !f.categories.is_empty() || !f.series.is_empty() {
                let d = self.index.error(
                    &path,
                    "a figure takes its data inline (`categories`, `series`) or from a file (`data`), not both",
                );
                self.diags.push(d.hint("remove `categories` and `series`, or `data`"));
                self.unread.push(i);
                continue;
            }
            match read(spec, f.unit.as_deref(), language) {
                Ok(d) => {
                    f.categories = d.categories;
                    f.series = d
                        .series
                        .into_iter()
                        .map(|s| raw::Series { name: s.name, values: s.values })
                        .collect();
                    if f.source.is_none() {
                        f.source = Some(d.origin.source.clone());
                    }
                    if !d.notes.is_empty() {
                        let notes = f.note.iter().cloned().chain(d.notes);
                        f.note = Some(notes.collect::<Vec<_>>().join(" "));
                    }
                    self.origins[i] = Some(d.origin);
                }
                Err(d) => {
                    let d = if d.path.is_none() { d.path(path) } else { d };
                    self.diags.push(d);
                    self.unread.push(i);
                }
            }
        }
        out
    }
}
