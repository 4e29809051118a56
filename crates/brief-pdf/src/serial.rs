//! The finished document as bytes: streams written directly, every other
//! object once into one deflated object stream, then a deflated
//! cross-reference stream that also carries the trailer.
//!
//! lopdf's own writer, with object streams, serialises each object twice and
//! formats every reference through `write!`; for the few hundred small
//! dictionaries of a structure tree that was a quarter of a build. This
//! writes each object once, in id order, so the bytes depend only on the
//! document.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

/// One cross-reference entry.
#[derive(Clone, Copy)]
enum Entry {
    Free,
    /// Byte offset and generation of an object written directly.
    At(usize, u16),
    /// Index in the object stream.
    Packed(u32),
}

/// Objects of consecutive ids (generation 0) already serialised, kept as
/// one run of bytes: the structure tree's elements, which as lopdf
/// dictionaries took about a kilobyte each (a long brief has a hundred
/// thousand of them) and as bytes take their length.
#[derive(Default)]
pub(super) struct Written {
    /// The first object's id.
    first: u32,
    /// Where each object's bytes end in `bytes`.
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl Written {
    /// An empty run whose first object will be `first`.
    pub(super) fn starting_at(first: u32) -> Written {
        Written { first, ..Written::default() }
    }

    /// Adds the next object (id `first` + the count so far).
    pub(super) fn push(&mut self, object: &Object) {
        value(&mut self.bytes, object);
        self.ends.push(self.bytes.len());
    }

    /// Each object's id and bytes, in id order.
    fn iter(&self) -> impl Iterator<Item = (u32, &[u8])> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        (self.first..).zip(starts.zip(&self.ends).map(|(a, &b)| &self.bytes[a..b]))
    }
}

/// Serialises `lo` and the objects `written` apart from it (version,
/// objects, trailer). Returns `None` only if a stream cannot be deflated.
pub(super) fn serialize(
    lo: &lopdf::Document,
    written: &Written,
    deflater: &mut Deflater,
) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(format!("%PDF-{}\n%\u{e2}\u{e3}\u{cf}\u{d3}\n", lo.version).as_bytes());
    let last_written = written.ends.len().checked_sub(1).map(|n| written.first + n as u32);
    let max = lo.objects.keys().map(|id| id.0).chain(last_written).max().unwrap_or(0);
    let (packed_id, xref_id) = (max + 1, max + 2);
    let mut entries = vec![Entry::Free; xref_id as usize + 1];
    let mut head = Vec::new();
    let mut body = Vec::new();
    let mut count = 0_u32;
    let mut pack = |entries: &mut [Entry], id: u32, write: &mut dyn FnMut(&mut Vec<u8>)| {
        entries[id as usize] = Entry::Packed(count);
        number(&mut head, i64::from(id));
        head.push(b' ');
        number(&mut head, body.len() as i64);
        head.push(b' ');
        write(&mut body);
        body.push(b'\n');
        count += 1;
    };
    // Both in id order, merged.
    let mut apart = written.iter().peekable();
    for (&(id, generation), object) in &lo.objects {
        while let Some((at, bytes)) = apart.next_if(|&(at, _)| at < id) {
            pack(&mut entries, at, &mut |body| body.extend_from_slice(bytes));
        }
        match object {
            Object::Stream(stream) => {
                entries[id as usize] = Entry::At(out.len(), generation);
                write_stream(&mut out, (id, generation), &stream.dict, &stream.content);
            }
            other if generation == 0 => pack(&mut entries, id, &mut |body| value(body, other)),
            other => {
                entries[id as usize] = Entry::At(out.len(), generation);
                indirect(&mut out, (id, generation), other);
            }
        }
    }
    for (at, bytes) in apart {
        pack(&mut entries, at, &mut |body| body.extend_from_slice(bytes));
    }
    // The object stream: offsets, then the objects.
    let first = head.len();
    head.extend_from_slice(&body);
    // Trailing whitespace after the last object is harmless.
    let data = deflater.deflate_padded(&mut head, b" ")?;
    let mut dict = Dictionary::new();
    dict.set("Type", "ObjStm");
    dict.set("N", i64::from(count));
    dict.set("First", first as i64);
    dict.set("Filter", "FlateDecode");
    entries[packed_id as usize] = Entry::At(out.len(), 0);
    write_stream(&mut out, (packed_id, 0), &dict, &data);

    // The cross-reference stream: type, offset or stream number, generation
    // or index, each field as wide as its largest value needs.
    let xref_at = out.len();
    entries[xref_id as usize] = Entry::At(xref_at, 0);
    let fields = |entry: &Entry| match *entry {
        Entry::Free => (0_u64, 0_u64, 0_u64),
        Entry::At(offset, generation) => (1, offset as u64, u64::from(generation)),
        Entry::Packed(index) => (2, u64::from(packed_id), u64::from(index)),
    };
    let width = |max: u64| (1..8).find(|w| max >> (8 * w) == 0).unwrap_or(8);
    let w2 = width(entries.iter().map(|e| fields(e).1).max().unwrap_or(0));
    // At least 1 wide, so padding (below) can change the checksum.
    let w3 = width(entries.iter().map(|e| fields(e).2).max().unwrap_or(0).max(1));
    let row = 1 + w2 + w3;
    let mut table = Vec::with_capacity(entries.len() * row);
    for entry in &entries {
        let (kind, a, b) = fields(entry);
        table.push(kind as u8);
        table.extend_from_slice(&a.to_be_bytes()[8 - w2..]);
        table.extend_from_slice(&b.to_be_bytes()[8 - w3..]);
    }
    let mut dict = lo.trailer.clone();
    for key in [&b"Prev"[..], b"XRefStm", b"Index", b"DecodeParms"] {
        dict.remove(key);
    }
    // A free entry past the last object (generation 1, so it changes the
    // checksum) is harmless padding.
    let mut pad = vec![0; row];
    pad[row - 1] = 1;
    let table_data = deflater.deflate_padded(&mut table, &pad)?;
    dict.set("Type", "XRef");
    dict.set("Size", (table.len() / row) as i64);
    dict.set("W", vec![1.into(), (w2 as i64).into(), (w3 as i64).into()]);
    dict.set("Filter", "FlateDecode");
    let table = table_data;
    write_stream(&mut out, (xref_id, 0), &dict, &table);
    out.extend_from_slice(b"startxref\n");
    number(&mut out, xref_at as i64);
    out.extend_from_slice(b"\n%%EOF\n");
    Some(out)
}

/// One zlib compressor (level 3) for every stream of a document: making a
/// compressor allocates and clears some hundred kilobytes of tables, which
/// cost more than deflating a small stream.
pub(super) struct Deflater(flate2::Compress);

impl Deflater {
    pub(super) fn new() -> Self {
        Deflater(flate2::Compress::new(flate2::Compression::new(3), true))
    }

    /// `data` as a zlib stream.
    pub(super) fn deflate(&mut self, data: &[u8]) -> Option<Vec<u8>> {
        self.0.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let done = self.0.total_in() as usize;
            let status =
                self.0.compress_vec(&data[done..], &mut out, flate2::FlushCompress::Finish).ok()?;
            if status == flate2::Status::StreamEnd {
                return Some(out);
            }
            out.reserve(out.capacity().max(1024));
        }
    }

    /// Deflates `data`. Deflated data ends in its Adler-32 checksum, and when
    /// that ends in a carriage return the stream reads, before `\nendstream`,
    /// as if its /Length were one byte too long (PDF/A validators reject it);
    /// no compression level changes a checksum, so `pad` (bytes that mean
    /// nothing where they go) is appended until it does not.
    pub(super) fn deflate_padded(&mut self, data: &mut Vec<u8>, pad: &[u8]) -> Option<Vec<u8>> {
        for _ in 0..8 {
            let out = self.deflate(data)?;
            if out.last() != Some(&b'\r') {
                return Some(out);
            }
            data.extend_from_slice(pad);
        }
        None
    }
}

fn indirect(out: &mut Vec<u8>, (id, generation): ObjectId, object: &Object) {
    number(out, i64::from(id));
    out.push(b' ');
    number(out, i64::from(generation));
    out.extend_from_slice(b" obj\n");
    value(out, object);
    out.extend_from_slice(b"\nendobj\n");
}

fn write_stream(out: &mut Vec<u8>, (id, generation): ObjectId, dict: &Dictionary, data: &[u8]) {
    let mut dict = dict.clone();
    dict.set("Length", data.len() as i64);
    number(out, i64::from(id));
    out.push(b' ');
    number(out, i64::from(generation));
    out.extend_from_slice(b" obj\n");
    value(out, &Object::Dictionary(dict));
    out.extend_from_slice(b"\nstream\n");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
}

/// Whether `object` starts with a regular character (a number, `true`,
/// `null`, a reference), so it needs a space after whatever came before;
/// names, strings, arrays and dictionaries start with a delimiter.
fn bare(object: &Object) -> bool {
    matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
            | Object::Stream(_)
    )
}

/// A direct value, with a space between tokens only where one is needed.
fn value(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(true) => out.extend_from_slice(b"true"),
        Object::Boolean(false) => out.extend_from_slice(b"false"),
        Object::Integer(v) => number(out, *v),
        Object::Real(v) => real(out, *v),
        Object::Name(name) => self::name(out, name),
        Object::String(bytes, StringFormat::Literal) => {
            out.push(b'(');
            for &b in bytes {
                match b {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::String(bytes, StringFormat::Hexadecimal) => {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push(b'<');
            for &b in bytes {
                out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && bare(item) {
                    out.push(b' ');
                }
                value(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend_from_slice(b"<<");
            for (key, item) in dict {
                name(out, key);
                if bare(item) {
                    out.push(b' ');
                }
                value(out, item);
            }
            out.extend_from_slice(b">>");
        }
        // A stream is never a direct value; written as null rather than
        // producing a file no reader accepts.
        Object::Stream(_) => out.extend_from_slice(b"null"),
        Object::Reference((id, generation)) => {
            number(out, i64::from(*id));
            out.push(b' ');
            number(out, i64::from(*generation));
            out.extend_from_slice(b" R");
        }
    }
}

/// A name, delimiters, whitespace and bytes outside `!`..`~` as `#XX`.
fn name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b"()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.extend_from_slice(&[b'#', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        } else {
            out.push(b);
        }
    }
}

fn number(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[at..]);
}

/// A real as PDF wants it: the shortest decimal that reads back as the same
/// `f32` (Rust never writes an exponent here), `-0` and non-finite as 0.
fn real(out: &mut Vec<u8>, v: f32) {
    if !v.is_finite() || v == 0.0 {
        out.push(b'0');
        return;
    }
    out.extend_from_slice(v.to_string().as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(o: &Object) -> String {
        let mut out = Vec::new();
        value(&mut out, o);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn values_are_written_as_pdf_syntax() {
        assert_eq!(text(&Object::Integer(-42)), "-42");
        assert_eq!(text(&Object::Real(841.89)), "841.89");
        assert_eq!(text(&Object::Real(-0.0001)), "-0.0001");
        assert_eq!(text(&Object::Real(3.0)), "3");
        assert_eq!(text(&Object::Name(b"A B#".to_vec())), "/A#20B#23");
        assert_eq!(text(&Object::string_literal("a(b)\\")), "(a\\(b\\)\\\\)");
        let mut raw = Vec::new();
        value(&mut raw, &Object::String(vec![0xfe, 0x0d], StringFormat::Literal));
        assert_eq!(raw, b"(\xfe\\r)");
        assert_eq!(text(&Object::String(vec![0xab, 1], StringFormat::Hexadecimal)), "<AB01>");
        let mut d = Dictionary::new();
        d.set("K", vec![Object::Reference((12, 0)), 3.into()]);
        d.set("S", "P");
        assert_eq!(text(&Object::Dictionary(d)), "<</K[12 0 R 3]/S/P>>");
    }

    #[test]
    fn deflated_data_never_ends_in_a_carriage_return() {
        // Find an input whose deflated form ends in CR (its checksum's last byte).
        let ends_in_cr = (0..10_000)
            .map(|i: u32| format!("q {} Q", i * 7).into_bytes().repeat(1 + i as usize % 5))
            .find(|data| Deflater::new().deflate(data).unwrap().last() == Some(&b'\r'))
            .expect("one in 256 does");
        let mut data = ends_in_cr.clone();
        let out = Deflater::new().deflate_padded(&mut data, b" ").unwrap();
        assert_ne!(out.last(), Some(&b'\r'));
        assert_eq!(&data[..ends_in_cr.len()], &ends_in_cr[..]);
        assert!(data.len() > ends_in_cr.len());
    }
}
