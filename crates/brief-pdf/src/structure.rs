//! The structure tree of a tagged PDF, built when the document is finished:
//! one structure element per [`Structure`] node, its kids the marked content
//! (MCIDs) each page recorded and its child elements, in reading order; a
//! Link element with an object reference for every link annotation; the
//! ParentTree that maps content back to its element.
//!
//! Kids are ordered by where they first appear in the content, pages in
//! order: layout emits content in reading order, so the tree reads as the
//! page does. An element with no content at all (an empty table cell) keeps
//! its place after its previous sibling, so a table's grid stays regular.

use lopdf::{Dictionary, Object, ObjectId};

use super::content::{Mark, Tags};
use super::finish::text_string;
use super::serial::Written;
use brief_core::frame::{Role, Structure};

/// A kid of a structure element.
enum Kid {
    /// Marked content `mcid` on page `page`.
    Mcr { page: usize, mcid: i64 },
    /// Another structure element.
    Elem(ObjectId),
}

/// Writes the structure tree and the link annotations into `lo`, and sets
/// each page's `/StructParents`, `/Tabs`, `/Annots` and transparency group.
/// Returns the StructTreeRoot's id, and the elements themselves, written
/// as bytes (see [`Written`]).
pub(super) fn write(
    lo: &mut lopdf::Document,
    structure: &Structure,
    tags: &[Tags],
    pages: &[ObjectId],
) -> (ObjectId, Written) {
    let nodes = &structure.nodes;
    let n = nodes.len().max(1);
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = (0..n).map(|_| lo.new_object_id()).collect();
    let mut written = Written::starting_at(ids[0].0);
    let valid = |node: u32| (node as usize) < n;
    let mut own: Vec<Vec<(i64, Kid)>> = (0..n).map(|_| Vec::new()).collect();
    let mut nums: Vec<Object> = Vec::new();
    let mut link_entries: Vec<(i64, ObjectId)> = Vec::new();
    let mut seq = 0_i64;
    let page_count = pages.len() as i64;
    for (p, (page_tags, &page_id)) in tags.iter().zip(pages).enumerate() {
        let mut parents = Vec::new();
        let mut annots = Vec::new();
        let mut links = page_tags.links.iter();
        for mark in &page_tags.marks {
            seq += 1;
            match mark {
                Mark::Content(node) => {
                    let node = if valid(node.0) { node.0 as usize } else { 0 };
                    own[node].push((seq, Kid::Mcr { page: p, mcid: parents.len() as i64 }));
                    parents.push(Object::Reference(ids[node]));
                }
                Mark::Link => {
                    let Some(link) = links.next() else { continue };
                    let parent = link.node.filter(|n| valid(n.0)).map_or(0, |n| n.0 as usize);
                    let key = page_count + link_entries.len() as i64;
                    let annot = lo.add_object(annotation(link, key, pages));
                    annots.push(Object::Reference(annot));
                    let mut objr = Dictionary::new();
                    objr.set("Type", "OBJR");
                    objr.set("Obj", annot);
                    objr.set("Pg", page_id);
                    let mut elem = Dictionary::new();
                    elem.set("S", "Link");
                    elem.set("P", ids[parent]);
                    elem.set("Pg", page_id);
                    elem.set("K", objr);
                    if !link.text.is_empty() {
                        elem.set("Alt", text_string(&link.text));
                    }
                    let elem = lo.add_object(elem);
                    own[parent].push((seq, Kid::Elem(elem)));
                    link_entries.push((key, elem));
                }
            }
        }
        nums.push(Object::Integer(p as i64));
        nums.push(Object::Array(parents));
        if let Ok(page) = lo.get_dictionary_mut(page_id) {
            page.set("StructParents", p as i64);
            page.set("Tabs", "S");
            if !annots.is_empty() {
                page.set("Annots", annots);
            }
            if page_tags.transparent {
                let mut group = Dictionary::new();
                group.set("Type", "Group");
                group.set("S", "Transparency");
                group.set("CS", "DeviceRGB");
                page.set("Group", group);
            }
        }
    }
    for (key, elem) in &link_entries {
        nums.push(Object::Integer(*key));
        nums.push(Object::Reference(*elem));
    }

    // Where each element first shows, counting its descendants.
    let mut first: Vec<i64> = own.iter().map(|k| k.first().map_or(i64::MAX, |k| k.0)).collect();
    let parent_of = |i: usize| {
        let p = nodes.get(i).map_or(0, |node| node.parent.0 as usize);
        // A parent always comes before its child; anything else hangs off the root.
        if p < i { p } else { 0 }
    };
    for i in (1..n).rev() {
        let p = parent_of(i);
        first[p] = first[p].min(first[i]);
    }
    let mut children: Vec<Vec<usize>> = (0..n).map(|_| Vec::new()).collect();
    for i in 1..n {
        children[parent_of(i)].push(i);
    }

    for i in 0..n {
        let mut kids: Vec<(i64, Kid)> = std::mem::take(&mut own[i]);
        let mut carried = -1;
        for &c in &children[i] {
            let key = if first[c] == i64::MAX { carried } else { first[c] };
            carried = key;
            kids.push((key, Kid::Elem(ids[c])));
        }
        // Stable: an empty element stays right after the sibling it follows.
        kids.sort_by_key(|k| k.0);
        let page_of = kids.iter().find_map(|(_, k)| match k {
            Kid::Mcr { page, .. } => Some(*page),
            Kid::Elem(_) => None,
        });
        let mut elem = Dictionary::new();
        let role = nodes.get(i).map_or(Role::Document, |node| node.role);
        elem.set("S", role.name());
        elem.set("P", if i == 0 { root } else { ids[parent_of(i)] });
        if let Some(pg) = page_of.and_then(|p| pages.get(p)) {
            elem.set("Pg", *pg);
        }
        let kids: Vec<Object> = kids
            .into_iter()
            .map(|(_, kid)| match kid {
                Kid::Elem(id) => Object::Reference(id),
                Kid::Mcr { page, mcid } if Some(page) == page_of => Object::Integer(mcid),
                Kid::Mcr { page, mcid } => {
                    let mut mcr = Dictionary::new();
                    mcr.set("Type", "MCR");
                    if let Some(pg) = pages.get(page) {
                        mcr.set("Pg", *pg);
                    }
                    mcr.set("MCID", mcid);
                    Object::Dictionary(mcr)
                }
            })
            .collect();
        match <[Object; 1]>::try_from(kids) {
            Ok([one]) => elem.set("K", one),
            Err(many) if !many.is_empty() => elem.set("K", many),
            Err(_) => {}
        }
        if let Some(node) = nodes.get(i) {
            if let Some(alt) = &node.alt {
                elem.set("Alt", text_string(alt));
            }
            if let Some(lang) = &node.lang {
                elem.set("Lang", text_string(lang));
            }
        }
        if role == Role::TH {
            let mut a = Dictionary::new();
            a.set("O", "Table");
            a.set("Scope", "Column");
            elem.set("A", a);
        }
        written.push(&Object::Dictionary(elem));
    }

    let mut tree = Dictionary::new();
    tree.set("Type", "StructTreeRoot");
    tree.set("K", ids[0]);
    let mut parent_tree = Dictionary::new();
    parent_tree.set("Nums", nums);
    tree.set("ParentTree", parent_tree);
    tree.set("ParentTreeNextKey", page_count + link_entries.len() as i64);
    lo.objects.insert(root, Object::Dictionary(tree));
    (root, written)
}

/// A link annotation: invisible border, printable (`/F 4`), described by the
/// words it covers (or its target, when they are a piece of its address),
/// tied to its Link element.
fn annotation(link: &super::content::PageLink, key: i64, pages: &[ObjectId]) -> Dictionary {
    use super::content::Target;
    let mut action = Dictionary::new();
    action.set("Type", "Action");
    let described = match &link.target {
        Target::Uri(uri) => {
            action.set("S", "URI");
            action.set("URI", Object::string_literal(uri.as_str()));
            uri.clone()
        }
        // The top of the page, at the reader's zoom.
        Target::Page(index) => {
            action.set("S", "GoTo");
            let dest: Vec<Object> = match pages.get(*index).or(pages.last()) {
                Some(&id) => {
                    vec![id.into(), "XYZ".into(), Object::Null, Object::Null, Object::Null]
                }
                None => Vec::new(),
            };
            action.set("D", dest);
            format!("page {}", index + 1)
        }
    };
    let mut d = Dictionary::new();
    d.set("Type", "Annot");
    d.set("Subtype", "Link");
    d.set("Rect", link.rect.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>());
    d.set("Border", vec![0.into(), 0.into(), 0.into()]);
    d.set("F", 4);
    // An address written out and broken across lines is covered by one
    // annotation per line: each describes the whole address, not its half.
    let covered = link.text.trim();
    let part_of_address = matches!(link.target, Target::Uri(_))
        && described.contains(covered)
        && covered.len() < described.len();
    let text = if covered.is_empty() || part_of_address { described.as_str() } else { covered };
    d.set("Contents", text_string(text));
    d.set("A", action);
    d.set("StructParent", key);
    d
}

#[cfg(test)]
mod tests {
    use super::super::content::{PageLink, Target};

    fn contents(text: &str, uri: &str) -> String {
        let link = PageLink {
            rect: [0.0, 0.0, 10.0, 10.0],
            target: Target::Uri(uri.into()),
            text: text.into(),
            node: None,
        };
        format!("{:?}", super::annotation(&link, 0, &[]).get(b"Contents").unwrap())
    }

    #[test]
    fn each_line_of_a_broken_address_describes_the_whole_address() {
        assert!(contents("https://", "https://www.ine.pt").contains("www.ine.pt"));
        assert!(contents("www.ine.pt", "https://www.ine.pt").contains("https://"));
        assert!(contents("Statistics Portugal", "https://www.ine.pt").contains("Statistics"));
    }
}
