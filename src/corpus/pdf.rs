//! .pdf with a text layer. The text is read from each page's content stream with the fonts'
//! encodings (ToUnicode maps, predefined CJK CMaps such as UniGB-UCS2-H), line by line from the
//! text positioning operators, and the visual lines are rejoined into paragraphs: no space between
//! CJK characters, a space between Latin words, a new paragraph after a short line, before an
//! indented line, or before a heading marker (一、 （一） 1.).
//!
//! A PDF whose pages show no text is refused as [`Error::NoTextLayer`] (a scan). lopdf is not
//! panic-free on hostile input, so the whole extraction runs under `catch_unwind`.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Document, Encoding, Object};

use super::{RawText, Warning, is_cjk, starts_with_heading};
use crate::error::{Error, Result};

/// Decompressed content of one page above this is skipped (a decompression bomb).
const MAX_PAGE_CONTENT: usize = 64 << 20;

/// One visual line: where it starts and what it says.
#[derive(Debug, Default)]
struct Line {
    x: f32,
    text: String,
}

pub(crate) fn extract(path: &Path, bytes: &[u8]) -> Result<RawText> {
    let err = |reason: String| Error::Pdf {
        path: path.to_path_buf(),
        reason,
    };
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(4)
            .any(|w| w == b"%PDF")
    {
        return Err(err(match super::decode::sniff_binary(bytes) {
            Some(what) => format!("it is {what}, not a PDF"),
            None => "no %PDF header: not a PDF file".to_string(),
        }));
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| extract_inner(bytes)));
    match outcome {
        Ok(Ok((pages, lines, warnings))) => {
            let text = join_lines(&lines);
            if text.chars().filter(|c| !c.is_whitespace()).count() < 2 {
                return Err(Error::NoTextLayer {
                    path: path.to_path_buf(),
                    pages,
                });
            }
            Ok(RawText {
                text,
                encoding: None,
                title: None,
                warnings,
            })
        }
        Ok(Err(reason)) => Err(err(reason)),
        Err(_) => Err(err("the PDF is malformed (the parser gave up)".to_string())),
    }
}

type Extraction = (usize, Vec<Vec<Line>>, Vec<Warning>);

fn extract_inner(bytes: &[u8]) -> std::result::Result<Extraction, String> {
    let doc = Document::load_mem(bytes).map_err(|e| format!("damaged or not a PDF: {e}"))?;
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(
            "the PDF is encrypted with a password; remove the password and try again".into(),
        );
    }
    let pages = doc.get_pages();
    let mut warnings = Vec::new();
    let mut out = Vec::with_capacity(pages.len());
    for (&number, &page_id) in &pages {
        match page_lines(&doc, page_id) {
            Ok(lines) => out.push(lines),
            Err(e) => warnings.push(Warning::Skipped(format!("page {number}: {e}"))),
        }
    }
    if out.is_empty() && !pages.is_empty() {
        return Err(format!(
            "no page could be read: {}",
            warnings
                .first()
                .map(ToString::to_string)
                .unwrap_or_default()
        ));
    }
    Ok((pages.len(), out, warnings))
}

fn page_lines(
    doc: &Document,
    page_id: lopdf::ObjectId,
) -> std::result::Result<Vec<Line>, lopdf::Error> {
    let fonts = doc.get_page_fonts(page_id)?;
    let encodings: BTreeMap<Vec<u8>, Encoding> = fonts
        .into_iter()
        .filter_map(|(name, font)| font.get_font_encoding(doc).ok().map(|e| (name, e)))
        .collect();
    let content = doc.get_page_content_with_limit(page_id, MAX_PAGE_CONTENT)?;
    let content = Content::decode(&content)?;

    let mut lines: Vec<Line> = Vec::new();
    let mut line = Line::default();
    let mut started = false;
    let (mut x, mut y, mut leading) = (0f32, 0f32, 0f32);
    let mut encoding: Option<&Encoding> = None;
    let new_line = |line: &mut Line, lines: &mut Vec<Line>, started: &mut bool| {
        if !line.text.trim().is_empty() {
            lines.push(std::mem::take(line));
        } else {
            line.text.clear();
        }
        *started = false;
    };
    for op in &content.operations {
        let num = |i: usize| {
            op.operands
                .get(i)
                .and_then(|o| o.as_float().ok())
                .unwrap_or(0.0)
        };
        match op.operator.as_str() {
            "BT" => {
                x = 0.0;
                y = 0.0;
            }
            "Tf" => {
                encoding = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| encodings.get(n));
            }
            "TL" => leading = num(0),
            "Td" | "TD" => {
                let (tx, ty) = (num(0), num(1));
                if op.operator == "TD" {
                    leading = -ty;
                }
                x += tx;
                y += ty;
                if ty.abs() > 0.01 {
                    new_line(&mut line, &mut lines, &mut started);
                } else if tx > 0.0 && started && !line.text.ends_with(' ') {
                    // A jump to the right on the same line: a gap between words or cells.
                    line.text.push(' ');
                }
            }
            "Tm" => {
                let (nx, ny) = (num(4), num(5));
                if (ny - y).abs() > 0.01 || nx < x {
                    new_line(&mut line, &mut lines, &mut started);
                }
                x = nx;
                y = ny;
            }
            "T*" => {
                y -= leading;
                new_line(&mut line, &mut lines, &mut started);
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator != "Tj" && op.operator != "TJ" {
                    y -= leading;
                    new_line(&mut line, &mut lines, &mut started);
                }
                let Some(enc) = encoding else { continue };
                if !started {
                    line.x = x;
                    started = true;
                }
                let operands: &[Object] = if op.operator == "\"" {
                    op.operands.get(2..).unwrap_or(&[])
                } else {
                    &op.operands
                };
                show(&mut line.text, enc, operands);
            }
            "ET" => new_line(&mut line, &mut lines, &mut started),
            _ => {}
        }
    }
    new_line(&mut line, &mut lines, &mut started);
    lines.retain(|l| !is_page_number(l.text.trim()));
    Ok(lines)
}

/// Appends the text of a show operator's operands. In a TJ array a large negative adjustment is a
/// gap: a space between Latin words, nothing between CJK characters.
fn show(out: &mut String, enc: &Encoding, operands: &[Object]) {
    for operand in operands {
        match operand {
            Object::String(bytes, _) => {
                if let Ok(s) = enc.bytes_to_string(bytes) {
                    out.extend(s.chars().filter(|&c| c != '\0'));
                }
            }
            Object::Array(items) => show(out, enc, items),
            Object::Integer(_) | Object::Real(_) => {
                let adj = operand.as_float().unwrap_or(0.0);
                if adj < -250.0
                    && out
                        .chars()
                        .next_back()
                        .is_some_and(|c| !is_cjk(c) && !c.is_whitespace())
                {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

fn is_page_number(s: &str) -> bool {
    let core = s.trim_matches(|c: char| {
        c == '-' || c == '—' || c == '第' || c == '页' || c.is_whitespace()
    });
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

/// Display width: CJK characters are two columns wide, others one.
fn width(s: &str) -> usize {
    s.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum()
}

/// Rejoins visual lines into paragraphs, one per output line.
fn join_lines(pages: &[Vec<Line>]) -> String {
    let mut out = String::new();
    let mut prev_full = false;
    for lines in pages {
        let margin = lines.iter().map(|l| l.x).fold(f32::INFINITY, f32::min);
        let full = lines
            .iter()
            .map(|l| width(l.text.trim()))
            .max()
            .unwrap_or(0);
        for line in lines {
            let text = line.text.trim();
            let indented = line.x - margin > 12.0;
            let continues = prev_full && !indented && !starts_with_heading(text);
            if !out.is_empty() {
                if continues {
                    let a = out.chars().next_back();
                    let b = text.chars().next();
                    if let (Some(a), Some(b)) = (a, b)
                        && !is_cjk(a)
                        && !is_cjk(b)
                    {
                        out.push(' ');
                    }
                } else {
                    out.push('\n');
                }
            }
            out.push_str(text);
            // A line at least 85% as wide as the widest of its page runs on to the next one.
            prev_full = full > 0 && width(text) * 100 >= full * 85;
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x: f32, text: &str) -> Line {
        Line {
            x,
            text: text.to_string(),
        }
    }

    #[test]
    fn lines_rejoin_into_paragraphs() {
        let pages = vec![vec![
            line(72.0, "一、关于个人有关重大事项情况"),
            line(104.0, "多年来，本人始终严格按照规定填报个人有关重"),
            line(72.0, "大事项，不存在漏报瞒报的情况。"),
            line(104.0, "二是严格管好自己、家属和身边工作人员，认真遵"),
            line(72.0, "守《准则》和执行《条例》 English words"),
            line(72.0, "continue here and end."),
        ]];
        let text = join_lines(&pages);
        assert_eq!(
            text,
            "一、关于个人有关重大事项情况\n多年来，本人始终严格按照规定填报个人有关重大事项，不存在漏报瞒报的情况。\n\
             二是严格管好自己、家属和身边工作人员，认真遵守《准则》和执行《条例》 English words continue here and end.\n"
        );
    }

    #[test]
    fn heading_markers() {
        assert!(starts_with_heading("（一）在理论学习方面"));
        assert!(starts_with_heading("3. 工作"));
        assert!(starts_with_heading("二、对照检查"));
        assert!(!starts_with_heading("二是学得不深"));
        assert!(is_page_number("- 3 -"));
        assert!(!is_page_number("2023年"));
    }
}
