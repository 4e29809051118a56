//! The XMP metadata packet: the Info dictionary's fields again (PDF/A wants
//! both, and equal), the document's language, and the claims of conformance
//! (PDF/A-2 level A, PDF/UA-1) with the extension schema PDF/A asks for the
//! PDF/UA identification.

use brief_core::escape::xml as escape;
use brief_core::frame::Meta;

/// What the packet says the document is made with; the Info dictionary's
/// `Producer` and `Creator` say the same.
pub(super) const PRODUCER: &str = "brief";

/// The packet for `meta`, `created` as an XMP date (`2021-07-05T00:00:00Z`).
pub(super) fn packet(meta: &Meta, created: &str) -> String {
    let mut out = String::with_capacity(2048);
    out.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    out.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    out.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    out.push_str(concat!(
        "<rdf:Description rdf:about=\"\"",
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
        " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"",
        " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"",
        " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"",
        " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"",
        " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"",
        " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"",
        " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n",
    ));
    out.push_str("<dc:format>application/pdf</dc:format>\n");
    if !meta.title.is_empty() {
        alt(&mut out, "dc:title", &meta.title);
    }
    if !meta.author.is_empty() {
        out.push_str(&format!(
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            escape(&meta.author)
        ));
    }
    if !meta.subject.is_empty() {
        alt(&mut out, "dc:description", &meta.subject);
    }
    if !meta.language.is_empty() {
        out.push_str(&format!(
            "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
            escape(&meta.language)
        ));
    }
    for key in ["xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"] {
        out.push_str(&format!("<{key}>{created}</{key}>\n"));
    }
    out.push_str(&format!("<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>\n"));
    out.push_str(&format!("<pdf:Producer>{PRODUCER}</pdf:Producer>\n"));
    if !meta.keywords.is_empty() {
        let keywords = escape(&meta.keywords.join(", "));
        out.push_str(&format!("<pdf:Keywords>{keywords}</pdf:Keywords>\n"));
    }
    // PDF/A-2 allows no embedded file but a PDF/A one: a PDF that carries
    // its brief's source (`--embed-source`, an associated JSON file) is
    // PDF/A-3a, which allows it.
    let part = if meta.embedded.is_some() { 3 } else { 2 };
    out.push_str(&format!(
        "<pdfaid:part>{part}</pdfaid:part>\n<pdfaid:conformance>A</pdfaid:conformance>\n"
    ));
    out.push_str("<pdfuaid:part>1</pdfuaid:part>\n");
    out.push_str(concat!(
        "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n",
        "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n",
        "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n",
        "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n",
        "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n",
        "<pdfaProperty:name>part</pdfaProperty:name>\n",
        "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n",
        "<pdfaProperty:category>internal</pdfaProperty:category>\n",
        "<pdfaProperty:description>Part of ISO 14289 the document conforms to</pdfaProperty:description>\n",
        "</rdf:li></rdf:Seq></pdfaSchema:property>\n",
        "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n",
    ));
    out.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
    out
}

/// A language alternative with only the default entry.
fn alt(out: &mut String, key: &str, text: &str) {
    out.push_str(&format!(
        "<{key}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></{key}>\n",
        escape(text)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packet_escapes_and_claims_both_standards() {
        let meta = Meta {
            title: "Trade & <growth>".into(),
            author: "Desk".into(),
            subject: "S".into(),
            keywords: vec!["AZ".into(), "KG".into()],
            created: 0,
            language: "az".into(),
            embedded: None,
        };
        let p = packet(&meta, "2021-07-05T00:00:00Z");
        assert!(p.contains("<pdfaid:part>2</pdfaid:part>"));
        let with_source = Meta { embedded: Some(b"{}".to_vec()), ..meta.clone() };
        assert!(
            packet(&with_source, "2021-07-05T00:00:00Z").contains("<pdfaid:part>3</pdfaid:part>")
        );
        assert!(p.contains("<rdf:li xml:lang=\"x-default\">Trade &amp; &lt;growth&gt;</rdf:li>"));
        assert!(p.contains("<dc:language><rdf:Bag><rdf:li>az</rdf:li></rdf:Bag></dc:language>"));
        assert!(p.contains("<xmp:CreateDate>2021-07-05T00:00:00Z</xmp:CreateDate>"));
        assert!(p.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert!(p.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
        assert!(p.contains("<pdf:Keywords>AZ, KG</pdf:Keywords>"));
    }
}
