//! Rendering: the library's typed results as the JSON of INTERFACE.md (outline here, search in
//! `search.rs`), the HTML reports (`html.rs`), the pages of `gongwen serve` (`web.rs`) and the
//! CSV and Excel tables (`table.rs`). Byte spans become character spans here and nowhere else;
//! every span object carries the text it covers.

mod analyze;
mod check;
mod html;
mod search;
mod table;
mod web;

use serde::Serialize;

pub use analyze::{
    AnalyzeJson, AnalyzedDocJson, ClusterJson, ClusterMemberJson, CnkiRowJson, FormulaJson,
    LargestRowJson, SeriesJson, SeriesYearJson,
};
pub use check::{
    CandidatesJson, CheckJson, CheckedDoc, CnkiJson, DocJson, EvidenceJson, FlagJson, LargestJson,
    MatchJson, RatesJson, SourceJson, SpecificityJson, VerdictItemJson, check_json, items_json,
    specificity_json, verdict_line,
};
pub use html::{ReportContext, analyze_html, check_html};
pub use search::{
    HitJson, KwicLine, SearchJson, Snippet, StreamedResults, kwic_lines, search_json, snippets,
};
pub use table::{analyze_csv, analyze_xlsx, facets_csv};
pub use web::{
    DocumentView, KwicRow, PAGE_SIZE, SearchBody, SearchForm, WebContext, document_html,
    error_html, percent_encode, search_html,
};

use crate::document::{Item, Outline, Section};
use crate::span::{CharIndex, DocId};

/// `gongwen outline --json`.
#[derive(Debug, Serialize)]
pub struct OutlineJson<'t> {
    /// The document's id.
    pub doc_id: &'t DocId,
    /// The text before the first heading.
    pub preamble: Option<SpanJson<'t>>,
    /// Top-level sections.
    pub sections: Vec<SectionJson<'t>>,
}

/// A span in characters with its text.
#[derive(Debug, Serialize)]
pub struct SpanJson<'t> {
    /// `[start, end)` in characters.
    pub span: [usize; 2],
    /// The text it covers.
    pub text: &'t str,
}

/// A section of `outline --json`.
#[derive(Debug, Serialize)]
pub struct SectionJson<'t> {
    /// Depth, 1 for top-level.
    pub level: usize,
    /// Numbering as written, empty if none.
    pub marker: &'t str,
    /// Heading text.
    pub heading: &'t str,
    /// Section kind.
    pub kind: &'static str,
    /// `[start, end)` in characters.
    pub span: [usize; 2],
    /// The text the span covers.
    pub text: &'t str,
    /// The heading's span.
    pub heading_span: [usize; 2],
    /// Subsections.
    pub sections: Vec<SectionJson<'t>>,
    /// Items.
    pub items: Vec<ItemJson<'t>>,
}

/// An item of `outline --json`.
#[derive(Debug, Serialize)]
pub struct ItemJson<'t> {
    /// Numbering as written, empty if none.
    pub marker: &'t str,
    /// Opening phrase.
    pub claim: &'t str,
    /// The claim's span.
    pub claim_span: [usize; 2],
    /// `[start, end)` in characters.
    pub span: [usize; 2],
    /// The text the span covers.
    pub text: &'t str,
    /// The first example, or null.
    pub example: Option<ExampleJson<'t>>,
    /// All examples (usually one).
    pub examples: Vec<ExampleJson<'t>>,
}

/// An example of `outline --json`.
#[derive(Clone, Debug, Serialize)]
pub struct ExampleJson<'t> {
    /// The word that announces it (比如).
    pub marker: &'t str,
    /// `[start, end)` in characters.
    pub span: [usize; 2],
    /// The example's text.
    pub text: &'t str,
}

/// The JSON of an outline of `text`.
pub fn outline_json<'t>(doc_id: &'t DocId, text: &'t str, outline: &Outline) -> OutlineJson<'t> {
    let ix = CharIndex::new(text);
    OutlineJson {
        doc_id,
        preamble: outline.preamble.map(|p| SpanJson {
            span: ix.char_span(p),
            text: p.slice(text),
        }),
        sections: outline
            .sections
            .iter()
            .map(|s| section_json(text, &ix, s))
            .collect(),
    }
}

fn section_json<'t>(text: &'t str, ix: &CharIndex, s: &Section) -> SectionJson<'t> {
    SectionJson {
        level: s.level,
        marker: s.marker.slice(text),
        heading: s.heading.slice(text),
        kind: s.kind.as_str(),
        span: ix.char_span(s.span),
        text: s.span.slice(text),
        heading_span: ix.char_span(s.heading),
        sections: s
            .sections
            .iter()
            .map(|c| section_json(text, ix, c))
            .collect(),
        items: s.items.iter().map(|i| item_json(text, ix, i)).collect(),
    }
}

fn item_json<'t>(text: &'t str, ix: &CharIndex, i: &Item) -> ItemJson<'t> {
    let examples: Vec<ExampleJson> = i
        .examples
        .iter()
        .map(|e| ExampleJson {
            marker: e.marker.slice(text),
            span: ix.char_span(e.span),
            text: e.span.slice(text),
        })
        .collect();
    ItemJson {
        marker: i.marker.slice(text),
        claim: i.claim.slice(text),
        claim_span: ix.char_span(i.claim),
        span: ix.char_span(i.span),
        text: i.span.slice(text),
        example: examples.first().cloned(),
        examples,
    }
}
