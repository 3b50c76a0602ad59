//! Property tests over arbitrary CJK, full-width forms, punctuation, emoji, CRLF, redaction marks
//! and invalid bytes: tokens cover the text exactly; normalisation maps back exactly; no reader
//! panics.

use std::path::Path;

use gongwen::{ByteSpan, CharIndex, Format, SearchQuery, TokenKind, normalize, read_bytes};
use proptest::prelude::*;

use crate::util::segmenter;

/// Text made of what real documents hold, and what they hold by accident.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => prop::sample::select(vec![
            "两个确立", "一岗双责", "民主生活会", "习近平新时代中国特色社会主义思想", "学习", "对照检查",
            "比如", "一是", "（一）", "二、", "2023年", "ＡＢＣ", "１２３", "３．５％", "**", "××", "XX", "＊＊",
            "○○", "二〇二三", "GDP", "x86", "😀", "\r\n", "\n", "\r", "　", " ", "\t", "\u{FEFF}", "\u{200B}",
            "，", "。", "、", "“", "”", "《", "》", "——", "…", "·", "\u{00A0}", "\u{00AD}",
        ]).prop_map(str::to_string),
        3 => "[\u{4E00}-\u{9FA5}]{1,6}",
        1 => "[\u{FF01}-\u{FF5E}]{1,3}",
        1 => "\\PC{1,4}",
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn check_cover(
    text: &str,
    spans: impl Iterator<Item = (ByteSpan, String)>,
) -> Result<(), TestCaseError> {
    let mut at = 0;
    let mut joined = String::new();
    for (span, piece) in spans {
        prop_assert_eq!(span.start, at, "tokens are ordered without gap or overlap");
        prop_assert!(span.end > span.start, "no empty token");
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        prop_assert_eq!(span.slice(text), piece.as_str());
        joined.push_str(&piece);
        at = span.end;
    }
    prop_assert_eq!(at, text.len());
    prop_assert_eq!(joined, text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn tokens_cover_the_text_exactly(text in text()) {
        let s = segmenter();
        check_cover(&text, s.segment(&text).iter().map(|t| (t.span, t.text.to_string())))?;
        check_cover(&text, s.tag(&text).iter().map(|t| (t.span, t.text.to_string())))?;
        for t in s.segment(&text) {
            if t.kind == TokenKind::Redaction {
                prop_assert!(t.text.chars().all(|c| "*＊×Xx○〇□■".contains(c)));
            }
        }
    }

    #[test]
    fn tokens_of_normalised_text_cover_it(text in text()) {
        let n = normalize(&text);
        check_cover(&n.text, segmenter().segment(&n.text).iter().map(|t| (t.span, t.text.to_string())))?;
    }

    #[test]
    fn offsets_survive_normalisation(text in text()) {
        let n = normalize(&text);
        for (i, c) in n.text.char_indices() {
            let span = ByteSpan::new(i, i + c.len_utf8());
            let source = n.map.to_source(span);
            prop_assert!(text.is_char_boundary(source.start) && text.is_char_boundary(source.end));
            let back = normalize(source.slice(&text));
            // The one rule that depends on context: ． between two digits is a decimal point.
            let decimal_point = source.slice(&text) == "．" && c == '.';
            prop_assert!(
                back.text.as_ref() == &n.text[span.range()] || decimal_point,
                "char {:?} maps to {:?}", c, source.slice(&text)
            );
        }
        let whole = n.map.to_source(ByteSpan::new(0, n.text.len()));
        prop_assert!(whole.end <= text.len());
        let again = normalize(whole.slice(&text));
        prop_assert_eq!(again.text.as_ref(), n.text.as_ref());
    }

    #[test]
    fn readers_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for format in [Format::Txt, Format::Docx, Format::Pdf, Format::Html] {
            if let Ok(doc) = read_bytes(Path::new("x"), &bytes, format) {
                prop_assert!(!doc.text.trim().is_empty());
                prop_assert!(!doc.text.contains('\r'));
            }
        }
    }

    #[test]
    fn text_with_invalid_bytes_reads_or_fails_cleanly(text in text(), junk in prop::collection::vec(128u8..=255, 0..8), at in 0usize..64) {
        let mut bytes = encoding_rs::GB18030.encode(&text).0.into_owned();
        let at = at.min(bytes.len());
        bytes.splice(at..at, junk);
        if let Ok(doc) = read_bytes(Path::new("gbk.txt"), &bytes, Format::Txt) {
            let ix = CharIndex::new(&doc.text);
            prop_assert_eq!(ix.char_len(), doc.text.chars().count());
        }
    }
}

/// Leftmost non-overlapping occurrences of `needle` in `text` with white space ignored, by brute
/// force over the text's non-white characters.
fn brute_occurrences(text: &str, needle: &[char]) -> Vec<ByteSpan> {
    let compact: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= compact.len() {
        if compact[i..i + needle.len()]
            .iter()
            .map(|&(_, c)| c)
            .eq(needle.iter().copied())
        {
            let (last, c) = compact[i + needle.len() - 1];
            out.push(ByteSpan::new(compact[i].0, last + c.len_utf8()));
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn occurrences_are_those_of_the_text_without_white_space(
        text in prop::collection::vec(prop::sample::select(vec!["哈", "好", "。", " ", "\n", "\t", "　", "\n\n"]), 0..60),
        needle in prop::collection::vec(prop::sample::select(vec!['哈', '好', '。']), 1..5),
    ) {
        let text = text.concat();
        let q: String = needle.iter().collect();
        let Ok(query) = SearchQuery::parse(&q) else { return Ok(()) };
        prop_assert_eq!(query.occurrences(&text), brute_occurrences(&text, &needle));
    }
}
