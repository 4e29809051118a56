//! What changed between two versions of a brief, by meaning: fields,
//! participants, messages, agenda, outcomes, facts and figures.
//!
//! Both versions are compared as the JSON form of their validated model
//! ([`crate::model::Brief`]), so a version read back from a PDF's embedded
//! source (which is that JSON) compares exactly like one read from YAML.
//! List items are matched by content (equal, then the same key, then the
//! most similar wording), so a reworded key message is one change, not a
//! removal and an addition; reordering is reported as a move.

pub mod origin;
pub mod wording;

use serde::Serialize;
use serde_json::Value;

/// How a list item or field changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// New in the new version.
    Added,
    /// Gone from the new version.
    Removed,
    /// There in both, different.
    Changed,
    /// There in both, equal, at another place in its list.
    Moved,
}

/// One change. `path` is where the item is in the new version (in the old
/// one for a removal); `was` is its place in the old version when it moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What happened.
    pub kind: Kind,
    /// Field path, e.g. `key_messages[2]` or `agenda[0].points[1]`.
    pub path: String,
    /// The old path of an item that moved (and possibly changed too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
    /// The old value (changed, removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new value (changed, added).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// For text changed into other text: the words kept, deleted and inserted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Word>,
}

/// A run of words in a text change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Word {
    /// `equal`, `delete` or `insert`.
    pub op: &'static str,
    /// The words, with the spaces between them.
    pub text: String,
}

/// Every change between two versions, in document order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Changes {
    /// True when the versions say the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// How the items of a list are compared.
#[derive(Clone, Copy)]
enum Item {
    /// Compared whole; `key` names a field that identifies the item.
    Unit(Option<&'static str>),
    /// Compared field by field, with lists inside; matched by `key`.
    Record {
        key: &'static str,
        fields: &'static [&'static str],
        lists: &'static [(&'static str, Item)],
    },
}

const TEXT: Item = Item::Unit(None);
const PARTY: Item = Item::Record {
    key: "country",
    fields: &["country", "code"],
    lists: &[("delegation", Item::Unit(Some("name")))],
};
const AGENDA: Item = Item::Record {
    key: "topic",
    fields: &["topic", "time", "time_zone"],
    lists: &[("points", TEXT)],
};

/// The brief's single fields, in the order a reader meets them.
const FIELDS: [&str; 23] = [
    "brief.title",
    "brief.subtitle",
    "brief.reference",
    "brief.classification",
    "brief.handling",
    "brief.status",
    "brief.version",
    "brief.date",
    "brief.as_of",
    "brief.prepared_by",
    "brief.prepared_for",
    "brief.template",
    "brief.language",
    "meeting.kind",
    "meeting.date",
    "meeting.time",
    "meeting.time_zone",
    "meeting.location",
    "purpose",
    "summary",
    "background",
    "distribution",
    "clearance",
];

/// The brief's lists, in document order, with how their items compare.
const LISTS: [(&str, Item); 9] = [
    ("meeting.parties", PARTY),
    ("key_messages", TEXT),
    ("agenda", AGENDA),
    ("outcomes", Item::Unit(Some("text"))),
    ("facts", Item::Unit(Some("label"))),
    ("figures", Item::Unit(Some("id"))),
    ("sections", Item::Unit(Some("title"))),
    ("risks", TEXT),
    ("sources", Item::Unit(Some("title"))),
];

/// Lists longer than this (items old × new) are matched by equality and key
/// only: similarity costs a word diff per pair.
const MAX_PAIRS: usize = 10_000;
/// Least similarity (0–1, by words) for two texts to count as one reworded.
const SIMILAR: f32 = 0.5;

/// The changes from `old` to `new`.
pub fn diff(old: &crate::model::Brief, new: &crate::model::Brief) -> Changes {
    let value = |b| serde_json::to_value(b).unwrap_or(Value::Null);
    diff_values(&value(old), &value(new))
}

/// The changes between two briefs in their JSON form (see [`canonical`]).
pub fn diff_values(old: &Value, new: &Value) -> Changes {
    let mut out = Vec::new();
    let (fields, rest) = FIELDS.split_at(17);
    leaves(&mut out, old, new, fields);
    for (path, item) in &LISTS[..1] {
        list(&mut out, path, &items(old, path), &items(new, path), *item);
    }
    leaves(&mut out, old, new, &rest[..2]);
    for (path, item) in &LISTS[1..4] {
        list(&mut out, path, &items(old, path), &items(new, path), *item);
    }
    leaves(&mut out, old, new, &rest[2..3]);
    for (path, item) in &LISTS[4..] {
        list(&mut out, path, &items(old, path), &items(new, path), *item);
    }
    leaves(&mut out, old, new, &rest[3..]);
    Changes { changes: out }
}

/// What makes a brief the same brief across versions, read from its JSON
/// (the model, as embedded with `--embed-source`): its reference when it has
/// one, else the parties that meet (their countries, in any order). The
/// title, date, place and everything else may change between versions; a
/// changes box is exactly for that. Shown as `reference X` or `parties A, B`.
pub(crate) fn identity(brief: &Value) -> String {
    if let Some(r) = brief.pointer("/brief/reference").and_then(Value::as_str) {
        return format!("reference {r}");
    }
    let mut parties: Vec<&str> = brief
        .pointer("/meeting/parties")
        .and_then(Value::as_array)
        .map(|ps| ps.iter().filter_map(|p| p.get("country")?.as_str()).collect())
        .unwrap_or_default();
    parties.sort_unstable();
    format!("parties {}", parties.join(", "))
}

/// Whether two versions are of one brief (see [`identity`]): the same
/// reference, or, when either has none, the same parties.
pub(crate) fn same_brief(old: &Value, new: &Value) -> bool {
    let reference =
        |v: &Value| v.pointer("/brief/reference").and_then(Value::as_str).map(str::to_string);
    match (reference(old), reference(new)) {
        (Some(a), Some(b)) => a == b,
        _ => {
            let strip = |v: &Value| {
                let mut v = v.clone();
                if let Some(b) = v.get_mut("brief").and_then(Value::as_object_mut) {
                    b.remove("reference");
                }
                identity(&v)
            };
            strip(old) == strip(new)
        }
    }
}

/// The canonical JSON of a validated brief: keys sorted, no spaces, so the
/// same brief always gives the same bytes. This is what `--embed-source`
/// embeds: the model, never the YAML text (whose comments may be private).
pub fn canonical(brief: &crate::model::Brief) -> Vec<u8> {
    // serde_json's map is ordered by key unless `preserve_order` is on.
    serde_json::to_vec(&origin::value(brief)).unwrap_or_default()
}

fn leaves(out: &mut Vec<Change>, old: &Value, new: &Value, paths: &[&str]) {
    for path in paths {
        let (a, b) = (get(old, path), get(new, path));
        if a != b {
            out.push(changed(path.to_string(), None, a.clone(), b.clone()));
        }
    }
}

fn changed(path: String, was: Option<String>, old: Value, new: Value) -> Change {
    // A text replaced by one with little in common reads best whole, old
    // then new: a word diff of two different sentences is noise.
    let words = match (&old, &new) {
        (Value::String(a), Value::String(b)) if similarity(a, b) >= SIMILAR => words(a, b),
        _ => Vec::new(),
    };
    Change { kind: Kind::Changed, path, was, old: Some(old), new: Some(new), words }
}

/// Word-level differences between two texts (the `similar` crate), grouped
/// as `git diff --word-diff` shows them: changed words with only spaces
/// between them are one change, all that was deleted then all that was
/// inserted (`[-volumes, Southern Gas Corridor.-]{+expansion to 32 bcm+}`),
/// never interleaved pairs.
pub fn words(old: &str, new: &str) -> Vec<Word> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_words(old, new);
    let tokens: Vec<(ChangeTag, &str)> =
        diff.iter_all_changes().map(|c| (c.tag(), c.value())).collect();
    let mut out: Vec<Word> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].0 == ChangeTag::Equal {
            push(&mut out, "equal", tokens[i].1);
            i += 1;
            continue;
        }
        // A run of changes, through the spaces that only separate changed words.
        let mut end = i;
        let mut j = i;
        while j < tokens.len() {
            match tokens[j] {
                (ChangeTag::Equal, t) if t.trim().is_empty() => j += 1,
                (ChangeTag::Equal, _) => break,
                _ => {
                    j += 1;
                    end = j;
                }
            }
        }
        let (mut deleted, mut inserted) = (String::new(), String::new());
        for &(tag, text) in &tokens[i..end] {
            match tag {
                ChangeTag::Delete => deleted.push_str(text),
                ChangeTag::Insert => inserted.push_str(text),
                ChangeTag::Equal => {
                    deleted.push_str(text);
                    inserted.push_str(text);
                }
            }
        }
        if !deleted.is_empty() {
            push(&mut out, "delete", &deleted);
        }
        if !inserted.is_empty() {
            push(&mut out, "insert", &inserted);
        }
        i = end;
    }
    out
}

fn push(out: &mut Vec<Word>, op: &'static str, text: &str) {
    match out.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => out.push(Word { op, text: text.to_string() }),
    }
}

/// The value at a dotted path such as `brief.title`; `Null` when absent.
fn get<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(value, |v, key| v.get(key).unwrap_or(&Value::Null))
}

fn items(value: &Value, path: &str) -> Vec<Value> {
    get(value, path).as_array().cloned().unwrap_or_default()
}

fn list(out: &mut Vec<Change>, path: &str, old: &[Value], new: &[Value], item: Item) {
    let key = match item {
        Item::Unit(key) => key,
        Item::Record { key, .. } => Some(key),
    };
    let pairs = matches(old, new, key);
    // Indexed both ways, so a long list costs no more than sorting it.
    let mut of_new: Vec<Option<usize>> = vec![None; new.len()];
    let mut matched_old = vec![false; old.len()];
    for &(i, j) in &pairs {
        of_new[j] = Some(i);
        matched_old[i] = true;
    }
    let mut in_order = vec![false; new.len()];
    for (_, j) in increasing(&pairs) {
        in_order[j] = true;
    }
    let at = |i: usize| format!("{path}[{i}]");
    for i in (0..old.len()).filter(|i| !matched_old[*i]) {
        out.push(Change {
            kind: Kind::Removed,
            path: at(i),
            was: None,
            old: Some(old[i].clone()),
            new: None,
            words: Vec::new(),
        });
    }
    for (j, item_new) in new.iter().enumerate() {
        let Some(i) = of_new[j] else {
            out.push(Change {
                kind: Kind::Added,
                path: at(j),
                was: None,
                old: None,
                new: Some(item_new.clone()),
                words: Vec::new(),
            });
            continue;
        };
        let was = (!in_order[j]).then(|| at(i));
        match item {
            Item::Unit(_) if old[i] != new[j] => {
                out.push(changed(at(j), was, old[i].clone(), new[j].clone()));
            }
            Item::Unit(_) | Item::Record { .. } if was.is_some() => out.push(Change {
                kind: Kind::Moved,
                path: at(j),
                was,
                old: None,
                new: None,
                words: Vec::new(),
            }),
            _ => {}
        }
        if let Item::Record { fields, lists, .. } = item {
            for field in fields {
                let (a, b) = (get(&old[i], field), get(&new[j], field));
                if a != b {
                    out.push(changed(format!("{}.{field}", at(j)), None, a.clone(), b.clone()));
                }
            }
            for (name, inner) in lists {
                let inner_path = format!("{}.{name}", at(j));
                list(out, &inner_path, &items(&old[i], name), &items(&new[j], name), *inner);
            }
        }
    }
}

/// Pairs (old index, new index) of the items that are one and the same:
/// equal items first, then items with the same key, then the most similar
/// texts, each item in at most one pair. Sorted by old index.
fn matches(old: &[Value], new: &[Value], key: Option<&str>) -> Vec<(usize, usize)> {
    use std::collections::{HashMap, VecDeque};
    let mut used_old = vec![false; old.len()];
    let mut used_new = vec![false; new.len()];
    let mut pairs = Vec::new();
    // Equal items, then items with an equal key, each through a map of the
    // new items' text, first unused first: linear in the lists' length.
    let mut equal: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (j, b) in new.iter().enumerate() {
        equal.entry(b.to_string()).or_default().push_back(j);
    }
    for (i, a) in old.iter().enumerate() {
        if let Some(j) = equal.get_mut(&a.to_string()).and_then(VecDeque::pop_front) {
            (used_old[i], used_new[j]) = (true, true);
            pairs.push((i, j));
        }
    }
    if let Some(key) = key {
        let mut keyed: HashMap<String, VecDeque<usize>> = HashMap::new();
        for (j, b) in new.iter().enumerate().filter(|(j, _)| !used_new[*j]) {
            if let Some(k) = b.get(key) {
                keyed.entry(k.to_string()).or_default().push_back(j);
            }
        }
        for (i, a) in old.iter().enumerate() {
            if used_old[i] {
                continue;
            }
            let found = a.get(key).and_then(|k| keyed.get_mut(&k.to_string()));
            if let Some(j) = found.and_then(VecDeque::pop_front) {
                (used_old[i], used_new[j]) = (true, true);
                pairs.push((i, j));
            }
        }
    }
    let left_old: Vec<usize> = (0..old.len()).filter(|i| !used_old[*i]).collect();
    let left_new: Vec<usize> = (0..new.len()).filter(|j| !used_new[*j]).collect();
    if left_old.len() * left_new.len() <= MAX_PAIRS {
        let mut scored = Vec::new();
        for &i in &left_old {
            for &j in &left_new {
                let score = similarity(&plain_value(&old[i]), &plain_value(&new[j]));
                if score >= SIMILAR {
                    scored.push((score, i, j));
                }
            }
        }
        // Best first; ties in document order, so the result never depends on sorting.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, j) in scored {
            if !used_old[i] && !used_new[j] {
                (used_old[i], used_new[j]) = (true, true);
                pairs.push((i, j));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Word similarity of two texts, 0 (no word shared) to 1 (equal): the
/// spaces between words are not words, or any two sentences of the same
/// length would look half alike.
fn similarity(a: &str, b: &str) -> f32 {
    let (a, b): (Vec<&str>, Vec<&str>) =
        (a.split_whitespace().collect(), b.split_whitespace().collect());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    similar::TextDiff::from_slices(&a, &b).ratio()
}

/// The text of a value, for matching: strings joined, numbers written out.
fn plain_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain_value).collect::<Vec<_>>().join(" "),
        Value::Object(map) => map.values().map(plain_value).collect::<Vec<_>>().join(" "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The pairs that keep their order (a longest increasing run of new
/// indices, taken in old order): every other pair has moved.
fn increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // Patience sorting with back links; pairs are sorted by old index.
    let mut tails: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
    for k in 0..pairs.len() {
        let j = pairs[k].1;
        let at = tails.partition_point(|&t| pairs[t].1 < j);
        back[k] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut out = Vec::new();
    let mut k = tails.last().copied();
    while let Some(i) = k {
        out.push(pairs[i]);
        k = back[i];
    }
    out.reverse();
    out
}

/// Applies reported changes to the old version's JSON: the new version's
/// JSON. The inverse of [`diff_values`], and its proof: every difference is
/// in the report.
pub fn apply(old: &Value, changes: &Changes) -> Value {
    let mut out = old.clone();
    for c in changes.changes.iter().filter(|c| FIELDS.contains(&c.path.as_str())) {
        if let Some(slot) = pointer(&mut out, &c.path) {
            *slot = c.new.clone().unwrap_or(Value::Null);
        }
    }
    for (path, item) in LISTS {
        let list = apply_list(&items(old, path), path, item, &changes.changes);
        if let Some(slot) = pointer(&mut out, path) {
            *slot = Value::Array(list);
        }
    }
    out
}

fn pointer<'a>(value: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    path.split('.').try_fold(value, |v, key| v.get_mut(key))
}

/// The index a path gives an item of the list at `list`: `list[3]` → 3.
fn index_in(path: &str, list: &str) -> Option<usize> {
    path.strip_prefix(list)?.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

fn apply_list(old: &[Value], path: &str, item: Item, changes: &[Change]) -> Vec<Value> {
    let here: Vec<(&Change, usize)> =
        changes.iter().filter_map(|c| Some((c, index_in(&c.path, path)?))).collect();
    let removed: Vec<usize> =
        here.iter().filter(|(c, _)| c.kind == Kind::Removed).map(|(_, i)| *i).collect();
    let from = |c: &Change| c.was.as_deref().and_then(|w| index_in(w, path));
    let moved: Vec<usize> = here.iter().filter_map(|(c, _)| from(c)).collect();
    let added = here.iter().filter(|(c, _)| c.kind == Kind::Added).count();
    let len = (old.len() + added).saturating_sub(removed.len());
    let mut staying = (0..old.len()).filter(|i| !removed.contains(i) && !moved.contains(i));
    let mut out = Vec::with_capacity(len);
    for j in 0..len {
        let mine = here.iter().find(|(c, at)| *at == j && c.kind != Kind::Removed).map(|(c, _)| *c);
        let mut value = match mine {
            Some(c) if c.kind == Kind::Added => c.new.clone(),
            Some(c) if from(c).is_some() => from(c).and_then(|i| old.get(i)).cloned(),
            _ => staying.next().and_then(|i| old.get(i)).cloned(),
        }
        .unwrap_or(Value::Null);
        if let (Some(c), Item::Unit(_)) = (mine, item)
            && c.kind == Kind::Changed
        {
            value = c.new.clone().unwrap_or(Value::Null);
        }
        if let Item::Record { lists, .. } = item
            && mine.is_none_or(|c| c.kind != Kind::Added)
        {
            let at = format!("{path}[{j}]");
            for c in changes.iter().filter(|c| c.kind == Kind::Changed) {
                if let Some(field) = c.path.strip_prefix(&format!("{at}."))
                    && let Some(slot) = value.get_mut(field)
                {
                    *slot = c.new.clone().unwrap_or(Value::Null);
                }
            }
            for (name, inner) in lists {
                let inner_old = items(&value, name);
                let list = apply_list(&inner_old, &format!("{at}.{name}"), *inner, changes);
                if let Some(slot) = value.get_mut(*name) {
                    *slot = Value::Array(list);
                }
            }
        }
        out.push(value);
    }
    out
}

#[cfg(test)]
mod tests;
