//! `gongwen analyze [filters] [--json]`: the 查重 of every document against the others, with
//! year-over-year reuse per author and unit and the passages several documents share.
//!
//! The work follows the documents, not their pairs: the archive's signatures name each
//! document's candidates (documents sharing a fingerprint), the candidates sharing most are kept
//! (`--max-candidates`, the cut reported per document), and each pair is aligned once, its
//! passages given to both sides. Projections are cached within a memory budget, so a text is
//! read and projected about once per phase.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use gongwen::{
    Aligner, AnalyzeJson, AnalyzedDocJson, ByteSpan, CharIndex, ClusterJson, ClusterMemberJson,
    CnkiRowJson, DocRecord, FormulaJson, FormulaMatch, FormulaSet, LargestRowJson, MatchKind,
    Passage, Projection, RatesJson, ReuseCheck, ReuseReport, SeriesJson, SeriesYearJson,
};

use crate::Outcome;
use crate::args::AnalyzeArgs;
use crate::check::{Limits, info};
use crate::dicts::Dictionaries;

/// What pass 1 keeps of a document: never its text.
struct Seen {
    /// The formulas it holds (the matcher runs once per document).
    formulas: Vec<FormulaMatch>,
    /// Hash of its text: copies of one content are never sources of each other.
    content: [u8; 32],
    /// Its countable characters.
    chars: usize,
    /// Verdicts on its problem items.
    spec: gongwen::SpecificityReport,
}

/// A document's number and a span of it in characters.
type Member = (usize, [usize; 2]);

/// A shared run: its span in characters, its text, and the source passages (document, bytes).
type Shared = ([usize; 2], String, Vec<(usize, ByteSpan)>);

/// What pass 2 keeps of a document's 查重.
struct Checked {
    report: ReuseReport,
    /// Document numbers, as the report numbers its sources.
    sources: Vec<usize>,
    /// For clusters: matches of copied or self-reused text.
    shared: Vec<Shared>,
}

/// One pair aligned, once for both sides: each passage as the first document sees it, with its
/// countable characters in the second.
struct Pair {
    first: usize,
    second: usize,
    passages: Vec<(Passage, u32)>,
}

impl Pair {
    /// The passages as document `n` (one of the two) sees them.
    fn seen_by(&self, n: usize) -> Vec<Passage> {
        if n == self.first {
            return self.passages.iter().map(|&(p, _)| p).collect();
        }
        let mut out: Vec<Passage> = self
            .passages
            .iter()
            .map(|&(p, chars)| Passage {
                a: p.b,
                b: p.a,
                chars: chars as usize,
                similarity: p.similarity,
            })
            .collect();
        out.sort_by_key(|p| (p.a.start, p.b.start));
        out
    }
}

pub fn run(dir: &Path, args: &AnalyzeArgs) -> anyhow::Result<Outcome> {
    let dicts = Dictionaries::from_args(&args.dicts)?;
    let archive = gongwen::Archive::open(dir)?;
    let filter = crate::archive::filter(&args.filter)?;
    let outputs = [&args.html, &args.csv, &args.xlsx];
    for out in outputs.into_iter().flatten() {
        crate::check_output(out)?;
    }
    let limits = Limits {
        min_chars: args.min_chars,
        max_candidates: args.max_candidates,
    };
    let (json, failed) = analyze(&archive, &filter, limits, !args.json, &dicts)?;
    if let Some(out) = &args.html {
        write_dashboard(&archive, dir, &json, out)?;
    }
    if let Some(out) = &args.csv {
        crate::write_output(out, &gongwen::analyze_csv(&json))?;
        eprintln!("逐篇结果表（CSV）：{}", out.display());
    }
    if let Some(out) = &args.xlsx {
        let book = gongwen::analyze_xlsx(&json)
            .map_err(|e| anyhow::anyhow!("{}: cannot build the workbook: {e}", out.display()))?;
        crate::write_output(out, &book)?;
        eprintln!("逐篇结果表（Excel）：{}", out.display());
    }
    crate::archive::emit(args.json, &json, write_table)?;
    Ok(Outcome::of_batch(json.documents.len().max(1), failed))
}

/// Writes the HTML dashboard of `json` to `out`.
pub fn write_dashboard(
    archive: &gongwen::Archive,
    dir: &Path,
    json: &AnalyzeJson,
    out: &Path,
) -> anyhow::Result<()> {
    let date = crate::check::today();
    let context = gongwen::ReportContext {
        date: &date,
        archive: &dir.display().to_string(),
        archive_docs: archive.count()?,
        version: env!("CARGO_PKG_VERSION"),
    };
    crate::write_output(out, gongwen::analyze_html(json, &context)?.as_bytes())?;
    eprintln!("分析报告：{}", out.display());
    Ok(())
}

/// Projections of archived texts, kept within a byte budget (the oldest dropped first), so that
/// a document aligned with many is read and projected about once.
struct Projections<'a> {
    archive: &'a gongwen::Archive,
    records: &'a [&'a DocRecord],
    budget: usize,
    cache: Mutex<Cached>,
}

/// The projections held, in the order they came, and their size in bytes.
#[derive(Default)]
struct Cached {
    by_doc: HashMap<usize, Arc<Projection>>,
    order: std::collections::VecDeque<usize>,
    bytes: usize,
}

impl Projections<'_> {
    fn get(&self, n: usize) -> gongwen::Result<Arc<Projection>> {
        if let Some(p) = self.cache.lock().expect("not poisoned").by_doc.get(&n) {
            return Ok(p.clone());
        }
        let p = Arc::new(Projection::new(&self.archive.text(self.records[n])?));
        let mut c = self.cache.lock().expect("not poisoned");
        if c.by_doc.insert(n, p.clone()).is_none() {
            c.order.push_back(n);
            c.bytes += p.len() * 8;
        }
        while c.bytes > self.budget {
            let Some(old) = c.order.pop_front() else {
                break;
            };
            if let Some(q) = c.by_doc.remove(&old) {
                c.bytes -= q.len() * 8;
            }
        }
        Ok(p)
    }
}

/// Memory for cached projections (8 bytes per countable character).
const PROJECTION_BUDGET: usize = 128 << 20;

/// The corpus-wide analysis of the documents `filter` selects, and how many could not be read.
pub fn analyze(
    archive: &gongwen::Archive,
    filter: &gongwen::Filter,
    limits: Limits,
    progress: bool,
    dicts: &Dictionaries,
) -> anyhow::Result<(AnalyzeJson, usize)> {
    let records = archive.list(filter)?;
    let bar = crate::archive::progress_bar(records.len() as u64 * 3, progress);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let config = limits.config();
    if records.len() < 2 {
        crate::report_error(&format!(
            "notice: {} document(s) to analyze: reuse needs at least two; rates are 0",
            records.len()
        ));
    }

    let formulas = &dicts.formulas;
    // Pass 1: formulas, problem items and a hash of each text, one text at a time per thread.
    let seen: Vec<gongwen::Result<Seen>> = records
        .par_iter()
        .map(|r| {
            let text = archive.text(r)?;
            tick();
            Ok(Seen {
                formulas: formulas.find(&text),
                content: Sha256::digest(text.as_bytes()).into(),
                chars: gongwen::countable_chars(&text),
                spec: dicts.specificity_of(&text),
            })
        })
        .collect();
    let mut failed = 0;
    let mut kept: Vec<&DocRecord> = Vec::new();
    let mut docs: Vec<Seen> = Vec::new();
    let mut formula_use: BTreeMap<usize, (usize, BTreeSet<String>)> = BTreeMap::new();
    for (r, s) in records.iter().zip(seen) {
        match s {
            Ok(s) => {
                let mut used: Vec<usize> = s.formulas.iter().map(|m| m.formula).collect();
                used.sort_unstable();
                used.dedup();
                for f in used {
                    let e = formula_use.entry(f).or_default();
                    e.0 += 1;
                    e.1.insert(info(&r.metadata).author_key(&r.path));
                }
                kept.push(r);
                docs.push(s);
            }
            Err(e) => {
                crate::report_error(&e);
                failed += 1;
            }
        }
    }
    let authors = {
        let mut a: Vec<String> = kept
            .iter()
            .map(|r| info(&r.metadata).author_key(&r.path))
            .collect();
        a.sort();
        a.dedup();
        a.len()
    };

    // Candidates from the archive's signatures; each pair once, copies of one text never.
    let owned: Vec<DocRecord> = kept.iter().map(|&r| r.clone()).collect();
    let signatures = archive.shared_signatures(
        &owned,
        &limits.candidates(),
        config.boilerplate_threshold(authors),
    )?;
    drop(owned);
    // A selection no larger than the cap is aligned whole, pair by pair: then passages that share
    // no fingerprint (fewer than 20 equal characters between edits) are found too.
    let whole = kept.len() <= limits.max_candidates + 1;
    let ranked: Vec<gongwen::Ranked> = (0..kept.len())
        .into_par_iter()
        .map(|n| {
            let mut r = signatures.index.candidates(n);
            if whole {
                let listed: std::collections::HashSet<usize> =
                    r.ranked.iter().map(|&(c, _)| c).collect();
                r.ranked.extend(
                    (0..kept.len())
                        .filter(|&c| c != n && !listed.contains(&c))
                        .map(|c| (c, 0)),
                );
            }
            r
        })
        .collect();
    let mut partners: Vec<Vec<usize>> = vec![Vec::new(); kept.len()];
    for (n, r) in ranked.iter().enumerate() {
        for &(c, _) in &r.ranked {
            if docs[c].content != docs[n].content {
                let (a, b) = (n.min(c), n.max(c));
                partners[a].push(b);
            }
        }
    }
    for p in &mut partners {
        p.sort_unstable();
        p.dedup();
    }
    let cut: Vec<usize> = (0..kept.len()).map(|n| ranked[n].cut()).collect();
    let cut_docs = cut.iter().filter(|&&c| c > 0).count();
    if cut_docs > 0 {
        crate::report_error(&format!(
            "notice: {cut_docs} documents share text with more than {} others; each was aligned \
             with the {} sharing most (--max-candidates; candidates_cut in the JSON)",
            limits.max_candidates, limits.max_candidates
        ));
    }

    // Pass 2: each pair aligned once, by the first document's aligner.
    let projections = Projections {
        archive,
        records: &kept,
        budget: PROJECTION_BUDGET,
        cache: Mutex::default(),
    };
    // Per document: its pairs, and the partners that could not be read (only those pairs are
    // lost; the document's other pairs stand).
    type Aligned = (Vec<Pair>, Vec<(usize, gongwen::Error)>);
    let pairs: Vec<gongwen::Result<Aligned>> = (0..kept.len())
        .into_par_iter()
        .map(|n| {
            tick();
            if partners[n].is_empty() {
                return Ok((Vec::new(), Vec::new()));
            }
            let aligner =
                Aligner::from_projection((*projections.get(n)?).clone(), config.align.clone());
            let (mut aligned, mut unreadable) = (Vec::new(), Vec::new());
            for &m in &partners[n] {
                match projections.get(m) {
                    Ok(other) => {
                        let passages = aligner
                            .align_projection(&other)
                            .into_iter()
                            .map(|p| (p, p.reversed(&other).chars as u32))
                            .collect();
                        aligned.push(Pair {
                            first: n,
                            second: m,
                            passages,
                        });
                    }
                    Err(e) => unreadable.push((m, e)),
                }
            }
            Ok((aligned, unreadable))
        })
        .collect();
    drop(projections);
    let mut unaligned = vec![false; kept.len()];
    let mut of_doc: Vec<Vec<(usize, &Pair)>> = vec![Vec::new(); kept.len()];
    let mut unreadable: Vec<(usize, gongwen::Error)> = Vec::new();
    let pairs: Vec<Vec<Pair>> = pairs
        .into_iter()
        .enumerate()
        .map(|(n, p)| match p {
            Ok((aligned, lost)) => {
                unreadable.extend(lost);
                aligned
            }
            Err(e) => {
                unreadable.push((n, e));
                Vec::new()
            }
        })
        .collect();
    // Each unreadable document once.
    for (n, e) in unreadable {
        if !std::mem::replace(&mut unaligned[n], true) {
            crate::report_error(&e);
        }
    }
    for p in pairs.iter().flatten() {
        of_doc[p.first].push((p.second, p));
        of_doc[p.second].push((p.first, p));
    }

    // Pass 3: each document's 查重 from its pairs.
    let checked: Vec<gongwen::Result<Checked>> = (0..kept.len())
        .into_par_iter()
        .map(|n| {
            let r = kept[n];
            let text = archive.text(r)?;
            let mut check = ReuseCheck::new(&text, info(&r.metadata), config.clone());
            check.set_items(docs[n].spec.items.iter().map(|i| i.span).collect());
            check.set_authors(authors);
            check.add_formulas(&docs[n].formulas);
            if !signatures.stock.is_empty() {
                let located = gongwen::located_fingerprints(&text);
                let all = cut[n] > 0;
                let stock = gongwen::stock_runs(&located, |v| {
                    signatures.stock.binary_search(&v).is_ok()
                        && (all || signatures.frequent.binary_search(&v).is_ok())
                });
                check.add_stock(&stock);
            }
            let mut mine = of_doc[n].clone();
            mine.sort_unstable_by_key(|&(m, _)| m);
            let mut sources = Vec::with_capacity(mine.len());
            for (m, pair) in mine {
                let cr = kept[m];
                let key = info(&cr.metadata).author_key(&cr.path);
                check.add_aligned(info(&cr.metadata), key, docs[m].chars, pair.seen_by(n));
                sources.push(m);
            }
            let mut report = check.finish();
            let here = CharIndex::new(&text);
            let shared = report
                .matches
                .iter()
                .filter(|m| matches!(m.kind, MatchKind::Copied | MatchKind::SelfReuse))
                .map(|m| {
                    let members = m
                        .sources
                        .iter()
                        .map(|sp| (sources[sp.source], sp.passage.b))
                        .collect();
                    (
                        here.char_span(m.span),
                        m.span.slice(&text).to_string(),
                        members,
                    )
                })
                .collect();
            // What the tables need stays; the matches with all their sources go.
            report.matches = Vec::new();
            tick();
            Ok(Checked {
                report,
                sources,
                shared,
            })
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    let mut json = AnalyzeJson::default();
    let mut reports: Vec<Option<Checked>> = Vec::with_capacity(kept.len());
    for (n, c) in checked.into_iter().enumerate() {
        match c {
            Ok(c) if !unaligned[n] => reports.push(Some(c)),
            Ok(_) => {
                failed += 1;
                reports.push(None);
            }
            Err(e) => {
                crate::report_error(&e);
                failed += 1;
                reports.push(None);
            }
        }
    }
    for (n, (r, c)) in kept.iter().zip(&reports).enumerate() {
        let Some(c) = c else { continue };
        let rep = &c.report;
        let spec = gongwen::specificity_json(&docs[n].spec);
        json.documents.push(AnalyzedDocJson {
            doc_id: r.doc_id.to_string(),
            path: r.path.clone(),
            title: r.metadata.title.clone(),
            author: r.metadata.author.clone(),
            unit: r.metadata.unit.clone(),
            year: r.metadata.year.map(|y| y.get()),
            kind: r.metadata.kind.clone(),
            chars: rep.chars,
            rates: RatesJson::from(&rep.rates),
            cnki: CnkiRowJson {
                total: rep.cnki.total,
                excluding_mandated: rep.cnki.excluding_mandated,
                excluding_self: rep.cnki.excluding_self,
                largest_source: rep.cnki.largest_source.map(|(s, share)| LargestRowJson {
                    doc_id: kept[c.sources[s]].doc_id.to_string(),
                    share,
                }),
            },
            items: Some(serde_json::json!({
                "concrete": spec.concrete, "generic": spec.generic, "none": spec.none
            })),
            specificity: Some(spec.per_100_words),
            flags: rep.flags.iter().map(|f| f.kind.as_str()).collect(),
            flag_labels: distinct(rep.flags.iter().map(|f| f.kind.label())),
            compared: rep.sources,
            candidates_cut: cut[n],
            verdict: gongwen::verdict_line(rep, Some(&docs[n].spec)),
        });
    }
    json.formulas = widespread(formulas, formula_use);
    json.series = series(&kept, &reports);
    json.clusters = clusters(archive, &kept, &reports, &mut failed);

    Ok((json, failed))
}

/// The formulas by the number of authors using them, then documents; the 50 most widespread.
fn widespread(
    formulas: &FormulaSet,
    used: BTreeMap<usize, (usize, BTreeSet<String>)>,
) -> Vec<FormulaJson> {
    let mut out: Vec<FormulaJson> = used
        .into_iter()
        .map(|(f, (docs, authors))| FormulaJson {
            text: formulas.formulas()[f].template.clone(),
            docs,
            authors: authors.len(),
        })
        .collect();
    out.sort_by(|a, b| {
        (b.authors, b.docs)
            .cmp(&(a.authors, a.docs))
            .then(a.text.cmp(&b.text))
    });
    out.truncate(50);
    out
}

/// Year-over-year reuse for each author and unit with documents in several years.
fn series(kept: &[&DocRecord], reports: &[Option<Checked>]) -> Vec<SeriesJson> {
    let mut out = Vec::new();
    for by in ["author", "unit"] {
        let mut groups: BTreeMap<&str, BTreeMap<u16, usize>> = BTreeMap::new();
        for (n, r) in kept.iter().enumerate() {
            let name = if by == "author" {
                &r.metadata.author
            } else {
                &r.metadata.unit
            };
            if let (Some(name), Some(year)) = (name, r.metadata.year) {
                // One document a year: the first listed (collective and personal materials of one
                // unit in one year keep the first).
                groups
                    .entry(name)
                    .or_default()
                    .entry(year.get())
                    .or_insert(n);
            }
        }
        for (name, years) in groups {
            if years.len() < 2 {
                continue;
            }
            let mut list = Vec::new();
            let mut previous: Option<usize> = None;
            for (&year, &n) in &years {
                let reused = previous.map(|p| {
                    reports[n].as_ref().map_or(0.0, |c| {
                        c.sources
                            .iter()
                            .position(|&s| s == p)
                            .and_then(|i| c.report.source_shares.iter().find(|(s, _)| *s == i))
                            .map_or(0.0, |&(_, share)| share)
                    })
                });
                list.push(SeriesYearJson {
                    year,
                    doc_id: kept[n].doc_id.to_string(),
                    reused_from_previous: reused,
                });
                previous = Some(n);
            }
            out.push(SeriesJson {
                by: if by == "author" { "author" } else { "unit" },
                name: name.to_string(),
                years: list,
            });
        }
    }
    out
}

/// Passages several documents share: one cluster per set of members, with its longest text,
/// members ordered by year. The members' spans in the other documents are byte spans until here:
/// each such document is read once more to turn them into characters.
fn clusters(
    archive: &gongwen::Archive,
    kept: &[&DocRecord],
    reports: &[Option<Checked>],
    failed: &mut usize,
) -> Vec<ClusterJson> {
    let mut by_members: HashMap<Vec<usize>, (String, Vec<Spanned>)> = HashMap::new();
    for (n, c) in reports.iter().enumerate() {
        let Some(c) = c else { continue };
        for (span, text, members) in &c.shared {
            let mut all: Vec<Spanned> = vec![(n, Span::Chars(*span))];
            all.extend(members.iter().map(|&(d, b)| (d, Span::Bytes(b))));
            all.sort_by_key(|&(d, s)| (d, s.key()));
            all.dedup_by_key(|m| m.0);
            let key: Vec<usize> = all.iter().map(|m| m.0).collect();
            let entry = by_members
                .entry(key)
                .or_insert_with(|| (String::new(), Vec::new()));
            if text.chars().count() > entry.0.chars().count() {
                *entry = (text.clone(), all);
            }
        }
    }
    // Byte spans to characters, one read per document.
    let mut wanted: BTreeMap<usize, Vec<ByteSpan>> = BTreeMap::new();
    for (_, members) in by_members.values() {
        for &(d, s) in members {
            if let Span::Bytes(b) = s {
                wanted.entry(d).or_default().push(b);
            }
        }
    }
    let converted: Vec<(usize, gongwen::Result<CharSpans>)> = wanted
        .into_par_iter()
        .map(|(d, spans)| {
            let result = archive.text(kept[d]).map(|text| {
                let index = CharIndex::new(&text);
                spans.into_iter().map(|b| (b, index.char_span(b))).collect()
            });
            (d, result)
        })
        .collect();
    let mut chars: HashMap<usize, HashMap<ByteSpan, [usize; 2]>> = HashMap::new();
    for (d, result) in converted {
        match result {
            Ok(map) => {
                chars.insert(d, map);
            }
            Err(e) => {
                crate::report_error(&e);
                *failed += 1;
            }
        }
    }
    let year = |d: usize| kept[d].metadata.year.map(|y| y.get());
    let mut out: Vec<ClusterJson> = by_members
        .into_values()
        .map(|(text, members)| {
            let mut members: Vec<Member> = members
                .into_iter()
                .filter_map(|(d, s)| match s {
                    Span::Chars(c) => Some((d, c)),
                    Span::Bytes(b) => chars.get(&d).and_then(|m| m.get(&b)).map(|&c| (d, c)),
                })
                .collect();
            members.sort_by_key(|&(d, _)| (year(d).unwrap_or(u16::MAX), d));
            ClusterJson {
                text,
                members: members
                    .into_iter()
                    .map(|(d, span)| ClusterMemberJson {
                        doc_id: kept[d].doc_id.to_string(),
                        year: year(d),
                        span,
                    })
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(b.text.len().cmp(&a.text.len()))
            .then(a.text.cmp(&b.text))
    });
    out
}

/// A cluster member: a document and its span.
type Spanned = (usize, Span);

/// Byte spans of one document and the character spans they become.
type CharSpans = HashMap<ByteSpan, [usize; 2]>;

/// A member's span: in characters (the document whose match it is) or still in bytes.
#[derive(Clone, Copy, Debug)]
enum Span {
    Chars([usize; 2]),
    Bytes(ByteSpan),
}

impl Span {
    fn key(self) -> (usize, usize) {
        match self {
            Span::Chars([s, e]) => (s, e),
            Span::Bytes(b) => (b.start, b.end),
        }
    }
}

fn write_table(out: &mut impl Write, j: &AnalyzeJson) -> io::Result<()> {
    use crate::archive::pad;
    writeln!(
        out,
        "{}  {}  {}  {}  {}  {}  {}  标志",
        pad("文档", 36),
        pad("与他人重合", 10),
        pad("自我重复", 8),
        pad("规定引用", 8),
        pad("套话", 6),
        pad("总复制比", 8),
        pad("具体事例", 8)
    )?;
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    for d in &j.documents {
        let name = format!(
            "{} {} {}",
            d.year.map(|y| y.to_string()).unwrap_or_default(),
            d.author.as_deref().or(d.unit.as_deref()).unwrap_or(""),
            d.kind.as_deref().unwrap_or("")
        );
        let concrete = d.items.as_ref().map_or(String::from("—"), |i| {
            let n = |k: &str| i[k].as_u64().unwrap_or(0);
            let all = n("concrete") + n("generic") + n("none");
            if all == 0 {
                "—".into()
            } else {
                format!("{}/{}", n("concrete"), all)
            }
        });
        writeln!(
            out,
            "{}  {}  {}  {}  {}  {}  {}  {}",
            pad(&crate::archive::clip(&name, 18), 36),
            pad(&pct(d.rates.copied), 10),
            pad(&pct(d.rates.self_reuse), 8),
            pad(&pct(d.rates.mandated), 8),
            pad(&pct(d.rates.boilerplate), 6),
            pad(&pct(d.cnki.total), 8),
            pad(&concrete, 8),
            d.flag_labels.join("，")
        )?;
    }
    let reused: Vec<&SeriesJson> = j.series.iter().filter(|s| s.by == "author").collect();
    if !reused.is_empty() {
        writeln!(out, "\n逐年重复（本年材料中沿用上一年的比例）：")?;
        for s in reused {
            let years: Vec<String> = s
                .years
                .iter()
                .map(|y| match y.reused_from_previous {
                    Some(r) => format!("{} {}", y.year, pct(r)),
                    None => y.year.to_string(),
                })
                .collect();
            writeln!(out, "  {}：{}", s.name, years.join(" → "))?;
        }
    }
    writeln!(
        out,
        "\n{} 篇文档，{} 组共享段落",
        j.documents.len(),
        j.clusters.len()
    )?;
    Ok(())
}

/// Each label once, in order of first appearance: fifteen repeated items are one 问题连年重复.
pub fn distinct(labels: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for l in labels {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}
