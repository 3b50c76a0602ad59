//! .pdf with a text layer, read the way the page shows it.
//!
//! [`content`] interprets each page's content stream into positioned runs of text, with the fonts
//! of [`font`] (ToUnicode maps first, [`cmap`]); [`layout`] groups the runs into lines, drops
//! running headers, footers and page numbers by their repetition across pages, moves footnotes to
//! the end, reads two-column pages column by column and rejoins the lines into paragraphs.
//!
//! A PDF whose pages show no text is refused as [`Error::NoTextLayer`] (a scan); one whose text
//! cannot be decoded (fonts without a ToUnicode map or a known encoding) is refused, or read with
//! a warning when only part of it is undecodable. lopdf is not panic-free on hostile input, so the
//! whole extraction runs under `catch_unwind`.
//!
//! What one file may cost is bounded, each bound a clear error for that file: a stream that
//! decompresses to more than 64 MiB, more than [`Limits::objects`] objects, more than
//! [`Limits::content`] bytes of page content in all. lopdf bounds the nesting depth of objects.

mod cmap;
mod content;
mod font;
mod layout;
mod radicals;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use lopdf::{DecompressError, Document, LoadOptions};

use super::{RawText, Warning, is_cjk};
use crate::error::{Error, Result};

/// Above this share of undecodable glyphs or of characters that are no script's, a PDF's text is
/// refused as garbage; above [`WARN_SHARE`] it is read with a warning.
const REFUSE_SHARE: f64 = 0.3;
const WARN_SHARE: f64 = 0.02;

/// What one document may cost.
#[derive(Clone, Copy)]
struct Limits {
    /// Objects, counted after loading (object streams included). A 1,000-page report holds some
    /// 20,000.
    objects: usize,
    /// Bytes of decompressed page and form content interpreted, over all pages.
    content: usize,
}

impl Limits {
    const DEFAULT: Limits = Limits {
        objects: 2_000_000,
        content: 512 << 20,
    };
}

pub(crate) fn extract(path: &Path, bytes: &[u8]) -> Result<RawText> {
    let err = |reason: String| Error::Pdf {
        path: path.to_path_buf(),
        reason,
        source: None,
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
    // Loaded apart so that lopdf's error stays the cause of ours.
    let options = LoadOptions {
        max_decompressed_size: Some(content::MAX_CONTENT),
        ..LoadOptions::default()
    };
    let doc = match catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(bytes, options)
    })) {
        Ok(Ok(doc)) => doc,
        Ok(Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { limit }))) => {
            return Err(err(format!(
                "a stream decompresses to more than {}: refused as a possible decompression bomb",
                size(limit)
            )));
        }
        Ok(Err(e)) => {
            return Err(Error::Pdf {
                path: path.to_path_buf(),
                reason: "damaged or not a PDF".to_string(),
                source: Some(Box::new(e)),
            });
        }
        Err(_) => return Err(err("the PDF is malformed (the parser gave up)".to_string())),
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| extract_inner(&doc, Limits::DEFAULT)));
    match outcome {
        Ok(Ok((pages, text, mut warnings))) => {
            if text.chars().filter(|c| !c.is_whitespace()).count() < 2 {
                return Err(Error::NoTextLayer {
                    path: path.to_path_buf(),
                    pages,
                });
            }
            let share = garbage_share(&text);
            if share > REFUSE_SHARE {
                return Err(err(format!(
                    "its text layer does not decode: {:.0}% of its characters are neither Chinese, \
                     Latin, digits nor punctuation",
                    share * 100.0
                )));
            }
            if share > WARN_SHARE {
                warnings.push(Warning::Skipped(format!(
                    "{:.1}% of the text looks undecoded (characters of no script)",
                    share * 100.0
                )));
            }
            Ok(RawText {
                text,
                encoding: None,
                title: None,
                author: None,
                created_year: None,
                warnings,
            })
        }
        Ok(Err(reason)) => Err(err(reason)),
        Err(_) => Err(err("the PDF is malformed (the parser gave up)".to_string())),
    }
}

type Extraction = (usize, String, Vec<Warning>);

fn extract_inner(doc: &Document, limits: Limits) -> std::result::Result<Extraction, String> {
    if doc.objects.len() > limits.objects {
        return Err(format!(
            "it holds {} objects, more than the {} a document may have here",
            doc.objects.len(),
            limits.objects
        ));
    }
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(
            "the PDF is encrypted with a password; remove the password and try again".into(),
        );
    }
    let pages = doc.get_pages();
    let mut warnings = Vec::new();
    let mut out = Vec::with_capacity(pages.len());
    let (mut glyphs, mut undecodable) = (0usize, 0usize);
    let mut fonts = content::Fonts::default();
    let mut content_bytes = 0usize;
    for (&number, &page_id) in &pages {
        match content::page_runs(doc, page_id, &mut fonts) {
            Ok((runs, tally)) => {
                content_bytes += tally.content_bytes;
                if content_bytes > limits.content {
                    return Err(format!(
                        "its page content decompresses to more than {} in all (by page {number})",
                        size(limits.content)
                    ));
                }
                glyphs += tally.glyphs;
                undecodable += tally.undecodable;
                for what in tally.skipped {
                    warnings.push(Warning::Skipped(format!("page {number}: {what}")));
                }
                let mut lines = layout::lines_of(&runs);
                layout::column_order(&mut lines);
                out.push(lines);
            }
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
    if glyphs > 0 {
        let share = undecodable as f64 / glyphs as f64;
        if share > REFUSE_SHARE {
            return Err(format!(
                "{undecodable} of its {glyphs} glyphs are in fonts with no ToUnicode map or known \
                 encoding: their text cannot be known"
            ));
        }
        if undecodable > 0 {
            warnings.push(Warning::Skipped(format!(
                "{undecodable} of {glyphs} glyphs are in fonts with no ToUnicode map or known \
                 encoding and were left out"
            )));
        }
    }
    layout::drop_furniture(&mut out);
    let mut notes = Vec::new();
    for lines in &mut out {
        notes.extend(layout::take_notes(lines));
    }
    Ok((pages.len(), layout::paragraphs(&out, &notes), warnings))
}

/// A size for a message: MiB when it is one or more.
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// The share of non-space characters that belong to no script a document of ours is written in:
/// not CJK, not a letter or digit, not common punctuation. Garbage from a wrongly decoded font is
/// mostly such characters (`¨‡˜·’ƒ¤¡¥`).
fn garbage_share(text: &str) -> f64 {
    let (mut all, mut bad) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        all += 1;
        let fine = is_cjk(c)
            || c.is_ascii_graphic()
            || (c.is_alphanumeric() && !matches!(c, '\u{80}'..='\u{2FF}'))
            || matches!(c, '\u{2000}'..='\u{206F}' | '\u{2100}'..='\u{2BFF}' | '\u{3000}'..='\u{33FF}' | '\u{FE30}'..='\u{FE4F}' | '×' | '÷' | '°' | '±' | '·' | '§');
        bad += usize::from(!fine);
    }
    if all == 0 {
        0.0
    } else {
        bad as f64 / all as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF showing `text` in Helvetica, with `padding` unused objects.
    fn pdf(text: &str, padding: usize) -> Vec<u8> {
        use lopdf::{Object, Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let content = format!("BT /F1 12 Tf 72 700 Td ({text}) Tj ET");
        let content = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let pages_id = doc.new_object_id();
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        for i in 0..padding {
            doc.add_object(Object::Integer(i as i64));
        }
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("writes");
        out
    }

    fn loaded(text: &str, padding: usize) -> Document {
        Document::load_mem(&pdf(text, padding)).expect("loads")
    }

    #[test]
    fn a_document_over_a_limit_is_refused_with_the_limit_named() {
        let text = "Annual report 2024";
        let (_, read, _) = extract_inner(&loaded(text, 0), Limits::DEFAULT).expect("reads");
        assert_eq!(read.trim(), text);
        let few = Limits {
            objects: 50,
            ..Limits::DEFAULT
        };
        assert!(extract_inner(&loaded(text, 10), few).is_ok());
        let e = extract_inner(&loaded(text, 100), few).unwrap_err();
        assert!(e.contains("more than the 50"), "{e}");
        let little = Limits {
            content: 20,
            ..Limits::DEFAULT
        };
        let e = extract_inner(&loaded(text, 0), little).unwrap_err();
        assert!(e.contains("page content") && e.contains("page 1"), "{e}");
    }

    #[test]
    fn garbage_is_measured() {
        assert!(garbage_share("全年实现地区生产总值283.6亿元，增长5.4%。GDP growth") < 0.01);
        assert!(garbage_share("¨ ‡ , ˜ · ’ ƒ 7 ¤ ‡ ¡ ¥ 7 X l „ P ' ‡") > 0.3);
    }
}
