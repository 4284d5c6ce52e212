//! A small, bounded XML element tree for the feed adapters (RSS 2.0, Atom, WordPress WXR),
//! read with quick-xml's pull parser.
//!
//! What makes it safe on hostile input:
//! - entities are never expanded: a document whose DTD declares entities (`<!ENTITY`, the
//!   billion-laughs bomb: a few hundred bytes that expand to gigabytes) is refused whole, and
//!   only XML's five predefined entities and character references are resolved (any other
//!   `&name;` stays as written);
//! - nesting is bounded ([`MAX_DEPTH`]) and so is the number of elements ([`MAX_ELEMENTS`]),
//!   so the tree is at most a small multiple of the document, which ingestion has already
//!   bounded in bytes;
//! - nothing is fetched: a DTD's external subset, `xml:base` and schema locations are text.
//!
//! Names are qualified by namespace, not by the prefix a file happens to use: elements of the
//! namespaces feeds use get their conventional prefix ([`NAMESPACES`]: `slash:comments`,
//! `wfw:commentRss`, `content:encoded`, `dc:creator`, `thr:total`, `wp:post_id`, Atom's
//! `atom:entry`), names in no namespace are their local name (`item`, `pubDate`), names in
//! any other namespace are `{uri}local`, and names with an undeclared prefix are kept as
//! written. Attributes keep their names as written.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

/// Deepest nesting read. Feeds nest about six deep (`rss/channel/item/wp:comment/...`).
pub const MAX_DEPTH: usize = 64;
/// Most elements in one document (about 100 bytes of tree each), and at most one per
/// [`BYTES_PER_ELEMENT`] bytes of it beyond the first 10,000: a real feed spends far more on
/// an element (its tags and text), so the tree stays a small multiple of the document.
pub const MAX_ELEMENTS: usize = 4_000_000;
/// See [`MAX_ELEMENTS`].
pub const BYTES_PER_ELEMENT: usize = 32;

/// Known namespaces and the prefix their elements are named with.
pub const NAMESPACES: &[(&str, &str)] = &[
    ("http://www.w3.org/2005/Atom", "atom"),
    ("http://purl.org/atom/ns#", "atom"),
    ("http://purl.org/rss/1.0/modules/content/", "content"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://purl.org/rss/1.0/modules/slash/", "slash"),
    ("http://wellformedweb.org/CommentAPI/", "wfw"),
    ("http://purl.org/syndication/thread/1.0", "thr"),
    ("http://search.yahoo.com/mrss/", "media"),
    ("http://wordpress.org/export/1.0/", "wp"),
    ("http://wordpress.org/export/1.1/", "wp"),
    ("http://wordpress.org/export/1.2/", "wp"),
    ("http://wordpress.org/export/1.0/excerpt/", "excerpt"),
    ("http://wordpress.org/export/1.1/excerpt/", "excerpt"),
    ("http://wordpress.org/export/1.2/excerpt/", "excerpt"),
    ("http://a9.com/-/spec/opensearchrss/1.0/", "openSearch"),
    ("http://a9.com/-/spec/opensearch/1.1/", "openSearch"),
];

/// One element: its name (see the module doc), attributes as written (values unescaped),
/// its direct text (text and CDATA of the element itself, not of its children) and children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`, in document order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child named `name`, when it has any.
    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .map(String::from)
    }

    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The element written back as compact XML-like text, for a quarantined record's `raw`
    /// (bounded by `max` bytes, cut at a character boundary).
    pub fn raw(&self, max: usize) -> String {
        let mut out = String::new();
        self.write_raw(&mut out, max);
        if out.len() > max {
            let mut cut = max;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
        }
        out
    }

    fn write_raw(&self, out: &mut String, max: usize) {
        if out.len() > max {
            return;
        }
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push_str(&format!(
                " {k}=\"{}\"",
                quick_xml::escape::escape(v.as_str())
            ));
        }
        out.push('>');
        out.push_str(&quick_xml::escape::escape(self.text.as_str()));
        for c in &self.children {
            c.write_raw(out, max);
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

/// Why a document is not a usable XML tree.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum XmlError {
    /// Not well-formed XML, with the byte offset where the parser stopped.
    #[error("not well-formed XML at byte {offset}: {detail}")]
    Malformed { offset: u64, detail: String },
    /// The document ends inside an element.
    #[error("the XML document ends inside <{open}> (cut short?)")]
    Truncated { open: String },
    /// The DTD declares entities, which are never expanded.
    #[error(
        "the document's DTD declares entities (<!ENTITY ...>), which microscout never expands \
         (a few declared entities can expand to gigabytes: the billion-laughs attack); remove \
         the DOCTYPE, or export the feed again"
    )]
    EntityDeclarations,
    #[error("XML nested more than {MAX_DEPTH} elements deep")]
    TooDeep,
    #[error(
        "more XML elements than a document of its size holds (at most one per \
         {BYTES_PER_ELEMENT} bytes, and {MAX_ELEMENTS} in all): an element bomb, or an export \
         to split"
    )]
    TooManyElements,
    #[error("no root element: the document holds no XML element")]
    Empty,
    /// Not text in an encoding microscout reads.
    #[error("{0}")]
    Encoding(String),
}

/// Windows-1252's characters for bytes 0x80-0x9F (ISO-8859-1 has control codes there, which
/// feeds labelled ISO-8859-1 almost never mean).
const CP1252: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The document as text: UTF-8 (with or without a byte-order mark), or ISO-8859-1 /
/// Windows-1252 when its XML declaration says so (older feeds). Anything else is an error
/// that says what to do.
pub fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, XmlError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(XmlError::Encoding(
            "the document is UTF-16: export it again as UTF-8".into(),
        ));
    }
    let head = &bytes[..bytes.len().min(200)];
    let declared = head
        .starts_with(b"<?xml")
        .then(|| {
            let end = head.windows(2).position(|w| w == b"?>")?;
            let decl = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
            let at = decl.find("encoding")?;
            let rest = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
            // The value is quoted with ' or "; anything else is no declaration we read.
            let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
            let value: String = rest[quote.len_utf8()..]
                .chars()
                .take_while(|c| *c != quote)
                .collect();
            Some(value)
        })
        .flatten();
    match declared.as_deref() {
        None | Some("utf-8" | "utf8" | "us-ascii" | "ascii") => std::str::from_utf8(bytes)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| {
                XmlError::Encoding(format!(
                    "not UTF-8 (byte {} is not part of a UTF-8 character); an XML document \
                     in another encoding must say so in its declaration",
                    e.valid_up_to()
                ))
            }),
        Some("iso-8859-1" | "latin1" | "latin-1" | "windows-1252" | "cp1252") => Ok(bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252[(b - 0x80) as usize],
                _ => b as char,
            })
            .collect::<String>()
            .into()),
        Some(other) => Err(XmlError::Encoding(format!(
            "the document is in the {other} encoding, which microscout does not read: export \
             it again as UTF-8"
        ))),
    }
}

fn qualified(ns: &ResolveResult<'_>, qname: &[u8], local: &[u8]) -> String {
    let local = String::from_utf8_lossy(local);
    match ns {
        ResolveResult::Unbound => local.into_owned(),
        ResolveResult::Bound(n) => {
            let uri = String::from_utf8_lossy(n.as_ref());
            // One lookup, `#` or not at the end (Atom 0.3's URI has it).
            let key = uri.trim_end_matches('#');
            match NAMESPACES
                .iter()
                .find(|(u, _)| u.trim_end_matches('#') == key)
            {
                Some((_, prefix)) => format!("{prefix}:{local}"),
                // Named by its namespace, so that an unknown one bound to a known prefix
                // (`atom:`) is not taken for it.
                None => format!("{{{uri}}}{local}"),
            }
        }
        ResolveResult::Unknown(_) => String::from_utf8_lossy(qname).into_owned(),
    }
}

fn element(ns: &ResolveResult<'_>, e: &BytesStart<'_>) -> Element {
    let name = qualified(ns, e.name().as_ref(), e.local_name().as_ref());
    let attrs = e
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = match a.unescape_value() {
                Ok(v) => v.into_owned(),
                Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
            };
            (key, value)
        })
        .collect();
    Element {
        name,
        attrs,
        ..Default::default()
    }
}

/// A finished element: a child of the open one, else the root.
fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

/// Parses a whole document into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements = 0usize;
    let max_elements = MAX_ELEMENTS.min(10_000 + text.len() / BYTES_PER_ELEMENT);
    let malformed = |reader: &NsReader<&[u8]>, detail: String| XmlError::Malformed {
        offset: reader.error_position(),
        detail,
    };
    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok(x) => x,
            Err(e) => return Err(malformed(&reader, e.to_string())),
        };
        // An element that stays open for its children (not `<x/>`).
        let opens = matches!(event, Event::Start(_));
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() && stack.is_empty() => {
                return Err(malformed(
                    &reader,
                    "a second root element after the document's end".into(),
                ));
            }
            Event::Start(e) | Event::Empty(e) => {
                elements += 1;
                if elements > max_elements {
                    return Err(XmlError::TooManyElements);
                }
                let el = element(&ns, &e);
                if opens {
                    if stack.len() >= MAX_DEPTH {
                        return Err(XmlError::TooDeep);
                    }
                    stack.push(el);
                } else {
                    attach(&mut stack, &mut root, el);
                }
            }
            Event::End(_) => {
                let done = stack.pop().expect("quick-xml checks end names");
                attach(&mut stack, &mut root, done);
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    match t.decode() {
                        Ok(s) => top.text.push_str(&s),
                        Err(e) => return Err(malformed(&reader, e.to_string())),
                    }
                } else if !t.iter().all(u8::is_ascii_whitespace) {
                    return Err(malformed(&reader, "text outside the root element".into()));
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&c));
                }
            }
            Event::GeneralRef(r) => {
                let Some(top) = stack.last_mut() else {
                    continue;
                };
                match r.resolve_char_ref() {
                    Ok(Some(ch)) => top.text.push(ch),
                    Ok(None) => {
                        let name = String::from_utf8_lossy(&r).into_owned();
                        match quick_xml::escape::resolve_xml_entity(&name) {
                            Some(s) => top.text.push_str(s),
                            // Undeclared (or declared, which is refused above): as written.
                            None => {
                                top.text.push('&');
                                top.text.push_str(&name);
                                top.text.push(';');
                            }
                        }
                    }
                    Err(e) => return Err(malformed(&reader, e.to_string())),
                }
            }
            Event::DocType(d) => {
                if d.windows(8).any(|w| w.eq_ignore_ascii_case(b"<!ENTITY")) {
                    return Err(XmlError::EntityDeclarations);
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.first() {
        return Err(XmlError::Truncated {
            open: open.name.clone(),
        });
    }
    root.ok_or(XmlError::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_namespaces_not_prefixes() {
        let doc = r#"<rss xmlns:s="http://purl.org/rss/1.0/modules/slash/" xmlns:x="urn:other"><channel><item><s:comments>4</s:comments><x:y>1</x:y></item></channel></rss>"#;
        let root = parse(doc).unwrap();
        let item = root.child("channel").unwrap().child("item").unwrap();
        assert_eq!(item.text_of("slash:comments").as_deref(), Some("4"));
        assert_eq!(item.text_of("{urn:other}y").as_deref(), Some("1"));
        // An unknown namespace bound to a known prefix is not that namespace.
        let fake = parse(r#"<a:feed xmlns:a="urn:not-atom"/>"#).unwrap();
        assert_eq!(fake.name, "{urn:not-atom}feed");
        let atom = parse(r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>"#).unwrap();
        assert_eq!(atom.name, "atom:feed");
        assert_eq!(atom.children[0].name, "atom:entry");
    }

    #[test]
    fn text_joins_cdata_and_references_but_expands_nothing_declared() {
        let root = parse("<a>x &amp; y &#233; <![CDATA[<b>bold</b>]]> &nbsp;z</a>").unwrap();
        assert_eq!(root.text, "x & y é <b>bold</b> &nbsp;z");
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>"#;
        assert_eq!(parse(bomb), Err(XmlError::EntityDeclarations));
        // A DTD without entity declarations (RSS 0.91's) is fine.
        let rss091 = r#"<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss/>"#;
        assert!(parse(rss091).is_ok());
    }

    #[test]
    fn encodings() {
        assert_eq!(decode("\u{feff}<a>é</a>".as_bytes()).unwrap(), "<a>é</a>");
        let latin = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xe9 \x93x\x94</a>";
        assert_eq!(
            decode(latin).unwrap(),
            "<?xml version='1.0' encoding='ISO-8859-1'?><a>café “x”</a>"
        );
        assert!(matches!(
            decode(b"<a>caf\xe9</a>"),
            Err(XmlError::Encoding(_))
        ));
        // A declaration whose value is not quoted, or starts with a multi-byte character.
        for doc in [
            &b"<?xml encoding=\xff?><a/>"[..],
            "<?xml encoding=é?><a/>".as_bytes(),
        ] {
            let _ = decode(doc);
        }
        assert!(matches!(
            decode(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a/>"),
            Err(XmlError::Encoding(m)) if m.contains("shift_jis")
        ));
    }

    #[test]
    fn element_bombs_are_bounded_by_the_documents_size() {
        let bomb = format!("<rss>{}</rss>", "<i/>".repeat(20_000));
        assert_eq!(parse(&bomb), Err(XmlError::TooManyElements));
        let fine = format!(
            "<rss>{}</rss>",
            "<i>a real item's text here</i>".repeat(20_000)
        );
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn bounded_depth_and_damage_are_errors() {
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep), Err(XmlError::TooDeep));
        let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        assert!(matches!(
            parse("<a><b></a>"),
            Err(XmlError::Malformed { .. })
        ));
        assert!(matches!(
            parse("<a><b>text"),
            Err(XmlError::Truncated { .. })
        ));
        assert_eq!(parse("  "), Err(XmlError::Empty));
        assert!(matches!(parse("<a/><b/>"), Err(XmlError::Malformed { .. })));
    }

    use proptest::prelude::*;

    /// A tree of elements with text that needs escaping.
    fn tree() -> impl Strategy<Value = Element> {
        let name = prop::sample::select(vec!["item", "title", "channel", "a", "b-c", "x_1"]);
        let text = "[a-zé &<>\"'\u{1F600}]{0,12}";
        let leaf = (
            name.clone(),
            text,
            prop::collection::vec(("[a-z]{1,4}", text), 0..3),
        )
            .prop_map(|(name, text, attrs)| {
                let mut attrs: Vec<(String, String)> = attrs;
                attrs.sort();
                attrs.dedup_by(|a, b| a.0 == b.0);
                Element {
                    name: name.to_string(),
                    attrs,
                    text,
                    children: Vec::new(),
                }
            });
        leaf.prop_recursive(4, 40, 5, move |inner| {
            (
                name.clone(),
                "[a-z &<]{0,6}",
                prop::collection::vec(inner, 0..5),
            )
                .prop_map(|(name, text, children)| Element {
                    name: name.to_string(),
                    attrs: Vec::new(),
                    text,
                    children,
                })
        })
    }

    /// Writes a tree as XML: text escaped (some of it as character references) or in CDATA.
    fn write(e: &Element, out: &mut String, cdata: bool) {
        out.push('<');
        out.push_str(&e.name);
        for (k, v) in &e.attrs {
            out.push_str(&format!(
                " {k}=\"{}\"",
                quick_xml::escape::escape(v.as_str())
            ));
        }
        out.push('>');
        // The element's own text first, then its children (the tree joins its own text).
        if cdata {
            out.push_str(&format!("<![CDATA[{}]]>", e.text));
        } else {
            out.push_str(&quick_xml::escape::escape(e.text.as_str()).replace('é', "&#233;"));
        }
        for c in &e.children {
            write(c, out, !cdata);
        }
        out.push_str(&format!("</{}>", e.name));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn written_trees_read_back_the_same(t in tree(), cdata in any::<bool>()) {
            let mut doc = String::from("<?xml version=\"1.0\"?>\n");
            write(&t, &mut doc, cdata);
            prop_assert_eq!(parse(&doc).unwrap(), t);
        }

        #[test]
        fn any_bytes_are_a_tree_or_a_reason(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            match decode(&bytes) {
                Ok(text) => match parse(&text) {
                    Ok(root) => {
                        for adapter in crate::native::Adapter::ALL {
                            let (rows, rejects) = crate::native::feed::map(adapter, &root);
                            for r in rows {
                                prop_assert_eq!(r.values.len(), r.table.columns().len());
                            }
                            prop_assert!(rejects.iter().all(|r| !r.reason.is_empty()));
                        }
                    }
                    Err(e) => prop_assert!(!e.to_string().is_empty()),
                },
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }

        #[test]
        fn xml_like_text_is_a_tree_or_a_reason(
            s in "(<[a-z:]{1,3}( [a-z]=\"[a-z&;]{0,3}\")?/?>|</[a-z:]{1,3}>|[a-z &;#0-9]{0,4}|<!\\[CDATA\\[x\\]\\]>|<!DOCTYPE x>){0,30}"
        ) {
            match parse(&s) {
                Ok(root) => prop_assert!(!root.name.is_empty()),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}
