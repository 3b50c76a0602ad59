//! The political dictionary keeps its terms whole in ordinary sentences; user dictionaries work.

use gongwen::{POLITICAL, SegmenterBuilder, TokenKind, parse_dictionary};

use crate::util::{plain_segmenter, segmenter};

/// Ordinary sentences a term stands in, at the start, middle and end, after and before common
/// characters.
const CONTEXTS: &[&str] = &[
    "我们要认真学习{}，进一步推动工作落实。",
    "关于{}的学习体会",
    "{}是今年工作的重点",
    "会议强调，要把{}贯穿始终。",
    "结合实际深入推进{}",
];

#[test]
fn every_political_entry_comes_out_whole() {
    let s = segmenter();
    let entries = parse_dictionary("<political.txt>", POLITICAL.as_bytes()).unwrap();
    assert!(entries.len() >= 600, "{} entries", entries.len());
    let mut split = Vec::new();
    for e in &entries {
        for ctx in CONTEXTS {
            let sentence = ctx.replace("{}", &e.word);
            let start = sentence.find(&e.word).unwrap();
            let whole = s
                .segment(&sentence)
                .iter()
                .any(|t| t.span.start == start && t.text == e.word);
            if !whole {
                let cut: Vec<&str> = s.segment(&sentence).iter().map(|t| t.text).collect();
                split.push(format!("{} in {sentence}: {}", e.word, cut.join("/")));
            }
        }
    }
    assert!(
        split.is_empty(),
        "{} splits:\n{}",
        split.len(),
        split.join("\n")
    );
}

#[test]
fn the_dictionary_is_what_keeps_terms_whole() {
    // Guards against a test that cannot fail: plain jieba-rs splits many of these.
    let sentence = "落实一岗双责，坚持两个确立，以案促改，开好专题民主生活会。";
    let plain: Vec<&str> = plain_segmenter()
        .segment(sentence)
        .iter()
        .map(|t| t.text)
        .collect();
    let ours: Vec<&str> = segmenter()
        .segment(sentence)
        .iter()
        .map(|t| t.text)
        .collect();
    assert!(
        !plain.contains(&"两个确立") || !plain.contains(&"以案促改"),
        "{plain:?}"
    );
    for term in ["一岗双责", "两个确立", "以案促改", "专题民主生活会"] {
        assert!(ours.contains(&term), "{term}: {ours:?}");
    }
}

#[test]
fn dictionary_entries_have_valid_frequencies_and_tags_and_no_duplicates() {
    let entries = parse_dictionary("<political.txt>", POLITICAL.as_bytes()).unwrap();
    let mut seen = std::collections::HashSet::new();
    for e in &entries {
        assert!(e.freq.is_some_and(|f| f > 0), "{}", e.word);
        assert!(e.pos.is_some(), "{}", e.word);
        assert!(seen.insert(&e.word), "duplicate {}", e.word);
        assert!(
            !e.word.contains(['、', '，', '《']),
            "{}: jieba cannot keep punctuation inside a word",
            e.word
        );
    }
}

#[test]
fn user_dictionary_words_with_and_without_frequency() {
    let mut b = SegmenterBuilder::new();
    b.dictionary("mine.txt", "城南农贸市场\n管网入户 n\n".as_bytes())
        .unwrap();
    let s = b.build().unwrap();
    let words: Vec<&str> = s
        .segment("城南农贸市场改造和管网入户问题")
        .iter()
        .map(|t| t.text)
        .collect();
    assert!(
        words.contains(&"城南农贸市场") && words.contains(&"管网入户"),
        "{words:?}"
    );
    // A default-dictionary word given without a frequency is not overwritten with 0 and split.
    let mut b = SegmenterBuilder::new();
    b.dictionary("mine.txt", "一岗双责\n".as_bytes()).unwrap();
    let words: Vec<&str> = b
        .build()
        .unwrap()
        .segment("落实一岗双责")
        .iter()
        .map(|t| t.text)
        .collect();
    assert!(words.contains(&"一岗双责"), "{words:?}");
}

#[test]
fn pos_tags_come_from_our_dictionary() {
    let tokens = segmenter().tag("坚持两个确立，落实一岗双责，巡察组进驻");
    let tag = |w: &str| {
        tokens
            .iter()
            .find(|t| t.text == w)
            .and_then(|t| t.pos)
            .map(|p| p.as_str())
    };
    assert_eq!(tag("两个确立"), Some("j"));
    assert_eq!(tag("一岗双责"), Some("l"));
    assert_eq!(tag("巡察组"), Some("nt"));
    assert!(
        tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Punct)
            .all(|t| t.pos.map(|p| p.as_str()) == Some("x"))
    );
}
