//! Problem passages inside other sections: a government work report lists its 问题和不足 inside
//! the 工作回顾 chapter (我们也清醒看到，…还存在不少困难和问题。一是…二是…). Each such paragraph
//! becomes a nested section of kind problems, whose items are its 一是/二是 markers, else the
//! clauses after 主要是：, else its sentences.

use std::sync::LazyLock;

use regex::Regex;

use super::{Item, Section, SectionKind, items_in, make_item, trim, trim_end};
use crate::span::ByteSpan;

/// The admission that opens a problems passage, in its first two sentences.
static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:清醒地?(?:看到|认识到)|也要看到|必须看到|应当看到|同时也要|也必须看到)",
        r"[^。]{0,40}?(?:问题|困难|不足|缺点|矛盾|挑战|差距)",
        r"|(?:还|仍然?|也)(?:存在|有)(?:着)?(?:不少|一些|许多|很多)?[^。]{0,12}?(?:问题|困难|不足|缺点|差距)",
    ))
    .expect("static regex")
});

static ENUMERATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"主要(?:是|有|表现在|表现为)[：:，,]").expect("static regex"));

/// Sentences that turn from the problems to what will be done about them: 对此…, 必须…, and
/// 我们… (我们一定, 我们既要正视困难问题) other than 我们的….
fn is_resolution(sentence: &str) -> bool {
    ["对此", "必须", "要高度重视", "务必"]
        .iter()
        .any(|r| sentence.starts_with(r))
        || sentence
            .strip_prefix("我们")
            .is_some_and(|rest| !rest.starts_with('的'))
}

/// The problems passages in `body`, as sections at `level`.
pub(super) fn problem_passages(text: &str, body: ByteSpan, level: usize) -> Vec<Section> {
    let mut out = Vec::new();
    let mut offset = body.start;
    for line in text[body.range()].split_inclusive('\n') {
        let para = trim(text, ByteSpan::new(offset, offset + line.len()));
        offset += line.len();
        if para.is_empty() {
            continue;
        }
        if let Some(section) = passage(text, para, level) {
            out.push(section);
        }
    }
    out
}

fn passage(text: &str, para: ByteSpan, level: usize) -> Option<Section> {
    let p = &text[para.range()];
    // The trigger must stand in the first two sentences: a passage opens with it.
    let head_end = p.match_indices('。').nth(1).map_or(p.len(), |(i, _)| i);
    let m = TRIGGER.find(&p[..head_end])?;
    let first_end = p[m.start()..]
        .find('。')
        .map_or(p.len(), |i| m.start() + i + '。'.len_utf8());
    let heading = trim(text, ByteSpan::new(para.start, para.start + first_end));
    let heading = ByteSpan::new(
        heading.start,
        heading.end - text[heading.range()].ends_with('。') as usize * '。'.len_utf8(),
    );
    let rest = ByteSpan::new(para.start + first_end, para.end);
    let mut items = items_in(text, rest);
    if items.is_empty() {
        items = enumerated(text, rest).unwrap_or_else(|| sentences(text, rest));
    }
    if items.is_empty() {
        return None;
    }
    Some(Section {
        level,
        marker: ByteSpan::new(para.start, para.start),
        heading,
        kind: SectionKind::Problems,
        span: para,
        sections: Vec::new(),
        items,
    })
}

/// 主要是：A；B；C。 → A, B, C.
fn enumerated(text: &str, rest: ByteSpan) -> Option<Vec<Item>> {
    let s = &text[rest.range()];
    let m = ENUMERATION.find(s)?;
    let start = rest.start + m.end();
    let sentence_end = text[start..rest.end]
        .find('。')
        .map_or(rest.end, |i| start + i + '。'.len_utf8());
    let mut items = Vec::new();
    let mut at = start;
    for clause in text[start..sentence_end].split_inclusive('；') {
        let span = trim(text, ByteSpan::new(at, at + clause.len()));
        at += clause.len();
        if !span.is_empty() {
            items.push(make_item(text, ByteSpan::new(span.start, span.start), span));
        }
    }
    (items.len() >= 2).then_some(items)
}

/// Each sentence of `rest` up to the first that turns to resolutions.
fn sentences(text: &str, rest: ByteSpan) -> Vec<Item> {
    let mut items = Vec::new();
    let mut at = rest.start;
    for sentence in text[rest.range()].split_inclusive(['。', '！', '？']) {
        let span = trim(text, ByteSpan::new(at, at + sentence.len()));
        at += sentence.len();
        if span.is_empty() {
            continue;
        }
        if is_resolution(&text[span.range()]) {
            break;
        }
        items.push(make_item(
            text,
            ByteSpan::new(span.start, span.start),
            trim_end(text, span),
        ));
    }
    items
}
