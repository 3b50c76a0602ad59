//! `gongwen check --json`: the 查重 of one document, as INTERFACE.md describes it.

use serde::Serialize;

use crate::analyze::formulas::FormulaSet;
use crate::analyze::reuse::{FlagKind, Rates, Relation, ReuseReport};
use crate::analyze::specificity::SpecificityReport;
use crate::corpus::Metadata;
use crate::span::{CharIndex, DocId};

/// A document as the 查重 report names it: the checked one, or a source.
#[derive(Clone, Debug)]
pub struct CheckedDoc<'t> {
    /// Its id.
    pub doc_id: &'t DocId,
    /// The path it was added from, or read from.
    pub path: &'t str,
    /// Its metadata.
    pub metadata: &'t Metadata,
    /// Its stored text.
    pub text: &'t str,
}

/// `gongwen check --json`.
#[derive(Debug, Serialize)]
pub struct CheckJson<'t> {
    /// The checked document.
    pub doc: DocJson<'t>,
    /// Shares of its countable characters by kind.
    pub rates: RatesJson,
    /// The figures CNKI's 查重报告 shows.
    pub cnki: CnkiJson<'t>,
    /// Runs of one kind with their sources.
    pub matches: Vec<MatchJson<'t>>,
    /// Problem items with their verdicts ([`items_json`]).
    pub items: Vec<VerdictItemJson<'t>>,
    /// The document's specificity ([`specificity_json`]).
    pub specificity: Option<SpecificityJson>,
    /// One line in Chinese: what a reviewer should know first.
    pub verdict: String,
    /// Flags.
    pub flags: Vec<FlagJson<'t>>,
    /// Number of documents compared.
    pub compared: usize,
    /// How the archive was searched for sources (set by the caller; absent when the sources were
    /// given rather than searched for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<CandidatesJson>,
    /// The archived documents that should have been compared but could not be read (a stored
    /// text missing or damaged), one line each: the figures leave them out. Absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
}

/// How `check` searched the archive for sources: the documents sharing text with the checked
/// one (by the archive's signatures), and how many of them were aligned.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct CandidatesJson {
    /// Documents of the archive other than the checked one.
    pub archived: usize,
    /// Those sharing at least one fingerprint with it.
    pub sharing: usize,
    /// Those aligned with it (sharing most first; copies of its text are not sources).
    pub compared: usize,
    /// The most it may be aligned with (`--max-candidates`).
    pub max_candidates: usize,
}

/// The checked document's header.
#[derive(Debug, Serialize)]
pub struct DocJson<'t> {
    /// Its id.
    pub doc_id: &'t DocId,
    /// Its path.
    pub path: &'t str,
    /// 标题.
    pub title: Option<&'t str>,
    /// 作者.
    pub author: Option<&'t str>,
    /// 单位.
    pub unit: Option<&'t str>,
    /// 年份.
    pub year: Option<u16>,
    /// 类型.
    pub kind: Option<&'t str>,
    /// Countable characters (CJK characters, letters, digits).
    pub chars: usize,
}

/// Rates, 0–1.
#[derive(Debug, Serialize)]
pub struct RatesJson {
    /// 与他人重合.
    pub copied: f64,
    /// 自我重复.
    pub self_reuse: f64,
    /// 规定引用.
    pub mandated: f64,
    /// 套话.
    pub boilerplate: f64,
    /// 被后来材料重复: shared only with documents of later years; in no other rate.
    pub later: f64,
}

impl From<&Rates> for RatesJson {
    fn from(r: &Rates) -> RatesJson {
        RatesJson {
            copied: r.copied,
            self_reuse: r.self_reuse,
            mandated: r.mandated,
            boilerplate: r.boilerplate,
            later: r.later,
        }
    }
}

/// CNKI figures, 0–1.
#[derive(Debug, Serialize)]
pub struct CnkiJson<'t> {
    /// 总文字复制比.
    pub total: f64,
    /// 去除引用.
    pub excluding_mandated: f64,
    /// 去除本人.
    pub excluding_self: f64,
    /// 单篇最大文字复制比.
    pub largest_source: Option<LargestJson<'t>>,
}

/// The source sharing most.
#[derive(Debug, Serialize)]
pub struct LargestJson<'t> {
    /// Its id.
    pub doc_id: &'t DocId,
    /// The share of the checked document it covers.
    pub share: f64,
}

/// A run of one kind.
#[derive(Debug, Serialize)]
pub struct MatchJson<'t> {
    /// `mandated|copied|self_reuse|boilerplate|later`.
    pub kind: &'static str,
    /// Its Chinese label (规定引用, 与他人重合 …), for people; not in the JSON.
    #[serde(skip)]
    pub label: &'static str,
    /// `[start, end)` in characters of the checked document.
    pub span: [usize; 2],
    /// The text it covers.
    pub text: &'t str,
    /// The highest similarity of its source passages.
    pub similarity: f32,
    /// Its sources.
    pub sources: Vec<SourceJson<'t>>,
    /// The formulas of the dictionary it holds, as written there.
    pub formulas: Vec<&'t str>,
}

/// A source passage.
#[derive(Debug, Serialize)]
pub struct SourceJson<'t> {
    /// The source's id.
    pub doc_id: &'t DocId,
    /// Its path.
    pub path: &'t str,
    /// 作者.
    pub author: Option<&'t str>,
    /// 单位.
    pub unit: Option<&'t str>,
    /// 年份.
    pub year: Option<u16>,
    /// `mandated|copied|self_reuse|later`: how the source relates to the checked document.
    pub relation: &'static str,
    /// `[start, end)` in characters of the source's text.
    pub span: [usize; 2],
    /// The source's text there.
    pub text: &'t str,
    /// `[start, end)` in characters of the checked document: the part this source shares.
    pub doc_span: [usize; 2],
    /// Similarity of the passage.
    pub similarity: f32,
}

/// A flag.
#[derive(Debug, Serialize)]
pub struct FlagJson<'t> {
    /// `only_names_changed|foreign_names|repeated_problem`.
    pub kind: &'static str,
    /// Its Chinese label, for people; not in the JSON.
    #[serde(skip)]
    pub label: &'static str,
    /// What it means, in Chinese.
    pub message: String,
    /// `[start, end)` in characters.
    pub span: [usize; 2],
    /// The source it concerns.
    pub source: &'t DocId,
}

fn relation(r: Relation) -> &'static str {
    match r {
        Relation::Mandated => "mandated",
        Relation::Copied => "copied",
        Relation::SelfReuse => "self_reuse",
        Relation::Later => "later",
    }
}

fn describe(m: &Metadata) -> String {
    let mut s = String::new();
    for part in [m.unit.as_deref(), m.author.as_deref()]
        .into_iter()
        .flatten()
    {
        if !s.contains(part) {
            s.push_str(part);
        }
    }
    if let Some(y) = m.year {
        s.push_str(&format!("{y}年"));
    }
    if s.is_empty() { "另一份".into() } else { s }
}

/// The JSON of a 查重: `doc` checked, `sources` numbered as in the report.
pub fn check_json<'t>(
    doc: &CheckedDoc<'t>,
    report: &ReuseReport,
    sources: &'t [CheckedDoc<'t>],
    source_index: &'t [CharIndex],
    formulas: &'t FormulaSet,
) -> CheckJson<'t> {
    let index = CharIndex::new(doc.text);
    let m = doc.metadata;
    let matches = report
        .matches
        .iter()
        .map(|mm| MatchJson {
            kind: mm.kind.as_str(),
            label: mm.kind.label(),
            span: index.char_span(mm.span),
            text: mm.span.slice(doc.text),
            similarity: mm.similarity,
            sources: mm
                .sources
                .iter()
                .map(|sp| {
                    let s = &sources[sp.source];
                    SourceJson {
                        doc_id: s.doc_id,
                        path: s.path,
                        author: s.metadata.author.as_deref(),
                        unit: s.metadata.unit.as_deref(),
                        year: s.metadata.year.map(|y| y.get()),
                        relation: relation(sp.relation),
                        span: source_index[sp.source].char_span(sp.passage.b),
                        text: sp.passage.b.slice(s.text),
                        doc_span: index.char_span(sp.passage.a),
                        similarity: sp.passage.similarity,
                    }
                })
                .collect(),
            formulas: mm
                .formulas
                .iter()
                .map(|&f| formulas.formulas()[f].template.as_str())
                .collect(),
        })
        .collect();
    let flags = report
        .flags
        .iter()
        .map(|f| {
            let s = &sources[f.source];
            let message = match f.kind {
                FlagKind::OnlyNamesChanged => format!(
                    "与{}的材料相比，只改动了名称、日期或数字（重合{:.0}%）",
                    describe(s.metadata),
                    f.share * 100.0
                ),
                FlagKind::RepeatedProblem => format!(
                    "问题“{}”与{}的材料中的问题重复{:.0}%：可能是往年问题原样照搬",
                    crate::report::check::clip_chars(f.span.slice(doc.text), 24),
                    describe(s.metadata),
                    f.share * 100.0
                ),
                FlagKind::ForeignNames => format!(
                    "“{}”是{}所在单位的地名，只出现在与其材料重合的段落中：可能是照抄时留下的他人地名",
                    f.span.slice(doc.text),
                    describe(s.metadata)
                ),
            };
            FlagJson {
                kind: f.kind.as_str(),
                label: f.kind.label(),
                message,
                span: index.char_span(f.span),
                source: s.doc_id,
            }
        })
        .collect();
    CheckJson {
        doc: DocJson {
            doc_id: doc.doc_id,
            path: doc.path,
            title: m.title.as_deref(),
            author: m.author.as_deref(),
            unit: m.unit.as_deref(),
            year: m.year.map(|y| y.get()),
            kind: m.kind.as_deref(),
            chars: report.chars,
        },
        rates: RatesJson::from(&report.rates),
        cnki: CnkiJson {
            total: report.cnki.total,
            excluding_mandated: report.cnki.excluding_mandated,
            excluding_self: report.cnki.excluding_self,
            largest_source: report.cnki.largest_source.map(|(i, share)| LargestJson {
                doc_id: sources[i].doc_id,
                share,
            }),
        },
        matches,
        items: Vec::new(),
        specificity: None,
        verdict: String::new(),
        flags,
        compared: report.sources,
        candidates: None,
        unread: Vec::new(),
    }
}

/// A problem item with its verdict.
#[derive(Debug, Serialize)]
pub struct VerdictItemJson<'t> {
    /// The heading of its section (the aspect).
    pub section: &'t str,
    /// Its claim.
    pub claim: &'t str,
    /// `[start, end)` in characters.
    pub span: [usize; 2],
    /// The part that counts (after the praise), in characters.
    pub scope: [usize; 2],
    /// `concrete|generic|none`.
    pub verdict: &'static str,
    /// Its Chinese label (有具体事例, 仅有类别, 空泛), for people; not in the JSON.
    #[serde(skip)]
    pub label: &'static str,
    /// What decided it.
    pub evidence: Vec<EvidenceJson<'t>>,
}

/// One piece of evidence.
#[derive(Debug, Serialize)]
pub struct EvidenceJson<'t> {
    /// `time|quantity|place|project|incident|redaction|example|enumeration|habit`.
    pub kind: &'static str,
    /// `[start, end)` in characters.
    pub span: [usize; 2],
    /// Its text.
    pub text: &'t str,
}

/// A document's specificity.
#[derive(Debug, Serialize)]
pub struct SpecificityJson {
    /// Problem items with a concrete instance.
    pub concrete: usize,
    /// Items with only categories.
    pub generic: usize,
    /// Abstract items.
    pub none: usize,
    /// Specific anchors per 100 words.
    pub per_100_words: f64,
}

/// The items of a specificity report, with character spans.
pub fn items_json<'t>(
    text: &'t str,
    index: &CharIndex,
    report: &SpecificityReport,
) -> Vec<VerdictItemJson<'t>> {
    report
        .items
        .iter()
        .map(|i| VerdictItemJson {
            section: i.section.slice(text),
            claim: i.claim.slice(text),
            span: index.char_span(i.span),
            scope: index.char_span(i.scope),
            verdict: i.verdict.as_str(),
            label: i.verdict.label(),
            evidence: i
                .evidence
                .iter()
                .map(|e| EvidenceJson {
                    kind: e.kind.as_str(),
                    span: index.char_span(e.span),
                    text: e.span.slice(text),
                })
                .collect(),
        })
        .collect()
}

/// The counts and the ratio of a specificity report.
pub fn specificity_json(report: &SpecificityReport) -> SpecificityJson {
    let (concrete, generic, none) = report.counts();
    SpecificityJson {
        concrete,
        generic,
        none,
        per_100_words: (report.per_100_words * 100.0).round() / 100.0,
    }
}

/// The one-line Chinese summary of a document: its problem items, then its reuse, e.g.
/// 21条问题中2条有具体事例；套话占全文78%.
pub fn verdict_line(reuse: &ReuseReport, spec: Option<&SpecificityReport>) -> String {
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let mut parts = Vec::new();
    if let Some(spec) = spec {
        let (concrete, _, _) = spec.counts();
        let n = spec.items.len();
        if n > 0 {
            parts.push(format!("{n}条问题中{concrete}条有具体事例"));
        }
    }
    let r = &reuse.rates;
    if r.copied > 0.0 {
        parts.push(format!("与他人重合{}", pct(r.copied)));
    }
    if r.self_reuse > 0.0 {
        parts.push(format!("自我重复{}", pct(r.self_reuse)));
    }
    if r.mandated > 0.0 {
        parts.push(format!("规定引用{}", pct(r.mandated)));
    }
    if r.boilerplate > 0.0 {
        parts.push(format!("套话占全文{}", pct(r.boilerplate)));
    }
    if r.later >= 0.005 {
        parts.push(format!(
            "另有{}被年份在后的材料重复（本文在先）",
            pct(r.later)
        ));
    }
    if reuse
        .flags
        .iter()
        .any(|f| f.kind == FlagKind::OnlyNamesChanged)
    {
        parts.push("仅改动名称、日期或数字".into());
    }
    if parts.is_empty() {
        "未发现与其他材料重合的段落".into()
    } else {
        parts.join("；")
    }
}

/// The first `n` characters of `s`, with … when it is longer.
pub(crate) fn clip_chars(s: &str, n: usize) -> String {
    let mut out: String = s
        .chars()
        .take(n)
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}
