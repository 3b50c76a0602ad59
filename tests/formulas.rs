//! The formula matcher (`FormulaSet::find`: anchors, then each template tried where its anchor
//! stands) against the one-automaton matcher it replaced (`find_with_automaton`), which defines
//! the expected output: the same matches, templates and spans, on real documents and on text built
//! from the templates' own pieces.

use std::path::Path;
use std::sync::LazyLock;

use gongwen::{FormulaMatch, FormulaSet};
use proptest::prelude::*;

use crate::util::shared_data;

static BUILTIN: LazyLock<FormulaSet> = LazyLock::new(FormulaSet::builtin);

/// The first difference between the two matchers on `text`, described, or `None`.
fn difference(set: &FormulaSet, text: &str) -> Option<String> {
    let new = set.find(text);
    let old = set.find_with_automaton(text, false);
    if new == old {
        return None;
    }
    let show = |m: Option<&FormulaMatch>| {
        m.map_or("nothing".to_string(), |m| {
            format!(
                "{} {:?} ({})",
                m.span.start,
                m.span.slice(text),
                set.formulas()[m.formula].template
            )
        })
    };
    let k = new.iter().zip(&old).take_while(|(a, b)| a == b).count();
    Some(format!(
        "{} matches against {}; first difference: new {}, former {}",
        new.len(),
        old.len(),
        show(new.get(k)),
        show(old.get(k))
    ))
}

/// The texts of the .txt files in `dir` (not recursive), as the archive stores them.
fn texts(dir: &Path) -> Vec<(String, String)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = gongwen::read_file(&p)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
                .text;
            (p.display().to_string(), text)
        })
        .collect()
}

#[test]
fn matches_the_former_automaton_on_the_demo_corpus() {
    let demo = texts(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo"));
    assert!(demo.len() >= 10, "{}", demo.len());
    let mut found = 0;
    for (path, text) in &demo {
        if let Some(d) = difference(&BUILTIN, text) {
            panic!("{path}: {d}");
        }
        found += BUILTIN.find(text).len();
    }
    assert!(
        found > 100,
        "the demo materials are full of formulas: {found}"
    );
}

#[test]
fn matches_the_former_automaton_on_the_real_documents() {
    let Some(data) = shared_data() else { return };
    let mut docs = 0;
    let mut found = 0;
    for dir in [
        "seed",
        "gwr_national/by_year",
        "gwr_national/resolutions",
        "gwr_provincial_2026/txt",
        "cpc_congress",
    ] {
        for (path, text) in texts(&data.join(dir)) {
            if let Some(d) = difference(&BUILTIN, &text) {
                panic!("{path}: {d}");
            }
            docs += 1;
            found += BUILTIN.find(&text).len();
        }
    }
    assert!(docs >= 110, "{docs} documents");
    assert!(found > 5_000, "{found} formulas in {docs} documents");
}

/// A template written out: each group as one of its alternatives (by `pick`), each slot as `slot`.
fn expand(
    template: &str,
    pick: &mut impl FnMut(usize) -> usize,
    slot: &mut impl FnMut() -> String,
) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("groups close");
        let inner = &rest[open + 1..close];
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_uppercase()) {
            out.push_str(&slot());
        } else {
            let alts: Vec<&str> = inner.split('|').collect();
            out.push_str(alts[pick(alts.len())]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_template_written_out_is_found_from_its_first_character() {
    for (t, formula) in BUILTIN.formulas().iter().enumerate() {
        for choice in [0, 1] {
            let text = expand(&formula.template, &mut |k| choice.min(k - 1), &mut || {
                "学习".into()
            });
            let found = BUILTIN.find(&text);
            // This template matches from 0, so a match starts there: this one, or one on an
            // earlier line.
            assert!(
                found
                    .first()
                    .is_some_and(|m| m.span.start == 0 && m.formula <= t),
                "{} written as {text}: {found:?}",
                formula.template
            );
        }
    }
}

/// What stands between and inside formulas: characters a slot may hold, characters it may not,
/// digits, sentence ends, white space.
const FILLER: &[&str] = &[
    "我",
    "的",
    "工作",
    "学",
    "A",
    "b",
    "7",
    "２",
    "，",
    "、",
    "。",
    "“",
    "”",
    "：",
    " ",
    "\n",
    "進",
    "𠀀",
    "㐀",
    "问题",
    "还",
    "不够",
    "进一步",
];

/// Text made of the dictionary's templates written out (some cut short, some joined), with
/// filler of every kind of character around and inside them.
fn template_text() -> impl Strategy<Value = String> {
    let n = BUILTIN.formulas().len();
    let part = prop_oneof![
        // A whole template, its groups and slots filled at random.
        (0..n, any::<u64>(), 0usize..8).prop_map(|(t, seed, slot_len)| {
            let mut state = seed;
            let mut next = move |k: usize| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 33) as usize) % k.max(1)
            };
            let mut pick = |k: usize| next(k);
            let mut fill = {
                let mut inner = seed;
                move || {
                    inner = inner.rotate_left(7) ^ 0x9e37_79b9;
                    (0..slot_len)
                        .map(|i| FILLER[(inner as usize + i * 5) % FILLER.len()])
                        .collect::<String>()
                }
            };
            expand(&BUILTIN.formulas()[t].template, &mut pick, &mut fill)
        }),
        // A template cut short: its first characters only.
        (0..n, 1usize..8).prop_map(|(t, keep)| {
            let whole = expand(&BUILTIN.formulas()[t].template, &mut |_| 0, &mut || {
                "学习".into()
            });
            whole.chars().take(keep).collect()
        }),
        prop::sample::select(FILLER).prop_map(str::to_string),
    ];
    prop::collection::vec(part, 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn matches_the_former_automaton_on_text_built_from_the_templates(text in template_text()) {
        prop_assert_eq!(difference(&BUILTIN, &text), None);
    }

    /// Small dictionaries where priorities clash: templates that start alike, slots at either
    /// end and side by side, optional groups first or last.
    #[test]
    fn matches_the_former_automaton_with_templates_that_compete(
        text in prop::collection::vec(prop::sample::select(vec!["还", "存在", "一些", "不足", "学", "得", "不够", "深", "，", "1", "问题"]), 0..30),
        order in Just(vec![
            "还存在一些{X}", "还存在一些不足", "{X}得还不够{Y}", "{还|}存在{一些|}问题",
            "{|还}存在一些", "学得不够{深|}", "{X}{Y}一些不足", "存在{一些|一些不足}问题",
        ]).prop_shuffle(),
    ) {
        let dictionary: String = order.iter().map(|t| format!("{t}\t测试\n")).collect();
        let set = FormulaSet::parse(dictionary.as_bytes(), "test").unwrap();
        prop_assert_eq!(difference(&set, &text.concat()), None);
    }
}
