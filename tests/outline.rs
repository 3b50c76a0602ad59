//! Outlines: golden files for the reference material, three national government work reports and
//! our own corpus of layouts (tests/outline_corpus), plus the properties every outline has.
//!
//! Golden files hold a compact outline (levels, markers, headings, kinds, character spans, item
//! claims and example spans; no document text). Refresh with `GONGWEN_BLESS=1 cargo test` and
//! review the diff.

use std::path::Path;

use gongwen::{CharIndex, Item, Outline, Section, SectionKind, read_file};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::util::shared_data;

fn compact_item(text: &str, ix: &CharIndex, i: &Item) -> Value {
    json!({
        "marker": i.marker.slice(text),
        "claim": i.claim.slice(text),
        "span": ix.char_span(i.span),
        "example": i.examples.first().map(|e| json!({"marker": e.marker.slice(text), "span": ix.char_span(e.span)})),
    })
}

fn compact_section(text: &str, ix: &CharIndex, s: &Section) -> Value {
    json!({
        "level": s.level,
        "marker": s.marker.slice(text),
        "heading": s.heading.slice(text),
        "kind": s.kind.as_str(),
        "span": ix.char_span(s.span),
        "items": s.items.iter().map(|i| compact_item(text, ix, i)).collect::<Vec<_>>(),
        "sections": s.sections.iter().map(|c| compact_section(text, ix, c)).collect::<Vec<_>>(),
    })
}

fn compact(text: &str, outline: &Outline) -> Value {
    let ix = CharIndex::new(text);
    json!({
        "preamble": outline.preamble.map(|p| ix.char_span(p)),
        "sections": outline.sections.iter().map(|s| compact_section(text, &ix, s)).collect::<Vec<_>>(),
    })
}

/// Compares `value` with the golden file `name`, or writes it when GONGWEN_BLESS=1.
fn golden(name: &str, value: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/outline")
        .join(format!("{name}.json"));
    let actual = serde_json::to_string_pretty(value).unwrap() + "\n";
    if std::env::var("GONGWEN_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (bless with GONGWEN_BLESS=1)", path.display()));
    assert!(
        expected == actual,
        "{name}: outline differs from {}:\n{actual}",
        path.display()
    );
}

/// Checks what every outline must satisfy: sections nest, siblings are ordered and do not overlap,
/// heading sections abut, items lie in their section and do not overlap, examples lie in their
/// items, every span is on char boundaries.
fn check_invariants(text: &str, outline: &Outline) {
    fn check_section(text: &str, s: &Section, parent: (usize, usize)) {
        assert!(
            s.span.start >= parent.0 && s.span.end <= parent.1,
            "section {:?} outside its parent {parent:?}",
            s.span
        );
        for span in [s.span, s.marker, s.heading] {
            assert!(span.get(text).is_some(), "span {span:?} is not valid");
        }
        let mut at = s.span.start;
        for i in &s.items {
            assert!(
                i.span.start >= at && i.span.end <= s.span.end,
                "item {:?} overlaps or leaves {:?}",
                i.span,
                s.span
            );
            assert!(i.claim.start >= i.span.start && i.claim.end <= i.span.end);
            for e in &i.examples {
                assert!(
                    e.span.start >= i.span.start
                        && e.span.end <= i.span.end
                        && e.marker.start == e.span.start
                );
            }
            at = i.span.end;
        }
        let mut prev_end = s.span.start;
        for c in &s.sections {
            assert!(
                c.span.start >= prev_end,
                "subsections overlap in {:?}",
                s.span
            );
            assert_eq!(c.level, s.level + 1);
            prev_end = c.span.end;
            check_section(text, c, (s.span.start, s.span.end));
        }
        let headed: Vec<&Section> = s.sections.iter().filter(|c| !c.marker.is_empty()).collect();
        for w in headed.windows(2) {
            assert_eq!(w[0].span.end, w[1].span.start, "heading sections abut");
        }
        if let Some(last) = headed.last() {
            assert_eq!(
                last.span.end, s.span.end,
                "the last heading section ends with its parent"
            );
        }
    }
    let first = outline.sections.first().expect("at least one section");
    if let Some(p) = outline.preamble {
        assert!(p.end <= first.span.start);
    }
    for w in outline.sections.windows(2) {
        assert_eq!(w[0].span.end, w[1].span.start, "top sections abut");
    }
    assert_eq!(
        outline.sections.last().unwrap().span.end,
        text.len(),
        "the last section runs to the end"
    );
    for s in &outline.sections {
        assert_eq!(s.level, 1);
        check_section(text, s, (0, text.len()));
    }
}

#[test]
fn the_reference_material() {
    let Some(dir) = shared_data() else { return };
    let text = read_file(&dir.join("seed/000_10c424be91a3d583.txt"))
        .unwrap()
        .text;
    let outline = Outline::parse(&text);
    check_invariants(&text, &outline);
    let kinds: Vec<SectionKind> = outline.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Matters,
            SectionKind::Problems,
            SectionKind::Causes,
            SectionKind::Measures
        ]
    );
    let problems = &outline.sections[1];
    assert_eq!(problems.sections.len(), 7, "seven aspects under 二、");
    for aspect in &problems.sections {
        assert_eq!(
            aspect.items.len(),
            3,
            "three items in {}",
            aspect.heading.slice(&text)
        );
        assert_eq!(aspect.kind, SectionKind::Problems);
    }
    assert_eq!(outline.sections[2].items.len(), 4, "三、 has four items");
    // Every 比如 in 二、 is the example of the item it stands in, and no example is invented.
    let bi_ru: Vec<usize> = text[problems.span.range()]
        .match_indices("比如")
        .map(|(i, _)| problems.span.start + i)
        .collect();
    let examples: Vec<usize> = problems
        .sections
        .iter()
        .flat_map(|a| &a.items)
        .flat_map(|i| &i.examples)
        .map(|e| e.marker.start)
        .collect();
    assert_eq!(examples, bi_ru);
    for aspect in &problems.sections {
        for item in &aspect.items {
            for e in &item.examples {
                assert!(item.span.start <= e.span.start && e.span.end <= item.span.end);
            }
        }
    }
    golden("seed", &compact(&text, &outline));
}

#[test]
fn problem_passages_of_national_reports_in_three_decades() {
    let Some(dir) = shared_data() else { return };
    for (year, items) in [(1999, 7), (2005, 3), (2025, 13)] {
        let path = std::fs::read_dir(dir.join("gwr_national/by_year"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with(&year.to_string())
            })
            .unwrap();
        let text = read_file(&path).unwrap().text;
        let outline = Outline::parse(&text);
        check_invariants(&text, &outline);
        let passages: Vec<&Section> = outline
            .walk()
            .into_iter()
            .filter(|s| s.kind == SectionKind::Problems && s.marker.is_empty())
            .collect();
        assert!(!passages.is_empty(), "{year}: no problems passage found");
        let first = passages[0];
        assert!(
            text[first.heading.range()].contains("清醒"),
            "{year}: {}",
            &text[first.heading.range()]
        );
        assert_eq!(first.items.len(), items, "{year}: items of the passage");
        let ix = CharIndex::new(&text);
        let value = Value::Array(
            passages
                .iter()
                .map(|s| compact_section(&text, &ix, s))
                .collect(),
        );
        golden(&format!("gwr_{year}"), &value);
    }
}

#[test]
fn our_corpus_of_layouts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/outline_corpus");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 21);
    for path in names {
        let text = read_file(&path).unwrap().text;
        let outline = Outline::parse(&text);
        check_invariants(&text, &outline);
        golden(
            path.file_stem().unwrap().to_str().unwrap(),
            &compact(&text, &outline),
        );
    }
}

/// The first `n` characters of a span's text.
fn head(text: &str, span: gongwen::ByteSpan, n: usize) -> String {
    text[span.range()].chars().take(n).collect()
}

/// Layouts 15–21 (aspects followed by numbered item lines in every numbering style, mixed styles,
/// items without claim sentences, a 班子 material) against expectations written by hand from the
/// text (tests/outline_corpus/expected_items.json): for each aspect of the problems part, its
/// heading and the first six characters of each item's claim.
#[test]
fn numbered_items_below_aspects_on_every_layout() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/outline_corpus");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected_items.json")).unwrap())
            .unwrap();
    let mut items = 0;
    for (file, want) in expected.as_object().unwrap() {
        let text = read_file(&dir.join(file)).unwrap().text;
        let outline = Outline::parse(&text);
        let got: Vec<Value> = outline
            .walk()
            .into_iter()
            .filter(|s| s.kind == SectionKind::Problems && !s.items.is_empty())
            .map(|s| {
                json!({
                    "heading": head(&text, s.heading, 6),
                    "items": s.items.iter().map(|i| head(&text, i.claim, 6)).collect::<Vec<_>>(),
                })
            })
            .collect();
        assert_eq!(
            Value::Array(got),
            want["sections"],
            "{file}: problem aspects and their items"
        );
        items += want["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["items"].as_array().unwrap().len())
            .sum::<usize>();
    }
    assert!(items >= 60, "{items} items expected in all");
}

fn document_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        3 => prop::sample::select(vec![
            "一、", "二、", "三、", "（一）", "（二）", "(三)", "1.", "2、", "（1）", "①", "②", "第一部分",
            "一是", "二是", "三是", "首先，", "其次，", "最后，", "第一，", "第二，", "比如，", "例如", "如：", "特别是",
            "像这样", "但从严对照，", "但是", "存在的问题", "原因分析", "整改措施", "工作回顾", "个人有关事项",
            "我们也清醒看到，还存在不少困难和问题。", "主要是：", "；", "。", "，", "\n", "\n\n", "  ", "**",
        ]).prop_map(str::to_string),
        2 => "[\u{4E00}-\u{9FA5}]{1,8}",
        1 => "\\PC{1,6}",
    ];
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn outlines_of_random_text_hold_their_invariants(text in document_text()) {
        let outline = Outline::parse(&text);
        check_invariants(&text, &outline);
    }
}
