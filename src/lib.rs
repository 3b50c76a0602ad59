//! gongwen (公文) reads Chinese political documents — 对照检查材料, 述职述廉报告, work reports,
//! government work reports — and shows what in them is copied, reused from last year, formulaic,
//! or empty of concrete examples.
//!
//! The pipeline, in order:
//!
//! 1. [`read_file`] reads .txt (UTF-8, UTF-16, GBK/GB18030), .docx, .pdf and .html into an
//!    [`Extracted`] text, [normalised](normalize) with an exact [`OffsetMap`] back to the source;
//!    [`MetadataResolver`] works out its [`Metadata`] (author, unit, year, kind, title).
//! 2. [`Outline::parse`] finds the headings (一、 （一） 1.), typed [`Section`]s (problems, causes,
//!    measures …), the [`Item`]s inside them (一是/二是) and the [`Example`] each gives (比如 …).
//! 3. [`Segmenter`] cuts text into [`Token`]s with jieba-rs and gongwen's political dictionary, so
//!    that 两个确立, 一岗双责 and 民主生活会 stay whole and redactions (`**`, `××`) are tokens of
//!    their own.
//!
//! Offsets are byte offsets ([`ByteSpan`]) into the stored text everywhere in the library;
//! [`CharIndex`] converts them to character offsets for JSON and HTML.
//!
//! ```
//! use gongwen::{Segmenter, TokenKind};
//!
//! let segmenter = Segmenter::new();
//! let text = "认真落实一岗双责，开好民主生活会。";
//! let words: Vec<&str> = segmenter
//!     .segment(text)
//!     .into_iter()
//!     .filter(|t| t.kind == TokenKind::Word)
//!     .map(|t| t.text)
//!     .collect();
//! assert!(words.contains(&"一岗双责"));
//! assert!(words.contains(&"民主生活会"));
//! ```
#![deny(missing_docs)]

mod analyze;
mod corpus;
mod document;
mod error;
mod index;
mod report;
mod segment;
mod span;

#[cfg(test)]
mod testutil;

pub use analyze::align::{
    AlignConfig, Aligner, Passage, Projection, align, countable_chars, is_countable,
};
pub use analyze::candidates::{
    CandidateConfig, CandidateIndex, CandidateIndexBuilder, Fingerprint, GUARANTEED, Ranked, SEED,
    WINDOW, fingerprints, located_fingerprints, stock_runs,
};
pub use analyze::formulas::{FORMULAS, Formula, FormulaMatch, FormulaSet, FormulaSetBuilder};
pub use analyze::reuse::{
    CnkiFigures, FlagKind, MatchKind, Rates, Relation, ReuseCheck, ReuseConfig, ReuseFlag,
    ReuseMatch, ReuseReport, SourceInfo, SourcePassage,
};
pub use analyze::specificity::{
    Evidence, EvidenceKind, ItemVerdict, SpecificityReport, Verdict, specificity,
};
pub use corpus::{
    Collected, Extracted, Field, Format, MAX_FILE_BYTES, Manifest, Metadata, MetadataResolver,
    MetadataSource, Normalized, OffsetMap, RejectedRow, Resolved, SkipReason, Skipped, Warning,
    collect_files, metadata_from_file_name, metadata_from_text, normalize, read_bytes, read_file,
};
pub use document::{Example, Item, Outline, Section, SectionKind};
pub use error::{Cause, Chain, Error, Result};
pub use index::{
    AddReport, AddStatus, Archive, Candidates, DocRecord, FacetCount, Facets, FileReport, Filter,
    Hit, PassedOver, QueryTerm, SearchOptions, SearchQuery, SearchResults, SharedSignatures,
};
pub use report::{
    AnalyzeJson, AnalyzedDocJson, CandidatesJson, CheckJson, CheckedDoc, ClusterJson,
    ClusterMemberJson, CnkiJson, CnkiRowJson, DocJson, EvidenceJson, FlagJson, FormulaJson,
    HitJson, KwicLine, LargestJson, LargestRowJson, MatchJson, OutlineJson, RatesJson,
    ReportContext, SearchJson, SeriesJson, SeriesYearJson, Snippet, SourceJson, SpecificityJson,
    StreamedResults, VerdictItemJson, analyze_html, check_html, check_json, items_json, kwic_lines,
    outline_json, search_json, snippets, specificity_json, verdict_line,
};
pub use report::{
    DocumentView, KwicRow, PAGE_SIZE, SearchBody, SearchForm, WebContext, document_html,
    error_html, percent_encode, search_html,
};
pub use report::{analyze_csv, analyze_xlsx, facets_csv};
pub use segment::eval::{SegmentationEval, SegmentationScore, score_gold};
pub use segment::{
    DictEntry, POLITICAL, Pos, Segmenter, SegmenterBuilder, Token, TokenKind, parse_dictionary,
    redactions,
};
pub use span::{ByteSpan, CharIndex, DocId, Year};
