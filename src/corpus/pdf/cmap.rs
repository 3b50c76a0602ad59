//! ToUnicode CMaps (ISO 32000-1 §9.10.3): which bytes make one character code, and which text each
//! code stands for. Our own small parser rather than lopdf's, because the layout needs the codes
//! one by one (for their widths) and lopdf keeps its parser private.
//!
//! Only the operators a ToUnicode map may hold are read: `begincodespacerange`, `beginbfchar`,
//! `beginbfrange` (with a destination string or an array of them). Anything else is skipped.
//! A range is expanded into the table only up to [`MAX_ENTRIES`] codes in all, so a hostile map
//! cannot take the memory.

use std::collections::HashMap;

/// Codes mapped at most, over all ranges of one map.
const MAX_ENTRIES: usize = 1 << 18;

/// A parsed ToUnicode map.
#[derive(Debug, Default)]
pub(super) struct CMap {
    /// (first code, last code, length in bytes) of each codespace range.
    codespace: Vec<(u32, u32, u8)>,
    /// (length in bytes, code) → text.
    map: HashMap<(u8, u32), String>,
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Hex(Vec<u8>),
    Word(&'a [u8]),
    Open,
    Close,
}

/// Splits a CMap into the tokens that matter; strings in `( )`, dictionaries and comments are
/// skipped as words.
fn tokens(src: &[u8]) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        match c {
            b'%' => {
                while i < src.len() && src[i] != b'\n' && src[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if src.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if src.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let start = i + 1;
                let end = src[start..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(src.len(), |p| start + p);
                let digits: Vec<u8> = src[start..end]
                    .iter()
                    .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
                    .collect();
                let bytes = digits
                    .chunks(2)
                    .map(|p| {
                        if p.len() == 2 {
                            p[0] << 4 | p[1]
                        } else {
                            p[0] << 4
                        }
                    })
                    .collect();
                out.push(Token::Hex(bytes));
                i = end + 1;
            }
            b'[' => {
                out.push(Token::Open);
                i += 1;
            }
            b']' => {
                out.push(Token::Close);
                i += 1;
            }
            b'(' => {
                // A literal string (CMapName etc.): skipped with its nesting and escapes.
                let mut depth = 0usize;
                while i < src.len() {
                    match src[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < src.len()
                    && !src[i].is_ascii_whitespace()
                    && !b"<>[]()%".contains(&src[i])
                {
                    i += 1;
                }
                if i == start {
                    // A delimiter with no meaning here (a lone `>` or `)`): skipped, never looped on.
                    i += 1;
                    continue;
                }
                out.push(Token::Word(&src[start..i]));
            }
        }
    }
    out
}

fn code_of(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let code = bytes.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
    Some((bytes.len() as u8, code))
}

/// UTF-16BE destination bytes as text; unpaired surrogates become U+FFFD.
fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
        .collect();
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Adds `offset` to the last UTF-16 unit of a destination, as a bfrange asks.
fn shifted(dst: &[u8], offset: u32) -> String {
    let mut units: Vec<u16> = dst
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
        .collect();
    if let Some(last) = units.last_mut() {
        *last = last.wrapping_add(offset as u16);
    }
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

impl CMap {
    /// Parses a decoded ToUnicode stream. Never fails: what cannot be read is left out, and an
    /// empty map decodes nothing.
    pub(super) fn parse(src: &[u8]) -> CMap {
        let toks = tokens(src);
        let mut cmap = CMap::default();
        let mut i = 0;
        while i < toks.len() {
            match toks[i] {
                Token::Word(b"begincodespacerange") => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if let (Some((n, lo)), Some((_, hi))) = (code_of(lo), code_of(hi)) {
                            cmap.codespace.push((lo, hi, n));
                        }
                        i += 2;
                    }
                }
                Token::Word(b"beginbfchar") => {
                    i += 1;
                    while let (Some(Token::Hex(src)), Some(Token::Hex(dst))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if let Some(key) = code_of(src)
                            && cmap.map.len() < MAX_ENTRIES
                        {
                            cmap.map.insert(key, utf16(dst));
                        }
                        i += 2;
                    }
                }
                Token::Word(b"beginbfrange") => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        let range = code_of(lo).zip(code_of(hi).map(|(_, hi)| hi));
                        i += 2;
                        match toks.get(i) {
                            Some(Token::Hex(dst)) => {
                                if let Some(((n, lo), hi)) = range {
                                    for code in lo..=hi.max(lo) {
                                        if cmap.map.len() >= MAX_ENTRIES {
                                            break;
                                        }
                                        cmap.map.insert((n, code), shifted(dst, code - lo));
                                    }
                                }
                                i += 1;
                            }
                            Some(Token::Open) => {
                                i += 1;
                                let mut code = range.map(|((_, lo), _)| lo);
                                while let Some(Token::Hex(dst)) = toks.get(i) {
                                    if let (Some(((n, _), hi)), Some(c)) = (range, code)
                                        && c <= hi
                                        && cmap.map.len() < MAX_ENTRIES
                                    {
                                        cmap.map.insert((n, c), utf16(dst));
                                    }
                                    code = code.map(|c| c + 1);
                                    i += 1;
                                }
                                if toks.get(i) == Some(&Token::Close) {
                                    i += 1;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => i += 1,
            }
        }
        cmap
    }

    /// Whether the map maps anything.
    pub(super) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The length in bytes of the code that starts `bytes`: the codespace range it falls in, or
    /// `default` when the map declares none that fits.
    pub(super) fn code_len(&self, bytes: &[u8], default: usize) -> usize {
        for &(lo, hi, n) in &self.codespace {
            let n = usize::from(n);
            if bytes.len() >= n {
                let code = bytes[..n]
                    .iter()
                    .fold(0u32, |acc, &b| acc << 8 | u32::from(b));
                if (lo..=hi).contains(&code) {
                    return n;
                }
            }
        }
        default.min(bytes.len()).max(1)
    }

    /// The text of one code.
    pub(super) fn get(&self, len: usize, code: u32) -> Option<&str> {
        self.map.get(&(len as u8, code)).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_and_arrays() {
        let src = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
            /CMapName /Adobe-Identity-UCS def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
            2 beginbfchar\n<0003> <0020>\n<0102> <4E2D>\nendbfchar\n\
            2 beginbfrange\n<0010> <0012> <6587>\n<0020> <0021> [<5B57> <D840DC00>]\nendbfrange\n\
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let cmap = CMap::parse(src);
        assert_eq!(cmap.code_len(&[0x01, 0x02], 1), 2);
        assert_eq!(cmap.get(2, 0x0102), Some("中"));
        assert_eq!(cmap.get(2, 0x0003), Some(" "));
        assert_eq!(cmap.get(2, 0x0010), Some("文"));
        assert_eq!(cmap.get(2, 0x0011), Some("斈"));
        assert_eq!(cmap.get(2, 0x0020), Some("字"));
        assert_eq!(cmap.get(2, 0x0021), Some("\u{20000}"));
        assert_eq!(cmap.get(2, 0x0022), None);
    }

    #[test]
    fn one_byte_codes_and_garbage_never_panic() {
        let cmap = CMap::parse(b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <0041> endbfchar");
        assert_eq!(cmap.code_len(&[0x41, 0x42], 2), 1);
        assert_eq!(cmap.get(1, 0x41), Some("A"));
        for junk in [
            &b"beginbfrange <FFFFFFFF> <00> <"[..],
            b"<<>>[[(",
            b"beginbfchar <> <>",
            b"(((\\",
            // Lone delimiters once made the tokenizer loop forever (found by tests/fuzz.rs).
            b"> ) >> ) begincodespacerange > <00>",
        ] {
            let _ = CMap::parse(junk);
        }
        // A huge range is capped, not expanded.
        let big = CMap::parse(b"beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert!(big.map.len() <= MAX_ENTRIES);
    }
}
