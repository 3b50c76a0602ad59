//! .html/.htm: the visible text, one block element per line. `script`, `style`, `noscript`,
//! `template`, `head` and `svg` are dropped; runs of white space collapse to one space, and a
//! space left between two CJK characters (a line break in the source) is removed. The charset is
//! taken from the BOM, then `<meta charset>` / `http-equiv`, then the bytes (UTF-8 or detected:
//! Chinese government sites still serve GB2312).

use std::path::Path;

use scraper::{Html, Node};

use super::{RawText, Warning, is_cjk};
use crate::error::{Error, Result};

pub(crate) fn extract(path: &Path, bytes: &[u8]) -> Result<RawText> {
    let not_text = |reason: String| Error::NotText {
        path: path.to_path_buf(),
        reason,
    };
    let (source, encoding, mut warnings) = decode_html(bytes).map_err(not_text)?;
    let (source, crowded) = drop_crowded_attributes(&source);
    if crowded > 0 {
        warnings.push(Warning::Skipped(format!(
            "the attributes of {crowded} element(s) with more than {MAX_ATTRIBUTES} of them \
             (attributes hold no text)"
        )));
    }
    let doc = Html::parse_document(&source);
    let mut walker = Walker {
        out: String::with_capacity(source.len() / 2),
        pre: 0,
    };
    walker.visit(doc.tree.root());
    let title = doc
        .select(&scraper::Selector::parse("title").expect("static selector"))
        .next()
        .map(|t| collapse(&t.text().collect::<String>()));
    let mut text = String::with_capacity(walker.out.len());
    for line in walker.out.lines() {
        let line = line.trim_matches(|c: char| c == ' ' || c == '\t');
        if !line.is_empty() {
            text.push_str(line);
            text.push('\n');
        }
    }
    Ok(RawText {
        text,
        encoding: Some(encoding),
        title,
        author: None,
        created_year: None,
        warnings,
    })
}

fn decode_html(bytes: &[u8]) -> std::result::Result<(String, &'static str, Vec<Warning>), String> {
    if let Some((enc, len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[len..]);
        return Ok((s.into_owned(), enc.name(), Vec::new()));
    }
    if let Some(enc) = declared_charset(bytes) {
        let enc = if enc == encoding_rs::GBK || enc == encoding_rs::GB18030 {
            encoding_rs::GB18030
        } else {
            enc
        };
        let (s, had_errors) = enc.decode_without_bom_handling(bytes);
        let mut warnings = Vec::new();
        if had_errors {
            warnings.push(Warning::InvalidBytes {
                encoding: enc.name(),
                replaced: s.matches('\u{FFFD}').count(),
            });
        }
        return Ok((s.into_owned(), enc.name(), warnings));
    }
    let d = super::decode::decode(bytes)?;
    Ok((d.text, d.encoding, d.warnings))
}

/// The charset named in the first 4 KB: `<meta charset="gb2312">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset")?;
    let rest = head[at + "charset".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Attributes on one element beyond which they are dropped before parsing. html5ever checks each
/// new attribute of an element against all the earlier ones, so an element with n of them costs
/// n² (374,000 attributes in an 11 MB file took 143 s). The reader uses no attribute — the text is
/// in the elements' content and the charset is read from the bytes — so nothing is lost.
const MAX_ATTRIBUTES: usize = 1000;

/// `source` with the attributes removed from every start tag that has more than
/// [`MAX_ATTRIBUTES`], and how many tags lost them; borrowed when none did. One linear pass that
/// finds tags as an HTML tokenizer does: comments, doctypes and end tags are passed over, and so is
/// the raw text of `script`, `style`, `textarea`, `title` and the like up to its end tag, so a `<`
/// inside them is no tag.
fn drop_crowded_attributes(source: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let b = source.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut crowded, mut i) = (0, 0, 0);
    while let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|o| i + o) {
        let after = &b[lt + 1..];
        if after.starts_with(b"!--") {
            i = memchr::memmem::find(&b[lt + 4..], b"-->").map_or(b.len(), |e| lt + 4 + e + 3);
            continue;
        }
        match after.first() {
            Some(b'!' | b'?' | b'/') => {
                i = memchr::memchr(b'>', after).map_or(b.len(), |e| lt + 1 + e + 1);
                continue;
            }
            Some(c) if c.is_ascii_alphabetic() => {}
            _ => {
                i = lt + 1;
                continue;
            }
        }
        let name_end = after
            .iter()
            .position(|&c| is_html_space(c) || c == b'/' || c == b'>')
            .map_or(b.len(), |e| lt + 1 + e);
        let (end, attributes) = scan_attributes(b, name_end);
        if attributes > MAX_ATTRIBUTES {
            let out = out.get_or_insert_with(|| String::with_capacity(source.len()));
            out.push_str(&source[copied..name_end]);
            out.push_str(if source[..end].ends_with("/>") {
                "/>"
            } else {
                ">"
            });
            copied = end;
            crowded += 1;
        }
        i = end;
        let name = source[lt + 1..name_end].to_ascii_lowercase();
        if name == "plaintext" {
            break;
        }
        if matches!(
            name.as_str(),
            "script"
                | "style"
                | "textarea"
                | "title"
                | "xmp"
                | "iframe"
                | "noembed"
                | "noframes"
                | "noscript"
        ) {
            i = find_end_tag(b, i, name.as_bytes()).unwrap_or(b.len());
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&source[copied..]);
            (std::borrow::Cow::Owned(out), crowded)
        }
        None => (std::borrow::Cow::Borrowed(source), 0),
    }
}

fn is_html_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

/// The attributes of a start tag whose name ends at `at`: where the tag ends (after its `>`, or
/// the end of the text) and how many attributes it has, read as the HTML tokenizer reads them.
fn scan_attributes(b: &[u8], mut at: usize) -> (usize, usize) {
    let mut count = 0;
    loop {
        while at < b.len() && (is_html_space(b[at]) || b[at] == b'/') {
            at += 1;
        }
        match b.get(at) {
            None => return (b.len(), count),
            Some(b'>') => return (at + 1, count),
            Some(_) => {}
        }
        // A name (its first character may be `=`), then an optional value.
        at += 1;
        while at < b.len() && !(is_html_space(b[at]) || matches!(b[at], b'/' | b'>' | b'=')) {
            at += 1;
        }
        count += 1;
        while at < b.len() && is_html_space(b[at]) {
            at += 1;
        }
        if b.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while at < b.len() && is_html_space(b[at]) {
            at += 1;
        }
        match b.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                at = memchr::memchr(quote, &b[at + 1..]).map_or(b.len(), |e| at + 1 + e + 1);
            }
            _ => {
                while at < b.len() && !is_html_space(b[at]) && b[at] != b'>' {
                    at += 1;
                }
            }
        }
    }
}

/// Where `</name` (in any case) starts at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(o) = memchr::memmem::find(&b[at..], b"</") {
        let start = at + o;
        let candidate = &b[start + 2..];
        if candidate.len() >= name.len() && candidate[..name.len()].eq_ignore_ascii_case(name) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

struct Walker {
    out: String,
    pre: usize,
}

impl Walker {
    /// Walks the tree without recursion (a file of 20,000 nested `<div>`s must not overflow the
    /// reading thread's stack), skipping the subtrees of elements that show no text.
    fn visit(&mut self, root: ego_tree::NodeRef<'_, Node>) {
        use ego_tree::iter::Edge;
        let mut skipping: Option<ego_tree::NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => {
                            if self.pre > 0 {
                                self.out.push_str(t);
                            } else {
                                self.push_collapsed(t);
                            }
                        }
                        Node::Element(e) => {
                            let name = e.name();
                            if is_hidden(name) {
                                skipping = Some(node.id());
                            } else if name == "br" {
                                self.out.push('\n');
                            } else {
                                if is_block(name) {
                                    self.out.push('\n');
                                }
                                if name == "pre" {
                                    self.pre += 1;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skipping {
                        if id == node.id() {
                            skipping = None;
                        }
                        continue;
                    }
                    if let Node::Element(e) = node.value() {
                        let name = e.name();
                        if name == "pre" {
                            self.pre = self.pre.saturating_sub(1);
                        }
                        if is_block(name) {
                            self.out.push('\n');
                        } else if matches!(name, "td" | "th") {
                            self.out.push('\t');
                        }
                    }
                }
            }
        }
    }

    fn push_collapsed(&mut self, t: &str) {
        for c in t.chars() {
            if c.is_ascii_whitespace() {
                if !self.out.ends_with([' ', '\n', '\t']) && !self.out.is_empty() {
                    self.out.push(' ');
                }
            } else {
                // A space from a source line break between two CJK characters is not a space.
                if is_cjk(c) && self.out.ends_with(' ') {
                    let before = self.out[..self.out.len() - 1].chars().next_back();
                    if before.is_some_and(is_cjk) {
                        self.out.pop();
                    }
                }
                self.out.push(c);
            }
        }
    }
}

/// Elements whose content is not shown as text.
fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "svg" | "iframe" | "object"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tr"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "blockquote"
            | "pre"
            | "hr"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "address"
            | "center"
            | "body"
            | "title"
    )
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_by_block() {
        let html = "<html><head><title>2023年度 对照检查材料</title><style>p{}</style></head><body>\
            <script>var x='不要';</script><h1>一、关于个人</h1><p>多年来，本人\n  始终严格<b>按照</b>规定。</p>\
            <div>Hello   world<br>第二行</div><table><tr><td>甲</td><td>乙</td></tr></table></body></html>";
        let raw = extract(Path::new("a.html"), html.as_bytes()).unwrap();
        assert_eq!(
            raw.text,
            "一、关于个人\n多年来，本人始终严格按照规定。\nHello world\n第二行\n甲\t乙\n"
        );
        assert_eq!(raw.title.as_deref(), Some("2023年度 对照检查材料"));
    }

    #[test]
    fn an_element_with_very_many_attributes_reads_and_loses_only_them() {
        let attributes: String = (0..5_000).map(|i| format!(" data-a{i}=\"v{i}\"")).collect();
        let html = format!(
            "<html><head><title>标题</title><script>if (a<b) {{ x = '<p {attributes}>'; }}</script>\
             </head><body><!-- <div {attributes}> --><div{attributes}>两个确立</div>\
             <p class=\"x\">第二段</p><img{attributes}/><p>第三段</p></body></html>"
        );
        let (stripped, crowded) = drop_crowded_attributes(&html);
        assert_eq!(
            crowded, 2,
            "the div and the img; not the comment, not the script"
        );
        assert!(stripped.contains("<div>两个确立</div>") && stripped.contains("<img/>"));
        assert!(
            stripped.contains("<p class=\"x\">"),
            "a tag with few attributes is as it was"
        );
        assert_eq!(
            stripped.matches("data-a4999=").count(),
            2,
            "the script's text and the comment are untouched"
        );
        let raw = extract(Path::new("a.html"), html.as_bytes()).unwrap();
        assert_eq!(raw.text, "两个确立\n第二段\n第三段\n");
        assert_eq!(raw.title.as_deref(), Some("标题"));
        assert_eq!(raw.warnings.len(), 1, "{:?}", raw.warnings);
        let plain = "<p a=\"1\" b='2' c=3 d>正文</p>";
        assert!(matches!(
            drop_crowded_attributes(plain),
            (std::borrow::Cow::Borrowed(_), 0)
        ));
    }

    #[test]
    fn meta_charset_gbk() {
        let body = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>两个确立</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(body);
        let raw = extract(Path::new("a.htm"), &bytes).unwrap();
        assert_eq!(raw.text, "两个确立\n");
        assert_eq!(raw.encoding, Some("gb18030"));
    }
}
