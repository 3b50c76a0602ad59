//! Fonts as the text layer needs them: the text of each character code and its advance width.
//!
//! A font's ToUnicode map, when it has one, decides the text, before its /Encoding: Chromium
//! embeds CJK fonts as Type 3 fonts whose /Encoding names meaningless glyphs (`/g41E3`) while
//! their ToUnicode map is right. Without a ToUnicode map, a Type 0 font can still be read through a
//! predefined Unicode CMap (UniGB-UCS2-H, UniGB-UTF16-H), and a simple font through its /Encoding
//! (lopdf's tables, with /Differences). A Type 0 font with neither (Identity-H, no ToUnicode) has
//! no text that can be known: its codes count as undecodable and the caller says so.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Encoding, Object};

use super::cmap::CMap;
use super::radicals::EQUIVALENT;

/// Decompressed size of a ToUnicode stream above which it is ignored.
const MAX_CMAP: usize = 8 << 20;

enum Decoder<'a> {
    ToUnicode(CMap),
    Utf16,
    Simple(Encoding<'a>),
    Unknown,
}

enum Widths {
    /// Simple fonts: /FirstChar and /Widths.
    Simple { first: u32, widths: Vec<f32> },
    /// CID fonts: the /W array, expanded.
    Cid(HashMap<u32, f32>),
}

/// One font of a page's resources.
pub(super) struct Font<'a> {
    decoder: Decoder<'a>,
    /// Whether codes are two bytes (Type 0 fonts) unless the ToUnicode map says otherwise.
    two_byte: bool,
    widths: Widths,
    /// Width of a code the table does not list, in glyph units.
    default_width: f32,
    /// Glyph units to text space: 1/1000, or a Type 3 font's FontMatrix.
    scale: f32,
}

/// One character code of a shown string.
pub(super) struct Glyph<'t> {
    /// Its text; empty for a code with no known text.
    pub text: &'t str,
    /// Advance in text space units per unit of font size.
    pub width: f32,
    /// Whether this is the single-byte code 32, to which word spacing applies.
    pub is_space: bool,
    /// Whether the text of this code cannot be known.
    pub undecodable: bool,
}

fn number(o: &Object) -> Option<f32> {
    o.as_float().ok()
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map_or(o, |(_, o)| o)
}

fn array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    dict.get(key)
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
}

impl<'a> Font<'a> {
    /// Reads a font dictionary. Never fails: a font that cannot be read decodes nothing.
    pub(super) fn load(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let type0 = subtype == b"Type0";
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| s.get_plain_content_with_limit(MAX_CMAP).ok())
            .map(|bytes| CMap::parse(&bytes))
            .filter(|c| !c.is_empty());
        let encoding_name = dict
            .get(b"Encoding")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_name().ok());
        let decoder = match (to_unicode, type0) {
            (Some(cmap), _) => Decoder::ToUnicode(cmap),
            (None, true) => match encoding_name {
                Some(n)
                    if n.starts_with(b"Uni")
                        && (n.ends_with(b"UCS2-H") || n.ends_with(b"UTF16-H")) =>
                {
                    Decoder::Utf16
                }
                _ => Decoder::Unknown,
            },
            (None, false) => match dict.get_font_encoding(doc) {
                Ok(enc) => Decoder::Simple(enc),
                Err(_) => Decoder::Unknown,
            },
        };

        let scale = if subtype == b"Type3" {
            array(doc, dict, b"FontMatrix")
                .and_then(|m| m.first())
                .and_then(number)
                .map_or(0.001, f32::abs)
        } else {
            0.001
        };
        let (widths, default_width) = if type0 {
            cid_widths(doc, dict)
        } else {
            let first = dict
                .get(b"FirstChar")
                .ok()
                .and_then(|o| o.as_i64().ok())
                .unwrap_or(0)
                .clamp(0, 1 << 16) as u32;
            let widths = array(doc, dict, b"Widths")
                .map(|w| {
                    w.iter()
                        .map(|o| number(deref(doc, o)).unwrap_or(0.0))
                        .collect()
                })
                .unwrap_or_default();
            let missing = dict
                .get(b"FontDescriptor")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok())
                .and_then(|d| d.get(b"MissingWidth").ok())
                .and_then(number);
            // No widths at all (the 14 standard fonts): half an em is a fair guess for Latin.
            let default = missing.unwrap_or(if subtype == b"Type3" { 1000.0 } else { 500.0 });
            (Widths::Simple { first, widths }, default)
        };
        Font {
            decoder,
            two_byte: type0,
            widths,
            default_width,
            scale,
        }
    }

    fn width(&self, code: u32) -> f32 {
        let w = match &self.widths {
            Widths::Simple { first, widths } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied(),
            Widths::Cid(map) => map.get(&code).copied(),
        };
        w.unwrap_or(self.default_width) * self.scale
    }

    /// Calls `f` for each character code of a shown string, in order.
    pub(super) fn each_glyph(&self, bytes: &[u8], mut f: impl FnMut(Glyph<'_>)) {
        let default_len = if self.two_byte { 2 } else { 1 };
        let mut buf = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let len = match &self.decoder {
                Decoder::ToUnicode(cmap) => cmap.code_len(&bytes[i..], default_len),
                _ => default_len.min(bytes.len() - i),
            };
            let raw = &bytes[i..i + len];
            let code = raw.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
            i += len;
            buf.clear();
            let mut undecodable = false;
            match &self.decoder {
                Decoder::ToUnicode(cmap) => match cmap.get(len, code) {
                    Some(t) => buf.push_str(t),
                    None => undecodable = true,
                },
                Decoder::Utf16 => {
                    buf.extend(char::decode_utf16([code as u16]).map(|r| r.unwrap_or('\u{FFFD}')))
                }
                Decoder::Simple(enc) => match enc.bytes_to_string(raw) {
                    Ok(t) => buf.push_str(&t),
                    Err(_) => undecodable = true,
                },
                Decoder::Unknown => undecodable = true,
            }
            buf.retain(|c| c != '\0');
            as_printed(&mut buf);
            f(Glyph {
                text: &buf,
                width: self.width(code),
                is_space: len == 1 && code == 32,
                undecodable,
            });
        }
    }
}

/// Replaces what a ToUnicode map says in place of the characters a Chinese page shows: a CJK
/// radical or stroke by the ideograph it is equivalent to (Qt, so wkhtmltopdf, reverses a font's
/// cmap and picks the lowest code point of a glyph: ⼯ for 工, ⻓ for 长), and the two- and
/// three-em dash ligatures by the dashes they join (XeTeX with Noto CJK: ⸺ for ——).
fn as_printed(text: &mut String) {
    if !text
        .chars()
        .any(|c| matches!(c, '\u{2E3A}'..='\u{2E3B}' | '\u{2E80}'..='\u{2FDF}' | '\u{31C0}'..='\u{31EF}'))
    {
        return;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2E3A}' => out.push_str("——"),
            '\u{2E3B}' => out.push_str("———"),
            _ => out.push(
                EQUIVALENT
                    .binary_search_by_key(&c, |&(radical, _)| radical)
                    .map_or(c, |i| EQUIVALENT[i].1),
            ),
        }
    }
    *text = out;
}

/// The /W array and /DW of a Type 0 font's descendant.
fn cid_widths(doc: &Document, dict: &Dictionary) -> (Widths, f32) {
    let mut map = HashMap::new();
    let descendant = array(doc, dict, b"DescendantFonts")
        .and_then(|a| a.first())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let Some(cid) = descendant else {
        return (Widths::Cid(map), 1000.0);
    };
    let default = cid.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
    if let Some(w) = array(doc, cid, b"W") {
        let mut i = 0;
        while i < w.len() && map.len() < 1 << 17 {
            let first = number(deref(doc, &w[i])).unwrap_or(0.0).max(0.0) as u32;
            match w.get(i + 1).map(|o| deref(doc, o)) {
                Some(Object::Array(ws)) => {
                    for (k, o) in ws.iter().enumerate() {
                        map.insert(first + k as u32, number(deref(doc, o)).unwrap_or(default));
                    }
                    i += 2;
                }
                Some(last) => {
                    let last = number(last).unwrap_or(0.0).max(0.0) as u32;
                    let width = w
                        .get(i + 2)
                        .and_then(|o| number(deref(doc, o)))
                        .unwrap_or(default);
                    for code in first..=last.min(first + (1 << 16)) {
                        map.insert(code, width);
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }
    (Widths::Cid(map), default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_and_dash_ligatures_read_as_printed() {
        let mut s = "副局⻓分管⼯作，⸺2024年".to_string();
        as_printed(&mut s);
        assert_eq!(s, "副局长分管工作，——2024年");
        let mut plain = "工作".to_string();
        as_printed(&mut plain);
        assert_eq!(plain, "工作");
        assert!(EQUIVALENT.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
    }
}
