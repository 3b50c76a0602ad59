//! Reading the files users have into clean text with exact offsets.
//!
//! [`read_file`] takes a path, picks the reader from the extension (`.txt`, `.docx`, `.pdf`,
//! `.html`/`.htm`), extracts the text, and [normalises](normalize()) it. The result, an
//! [`Extracted`], holds the *stored text*: the text every span of gongwen points into.
//!
//! Line structure is kept: one paragraph per line for .docx, .pdf and .html. What was recovered
//! rather than read cleanly (invalid bytes replaced with U+FFFD, an encoding guessed) is listed in
//! [`Extracted::warnings`].

mod decode;
mod docx;
mod html;
mod metadata;
mod normalize;
mod pdf;
mod walk;

use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::span::Year;

pub use metadata::{
    Field, Manifest, Metadata, MetadataResolver, MetadataSource, RejectedRow, Resolved,
    metadata_from_file_name, metadata_from_text,
};
pub use normalize::{Normalized, OffsetMap, normalize};
pub use walk::{Collected, SkipReason, Skipped, collect_files};

/// What to do with a file of this extension, which gongwen does not read, as a clause to append
/// to a message (`"; save it as .docx …"`), or `""` when there is nothing to advise.
pub(crate) fn advice_for_extension(extension: &str) -> &'static str {
    match extension.to_ascii_lowercase().as_str() {
        "doc" | "wps" | "dot" | "wpt" | "rtf" | "odt" | "docm" | "dotx" => {
            "; open it in Word or WPS and save it as .docx (另存为 .docx)"
        }
        "ofd" | "xps" => "; print it to PDF, or export it as .pdf",
        "jpg" | "jpeg" | "png" | "tif" | "tiff" | "bmp" | "gif" => {
            "; a scanned page needs OCR first (a PDF with a text layer, or text)"
        }
        _ => "",
    }
}

/// Whether files of this extension are likely documents a user meant gongwen to read (and so
/// worth a notice each when a directory walk passes over them).
pub(crate) fn is_document_like(extension: &str) -> bool {
    !advice_for_extension(extension).is_empty()
        && !matches!(
            extension.to_ascii_lowercase().as_str(),
            "jpg" | "jpeg" | "png" | "gif" | "bmp"
        )
}

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 512 << 20;

/// A file format gongwen reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text in UTF-8, UTF-16 or GBK/GB18030.
    Txt,
    /// Word 2007+ (Office Open XML).
    Docx,
    /// PDF with a text layer.
    Pdf,
    /// HTML.
    Html,
}

impl Format {
    /// The format a path's extension names, or the error that it names none.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] naming the file and its extension.
    pub fn of_file(path: &Path) -> Result<Format> {
        Format::from_path(path).ok_or_else(|| Error::Unsupported {
            path: path.to_path_buf(),
            extension: path
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default(),
        })
    }

    /// The format of a file: its extension's, or, when the extension names none (`pku_test.utf8`,
    /// `材料`), what its first bytes show — a PDF header, a Word package, an HTML document, or text
    /// (no NUL bytes, or a UTF-16 byte-order mark), as ripgrep reads any file it is named.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when neither the extension nor the content tells.
    pub fn of_bytes(path: &Path, bytes: &[u8]) -> Result<Format> {
        Format::from_path(path)
            .or_else(|| Format::sniff(bytes))
            .ok_or_else(|| Error::Unsupported {
                path: path.to_path_buf(),
                extension: path
                    .extension()
                    .map(|e| e.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            })
    }

    /// The format the first bytes of a file show, if any.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        let head = &bytes[..bytes.len().min(8192)];
        if head[..head.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
        {
            return Some(Format::Pdf);
        }
        if head.starts_with(b"PK\x03\x04") {
            return bytes[..bytes.len().min(1 << 16)]
                .windows(5)
                .any(|w| w == b"word/")
                .then_some(Format::Docx);
        }
        if decode::sniff_binary(head).is_some() {
            return None;
        }
        let text = String::from_utf8_lossy(head);
        let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
        let lower: String = start
            .chars()
            .take(15)
            .collect::<String>()
            .to_ascii_lowercase();
        if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
            return Some(Format::Html);
        }
        let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
        (utf16 || !head.contains(&0)).then_some(Format::Txt)
    }

    /// The format a path's extension names, case-insensitively.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Txt),
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Txt => "txt",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Html => "html",
        })
    }
}

/// Something recovered rather than read cleanly. The text is still usable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Warning {
    /// Byte sequences invalid in the encoding were replaced with U+FFFD.
    InvalidBytes {
        /// The encoding the file was decoded with.
        encoding: &'static str,
        /// How many replacement characters were produced.
        replaced: usize,
    },
    /// Something was inferred rather than declared, e.g. UTF-16 without a BOM.
    Guessed(String),
    /// Pages or parts that could not be read; the rest was.
    Skipped(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::InvalidBytes { encoding, replaced } => write!(
                f,
                "{replaced} invalid byte sequence(s) for {encoding} replaced with U+FFFD"
            ),
            Warning::Guessed(what) => write!(f, "guessed: {what}"),
            Warning::Skipped(what) => write!(f, "skipped: {what}"),
        }
    }
}

/// The text of one file, normalised, with what was learnt while reading it.
#[derive(Clone, Debug)]
pub struct Extracted {
    /// The stored text: every span of gongwen points into it.
    pub text: String,
    /// The format it was read as.
    pub format: Format,
    /// The character encoding, for .txt and .html.
    pub encoding: Option<&'static str>,
    /// What the format declares about the document: a title (HTML `<title>`, docx dc:title), an
    /// author (docx dc:creator) and the year the file was created. The resolver decides how far
    /// to trust each.
    pub declared: Metadata,
    /// What was recovered rather than read cleanly.
    pub warnings: Vec<Warning>,
}

/// Reads, extracts and normalises one file.
///
/// # Errors
///
/// The file cannot be read, is larger than [`MAX_FILE_BYTES`], has an extension gongwen does not
/// read, is not what its extension says, is damaged, or holds no text; each error names the file.
pub fn read_file(path: &Path) -> Result<Extracted> {
    let bytes = read_file_bytes(path)?;
    read_bytes(path, &bytes, Format::of_bytes(path, &bytes)?)
}

/// The bytes of a file, refusing files larger than [`MAX_FILE_BYTES`].
///
/// # Errors
///
/// The file cannot be read or is too large.
pub fn read_file_bytes(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// Extracts and normalises the text of `bytes`, read from `path` (used in errors only) as `format`.
///
/// # Errors
///
/// As [`read_file`], but for bytes already in memory.
pub fn read_bytes(path: &Path, bytes: &[u8], format: Format) -> Result<Extracted> {
    if bytes.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    let raw = match format {
        Format::Txt => {
            let d = decode::decode(bytes).map_err(|reason| Error::NotText {
                path: path.to_path_buf(),
                reason,
            })?;
            RawText {
                text: d.text,
                encoding: Some(d.encoding),
                title: None,
                author: None,
                created_year: None,
                warnings: d.warnings,
            }
        }
        Format::Docx => docx::extract(path, bytes)?,
        Format::Pdf => pdf::extract(path, bytes)?,
        Format::Html => html::extract(path, bytes)?,
    };
    let text = match normalize(&raw.text).text {
        std::borrow::Cow::Borrowed(_) => raw.text,
        std::borrow::Cow::Owned(s) => s,
    };
    if text.trim().is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(Extracted {
        text,
        format,
        encoding: raw.encoding,
        declared: Metadata {
            title: raw
                .title
                .map(|t| normalize(&t).text.trim().to_string())
                .filter(|t| !t.is_empty()),
            author: raw
                .author
                .map(|t| normalize(&t).text.trim().to_string())
                .filter(|t| !t.is_empty()),
            year: raw.created_year.and_then(|y| Year::new(u32::from(y))),
            ..Metadata::default()
        },
        warnings: raw.warnings,
    })
}

/// What a format reader hands back before normalisation.
pub(crate) struct RawText {
    pub text: String,
    pub encoding: Option<&'static str>,
    /// A title the format declares (HTML `<title>`, docx dc:title).
    pub title: Option<String>,
    /// An author the format declares (docx dc:creator), whatever it looks like.
    pub author: Option<String>,
    /// The year the file says it was created (docx dcterms:created).
    pub created_year: Option<u16>,
    pub warnings: Vec<Warning>,
}

/// Whether `c` is a CJK ideograph or CJK punctuation: text in which a line break is not a space.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' // CJK symbols and punctuation
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}' // full-width forms
        | '\u{2018}'..='\u{201D}' // quotes used in Chinese text
        | '\u{2014}' | '\u{2026}' | '\u{00B7}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Starts a paragraph whatever the line before looks like: a heading marker (一、 （一） 1. （1）
/// ① 第一部分) as the outline reads it, so that the reader and the outline agree.
pub(crate) fn starts_with_heading(s: &str) -> bool {
    crate::document::markers::heading_marker(s, 0).is_some()
}

/// Whether `c` is a CJK ideograph (a letter of Chinese text, not punctuation).
pub(crate) fn is_cjk_letter(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}
