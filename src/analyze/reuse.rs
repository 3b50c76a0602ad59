//! The 查重 of one document against others: every passage it shares, typed by who shares it.
//!
//! Terms:
//! - **source**: another document, with the metadata that decides the relation ([`SourceInfo`]).
//! - **relation** of a source to the checked document ([`Relation`]): `mandated` (the source is a
//!   `--mandated` text: a congress report, a meeting notice), `later` (a document of a later year
//!   than the checked one: it cannot be its source, the checked document is its source),
//!   `self_reuse` (the same author, or the same unit and an earlier year), else `copied`. Two
//!   documents of one year, or of unknown years, may each be the other's source: both show it.
//! - **boilerplate**: text shared with so many distinct authors that it is stock phrasing of the
//!   genre, not copying: at least [`ReuseConfig::boilerplate_min_authors`] authors and
//!   [`ReuseConfig::boilerplate_share`] of all the authors compared.
//! - **kind** of a character ([`MatchKind`]): each countable character counts in at most one kind,
//!   in the order of precedence mandated > copied > self_reuse > boilerplate; text shared only
//!   with later documents is `later` and counts in no rate (it is the checked document's own).
//!
//! Work has a per-document phase ([`ReuseCheck::add_source`], one source at a time, so that an
//! archive is streamed, not loaded) and a merge phase ([`ReuseCheck::finish`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::analyze::align::{AlignConfig, Aligner, Passage, Projection};
use crate::analyze::formulas::FormulaMatch;
use crate::span::{ByteSpan, Year};

/// How a 查重 is done.
#[derive(Clone, Debug, PartialEq)]
pub struct ReuseConfig {
    /// How passages are found.
    pub align: AlignConfig,
    /// Fewest distinct authors sharing a passage for it to be boilerplate.
    pub boilerplate_min_authors: usize,
    /// Smallest share of all authors compared sharing a passage for it to be boilerplate.
    pub boilerplate_share: f32,
    /// Share of both documents an earlier source must cover, at what similarity, for the flag
    /// `only_names_changed`.
    pub only_names_changed: f32,
}

impl ReuseConfig {
    /// The boilerplate threshold in distinct authors, for `authors` authors compared.
    pub fn boilerplate_threshold(&self, authors: usize) -> usize {
        let share = (self.boilerplate_share as f64 * authors as f64).ceil() as usize;
        self.boilerplate_min_authors.max(share).max(1)
    }
}

impl Default for ReuseConfig {
    fn default() -> ReuseConfig {
        ReuseConfig {
            align: AlignConfig::default(),
            boilerplate_min_authors: 3,
            boilerplate_share: 0.05,
            only_names_changed: 0.9,
        }
    }
}

/// What the 查重 needs to know of a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceInfo {
    /// The author (a person, or the body of a collective material).
    pub author: Option<String>,
    /// The unit.
    pub unit: Option<String>,
    /// The year it belongs to.
    pub year: Option<Year>,
    /// Whether it is a source of mandated language.
    pub mandated: bool,
}

impl SourceInfo {
    /// What the 查重 needs of a document's metadata.
    pub fn of(m: &crate::corpus::Metadata) -> SourceInfo {
        SourceInfo {
            author: m.author.clone(),
            unit: m.unit.clone(),
            year: m.year,
            mandated: m.mandated.unwrap_or(false),
        }
    }

    /// Who wrote it, for counting distinct authors: the author, else the unit, else nobody known
    /// (then `fallback`, e.g. the document's path, so that it counts as an author of its own).
    pub fn author_key(&self, fallback: &str) -> String {
        self.author
            .clone()
            .or_else(|| self.unit.clone())
            .unwrap_or_else(|| format!("\u{0}{fallback}"))
    }
}

/// How a source relates to the checked document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// A source of mandated language.
    Mandated,
    /// Another author's or unit's document.
    Copied,
    /// The same author's document, or the same unit's of an earlier year.
    SelfReuse,
    /// A document of a later year than the checked one (not mandated): it may have taken text from
    /// the checked document, never the reverse.
    Later,
}

impl Relation {
    /// The relation of `source` to `doc`.
    pub fn of(doc: &SourceInfo, source: &SourceInfo) -> Relation {
        let same =
            |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a == b);
        let earlier = matches!((source.year, doc.year), (Some(s), Some(d)) if s < d);
        let later = matches!((source.year, doc.year), (Some(s), Some(d)) if s > d);
        if source.mandated {
            Relation::Mandated
        } else if later {
            Relation::Later
        } else if same(&doc.author, &source.author) || (same(&doc.unit, &source.unit) && earlier) {
            Relation::SelfReuse
        } else {
            Relation::Copied
        }
    }
}

/// The kind of a matched passage, in order of precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// Shared with a mandated source.
    Mandated,
    /// Shared with another author's or unit's document.
    Copied,
    /// Shared with the same author's or unit's earlier document.
    SelfReuse,
    /// Formulaic: shared by many distinct authors.
    Boilerplate,
    /// Shared only with documents of later years: the checked document's own text, repeated
    /// later. Counts in no rate.
    Later,
}

impl MatchKind {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Mandated => "mandated",
            MatchKind::Copied => "copied",
            MatchKind::SelfReuse => "self_reuse",
            MatchKind::Boilerplate => "boilerplate",
            MatchKind::Later => "later",
        }
    }

    /// The Chinese label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            MatchKind::Mandated => "规定引用",
            MatchKind::Copied => "与他人重合",
            MatchKind::SelfReuse => "自我重复",
            MatchKind::Boilerplate => "套话",
            MatchKind::Later => "被后来材料重复",
        }
    }
}

/// A passage of the checked document shared with one source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SourcePassage {
    /// The source, as numbered by the order of [`ReuseCheck::add_source`] calls.
    pub source: usize,
    /// How the source relates to the checked document.
    pub relation: Relation,
    /// The passage: `a` in the checked document, `b` in the source.
    pub passage: Passage,
}

/// A run of the checked document of one kind, with every source passage that covers part of it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReuseMatch {
    /// Its kind.
    pub kind: MatchKind,
    /// Where it stands in the checked document.
    pub span: ByteSpan,
    /// Its countable characters.
    pub chars: usize,
    /// The highest similarity of its source passages.
    pub similarity: f32,
    /// The source passages that overlap it, ordered by source.
    pub sources: Vec<SourcePassage>,
    /// The formulas (numbers in the [`FormulaSet`](crate::FormulaSet)) that overlap it.
    pub formulas: Vec<usize>,
}

/// Shares (0–1) of the checked document's countable characters.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    /// Shared with another author's or unit's document.
    pub copied: f64,
    /// Shared with the same author's or unit's earlier document.
    pub self_reuse: f64,
    /// Shared with mandated sources.
    pub mandated: f64,
    /// Formulaic.
    pub boilerplate: f64,
    /// Shared only with documents of later years (in no other rate: the document's own text).
    pub later: f64,
}

/// The figures CNKI's 查重报告 shows, computed from the same passages.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CnkiFigures {
    /// 总文字复制比: every shared character.
    pub total: f64,
    /// 去除引用: without the mandated characters.
    pub excluding_mandated: f64,
    /// 去除本人: without the self-reused characters.
    pub excluding_self: f64,
    /// 单篇最大文字复制比: the source sharing most, and its share.
    pub largest_source: Option<(usize, f64)>,
}

/// A flag on the checked document.
#[derive(Clone, Debug, PartialEq)]
pub struct ReuseFlag {
    /// What it says.
    pub kind: FlagKind,
    /// The source it concerns.
    pub source: usize,
    /// Where it applies in the checked document.
    pub span: ByteSpan,
    /// Share of the checked document the source covers.
    pub share: f64,
}

/// The kinds of flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlagKind {
    /// The document equals another except names, places, dates and numbers.
    OnlyNamesChanged,
    /// A place of the source's own unit, named only inside text copied from it.
    ForeignNames,
    /// A problem item at least half of which the same author wrote in an earlier year.
    RepeatedProblem,
}

impl FlagKind {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::OnlyNamesChanged => "only_names_changed",
            FlagKind::ForeignNames => "foreign_names",
            FlagKind::RepeatedProblem => "repeated_problem",
        }
    }

    /// The Chinese label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            FlagKind::OnlyNamesChanged => "仅改名称日期",
            FlagKind::ForeignNames => "留有他人地名",
            FlagKind::RepeatedProblem => "问题连年重复",
        }
    }
}

/// The result of a 查重.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReuseReport {
    /// Countable characters of the checked document.
    pub chars: usize,
    /// Its rates.
    pub rates: Rates,
    /// The CNKI figures.
    pub cnki: CnkiFigures,
    /// Runs of one kind, in text order.
    pub matches: Vec<ReuseMatch>,
    /// Flags, in text order.
    pub flags: Vec<ReuseFlag>,
    /// Number of sources compared.
    pub sources: usize,
    /// For each source sharing something, the share of the checked document it covers, by source.
    pub source_shares: Vec<(usize, f64)>,
}

struct Added {
    info: SourceInfo,
    /// How it relates to the checked document, decided once when it is added.
    relation: Relation,
    author: String,
    chars: usize,
}

/// A 查重 in progress: the checked document indexed once, sources added one at a time.
pub struct ReuseCheck {
    config: ReuseConfig,
    doc: SourceInfo,
    aligner: Aligner,
    sources: Vec<Added>,
    passages: Vec<SourcePassage>,
    authors: Option<usize>,
    /// Formula matches in projected characters: (start, end, formula).
    formulas: Vec<(usize, usize, usize)>,
    /// Facts of the checked document in projected characters: dates, numbers with units, places,
    /// named projects. Never boilerplate, however many authors share their frame.
    facts: Vec<(usize, usize)>,
    /// Its place names: projected span and the name.
    places: Vec<(usize, usize, String)>,
    /// Its problem items (byte spans), for `repeated_problem`.
    items: Vec<ByteSpan>,
    /// Stretches known to be shared by many authors without their sources aligned, in projected
    /// characters (see [`ReuseCheck::add_stock`]).
    stock: Vec<(usize, usize)>,
}

impl ReuseCheck {
    /// Starts the 查重 of `text`, a document described by `doc`.
    pub fn new(text: &str, doc: SourceInfo, config: ReuseConfig) -> ReuseCheck {
        let aligner = Aligner::new(text, config.align.clone());
        let proj = aligner.projection();
        let found = crate::analyze::specificity::facts(text);
        let facts = found
            .iter()
            .map(|f| (proj.index_of(f.span.start), proj.end_index_of(f.span.end)))
            .filter(|(s, e)| s < e)
            .collect();
        let places = found
            .iter()
            .filter(|f| f.kind == crate::analyze::specificity::EvidenceKind::Place)
            .map(|f| {
                (
                    proj.index_of(f.span.start),
                    proj.end_index_of(f.span.end),
                    f.span.slice(text).to_string(),
                )
            })
            .collect();
        ReuseCheck {
            config,
            doc,
            aligner,
            sources: Vec::new(),
            passages: Vec::new(),
            authors: None,
            formulas: Vec::new(),
            facts,
            places,
            items: Vec::new(),
            stock: Vec::new(),
        }
    }

    /// Marks stretches of the checked document known to be shared by at least the boilerplate
    /// threshold of distinct authors although their sources were not all aligned: what the
    /// archive's signatures say of stock phrasing in more documents than are worth aligning
    /// ([`stock_runs`](crate::stock_runs) of the fingerprints
    /// [`Archive::candidates`](crate::Archive::candidates) finds stock). Such a stretch is
    /// boilerplate, as a passage shared by that many authors would be: where source passages
    /// cover it, and on its own where none does. Facts stay out of it; stretches shorter than a
    /// passage are ignored. It names no source, so the CNKI figures do not count it.
    pub fn add_stock(&mut self, spans: &[ByteSpan]) {
        let proj = self.aligner.projection();
        let min = self.config.align.min_chars;
        for span in spans {
            let (s, e) = (proj.index_of(span.start), proj.end_index_of(span.end));
            if e >= s + min {
                self.stock.push((s, e));
            }
        }
        self.stock.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(self.stock.len());
        for &(s, e) in &self.stock {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        self.stock = merged;
    }

    /// Marks the formulas found in the checked document (`FormulaSet::find` on its text):
    /// boilerplate wherever no source explains the text better.
    pub fn add_formulas(&mut self, found: &[FormulaMatch]) {
        let proj = self.aligner.projection();
        for m in found {
            let (s, e) = (proj.index_of(m.span.start), proj.end_index_of(m.span.end));
            if s < e {
                self.formulas.push((s, e, m.formula));
            }
        }
        self.formulas.sort_unstable();
    }

    /// The problem items of the checked document (from its outline), so that an item its author
    /// already wrote in an earlier year is flagged `repeated_problem`.
    pub fn set_items(&mut self, items: Vec<ByteSpan>) {
        self.items = items;
    }

    /// The number of distinct authors the boilerplate threshold is a share of, when the sources
    /// added are a selection (candidates) of a larger set; by default, the sources' authors.
    pub fn set_authors(&mut self, authors: usize) {
        self.authors = Some(authors);
    }

    /// The passages `text` shares with the checked document, without recording them: the part of
    /// [`ReuseCheck::add_source`] that can run on many threads.
    pub fn align(&self, text: &str) -> (usize, Vec<Passage>) {
        let projection = Projection::new(text);
        (projection.len(), self.aligner.align_projection(&projection))
    }

    /// Compares one source; returns its number. `author_key` names its author for counting
    /// distinct authors (see [`SourceInfo::author_key`]).
    pub fn add_source(&mut self, text: &str, info: SourceInfo, author_key: String) -> usize {
        let (chars, passages) = self.align(text);
        self.add_aligned(info, author_key, chars, passages)
    }

    /// Records a source aligned with [`ReuseCheck::align`]; returns its number.
    pub fn add_aligned(
        &mut self,
        info: SourceInfo,
        author_key: String,
        chars: usize,
        passages: Vec<Passage>,
    ) -> usize {
        let n = self.sources.len();
        let relation = Relation::of(&self.doc, &info);
        self.passages
            .extend(passages.into_iter().map(|passage| SourcePassage {
                source: n,
                relation,
                passage,
            }));
        self.sources.push(Added {
            info,
            relation,
            author: author_key,
            chars,
        });
        n
    }

    /// The boilerplate threshold in distinct authors, for `authors` authors compared.
    pub fn boilerplate_threshold(&self, authors: usize) -> usize {
        self.config.boilerplate_threshold(authors)
    }

    /// Types every shared character and gathers the report.
    pub fn finish(self) -> ReuseReport {
        let proj = self.aligner.projection();
        let n = proj.len();
        let mut report = ReuseReport {
            chars: n,
            sources: self.sources.len(),
            ..ReuseReport::default()
        };
        if n == 0 {
            return report;
        }
        let authors: BTreeSet<&str> = self.sources.iter().map(|s| s.author.as_str()).collect();
        let threshold = self.boilerplate_threshold(self.authors.unwrap_or(authors.len()));

        // Elementary segments: between consecutive passage boundaries the covering set is fixed.
        let ranges: Vec<(usize, usize)> = self
            .passages
            .iter()
            .map(|p| {
                (
                    proj.index_of(p.passage.a.start),
                    proj.end_index_of(p.passage.a.end),
                )
            })
            .collect();
        let mut cuts: Vec<usize> = ranges
            .iter()
            .chain(&self.facts)
            .chain(&self.stock)
            .flat_map(|&(s, e)| [s, e])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut by_start: Vec<usize> = (0..ranges.len()).collect();
        by_start.sort_by_key(|&k| ranges[k].0);

        let mut kinds: Vec<Run> = Vec::new();
        let mut active: Vec<usize> = Vec::new();
        let mut next = 0;
        let mut per_source = vec![0usize; self.sources.len()];
        for w in cuts.windows(2) {
            let (s, e) = (w[0], w[1]);
            while next < by_start.len() && ranges[by_start[next]].0 <= s {
                active.push(by_start[next]);
                next += 1;
            }
            active.retain(|&k| ranges[k].1 > s);
            if active.is_empty() || s >= e {
                continue;
            }
            let mut counted: BTreeSet<usize> = BTreeSet::new();
            let mut shared_by: BTreeSet<&str> = BTreeSet::new();
            let mut relations: BTreeSet<Relation> = BTreeSet::new();
            for &k in &active {
                let p = &self.passages[k];
                if counted.insert(p.source) {
                    per_source[p.source] += e - s;
                }
                relations.insert(p.relation);
                if p.relation != Relation::Mandated {
                    shared_by.insert(self.sources[p.source].author.as_str());
                }
            }
            let fact = self.facts.iter().any(|&(fs, fe)| fs <= s && e <= fe);
            let stock = self.stock.iter().any(|&(ss, se)| ss <= s && e <= se);
            let kind = if relations.contains(&Relation::Mandated) {
                MatchKind::Mandated
            } else if (shared_by.len() >= threshold || stock) && !fact {
                MatchKind::Boilerplate
            } else if relations.contains(&Relation::Copied) {
                MatchKind::Copied
            } else if relations.contains(&Relation::SelfReuse) {
                MatchKind::SelfReuse
            } else {
                MatchKind::Later
            };
            match kinds.last_mut() {
                Some(last) if last.1 == s && last.2 == kind => last.1 = e,
                _ => kinds.push((s, e, kind, Vec::new())),
            }
        }

        let kinds = overlay_formulas(kinds, &self.formulas);
        // Stock stretches where no passage stands, facts left out.
        let kinds = overlay_formulas(kinds, &without(&self.stock, &self.facts));
        // A fact shared by many keeps its own kind rather than being absorbed into boilerplate.
        let facts = &self.facts;
        let keep = |r: &Run| {
            r.2 != MatchKind::Boilerplate && facts.iter().any(|&(fs, fe)| fs <= r.0 && r.1 <= fe)
        };
        let mut kinds = absorb_fragments(kinds, self.config.align.min_chars, keep);
        // Each run's passages, once: runs are disjoint and in order, so one sweep finds them.
        let (mut next, mut active) = (0, Vec::new());
        for run in &mut kinds {
            while next < by_start.len() && ranges[by_start[next]].0 < run.1 {
                active.push(by_start[next]);
                next += 1;
            }
            active.retain(|&k| ranges[k].1 > run.0);
            run.3 = active.clone();
        }
        let mut in_kind = BTreeMap::<MatchKind, usize>::new();
        // Shared text, for the CNKI figures: the runs with a source passage, `later` ones aside
        // (counted from the final runs, as the rates are, so that no figure exceeds another's
        // whole).
        let mut any = 0usize;
        for (s, e, kind, mut members) in kinds {
            *in_kind.entry(kind).or_default() += e - s;
            if kind != MatchKind::Later && !members.is_empty() {
                any += e - s;
            }
            members.sort_unstable();
            let mut sources: Vec<SourcePassage> =
                members.iter().map(|&k| self.passages[k]).collect();
            // The sources of the relation that gives the run its kind first, then the others in
            // the order mandated, copied, self_reuse, later; the earliest year first within each
            // (the likeliest original); a source's passages together.
            let decisive = match kind {
                MatchKind::Mandated => Some(Relation::Mandated),
                MatchKind::Copied => Some(Relation::Copied),
                MatchKind::SelfReuse => Some(Relation::SelfReuse),
                MatchKind::Later => Some(Relation::Later),
                MatchKind::Boilerplate => None,
            };
            sources.sort_by_key(|p| {
                let year = self.sources[p.source].info.year.map(|y| y.get());
                (
                    Some(p.relation) != decisive,
                    p.relation,
                    year.is_none(),
                    year,
                    p.source,
                    p.passage.b.start,
                )
            });
            let similarity = sources
                .iter()
                .map(|p| p.passage.similarity)
                .fold(0.0, f32::max);
            let mut formulas: Vec<usize> = self
                .formulas
                .iter()
                .filter(|&&(fs, fe, _)| fs < e && fe > s)
                .map(|&(_, _, f)| f)
                .collect();
            formulas.sort_unstable();
            formulas.dedup();
            report.matches.push(ReuseMatch {
                kind,
                span: proj.byte_span(s, e),
                chars: e - s,
                similarity,
                sources,
                formulas,
            });
        }
        let share = |c: usize| round(c as f64 / n as f64);
        report.source_shares = per_source
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c > 0)
            .map(|(i, &c)| (i, share(c)))
            .collect();
        let of = |k| in_kind.get(&k).copied().unwrap_or(0);
        report.rates = Rates {
            copied: share(of(MatchKind::Copied)),
            self_reuse: share(of(MatchKind::SelfReuse)),
            mandated: share(of(MatchKind::Mandated)),
            boilerplate: share(of(MatchKind::Boilerplate)),
            later: share(of(MatchKind::Later)),
        };
        let is_later = |i: usize| self.sources[i].relation == Relation::Later;
        report.cnki = CnkiFigures {
            total: share(any),
            excluding_mandated: share(any.saturating_sub(of(MatchKind::Mandated))),
            excluding_self: share(any.saturating_sub(of(MatchKind::SelfReuse))),
            largest_source: per_source
                .iter()
                .enumerate()
                .filter(|&(i, &c)| c > 0 && !is_later(i))
                .max_by_key(|&(i, &c)| (c, std::cmp::Reverse(i)))
                .map(|(i, &c)| (i, share(c.min(any)))),
        };

        // foreign_names: a place that the source's unit names (its own township), named only inside
        // text copied from it, and not in the document's own unit (平乐's fire plan that still held
        // 安化's townships).
        let copied: Vec<(usize, usize, &ReuseMatch)> = report
            .matches
            .iter()
            .filter(|m| m.kind == MatchKind::Copied)
            .map(|m| {
                (
                    proj.index_of(m.span.start),
                    proj.end_index_of(m.span.end),
                    m,
                )
            })
            .collect();
        let own_unit = self.doc.unit.as_deref().unwrap_or("");
        // Places within the document's own jurisdiction are its own (a county committee names its
        // townships): the source's unit lies under the administrative root of ours.
        let root = admin_root(own_unit);
        let within = |u: &str| !root.is_empty() && u.starts_with(root);
        let inside = |a: usize, b: usize| copied.iter().find(|(cs, ce, _)| *cs <= a && b <= *ce);
        let mut seen = BTreeSet::new();
        let mut foreign = Vec::new();
        for (s, e, name) in &self.places {
            let Some((_, _, m)) = inside(*s, *e) else {
                continue;
            };
            let everywhere_copied = self
                .places
                .iter()
                .filter(|(_, _, n)| n == name)
                .all(|(a, b, _)| inside(*a, *b).is_some());
            if !everywhere_copied || own_unit.contains(name.as_str()) || !seen.insert(name.clone())
            {
                continue;
            }
            // The name must be the source's own: its unit names it (枫溪县石桥镇 ⊃ 石桥镇).
            let belongs = |p: &&SourcePassage| {
                p.relation == Relation::Copied
                    && self.sources[p.source]
                        .info
                        .unit
                        .as_deref()
                        .is_some_and(|u| u.contains(name.as_str()) && !within(u))
            };
            // A passage the author also wrote in an earlier year of his own is his, names included.
            let own_history = m.sources.iter().any(|p| p.relation == Relation::SelfReuse);
            if own_history {
                continue;
            }
            if let Some(p) = m.sources.iter().find(belongs) {
                foreign.push(ReuseFlag {
                    kind: FlagKind::ForeignNames,
                    source: p.source,
                    span: proj.byte_span(*s, *e),
                    share: 0.0,
                });
            }
        }
        report.flags.extend(foreign);

        // repeated_problem: an item at least half of which the same author wrote in an earlier year.
        for item in &self.items {
            let (s, e) = (proj.index_of(item.start), proj.end_index_of(item.end));
            if e <= s {
                continue;
            }
            let mut best: Option<(usize, usize)> = None;
            for (i, src) in self.sources.iter().enumerate() {
                let earlier = matches!((src.info.year, self.doc.year), (Some(a), Some(b)) if a < b);
                if !earlier {
                    continue;
                }
                let mut spans: Vec<(usize, usize)> = self
                    .passages
                    .iter()
                    .filter(|p| p.source == i && p.relation == Relation::SelfReuse)
                    .map(|p| {
                        let (ps, pe) = (
                            proj.index_of(p.passage.a.start),
                            proj.end_index_of(p.passage.a.end),
                        );
                        (ps.max(s), pe.min(e))
                    })
                    .filter(|(a, b)| a < b)
                    .collect();
                spans.sort_unstable();
                let (mut covered, mut reach) = (0, s);
                for (a, b) in spans {
                    let a = a.max(reach);
                    if b > a {
                        covered += b - a;
                        reach = b;
                    }
                }
                if covered * 2 >= e - s && best.is_none_or(|(_, c)| covered > c) {
                    best = Some((i, covered));
                }
            }
            if let Some((source, covered)) = best {
                report.flags.push(ReuseFlag {
                    kind: FlagKind::RepeatedProblem,
                    source,
                    span: *item,
                    share: round(covered as f64 / (e - s) as f64),
                });
            }
        }

        // only_names_changed: one source, not mandated and not of a later year, covering nearly all
        // of both texts at a high similarity.
        let min = self.config.only_names_changed as f64;
        for (i, src) in self.sources.iter().enumerate() {
            if matches!(src.relation, Relation::Mandated | Relation::Later) || src.chars == 0 {
                continue;
            }
            let mine: Vec<&SourcePassage> =
                self.passages.iter().filter(|p| p.source == i).collect();
            let covered_b: usize = mine.iter().map(|p| p.passage.chars).sum();
            let weighted: f64 = mine
                .iter()
                .map(|p| p.passage.similarity as f64 * p.passage.chars as f64)
                .sum();
            let a_share = per_source[i] as f64 / n as f64;
            let b_share = (covered_b as f64 / src.chars as f64).min(1.0);
            if a_share >= min && b_share >= min && weighted >= min * covered_b as f64 {
                report.flags.push(ReuseFlag {
                    kind: FlagKind::OnlyNamesChanged,
                    source: i,
                    span: proj.byte_span(0, n),
                    share: round(a_share),
                });
            }
        }
        report
    }
}

/// The administrative part of a unit's name: 枫溪县柳塘镇 of 枫溪县柳塘镇, 枫溪县 of 枫溪县委 and of
/// 枫溪县农业农村局; empty when it names no place.
fn admin_root(unit: &str) -> &str {
    static ROOT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r"^(?:\p{Han}{2,7}?(?:省|自治区))?(?:\p{Han}{2,7}?(?:市|自治州|州|盟))?",
            r"(?:\p{Han}{2,7}?(?:县|区|旗))?(?:\p{Han}{2,3}?(?:镇|乡|街道))?"
        ))
        .expect("static regex")
    });
    ROOT.find(unit).map_or("", |m| m.as_str())
}

/// A run `(start, end, kind, passages)` in projected characters.
type Run = (usize, usize, MatchKind, Vec<usize>);

/// Formula matches where no source passage stands become boilerplate runs of their own.
fn overlay_formulas(runs: Vec<Run>, formulas: &[(usize, usize, usize)]) -> Vec<Run> {
    if formulas.is_empty() {
        return runs;
    }
    let mut added: Vec<Run> = Vec::new();
    let mut r = 0;
    for &(fs, fe, _) in formulas {
        let mut at = fs;
        while r < runs.len() && runs[r].1 <= at {
            r += 1;
        }
        let mut k = r;
        while at < fe {
            match runs.get(k) {
                Some(run) if run.0 < fe => {
                    if run.0 > at {
                        added.push((at, run.0, MatchKind::Boilerplate, Vec::new()));
                    }
                    at = at.max(run.1);
                    k += 1;
                }
                _ => {
                    added.push((at, fe, MatchKind::Boilerplate, Vec::new()));
                    at = fe;
                }
            }
        }
    }
    // Overlapping formulas: keep each character once.
    added.sort_by_key(|a| (a.0, a.1));
    let mut merged: Vec<Run> = Vec::new();
    for a in added {
        match merged.last_mut() {
            Some(m) if a.0 <= m.1 => m.1 = m.1.max(a.1),
            _ => merged.push(a),
        }
    }
    let mut out = runs;
    out.extend(merged);
    out.sort_by_key(|a| a.0);
    out
}

/// `ranges` (sorted by start, disjoint) without the parts inside any of `holes`, as
/// `(start, end, 0)`.
fn without(ranges: &[(usize, usize)], holes: &[(usize, usize)]) -> Vec<(usize, usize, usize)> {
    let mut holes = holes.to_vec();
    holes.sort_unstable();
    let mut out = Vec::new();
    for &(s, e) in ranges {
        let mut at = s;
        for &(hs, he) in holes.iter().filter(|&&(hs, he)| hs < e && he > s) {
            if hs > at {
                out.push((at, hs, 0));
            }
            at = at.max(he);
        }
        if at < e {
            out.push((at, e, 0));
        }
    }
    out
}

/// Runs shorter than a passage, where kinds change inside one (a few characters of a self-reused
/// sentence that many authors also share), join the touching run before them, else after them:
/// a match is never shorter than the shortest passage unless it stands alone.
fn absorb_fragments(runs: Vec<Run>, min_chars: usize, keep: impl Fn(&Run) -> bool) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    let mut pending: Option<Run> = None;
    for mut run in runs {
        if let Some(p) = pending.take() {
            if p.1 == run.0 {
                run.0 = p.0;
                run.3.extend(p.3);
            } else {
                out.push(p);
            }
        }
        let short = run.1 - run.0 < min_chars && !keep(&run);
        match out.last_mut() {
            Some(prev) if short && prev.1 == run.0 => {
                prev.1 = run.1;
                prev.3.extend(run.3);
            }
            _ if short => pending = Some(run),
            _ => out.push(run),
        }
    }
    out.extend(pending);
    // Neighbours of one kind that absorbing made touch become one run.
    let mut merged: Vec<Run> = Vec::with_capacity(out.len());
    for run in out {
        match merged.last_mut() {
            Some(prev) if prev.1 == run.0 && prev.2 == run.2 => {
                prev.1 = run.1;
                prev.3.extend(run.3);
            }
            _ => merged.push(run),
        }
    }
    merged
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrative_roots() {
        assert_eq!(admin_root("枫溪县柳塘镇"), "枫溪县柳塘镇");
        assert_eq!(admin_root("枫溪县委"), "枫溪县");
        assert_eq!(admin_root("枫溪县农业农村局"), "枫溪县");
        assert_eq!(admin_root("四川省成都市武侯区"), "四川省成都市武侯区");
        assert_eq!(admin_root("国务院"), "");
    }

    fn info(author: &str, unit: &str, year: u32, mandated: bool) -> SourceInfo {
        SourceInfo {
            author: Some(author.into()),
            unit: Some(unit.into()),
            year: Year::new(year),
            mandated,
        }
    }

    const MANDATED: &str = "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，深刻领悟两个确立的决定性意义。";
    const OWN: &str = "在推进石桥镇污水处理厂建设中，对群众反映的管网入户问题调研不深，项目拖期一年才完工，群众意见较大。";
    const STOCK: &str = "但从严对照检查，还存在一些不足和差距，主要表现在以下几个方面。";

    #[test]
    fn relations_follow_author_unit_and_year() {
        let doc = info("张三", "某县", 2024, false);
        assert_eq!(
            Relation::of(&doc, &info("李四", "某县", 2024, true)),
            Relation::Mandated
        );
        assert_eq!(
            Relation::of(&doc, &info("张三", "别县", 2023, false)),
            Relation::SelfReuse
        );
        assert_eq!(
            Relation::of(&doc, &info("李四", "某县", 2023, false)),
            Relation::SelfReuse
        );
        assert_eq!(
            Relation::of(&doc, &info("李四", "某县", 2024, false)),
            Relation::Copied
        );
        assert_eq!(
            Relation::of(&doc, &info("李四", "别县", 2022, false)),
            Relation::Copied
        );
        // A later year is never a source, whoever wrote it; mandated stays mandated.
        for later in [
            info("张三", "某县", 2025, false),
            info("李四", "别县", 2025, false),
        ] {
            assert_eq!(Relation::of(&doc, &later), Relation::Later);
        }
        assert_eq!(
            Relation::of(&doc, &info("李四", "别县", 2025, true)),
            Relation::Mandated
        );
        // An unknown year may be either.
        let unknown = SourceInfo {
            year: None,
            ..info("李四", "别县", 2025, false)
        };
        assert_eq!(Relation::of(&doc, &unknown), Relation::Copied);
    }

    #[test]
    fn kinds_take_precedence_and_rates_add_up() {
        let text =
            format!("{MANDATED}{OWN}{STOCK}这一句是本人自己新写的内容没有任何来源可以比对。");
        let doc = info("张三", "某县", 2024, false);
        let mut check = ReuseCheck::new(&text, doc, ReuseConfig::default());
        check.add_source(
            &format!("通知：{MANDATED}"),
            info("县委办", "某县", 2024, true),
            "县委办".into(),
        );
        check.add_source(OWN, info("张三", "某县", 2023, false), "张三".into());
        // The stock sentence in three other authors' materials.
        for a in ["甲", "乙", "丙"] {
            check.add_source(
                &format!("{a}的材料。{STOCK}"),
                info(a, a, 2024, false),
                a.into(),
            );
        }
        // And the mandated sentence in someone else's material: still mandated.
        check.add_source(MANDATED, info("丁", "丁", 2024, false), "丁".into());
        let r = check.finish();
        let kinds: Vec<MatchKind> = r.matches.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                MatchKind::Mandated,
                MatchKind::SelfReuse,
                MatchKind::Boilerplate
            ],
            "{r:#?}"
        );
        let count = |s: &str| crate::analyze::align::countable_chars(s) as f64;
        let n = r.chars as f64;
        assert!(
            (r.rates.mandated - count(MANDATED) / n).abs() < 1e-3,
            "{r:?}"
        );
        assert!((r.rates.self_reuse - count(OWN) / n).abs() < 1e-3);
        assert!((r.rates.boilerplate - count(STOCK) / n).abs() < 1e-3);
        assert_eq!(r.rates.copied, 0.0);
        let total = r.rates.mandated + r.rates.self_reuse + r.rates.boilerplate;
        assert!((r.cnki.total - total).abs() < 1e-3);
        assert!((r.cnki.excluding_mandated - (total - r.rates.mandated)).abs() < 1e-3);
        assert!(r.flags.is_empty());
    }

    #[test]
    fn formulas_are_boilerplate_where_no_source_stands() {
        let set = crate::analyze::formulas::FormulaSet::parse(
            "还存在{一些|以下}{不足|问题}\t转折\n有待进一步{提高|加强}\t自我评价\n".as_bytes(),
            "t",
        )
        .unwrap();
        let text = format!("{OWN}但从严对照，还存在一些不足，能力有待进一步提高。");
        let mut check = ReuseCheck::new(
            &text,
            info("张三", "某县", 2024, false),
            ReuseConfig::default(),
        );
        check.add_formulas(&set.find(&text));
        check.add_source(OWN, info("李四", "别县", 2023, false), "李四".into());
        let r = check.finish();
        let kinds: Vec<(MatchKind, &str)> = r
            .matches
            .iter()
            .map(|m| (m.kind, m.span.slice(&text)))
            .collect();
        assert_eq!(
            kinds,
            [
                (MatchKind::Copied, OWN.trim_end_matches('。')),
                (MatchKind::Boilerplate, "还存在一些不足"),
                (MatchKind::Boilerplate, "有待进一步提高")
            ]
        );
        assert_eq!(r.matches[1].formulas, [0]);
        let n = crate::analyze::align::countable_chars("还存在一些不足有待进一步提高") as f64;
        assert!((r.rates.boilerplate - n / r.chars as f64).abs() < 1e-3);
        // Formulas are not shared text: CNKI figures count passages only.
        assert_eq!(r.cnki.total, r.rates.copied);
    }

    #[test]
    fn stock_stretches_are_boilerplate_with_or_without_a_source() {
        let own = "这一句是本人自己新写的内容没有任何来源可以比对。";
        let text = format!("{STOCK}{own}{MANDATED}");
        let span = |s: &str| {
            let at = text.find(s).unwrap();
            ByteSpan::new(at, at + s.len())
        };
        // Without any source: the stock stretch alone is boilerplate, and names no source.
        let mut check = ReuseCheck::new(
            &text,
            info("张三", "某县", 2024, false),
            ReuseConfig::default(),
        );
        check.add_stock(&[span(STOCK), ByteSpan::new(0, 3)]);
        let r = check.finish();
        assert_eq!(r.matches.len(), 1, "{r:#?}");
        assert_eq!(r.matches[0].kind, MatchKind::Boilerplate);
        assert!(r.matches[0].sources.is_empty());
        assert_eq!(r.matches[0].span.slice(&text), STOCK.trim_end_matches('。'));
        assert_eq!(r.cnki.total, 0.0);
        // Shared with one other author only, it would be copied; stock, it is boilerplate.
        let copied = |stock: bool| {
            let mut check = ReuseCheck::new(
                &text,
                info("张三", "某县", 2024, false),
                ReuseConfig::default(),
            );
            check.add_source(STOCK, info("李四", "别县", 2023, false), "李四".into());
            if stock {
                check.add_stock(&[span(STOCK)]);
            }
            let r = check.finish();
            (r.rates.copied, r.rates.boilerplate)
        };
        let (c, b) = copied(false);
        assert!(c > 0.0 && b == 0.0);
        assert_eq!(copied(true), (0.0, c));
    }

    #[test]
    fn fragments_shorter_than_a_passage_join_their_neighbour() {
        use MatchKind::*;
        let runs = vec![
            (0, 20, SelfReuse, vec![0]),
            (20, 24, Boilerplate, vec![1]),
            (24, 40, SelfReuse, vec![0]),
            (50, 53, Copied, vec![2]),
            (53, 70, Boilerplate, vec![3]),
            (80, 85, Copied, vec![4]),
        ];
        let got: Vec<(usize, usize, MatchKind)> = absorb_fragments(runs, 13, |_| false)
            .into_iter()
            .map(|r| (r.0, r.1, r.2))
            .collect();
        assert_eq!(
            got,
            [(0, 40, SelfReuse), (50, 70, Boilerplate), (80, 85, Copied)]
        );
    }

    #[test]
    fn a_resubmission_with_changed_dates_is_flagged() {
        let old = format!(
            "{OWN}2023年5月召开专题会议，研究部署整改工作，明确责任分工和完成时限。{STOCK}"
        );
        let new = old.replace("2023年5月", "2024年6月");
        let mut check = ReuseCheck::new(
            &new,
            info("张三", "某县", 2024, false),
            ReuseConfig::default(),
        );
        check.add_source(&old, info("张三", "某县", 2023, false), "张三".into());
        let r = check.finish();
        assert_eq!(r.flags.len(), 1, "{r:#?}");
        assert_eq!(r.flags[0].kind, FlagKind::OnlyNamesChanged);
        assert_eq!(r.rates.self_reuse, 1.0);
        assert_eq!(r.cnki.largest_source, Some((0, 1.0)));
    }

    #[test]
    fn empty_and_unshared_documents_have_zero_rates() {
        for text in ["", "，。\n ", "这一句话与任何来源都没有关系。"] {
            let mut check = ReuseCheck::new(text, SourceInfo::default(), ReuseConfig::default());
            check.add_source(OWN, info("李四", "某县", 2023, false), "李四".into());
            let r = check.finish();
            assert_eq!(r.rates, Rates::default());
            assert!(r.matches.is_empty() && r.flags.is_empty());
            assert!(r.rates.copied.is_finite());
        }
    }
}
