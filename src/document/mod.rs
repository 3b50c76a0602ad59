//! Document structure: the outline of headings (一、 （一） 1. （1） ①) with typed sections, the
//! items inside them (一是/二是, 首先/其次, 第一/第二), and the example each item gives (比如 …).
//!
//! - A **section** starts at a heading marker at the start of a line and runs to the next heading
//!   of the same or a higher level. Levels come from the order in which marker families nest in the
//!   document (a style stack), not from fixed ranks: a material that starts at （一） has （一） at
//!   level 1. The heading is the whole line, or, when the line runs on (（一）在“理论学习”方面。
//!   能够…), its first sentence.
//! - Sibling sections abut; the first child starts at its heading, the last ends with its parent.
//!   The text before the first heading is the **preamble**. Problem passages found inside other
//!   sections (a government work report's 我们也清醒看到…) are nested sections of their own that
//!   cover only their paragraph.
//! - A **kind** comes from the heading's words, else from the parent section.
//! - An **item** starts at an item marker at a clause start in the section's own text (before its
//!   first subsection) and runs to the next item or the end of that text. The praise before the
//!   first item (能够…但从严对照…) belongs to no item. Numbered leaf subsections of a problems,
//!   causes or measures section that have no items of their own are that section's items.
//! - An **example** is the part of an item from 比如/例如/譬如/如：/以…为例 (or, after the item's
//!   turn from praise to problem, 特别是/像…这样) to the item's end.

mod kind;
pub(crate) mod markers;
mod passage;

use crate::span::ByteSpan;

pub use kind::SectionKind;
use markers::{
    ExampleStrength, HeadingFamily, ItemMarker, example_markers, heading_marker, item_markers,
};

/// The outline of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outline {
    /// The text before the first heading, if any.
    pub preamble: Option<ByteSpan>,
    /// Top-level sections, in order.
    pub sections: Vec<Section>,
}

/// A section of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Depth, 1 for top-level sections.
    pub level: usize,
    /// The numbering as written (`二、`, `（三）`); empty for a passage without a heading.
    pub marker: ByteSpan,
    /// The heading text, without marker and final punctuation.
    pub heading: ByteSpan,
    /// What the section is about.
    pub kind: SectionKind,
    /// From the marker to the start of the next section of the same or a higher level.
    pub span: ByteSpan,
    /// Subsections.
    pub sections: Vec<Section>,
    /// Items of the section's own text.
    pub items: Vec<Item>,
}

/// An item: one problem, cause or measure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The numbering as written (`一是`, `1.`); empty for an item without one.
    pub marker: ByteSpan,
    /// The opening phrase: up to the first sentence end.
    pub claim: ByteSpan,
    /// From the marker to the next item or the end of the section's own text.
    pub span: ByteSpan,
    /// The examples it gives, in order.
    pub examples: Vec<Example>,
}

/// An example an item gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// The word that announces it (`比如`).
    pub marker: ByteSpan,
    /// From the marker to the end of the item.
    pub span: ByteSpan,
}

impl Outline {
    /// Parses the outline of `text`. Never fails: text without structure is one section of kind
    /// [`SectionKind::Other`].
    pub fn parse(text: &str) -> Outline {
        let headings = find_headings(text);
        if headings.is_empty() {
            let span = ByteSpan::new(0, text.len());
            let mut section = Section {
                level: 1,
                marker: ByteSpan::new(0, 0),
                heading: ByteSpan::new(0, 0),
                kind: SectionKind::Other,
                span,
                sections: Vec::new(),
                items: Vec::new(),
            };
            finish(text, &mut section, None);
            return Outline {
                preamble: None,
                sections: vec![section],
            };
        }
        let preamble = trim_end(text, ByteSpan::new(0, headings[0].marker.start));
        let mut sections = build_tree(&headings, 1, text.len());
        for s in &mut sections {
            finish(text, s, None);
        }
        Outline {
            preamble: (!preamble.is_empty()).then_some(preamble),
            sections,
        }
    }

    /// Every section, depth first.
    pub fn walk(&self) -> Vec<&Section> {
        fn go<'a>(s: &'a Section, out: &mut Vec<&'a Section>) {
            out.push(s);
            for c in &s.sections {
                go(c, out);
            }
        }
        let mut out = Vec::new();
        for s in &self.sections {
            go(s, &mut out);
        }
        out
    }
}

/// A heading found in the text, before the tree is built.
#[derive(Clone, Copy, Debug)]
struct Heading {
    family: HeadingFamily,
    marker: ByteSpan,
    heading: ByteSpan,
}

fn find_headings(text: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(m) = heading_marker(line, start) else {
            continue;
        };
        let line_end = start + line.trim_end().len();
        let rest = ByteSpan::new(m.span.end, line_end);
        out.push(Heading {
            family: m.family,
            marker: m.span,
            heading: heading_text(text, rest),
        });
    }
    out
}

/// The heading in `rest` (the line after the marker): the whole line, or its first sentence when
/// the line runs on. Trimmed, without final punctuation.
fn heading_text(text: &str, rest: ByteSpan) -> ByteSpan {
    let s = &text[rest.range()];
    let end = s
        .find(['。', '！', '？', '；', '：', ':'])
        .filter(|&i| i > 0)
        .unwrap_or(s.len());
    trim(text, ByteSpan::new(rest.start, rest.start + end))
}

/// Builds the sections of one level from `headings`, which all lie inside the parent and end
/// at `end`. The first heading's family is this level's: every heading of that family is a
/// sibling, and the headings between two siblings are the first one's descendants. This is a
/// style stack: a family met again closes back to its level, a new one opens a deeper level.
fn build_tree(headings: &[Heading], level: usize, end: usize) -> Vec<Section> {
    let Some(first) = headings.first() else {
        return Vec::new();
    };
    let siblings: Vec<usize> = (0..headings.len())
        .filter(|&i| headings[i].family == first.family)
        .collect();
    let mut out = Vec::with_capacity(siblings.len());
    for (k, &i) in siblings.iter().enumerate() {
        let h = &headings[i];
        let (next, section_end) = match siblings.get(k + 1) {
            Some(&n) => (n, headings[n].marker.start),
            None => (headings.len(), end),
        };
        out.push(Section {
            level,
            marker: h.marker,
            heading: h.heading,
            kind: SectionKind::Other,
            span: ByteSpan::new(h.marker.start, section_end),
            sections: build_tree(&headings[i + 1..next], level + 1, section_end),
            items: Vec::new(),
        });
    }
    out
}

/// Fills in kinds, items, examples and nested problem passages, top down.
fn finish(text: &str, section: &mut Section, parent: Option<SectionKind>) {
    let heading = &text[section.heading.range()];
    // A subsection of a typed section keeps its parent's kind (带头梳理问题 under 努力方向 is a
    // measure) unless its heading ends by naming another (…存在的问题和不足).
    section.kind = match parent {
        Some(p) if p != SectionKind::Other => kind::kind_named_at_end(heading).unwrap_or(p),
        // What the heading ends by naming first (检视剖析的问题 is about problems, not causes).
        _ => kind::kind_named_at_end(heading)
            .or_else(|| kind::kind_of_heading(heading))
            .unwrap_or(SectionKind::Other),
    };
    for child in &mut section.sections {
        finish(text, child, Some(section.kind));
    }
    let own_end = section
        .sections
        .first()
        .map_or(section.span.end, |c| c.span.start);
    let body = ByteSpan::new(heading_end(text, section).min(own_end), own_end);
    // Reports admit their problems inside the review of the year (or in untyped text); a measures
    // or causes section that mentions 问题 is not such a passage.
    let passages = match section.kind {
        SectionKind::Achievements | SectionKind::Other => {
            passage::problem_passages(text, body, section.level + 1)
        }
        _ => Vec::new(),
    };
    // The section's own items come from its text outside the passages.
    let mut at = body.start;
    for p in &passages {
        section
            .items
            .extend(items_in(text, ByteSpan::new(at, p.span.start.max(at))));
        at = p.span.end;
    }
    section
        .items
        .extend(items_in(text, ByteSpan::new(at.min(body.end), body.end)));
    if section.items.is_empty() && passages.is_empty() {
        leaf_sections_as_items(text, section);
    }
    if section.items.is_empty()
        && section.sections.is_empty()
        && section.kind == SectionKind::Problems
    {
        section.items.extend(implicit_item(text, body));
    }
    if !passages.is_empty() {
        section.sections.extend(passages);
        section.sections.sort_by_key(|s| s.span.start);
    }
}

/// Where a section's heading ends and its own text starts.
fn heading_end(text: &str, section: &Section) -> usize {
    if section.heading.is_empty() && section.marker.is_empty() {
        return section.span.start;
    }
    let after = section.heading.end.max(section.marker.end);
    // Skip the heading's terminating punctuation, if any.
    let rest = &text[after..section.span.end];
    match rest.chars().next() {
        Some(c) if "。！？；：:".contains(c) => after + c.len_utf8(),
        _ => after,
    }
}

/// Items in `body`: the markers of the first item family that occurs.
pub(crate) fn items_in(text: &str, body: ByteSpan) -> Vec<Item> {
    let markers = item_markers(text, body);
    let Some(family) = primary_family(&markers) else {
        return Vec::new();
    };
    let ours: Vec<&ItemMarker> = markers.iter().filter(|m| m.family == family).collect();
    let mut out = Vec::with_capacity(ours.len());
    for (k, m) in ours.iter().enumerate() {
        let end = ours.get(k + 1).map_or(body.end, |n| n.span.start);
        out.push(make_item(text, m.span, ByteSpan::new(m.span.start, end)));
    }
    out
}

/// The family of the item markers: 一是 counts from one marker, the others from two (a lone
/// 首先 or 最后 is ordinary prose).
fn primary_family(markers: &[ItemMarker]) -> Option<markers::ItemFamily> {
    markers.iter().map(|m| m.family).find(|&f| {
        f == markers::ItemFamily::Shi || markers.iter().filter(|m| m.family == f).count() >= 2
    })
}

/// An item from its marker and span: the claim and the examples.
pub(crate) fn make_item(text: &str, marker: ByteSpan, span: ByteSpan) -> Item {
    let span = trim_end(text, span);
    let mut claim_start = marker.end;
    let after = &text[claim_start..span.end];
    if let Some(c) = after.chars().next().filter(|c| "，,、：:".contains(*c)) {
        claim_start += c.len_utf8();
    }
    let examples = examples_in(text, span, claim_start);
    // The claim stops where an example starts (一是深入基层不够，比如，…).
    let claim_end = examples.first().map_or(span.end, |e| e.span.start);
    let mut claim = claim_span(text, ByteSpan::new(claim_start, claim_end.max(claim_start)));
    let trimmed = text[claim.range()].trim_end_matches(['，', ',', '、', '：', ':']);
    claim.end = claim.start + trimmed.len();
    Item {
        marker,
        claim,
        span,
        examples,
    }
}

/// The opening phrase of `rest`: up to the first sentence end; a long first sentence is cut at
/// its first comma.
fn claim_span(text: &str, rest: ByteSpan) -> ByteSpan {
    let s = &text[rest.range()];
    let sentence = s.find(['。', '！', '？', '；', '\n']).unwrap_or(s.len());
    let mut end = sentence;
    if s[..sentence].chars().count() > 60
        && let Some(i) = s[..sentence].find(['，', '：'])
    {
        end = i;
    }
    trim(text, ByteSpan::new(rest.start, rest.start + end))
}

/// The examples of an item: every strong marker; when there is none, a weak one (特别是, 像…这样)
/// that opens a sentence after the item's last turn from praise to problem. After a comma, 特别是
/// is emphasis (…不够紧密，特别是在…方面), not an example.
fn examples_in(text: &str, item: ByteSpan, from: usize) -> Vec<Example> {
    let markers = example_markers(text, ByteSpan::new(from.min(item.end), item.end));
    let strong: Vec<_> = markers
        .iter()
        .filter(|m| m.strength == ExampleStrength::Strong)
        .collect();
    let chosen: Vec<_> = if strong.is_empty() {
        let turn = markers::last_turn(text, item).unwrap_or(item.start);
        let opens_sentence = |at: usize| {
            text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| "。！？\n".contains(c))
        };
        markers
            .iter()
            .filter(|m| m.span.start >= turn && opens_sentence(m.span.start))
            .take(1)
            .collect()
    } else {
        strong
    };
    chosen
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let end = chosen.get(k + 1).map_or(item.end, |n| n.span.start);
            Example {
                marker: m.word,
                span: trim_end(text, ByteSpan::new(m.span.start, end)),
            }
        })
        .collect()
}

/// Numbered leaf subsections (1. （1） ① …) of a problems, causes or measures section, or of an
/// aspect (在“担当作为”方面), that has no items of its own are its items — whether or not the
/// aspect's own paragraph turns from praise to problems. Aspect headings stay sections.
fn leaf_sections_as_items(text: &str, section: &mut Section) {
    let listy = matches!(
        section.kind,
        SectionKind::Problems | SectionKind::Causes | SectionKind::Measures
    ) || is_aspect(&text[section.heading.range()]);
    if !listy || section.sections.len() < 2 {
        return;
    }
    let convertible = section.sections.iter().all(|c| {
        let heading = &text[c.heading.range()];
        // An implicit item (from a turn inside the numbered item's own text) gives way.
        c.sections.is_empty()
            && c.items.iter().all(|i| i.marker.is_empty())
            && (c.kind == section.kind || section.kind == SectionKind::Other)
            && !is_aspect(heading)
    });
    if !convertible {
        return;
    }
    let children = std::mem::take(&mut section.sections);
    section.items = children
        .iter()
        .map(|c| make_item(text, c.marker, c.span))
        .collect();
}

/// Whether a heading names an aspect of the self-examination (在“理论学习”方面, 理论学习方面存在的
/// 问题) rather than one problem.
fn is_aspect(heading: &str) -> bool {
    heading.ends_with("方面") || heading.contains("方面存在") || heading.ends_with("方面的问题")
}

/// A problems section with praise, a turn and no numbered items has one problem: from the turn
/// to the end.
fn implicit_item(text: &str, body: ByteSpan) -> Option<Item> {
    let turn = markers::first_turn(text, body)?;
    let span = trim_end(text, ByteSpan::new(turn.start, body.end));
    if span.is_empty() {
        return None;
    }
    // The claim starts after the turn words (但对照检查发现，自己在学用结合上还有差距).
    let mut item = make_item(text, ByteSpan::new(turn.end, turn.end), span);
    item.marker = ByteSpan::new(turn.start, turn.start);
    Some(item)
}

/// `span` without leading and trailing white space.
pub(crate) fn trim(text: &str, span: ByteSpan) -> ByteSpan {
    let s = &text[span.range()];
    let start = span.start + (s.len() - s.trim_start().len());
    ByteSpan::new(start, start.max(span.start + s.trim_end().len()))
}

/// `span` without trailing white space.
pub(crate) fn trim_end(text: &str, span: ByteSpan) -> ByteSpan {
    ByteSpan::new(span.start, span.start + text[span.range()].trim_end().len())
}
