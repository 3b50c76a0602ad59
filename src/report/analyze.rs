//! `gongwen analyze --json`: the corpus-wide table, series, formulas and clusters.

use serde::Serialize;

/// `gongwen analyze --json`.
#[derive(Debug, Default, Serialize)]
pub struct AnalyzeJson {
    /// One row per document.
    pub documents: Vec<AnalyzedDocJson>,
    /// Year-over-year reuse per author and per unit with several years.
    pub series: Vec<SeriesJson>,
    /// The most widespread formulaic phrases (filled by the formula analysis).
    pub formulas: Vec<FormulaJson>,
    /// Passages shared by several documents, earliest member first.
    pub clusters: Vec<ClusterJson>,
}

/// A document's row.
#[derive(Debug, Serialize)]
pub struct AnalyzedDocJson {
    /// Its id.
    pub doc_id: String,
    /// Its path.
    pub path: String,
    /// 标题.
    pub title: Option<String>,
    /// 作者.
    pub author: Option<String>,
    /// 单位.
    pub unit: Option<String>,
    /// 年份.
    pub year: Option<u16>,
    /// 类型.
    pub kind: Option<String>,
    /// Countable characters.
    pub chars: usize,
    /// Shares by kind.
    pub rates: super::check::RatesJson,
    /// The CNKI figures.
    pub cnki: CnkiRowJson,
    /// Problem items by verdict (filled by the specificity analysis; null until then).
    pub items: Option<serde_json::Value>,
    /// Specific anchors per 100 words (null until the specificity analysis runs).
    pub specificity: Option<f64>,
    /// The flags' kinds.
    pub flags: Vec<&'static str>,
    /// The flags' Chinese labels, for people; not in the JSON.
    #[serde(skip)]
    pub flag_labels: Vec<&'static str>,
    /// Documents compared with it (its candidates).
    pub compared: usize,
    /// Candidates not aligned with it because of the cap (`--max-candidates`): those sharing
    /// least.
    pub candidates_cut: usize,
    /// One line in Chinese.
    pub verdict: String,
}

/// CNKI figures of a row.
#[derive(Debug, Serialize)]
pub struct CnkiRowJson {
    /// 总文字复制比.
    pub total: f64,
    /// 去除引用.
    pub excluding_mandated: f64,
    /// 去除本人.
    pub excluding_self: f64,
    /// 单篇最大文字复制比.
    pub largest_source: Option<LargestRowJson>,
}

/// The source sharing most.
#[derive(Debug, Serialize)]
pub struct LargestRowJson {
    /// Its id.
    pub doc_id: String,
    /// Its share.
    pub share: f64,
}

/// An author's or unit's documents over the years.
#[derive(Debug, Serialize)]
pub struct SeriesJson {
    /// `author` or `unit`.
    pub by: &'static str,
    /// The author or unit.
    pub name: String,
    /// Its years in order.
    pub years: Vec<SeriesYearJson>,
}

/// One year of a series.
#[derive(Debug, Serialize)]
pub struct SeriesYearJson {
    /// The year.
    pub year: u16,
    /// The document of that year.
    pub doc_id: String,
    /// Share of this document reused from the previous year's (null for the first year).
    pub reused_from_previous: Option<f64>,
}

/// A formulaic phrase.
#[derive(Debug, Serialize)]
pub struct FormulaJson {
    /// The phrase.
    pub text: String,
    /// Documents using it.
    pub docs: usize,
    /// Distinct authors using it.
    pub authors: usize,
}

/// A passage shared by several documents.
#[derive(Debug, Serialize)]
pub struct ClusterJson {
    /// The passage as the earliest member has it.
    pub text: String,
    /// The documents holding it, earliest first.
    pub members: Vec<ClusterMemberJson>,
}

/// A document of a cluster.
#[derive(Debug, Serialize)]
pub struct ClusterMemberJson {
    /// Its id.
    pub doc_id: String,
    /// Its year.
    pub year: Option<u16>,
    /// `[start, end)` in its characters.
    pub span: [usize; 2],
}
