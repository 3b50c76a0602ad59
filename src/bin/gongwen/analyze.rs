//! `gongwen analyze [filters] [--json]`: the 查重 of every document against the others, with
//! year-over-year reuse per author and unit and the passages several documents share.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use gongwen::{
    AlignConfig, AnalyzeJson, AnalyzedDocJson, CandidateConfig, CandidateIndex, CharIndex,
    ClusterJson, ClusterMemberJson, CnkiRowJson, DocRecord, FormulaJson, FormulaMatch, FormulaSet,
    LargestRowJson, MatchKind, Projection, RatesJson, ReuseCheck, ReuseConfig, ReuseReport,
    SeriesJson, SeriesYearJson,
};

use crate::Outcome;
use crate::args::AnalyzeArgs;
use crate::check::info;

/// What pass 1 keeps of a document: its fingerprints and the hash of its text (copies of one
/// content are never sources of each other), never the text.
struct Seen {
    fingerprints: Vec<u64>,
    /// The formulas it holds (kept for pass 2: the matcher runs once per document).
    formulas: Vec<FormulaMatch>,
    content: [u8; 32],
}

/// A document's number and a span of it in characters.
type Member = (usize, [usize; 2]);

/// A shared run: its span in characters, its text, and the source passages.
type Shared = ([usize; 2], String, Vec<Member>);

/// What pass 2 keeps of a document's 查重.
struct Checked {
    report: ReuseReport,
    /// Candidate numbers, as the report numbers its sources.
    sources: Vec<usize>,
    /// For clusters: matches of copied or self-reused text, (span in chars, members' doc and char span).
    shared: Vec<Shared>,
    /// Verdicts on its problem items.
    spec: gongwen::SpecificityReport,
}

pub fn run(dir: &Path, args: &AnalyzeArgs) -> anyhow::Result<Outcome> {
    let archive = gongwen::Archive::open(dir)?;
    let filter = crate::archive::filter(&args.filter)?;
    let outputs = [&args.html, &args.csv, &args.xlsx];
    for out in outputs.into_iter().flatten() {
        crate::check_output(out)?;
    }
    let (json, failed) = analyze(&archive, &filter, args.min_chars, !args.json)?;
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

/// The corpus-wide analysis of the documents `filter` selects, and how many could not be read.
/// `progress` shows a bar on stderr when it is a terminal.
pub fn analyze(
    archive: &gongwen::Archive,
    filter: &gongwen::Filter,
    min_chars: usize,
    progress: bool,
) -> anyhow::Result<(AnalyzeJson, usize)> {
    let records = archive.list(filter)?;
    let bar = crate::archive::progress_bar(records.len() as u64 * 2, progress);
    let config = ReuseConfig {
        align: AlignConfig {
            min_chars,
            ..AlignConfig::default()
        },
        ..ReuseConfig::default()
    };
    if records.len() < 2 {
        crate::report_error(&format!(
            "notice: {} document(s) to analyze: reuse needs at least two; rates are 0",
            records.len()
        ));
    }

    let formulas = crate::check::formulas();
    // Pass 1: fingerprints and formulas, one text at a time per thread.
    let seen: Vec<gongwen::Result<Seen>> = records
        .par_iter()
        .map(|r| {
            let text = archive.text(r)?;
            let p = Projection::new(&text);
            if let Some(b) = &bar {
                b.inc(1);
            }
            Ok(Seen {
                fingerprints: gongwen::fingerprints(&p, &CandidateConfig::default()),
                formulas: formulas.find(&text),
                content: Sha256::digest(text.as_bytes()).into(),
            })
        })
        .collect();
    let mut failed = 0;
    let mut index = CandidateIndex::new(CandidateConfig::default());
    let mut kept: Vec<(&DocRecord, [u8; 32])> = Vec::new();
    let mut found: Vec<Vec<FormulaMatch>> = Vec::new();
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
                index.add_fingerprints(s.fingerprints);
                kept.push((r, s.content));
                found.push(s.formulas);
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
            .map(|(r, _)| info(&r.metadata).author_key(&r.path))
            .collect();
        a.sort();
        a.dedup();
        a.len()
    };

    // Pass 2: each document aligned with its candidates only.
    let checked: Vec<gongwen::Result<Checked>> = (0..kept.len())
        .into_par_iter()
        .map(|n| {
            let (r, content) = kept[n];
            let text = archive.text(r)?;
            let spec = crate::check::specificity_of(&text);
            let mut check = ReuseCheck::new(&text, info(&r.metadata), config.clone());
            check.set_items(spec.items.iter().map(|i| i.span).collect());
            check.set_authors(authors);
            check.add_formulas(&found[n]);
            let mut sources = Vec::new();
            let mut texts = Vec::new();
            for (c, _) in index.candidates(n) {
                let (cr, ccontent) = kept[c];
                if ccontent == content {
                    continue;
                }
                let other = archive.text(cr)?;
                let key = info(&cr.metadata).author_key(&cr.path);
                check.add_source(&other, info(&cr.metadata), key);
                sources.push(c);
                texts.push(other);
            }
            let report = check.finish();
            let here = CharIndex::new(&text);
            let mut indexes: Vec<Option<CharIndex>> = texts.iter().map(|_| None).collect();
            let mut shared = Vec::new();
            for m in &report.matches {
                if !matches!(m.kind, MatchKind::Copied | MatchKind::SelfReuse) {
                    continue;
                }
                let members = m
                    .sources
                    .iter()
                    .map(|sp| {
                        let idx = indexes[sp.source]
                            .get_or_insert_with(|| CharIndex::new(&texts[sp.source]));
                        (sources[sp.source], idx.char_span(sp.passage.b))
                    })
                    .collect();
                shared.push((
                    here.char_span(m.span),
                    m.span.slice(&text).to_string(),
                    members,
                ));
            }
            if let Some(b) = &bar {
                b.inc(1);
            }
            Ok(Checked {
                report,
                sources,
                shared,
                spec,
            })
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    let mut json = AnalyzeJson::default();
    let mut reports: Vec<Option<Checked>> = Vec::with_capacity(kept.len());
    for c in checked {
        match c {
            Ok(c) => reports.push(Some(c)),
            Err(e) => {
                crate::report_error(&e);
                failed += 1;
                reports.push(None);
            }
        }
    }
    for ((r, _), c) in kept.iter().zip(&reports) {
        let Some(c) = c else { continue };
        let rep = &c.report;
        let spec = gongwen::specificity_json(&c.spec);
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
                    doc_id: kept[c.sources[s]].0.doc_id.to_string(),
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
            verdict: gongwen::verdict_line(rep, Some(&c.spec)),
        });
    }
    json.formulas = widespread(formulas, formula_use);
    json.series = series(&kept, &reports);
    json.clusters = clusters(&kept, &reports);

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
fn series(kept: &[(&DocRecord, [u8; 32])], reports: &[Option<Checked>]) -> Vec<SeriesJson> {
    let mut out = Vec::new();
    for by in ["author", "unit"] {
        let mut groups: BTreeMap<&str, BTreeMap<u16, usize>> = BTreeMap::new();
        for (n, (r, _)) in kept.iter().enumerate() {
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
                    doc_id: kept[n].0.doc_id.to_string(),
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
/// members ordered by year.
fn clusters(kept: &[(&DocRecord, [u8; 32])], reports: &[Option<Checked>]) -> Vec<ClusterJson> {
    let mut by_members: HashMap<Vec<usize>, (String, Vec<Member>)> = HashMap::new();
    for (n, c) in reports.iter().enumerate() {
        let Some(c) = c else { continue };
        for (span, text, members) in &c.shared {
            let mut all: Vec<Member> = vec![(n, *span)];
            all.extend(members.iter().copied());
            all.sort_by_key(|&(d, s)| (d, s));
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
    let year = |d: usize| kept[d].0.metadata.year.map(|y| y.get());
    let mut out: Vec<ClusterJson> = by_members
        .into_values()
        .map(|(text, mut members)| {
            members.sort_by_key(|&(d, _)| (year(d).unwrap_or(u16::MAX), d));
            ClusterJson {
                text,
                members: members
                    .into_iter()
                    .map(|(d, span)| ClusterMemberJson {
                        doc_id: kept[d].0.doc_id.to_string(),
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

fn write_table(out: &mut impl Write, j: &AnalyzeJson) -> io::Result<()> {
    use crate::archive::pad;
    writeln!(
        out,
        "{}  {}  {}  {}  {}  {}  {}  标志",
        pad("文档", 36),
        pad("抄袭他人", 8),
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
            pad(&pct(d.rates.copied), 8),
            pad(&pct(d.rates.self_reuse), 8),
            pad(&pct(d.rates.mandated), 8),
            pad(&pct(d.rates.boilerplate), 6),
            pad(&pct(d.cnki.total), 8),
            pad(&concrete, 8),
            d.flags.join(",")
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
