//! .docx: the paragraphs of `word/document.xml` in document order, tables included, one paragraph
//! per line. Runs (`w:t`) are joined, `w:tab` is a tab, `w:br`/`w:cr` a line break. Deleted text
//! of tracked changes (`w:delText`), field codes (`w:instrText`) and the fallback copy of text
//! boxes (`mc:Fallback`) are left out, so nothing appears twice.
//!
//! Automatic numbering (`word/numbering.xml`, list and heading styles) is written out as the text
//! Word shows, `一、` `（一）` `1.` (see [`numbering`]).
//!
//! Footnotes and endnotes (`word/footnotes.xml`, `word/endnotes.xml`) follow the body, each
//! paragraph marked ［注］, as the PDF reader marks them; the body's reference marks are left out.
//! The core properties (`docProps/core.xml`: dc:title, dc:creator, dcterms:created) are handed to
//! the metadata resolver.
//!
//! Zip bombs are refused: the declared size of `document.xml` and its compression ratio are
//! checked before inflating, and inflation stops at the limit whatever the header says.

mod numbering;

use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::events::Event;

use self::numbering::{Numbering, ParagraphNumbering};
use super::{RawText, Warning};
use crate::error::{Cause, Error, Result};

/// `document.xml` larger than this once inflated is refused.
const MAX_XML_BYTES: u64 = 256 << 20;
/// A `document.xml` above this size must not inflate more than [`MAX_RATIO`] times.
const RATIO_CHECK_ABOVE: u64 = 16 << 20;
/// Real Word XML compresses 5–30×; zip bombs do 1,000× and more.
const MAX_RATIO: u64 = 200;

pub(crate) fn extract(path: &Path, bytes: &[u8]) -> Result<RawText> {
    let err = |failure: PartFailure| Error::Docx {
        path: path.to_path_buf(),
        reason: failure.reason,
        source: failure.source,
    };
    if let Some(what) = super::decode::sniff_binary(bytes).filter(|w| !w.starts_with("a zip")) {
        return Err(err(PartFailure::new(format!("it is {what}"), None)));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        err(PartFailure::new(
            "not a valid zip container (truncated or not a .docx)",
            Some(Box::new(e)),
        ))
    })?;
    let xml = read_entry(&mut zip, "word/document.xml")
        .map_err(err)?
        .ok_or_else(|| {
            err(PartFailure::new(
                "no word/document.xml inside; is it a Word document?",
                None,
            ))
        })?;
    // Numbering is an aid to the text: a part that cannot be read leaves the numbers out, and
    // says so.
    let mut warnings = Vec::new();
    let mut part = |name: &str| match read_entry(&mut zip, name) {
        Ok(xml) => xml,
        Err(e) => {
            warnings.push(Warning::Skipped(format!("the automatic numbering: {e}")));
            None
        }
    };
    let (numbering_xml, styles_xml) = (part("word/numbering.xml"), part("word/styles.xml"));
    let mut numbering = Numbering::parse(numbering_xml.as_deref(), styles_xml.as_deref());
    let mut text = paragraphs(&xml, Some(&mut numbering)).map_err(|e| {
        err(PartFailure::new(
            "word/document.xml is malformed",
            Some(Box::new(e)),
        ))
    })?;
    // Footnotes and endnotes follow the body, one paragraph each, marked as notes; the
    // separators Word keeps among them have no text.
    for part in ["word/footnotes.xml", "word/endnotes.xml"] {
        let notes = match read_entry(&mut zip, part) {
            Ok(Some(xml)) => paragraphs(&xml, None)
                .map_err(|e| PartFailure::new(format!("{part} is malformed"), Some(Box::new(e)))),
            Ok(None) => continue,
            Err(e) => Err(e),
        };
        match notes {
            Ok(notes) => {
                for note in notes.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    text.push_str("［注］");
                    text.push_str(note);
                    text.push('\n');
                }
            }
            Err(e) => warnings.push(Warning::Skipped(format!("the notes: {e}"))),
        }
    }
    let props = read_entry(&mut zip, "docProps/core.xml")
        .ok()
        .flatten()
        .map(|xml| core_properties(&xml))
        .unwrap_or_default();
    Ok(RawText {
        text,
        encoding: None,
        title: props.title,
        author: props.creator,
        created_year: props.created_year,
        warnings,
    })
}

/// Why a part of the package cannot be read: gongwen's words, and the zip, XML or I/O error
/// underneath, kept as the error's source.
struct PartFailure {
    reason: String,
    source: Option<Cause>,
}

impl PartFailure {
    fn new(reason: impl Into<String>, source: Option<Cause>) -> PartFailure {
        PartFailure {
            reason: reason.into(),
            source,
        }
    }
}

/// The reason and its cause on one line, for a warning.
impl std::fmt::Display for PartFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

/// Inflates one part of the package, `None` when there is no such part. Zip bombs are refused.
fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> std::result::Result<Option<String>, PartFailure> {
    let mut entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(PartFailure::new(
                format!("{name} cannot be read"),
                Some(Box::new(e)),
            ));
        }
    };
    let size = entry.size();
    let compressed = entry.compressed_size().max(1);
    if size > MAX_XML_BYTES || (size > RATIO_CHECK_ABOVE && size / compressed > MAX_RATIO) {
        return Err(PartFailure::new(
            format!(
                "{name} would inflate from {compressed} to {size} bytes: refused as a zip bomb"
            ),
            None,
        ));
    }
    let mut xml = Vec::with_capacity(size.min(MAX_XML_BYTES) as usize);
    (&mut entry)
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| PartFailure::new(format!("{name} is damaged"), Some(Box::new(e))))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(PartFailure::new(
            format!("{name} inflates past the size limit: refused as a zip bomb"),
            None,
        ));
    }
    String::from_utf8(xml)
        .map(Some)
        .map_err(|e| PartFailure::new(format!("{name} is not UTF-8"), Some(Box::new(e))))
}

/// What `docProps/core.xml` says about the document.
#[derive(Debug, Default, PartialEq)]
struct CoreProperties {
    title: Option<String>,
    creator: Option<String>,
    created_year: Option<u16>,
}

/// Reads dc:title, dc:creator and the year of dcterms:created. Titles that only name the file
/// Word converted (`Microsoft Word - 材料.doc`) keep the name without the prefix and extension.
fn core_properties(xml: &str) -> CoreProperties {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut props = CoreProperties::default();
    let mut field: Option<&'static str> = None;
    let mut value = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                field = match e.local_name().as_ref() {
                    "title" => Some("title"),
                    "creator" => Some("creator"),
                    "created" => Some("created"),
                    _ => None,
                };
                value.clear();
            }
            Ok(Event::Text(t)) if field.is_some() => value.push_str(&t.xml10_content()),
            Ok(Event::End(_)) => {
                let v = value.trim();
                match field.take() {
                    Some("title") if !v.is_empty() => {
                        let v = v.strip_prefix("Microsoft Word - ").unwrap_or(v);
                        let v = [".docx", ".doc", ".wps"]
                            .iter()
                            .fold(v, |v, ext| v.strip_suffix(ext).unwrap_or(v));
                        props.title = Some(v.to_string());
                    }
                    Some("creator") if !v.is_empty() => props.creator = Some(v.to_string()),
                    Some("created") => {
                        props.created_year = v
                            .get(..4)
                            .and_then(|y| y.parse().ok())
                            .filter(|y| (1949..=2100).contains(y));
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    props
}

/// The text of WordprocessingML, one paragraph per line, each numbered paragraph opening with the
/// number `numbering` gives it.
fn paragraphs(
    xml: &str,
    mut numbering: Option<&mut Numbering>,
) -> std::result::Result<String, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::with_capacity(xml.len() / 4);
    // Depth of elements whose text is not shown (w:delText, w:instrText, mc:Fallback …).
    let mut hidden = 0usize;
    // Whether we are inside a w:t run text.
    let mut in_text = false;
    // The paragraph properties being read (depth inside w:pPr; a w:pPrChange inside holds the
    // properties before a tracked change, which are not the paragraph's).
    let mut in_props = 0usize;
    let mut in_change = 0usize;
    let mut props = ParagraphNumbering::default();
    let numbered = numbering.as_ref().is_some_and(|n| !n.is_empty());
    loop {
        match reader.read_event()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" if hidden == 0 => in_text = true,
                name if is_hidden(name) => hidden += 1,
                "p" if hidden == 0 => props = ParagraphNumbering::default(),
                "pPr" if hidden == 0 => in_props += 1,
                "pPrChange" if in_props > 0 => in_change += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" if hidden == 0 => end_paragraph(&mut out),
                name if is_hidden(name) => hidden = hidden.saturating_sub(1),
                "pPrChange" => in_change = in_change.saturating_sub(1),
                "pPr" if in_props > 0 => {
                    in_props -= 1;
                    if in_props == 0
                        && numbered
                        && let Some(label) = numbering.as_deref_mut().and_then(|n| n.label(&props))
                    {
                        out.push_str(&label);
                    }
                }
                _ => {}
            },
            Event::Empty(e) if hidden == 0 => match e.local_name().as_ref() {
                // A w:tab inside the paragraph properties is a tab stop, not a tab.
                "tab" | "ptab" if in_props == 0 => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                "noBreakHyphen" => out.push('-'),
                "p" => end_paragraph(&mut out),
                name @ ("pStyle" | "numId" | "ilvl") if in_props > 0 && in_change == 0 => {
                    let val = numbering::attr(&e, "val");
                    match name {
                        "pStyle" => props.style = val,
                        "numId" => props.num_id = val,
                        _ => props.level = val.and_then(|v| v.trim().parse().ok()),
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text && hidden == 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text && hidden == 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text && hidden == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_xml_entity(&r.xml10_content()) {
                    out.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn is_hidden(local_name: &str) -> bool {
    matches!(
        local_name,
        "delText" | "instrText" | "Fallback" | "delInstrText"
    )
}

fn end_paragraph(out: &mut String) {
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_properties_title_creator_and_year() {
        let xml = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="cp" xmlns:dc="dc" xmlns:dcterms="t">
            <dc:title>Microsoft Word - 2023年度对照检查材料.doc</dc:title><dc:creator>林海燕</dc:creator>
            <cp:lastModifiedBy>admin</cp:lastModifiedBy><dcterms:created>2024-01-08T09:00:00Z</dcterms:created>
            </cp:coreProperties>"#;
        assert_eq!(
            core_properties(xml),
            CoreProperties {
                title: Some("2023年度对照检查材料".into()),
                creator: Some("林海燕".into()),
                created_year: Some(2024),
            }
        );
        assert_eq!(
            core_properties("<x><dc:title></dc:title>"),
            CoreProperties::default()
        );
    }

    #[test]
    fn paragraphs_runs_tables_and_hidden_text() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="w" xmlns:mc="mc"><w:body>
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>一、关于</w:t></w:r><w:r><w:t xml:space="preserve">个人&amp;事项</w:t></w:r></w:p>
            <w:p><w:r><w:delText>删掉的</w:delText><w:t>保留</w:t><w:tab/><w:t>&#x4E00;是</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>表格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <mc:AlternateContent><mc:Choice><w:p><w:r><w:t>文本框</w:t></w:r></w:p></mc:Choice>
            <mc:Fallback><w:p><w:r><w:t>文本框</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>
            <w:p/></w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml, None).unwrap(),
            "一、关于个人&事项\n保留\t一是\n表格\n文本框\n\n"
        );
    }
}
