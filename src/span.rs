//! Small value types shared by every stage: [`ByteSpan`], [`DocId`], [`Year`], and [`CharIndex`],
//! the one place where byte offsets become character offsets.
//!
//! Inside the library every offset is a byte offset into a document's stored (normalised) text.
//! Character offsets (Unicode code points) exist only at the JSON/HTML boundary; convert with
//! [`CharIndex`] there and nowhere else.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a text. Both ends lie on `char` boundaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl ByteSpan {
    /// A span from `start` to `end`. Panics in debug builds if `start > end`.
    #[inline]
    pub fn new(start: usize, end: usize) -> ByteSpan {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        ByteSpan { start, end }
    }

    /// Length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers nothing.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text the span covers. Panics if the span is not valid for `text`; use
    /// [`ByteSpan::get`] for spans that come from elsewhere.
    #[inline]
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// The text the span covers, or `None` if it is out of bounds or not on char boundaries.
    #[inline]
    pub fn get<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }

    /// The same span moved `offset` bytes to the right.
    #[inline]
    pub fn shift(&self, offset: usize) -> ByteSpan {
        ByteSpan::new(self.start + offset, self.end + offset)
    }

    /// As a `Range<usize>`.
    #[inline]
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for ByteSpan {
    fn from(r: Range<usize>) -> ByteSpan {
        ByteSpan::new(r.start, r.end)
    }
}

/// A document's identity in an archive: 16 lower-case hex digits derived from its content.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(String);

impl DocId {
    /// The id of a text: the first 64 bits of its SHA-256, in hex. Equal texts get equal ids.
    pub fn of_text(text: &str) -> DocId {
        DocId::of_bytes(text.as_bytes())
    }

    fn of_bytes(bytes: &[u8]) -> DocId {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(bytes);
        let mut hex = String::with_capacity(16);
        for b in &digest[..8] {
            hex.push_str(&format!("{b:02x}"));
        }
        DocId(hex)
    }

    /// The id of the document added from `path` (canonical): the first 64 bits of the SHA-256 of
    /// the path's bytes as the operating system gives them (so two names differing only in bytes
    /// that are not UTF-8 get two ids). A file keeps its id when its content changes and is
    /// re-added.
    pub fn for_path(path: &std::path::Path) -> DocId {
        let mut bytes = b"path:".to_vec();
        bytes.extend_from_slice(path.as_os_str().as_encoded_bytes());
        DocId::of_bytes(&bytes)
    }

    /// Parses an id written as 16 hex digits.
    pub fn parse(s: &str) -> Option<DocId> {
        (s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| DocId(s.to_ascii_lowercase()))
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A calendar year (公元), as found in metadata. Only 1900–2100 are accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Year(u16);

impl Year {
    /// The earliest year accepted.
    pub const MIN: u16 = 1900;
    /// The latest year accepted.
    pub const MAX: u16 = 2100;

    /// `Some` if `y` is a plausible year of a document.
    pub fn new(y: u32) -> Option<Year> {
        (u32::from(Year::MIN)..=u32::from(Year::MAX))
            .contains(&y)
            .then_some(Year(y as u16))
    }

    /// Parses `2023`, `2023年`, `2023年度`, surrounded by white space or not.
    pub fn parse(s: &str) -> Option<Year> {
        let s = s.trim();
        let s = s.strip_suffix('度').unwrap_or(s);
        let s = s.strip_suffix('年').unwrap_or(s);
        if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Year::new(s.parse().ok()?)
    }

    /// The year as a number.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Converts byte offsets of one text into character (code point) offsets, for JSON and HTML.
///
/// Built once per text in O(n); each conversion is O(log n).
#[derive(Clone, Debug)]
pub struct CharIndex {
    /// Byte offset of every character start, plus the text length at the end.
    starts: Vec<usize>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> CharIndex {
        let mut starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        starts.push(text.len());
        CharIndex { starts }
    }

    /// The number of characters in the text.
    pub fn char_len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The character offset of byte offset `byte`. A byte offset inside a character maps to that
    /// character's start; one past the end maps to the character count.
    pub fn char_offset(&self, byte: usize) -> usize {
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// `[start, end)` in characters.
    pub fn char_span(&self, span: ByteSpan) -> [usize; 2] {
        [self.char_offset(span.start), self.char_offset(span.end)]
    }

    /// The byte offset of character offset `ch` (clamped to the text's end).
    pub fn byte_offset(&self, ch: usize) -> usize {
        self.starts[ch.min(self.starts.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_round_trips() {
        let text = "a两个确立b😀";
        let ix = CharIndex::new(text);
        assert_eq!(ix.char_len(), 7);
        assert_eq!(ix.char_span(ByteSpan::new(1, 13)), [1, 5]);
        assert_eq!(ix.byte_offset(5), 13);
        assert_eq!(ix.char_offset(text.len()), 7);
    }

    #[test]
    fn year_parses_only_plausible_years() {
        assert_eq!(Year::parse("2023年度").map(Year::get), Some(2023));
        assert_eq!(Year::parse(" 1954 ").map(Year::get), Some(1954));
        assert_eq!(Year::parse("0123"), None);
        assert_eq!(Year::parse("20233"), None);
    }

    #[test]
    fn doc_id_is_stable() {
        assert_eq!(DocId::of_text("").as_str(), "e3b0c44298fc1c14");
    }
}
