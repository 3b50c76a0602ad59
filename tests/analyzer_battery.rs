//! The analyzer battery of STYLE.md §7 for the formulaic analyzers — the formula matcher, the
//! outline and the specificity verdicts: empty, white space only, one sentence, 5 MB, random
//! bytes, a document with 10,000 items, a problems section with no items. None may panic; every
//! span lies on character boundaries inside the text; verdicts are given for the items of
//! problems sections and for nothing else.

use gongwen::{ByteSpan, FormulaSet, Outline, SectionKind, specificity};

use crate::util::segmenter;

/// Asserts that `span` is a valid span of `text`: ordered, inside, on character boundaries.
fn valid(text: &str, span: ByteSpan, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} not on character boundaries"
    );
}

fn inside(outer: ByteSpan, inner: ByteSpan, what: &str) {
    assert!(
        outer.start <= inner.start && inner.end <= outer.end,
        "{what} {inner:?} outside {outer:?}"
    );
}

/// Runs the three analyzers on `text` and checks every span they return. Returns the number of
/// verdicts.
fn battery(text: &str) -> usize {
    let formulas = FormulaSet::builtin();
    let found = formulas.find(text);
    for m in &found {
        valid(text, m.span, "formula match");
        assert!(m.formula < formulas.formulas().len());
    }

    let outline = Outline::parse(text);
    let mut problem_items = Vec::new();
    for s in outline.walk() {
        valid(text, s.span, "section");
        valid(text, s.marker, "section marker");
        valid(text, s.heading, "section heading");
        for i in &s.items {
            valid(text, i.span, "item");
            valid(text, i.marker, "item marker");
            valid(text, i.claim, "item claim");
            inside(s.span, i.span, "item");
            for e in &i.examples {
                valid(text, e.span, "example");
                valid(text, e.marker, "example marker");
                inside(i.span, e.span, "example");
            }
            if s.kind == SectionKind::Problems {
                problem_items.push(i.span);
            }
        }
    }
    if let Some(p) = outline.preamble {
        valid(text, p, "preamble");
    }

    let report = specificity(text, &outline, segmenter(), 100);
    assert!(report.per_100_words.is_finite());
    assert_eq!(
        report.items.len(),
        problem_items.len(),
        "one verdict per item of a problems section"
    );
    for (v, span) in report.items.iter().zip(&problem_items) {
        assert_eq!(v.span, *span, "verdicts in the order of the items");
        valid(text, v.scope, "scope");
        valid(text, v.claim, "claim");
        valid(text, v.section, "section heading");
        inside(v.span, v.scope, "scope");
        for e in &v.evidence {
            valid(text, e.span, "evidence");
            inside(v.span, e.span, "evidence");
        }
        assert_eq!(
            v.evidence.is_empty(),
            v.verdict == gongwen::Verdict::None,
            "evidence for concrete and generic verdicts only"
        );
    }
    report.items.len()
}

/// A fixed xorshift stream: the same "random" input on every run.
fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}

#[test]
fn empty_and_white_space_only() {
    assert_eq!(battery(""), 0);
    assert_eq!(battery(" \n\t\n   \n"), 0);
    assert_eq!(battery("\u{3000}\u{3000}\n\r\n"), 0);
}

#[test]
fn one_sentence() {
    assert_eq!(battery("学得还不够深、悟得还不够透、用得还不够实。"), 0);
    assert_eq!(battery("一、存在的问题"), 0);
    assert_eq!(battery("镇"), 0);
    assert_eq!(battery("2024年5月"), 0);
}

#[test]
fn random_bytes_and_random_fragments() {
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
    let bytes: Vec<u8> = (0..256 * 1024).map(|_| next() as u8).collect();
    battery(&String::from_utf8_lossy(&bytes));

    // Fragments the analyzers look for, in random order: markers, turns, suffixes of names,
    // dates, redactions, multi-byte punctuation, combining marks and emoji.
    const FRAGMENTS: &[&str] = &[
        "一、",
        "二、",
        "（一）",
        "（二）",
        "1.",
        "2、",
        "（1）",
        "①",
        "一是",
        "二是",
        "比如",
        "例如",
        "但",
        "但对照",
        "能够",
        "存在的问题",
        "不足",
        "镇",
        "乡",
        "村",
        "社区",
        "工程",
        "项目",
        "水库",
        "“",
        "”",
        "、",
        "等",
        "。",
        "，",
        "；",
        "\n",
        " ",
        "2024年",
        "5月",
        "底",
        "3次",
        "45%",
        "**",
        "××",
        "两个",
        "确立",
        "云溪",
        "结合",
        "全县",
        "每年",
        "施行的",
        "信访事件",
        "e\u{301}",
        "😀",
        "\u{200b}",
        "还不够",
        "有时",
        "不",
    ];
    for round in 0..20 {
        let text: String = (0..2_000 + round * 500)
            .map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize])
            .collect();
        battery(&text);
    }
}

/// A problems section with aspects and numbered items, each with a claim and an elaboration that
/// holds the kinds of anchors the rules look for.
fn material(aspects: usize, items: usize) -> String {
    const CN: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let chinese = |n: usize| -> String {
        match (n / 10, n % 10) {
            (0, u) => CN[u].to_string(),
            (1, u) => format!("十{}", CN[u]),
            (t, u) => format!("{}十{}", CN[t], CN[u]),
        }
    };
    let mut text = String::from("县委书记2024年度民主生活会对照检查材料\n");
    for top in ["一", "二"] {
        text.push_str(&format!("{top}、存在的问题\n"));
        for a in 1..=aspects {
            text.push_str(&format!(
                "（{}）在担当作为方面。能够带头落实，全年调研36次，但对照要求还存在以下不足。\n",
                chinese(a)
            ));
            for i in 1..=items {
                let body = match i % 4 {
                    0 => format!(
                        "2024年{}月石桥镇新塘村反映的饮水问题，我协调不力，拖了{i}天。",
                        i % 12 + 1
                    ),
                    1 => "比如对乡村振兴、基层治理等工作研究不深，结合镇情转化不够。".to_string(),
                    2 => "学得还不够深、悟得还不够透，有待进一步提高。".to_string(),
                    _ => "在**村项目推进中协调不力，全县18个乡镇中有5个未完成。".to_string(),
                };
                text.push_str(&format!("{i}.推动落实不够有力。{body}\n"));
            }
        }
    }
    text.push_str("三、整改措施\n一是加强学习。二是改进作风。\n");
    text
}

#[test]
fn a_document_with_ten_thousand_items() {
    let text = material(99, 51);
    let n = battery(&text);
    assert!(n >= 10_000, "{n} verdicts");
}

#[test]
fn five_megabytes() {
    let one = material(9, 12);
    let text = one.repeat(5 * 1024 * 1024 / one.len() + 1);
    assert!(text.len() >= 5 * 1024 * 1024);
    assert!(battery(&text) > 0);
    // And as one line without a break.
    let line = text.replace('\n', "");
    battery(&line[..line.floor_char_boundary(5 * 1024 * 1024)]);
}

#[test]
fn a_problems_section_without_items() {
    // No items at all: no verdict.
    assert_eq!(
        battery("一、存在的问题\n二、原因分析\n思想上放松了要求。\n"),
        0
    );
    // A heading, then nothing.
    assert_eq!(battery("对照检查材料\n一、存在的问题\n"), 0);
    // Text without item markers: whatever the outline finds, verdicts only for its items.
    battery(
        "一、存在的问题\n对照检查，还存在一些不足，主要是学习不够深入。\n二、整改措施\n加强学习。\n",
    );
}
