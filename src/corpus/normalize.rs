//! Normalisation that users do not notice, with an exact map back to the source text.
//!
//! - full-width ASCII letters and digits (`Ａ`, `２`) become half-width; a full-width full stop
//!   between two digits (`３．５`) becomes `.`;
//! - white space other than space, tab and line feed becomes a space (the ideographic space
//!   U+3000, the no-break space U+00A0, the other Unicode spaces) or a line feed (U+2028, U+2029,
//!   U+0085, vertical tab, form feed): stored texts hold only ASCII white space;
//! - CRLF and lone CR become LF;
//! - the byte-order mark and zero-width characters (U+200B–U+200D, U+2060, U+FEFF, soft hyphen)
//!   are removed.
//!
//! Chinese punctuation (，。、；：“”（）《》 and the full-width `＊`) stays as it is.
//!
//! [`OffsetMap`] maps a byte offset of the normalised text back to the source text: the source of
//! normalised span `s` is `[map.to_source_start(s.start), map.to_source_end(s.end))`.

use std::borrow::Cow;

use crate::span::ByteSpan;

/// Normalised text and the map back to its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized<'a> {
    /// The normalised text: borrowed when nothing changed.
    pub text: Cow<'a, str>,
    /// Byte offsets of the normalised text back into the source.
    pub map: OffsetMap,
}

/// Maps byte offsets of normalised text to byte offsets of its source.
///
/// Stores one checkpoint `(normalised, source)` before and after each change, so text that needs
/// no change costs nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    checkpoints: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// Whether the map is the identity.
    pub fn is_identity(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// The source offset where the character at normalised offset `pos` starts: text removed just
    /// before `pos` is skipped.
    pub fn to_source_start(&self, pos: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(n, _)| n <= pos);
        match i.checked_sub(1).map(|i| self.checkpoints[i]) {
            Some((n, s)) => s + (pos - n),
            None => pos,
        }
    }

    /// The source offset where the character ending at normalised offset `pos` ends: text removed
    /// just after it is not included.
    pub fn to_source_end(&self, pos: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(n, _)| n < pos);
        match self.checkpoints.get(i) {
            Some(&(n, s)) if n == pos => s,
            _ => match i.checked_sub(1).map(|i| self.checkpoints[i]) {
                Some((n, s)) => s + (pos - n),
                None => pos,
            },
        }
    }

    /// The source span of a normalised span.
    pub fn to_source(&self, span: ByteSpan) -> ByteSpan {
        let start = self.to_source_start(span.start);
        ByteSpan::new(start, self.to_source_end(span.end).max(start))
    }

    fn push(&mut self, normalized: usize, source: usize) {
        if self.checkpoints.last() != Some(&(normalized, source)) {
            self.checkpoints.push((normalized, source));
        }
    }
}

/// What a source character becomes.
enum Change {
    Keep,
    Drop,
    Into(char),
}

fn change(c: char, prev: Option<char>, next: Option<char>) -> Change {
    match c {
        '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' | '\u{FF10}'..='\u{FF19}' => {
            Change::Into(char::from_u32(c as u32 - 0xFEE0).expect("full-width ASCII maps to ASCII"))
        }
        '．' if prev.is_some_and(is_digit_any_width) && next.is_some_and(is_digit_any_width) => {
            Change::Into('.')
        }
        // Every other white space becomes an ASCII one, so stored texts hold only space, tab and
        // line feed: matching can then find white space with memchr.
        '\u{0085}' | '\u{2028}' | '\u{2029}' | '\u{000B}' | '\u{000C}' => Change::Into('\n'),
        c if c.is_whitespace() && !matches!(c, ' ' | '\n' | '\t' | '\r') => Change::Into(' '),
        '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{00AD}' => Change::Drop,
        '\r' if next == Some('\n') => Change::Drop,
        '\r' => Change::Into('\n'),
        _ => Change::Keep,
    }
}

fn is_digit_any_width(c: char) -> bool {
    c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)
}

fn needs_change(c: char) -> bool {
    matches!(
        c,
        '\u{FF21}'..='\u{FF3A}'
            | '\u{FF41}'..='\u{FF5A}'
            | '\u{FF10}'..='\u{FF19}'
            | '．'
            | '\u{0085}'
            | '\u{00A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
            | '\u{000B}'
            | '\u{000C}'
            | '\u{FEFF}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'
            | '\u{00AD}'
            | '\r'
    )
}

/// Lead bytes of the characters [`needs_change`] accepts: a byte scan skips the rest (ideographs,
/// ASCII) without decoding them.
const fn candidate_bytes() -> [bool; 256] {
    let mut t = [false; 256];
    let leads = [0x0B, 0x0C, 0x0D, 0xC2, 0xE1, 0xE2, 0xE3, 0xEF];
    let mut i = 0;
    while i < leads.len() {
        t[leads[i] as usize] = true;
        i += 1;
    }
    t
}
static CANDIDATE: [bool; 256] = candidate_bytes();

/// The byte offset of the first character at or after `from` that needs a change.
fn next_change(source: &str, from: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if CANDIDATE[usize::from(bytes[i])] {
            // A candidate byte is a lead byte or ASCII: always a character boundary.
            let c = source[i..].chars().next().expect("a character starts here");
            if needs_change(c) {
                return Some(i);
            }
            i += c.len_utf8();
        } else {
            i += 1;
        }
    }
    None
}

/// Normalises `source`. Borrows when nothing needs to change.
pub fn normalize(source: &str) -> Normalized<'_> {
    let Some(first) = next_change(source, 0) else {
        return Normalized {
            text: Cow::Borrowed(source),
            map: OffsetMap::default(),
        };
    };
    let mut out = String::with_capacity(source.len());
    let mut map = OffsetMap::default();
    let mut at = first;
    out.push_str(&source[..at]);
    loop {
        // `at` is a character that needs a change; the run before it was copied whole.
        let c = source[at..]
            .chars()
            .next()
            .expect("a character starts here");
        let prev = source[..at].chars().next_back();
        let end = at + c.len_utf8();
        let next = source[end..].chars().next();
        match change(c, prev, next) {
            Change::Keep => out.push(c),
            Change::Drop => {
                map.push(out.len(), at);
                map.push(out.len(), end);
            }
            Change::Into(d) => {
                map.push(out.len(), at);
                out.push(d);
                map.push(out.len(), end);
            }
        }
        match next_change(source, end) {
            Some(i) => {
                out.push_str(&source[end..i]);
                at = i;
            }
            None => {
                out.push_str(&source[end..]);
                break;
            }
        }
    }
    Normalized {
        text: Cow::Owned(out),
        map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_full_width_letters_digits_space_only() {
        let n = normalize("２０２３年，ＡＢｃ　“两个确立”（一）３．５％＊＊\r\n");
        assert_eq!(n.text, "2023年，ABc “两个确立”（一）3.5％＊＊\n");
    }

    #[test]
    fn every_white_space_becomes_ascii() {
        let n = normalize("a\u{2003}b\u{2028}c\u{000C}d\u{202F}e\u{0085}f");
        assert_eq!(n.text, "a b\nc\nd e\nf");
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
        {
            let n = normalize(&c.to_string()).text.into_owned();
            assert!(
                matches!(n.as_str(), " " | "\n" | "\t" | ""),
                "{c:?} -> {n:?}"
            );
        }
    }

    #[test]
    fn untouched_text_is_borrowed() {
        let n = normalize("一、关于个人有关重大事项情况\n");
        assert!(matches!(n.text, Cow::Borrowed(_)));
        assert!(n.map.is_identity());
    }

    #[test]
    fn removes_bom_and_zero_width_and_maps_back() {
        let src = "\u{FEFF}两个\u{200B}确立\r\n二";
        let n = normalize(src);
        assert_eq!(n.text, "两个确立\n二");
        let t = &n.text;
        let span = ByteSpan::new(t.find("确立").unwrap(), t.find("确立").unwrap() + 6);
        assert_eq!(n.map.to_source(span).slice(src), "确立");
        let span = ByteSpan::new(0, 6);
        assert_eq!(n.map.to_source(span).slice(src), "两个");
        let nl = t.find('\n').unwrap();
        assert_eq!(n.map.to_source(ByteSpan::new(nl, nl + 1)).slice(src), "\n");
    }
}
