//! `gongwen check FILE|DOC [--json]`: the 查重 of one document against the whole archive.

use std::io::{self, Write};
use std::path::Path;

use rayon::prelude::*;

use gongwen::{
    AlignConfig, CandidateConfig, CharIndex, CheckedDoc, DocId, DocRecord, Metadata, Passage,
    ReuseCheck, ReuseConfig, SourceInfo,
};

use crate::Outcome;
use crate::args::CheckArgs;
use crate::dicts::Dictionaries;
use crate::show::Shown;

/// A source's countable characters, the passages it shares, and its text if it shares any.
type Aligned = (usize, Vec<Passage>, String);

/// What the 查重 of `check` and `analyze` may do: the shortest passage and how many candidates
/// each document is aligned with.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub min_chars: usize,
    pub max_candidates: usize,
}

impl Limits {
    /// The defaults of `check`: passages of 13 countable characters, 1,000 candidates.
    pub const CHECK: Limits = Limits {
        min_chars: 13,
        max_candidates: 1000,
    };

    pub fn config(&self) -> ReuseConfig {
        ReuseConfig {
            align: AlignConfig {
                min_chars: self.min_chars,
                ..AlignConfig::default()
            },
            ..ReuseConfig::default()
        }
    }

    pub fn candidates(&self) -> CandidateConfig {
        CandidateConfig {
            max_candidates: self.max_candidates,
            ..CandidateConfig::default()
        }
    }
}

pub fn info(m: &Metadata) -> SourceInfo {
    SourceInfo::of(m)
}

pub fn run(dir: &Path, args: &CheckArgs) -> anyhow::Result<Outcome> {
    let dicts = Dictionaries::from_args(&args.dicts)?;
    let archive = gongwen::Archive::open(dir)?;
    if let Some(out) = &args.html {
        crate::check_output(out)?;
    }
    let resolver = crate::show::resolver(&args.meta)?;
    let (doc_id, path, metadata, text) =
        match crate::show::find(Some(&archive), &args.doc, &resolver)? {
            Shown::Archived(r, text) => (r.doc_id, r.path, r.metadata, text),
            Shown::File(path, doc, resolved) => {
                for w in &doc.warnings {
                    crate::report_warning(&args.doc, w);
                }
                (
                    DocId::for_path(&path),
                    path.to_string_lossy().into_owned(),
                    resolved.metadata,
                    doc.text,
                )
            }
        };
    let limits = Limits {
        min_chars: args.min_chars,
        max_candidates: args.max_candidates,
    };
    let checked = CheckedDoc {
        doc_id: &doc_id,
        path: &path,
        metadata: &metadata,
        text: &text,
    };
    let (outcome, failed) = with_check(&archive, checked, limits, !args.json, &dicts, |json| {
        if let Some(out) = &args.html {
            let html = report_html(&archive, dir, &text, json)?;
            crate::write_output(out, html.as_bytes())?;
            eprintln!("查重报告：{}", out.display());
        }
        crate::archive::emit(args.json, json, write_summary)
    })?;
    outcome?;
    Ok(if failed > 0 {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// The printable 查重报告 of `text` checked against the archive in `dir`, dated today: what
/// `check --html` writes and `serve` shows.
pub fn report_html(
    archive: &gongwen::Archive,
    dir: &Path,
    text: &str,
    json: &gongwen::CheckJson,
) -> anyhow::Result<String> {
    let date = today();
    let context = gongwen::ReportContext {
        date: &date,
        archive: &dir.display().to_string(),
        archive_docs: archive.count()?,
        version: env!("CARGO_PKG_VERSION"),
    };
    Ok(gongwen::check_html(text, json, &context)?)
}

/// Checks one document against the archive and hands the result to `f` (the JSON borrows the
/// sources' texts, so it lives only inside this call). Returns what `f` returns and the number
/// of archived documents that could not be read. `progress` shows a bar on stderr when it is a
/// terminal.
///
/// The archive's signatures name the documents sharing text with this one (never the document
/// itself); those sharing most are aligned, at most `limits.max_candidates`, on every core, one
/// stored text at a time per thread. Meanwhile the problem items and the formulas are found on
/// threads of their own (the segmenter's dictionary may still be loading), with `dicts`.
pub fn with_check<R>(
    archive: &gongwen::Archive,
    checked: CheckedDoc<'_>,
    limits: Limits,
    progress: bool,
    dicts: &Dictionaries,
    f: impl FnOnce(&gongwen::CheckJson) -> R,
) -> anyhow::Result<(R, usize)> {
    let CheckedDoc {
        doc_id,
        metadata,
        text,
        ..
    } = checked;
    let (spec, found_formulas, aligned) = std::thread::scope(|scope| {
        let spec = scope.spawn(|| dicts.specificity_of(text));
        let found = scope.spawn(|| dicts.formulas.find(text));
        let aligned = align_candidates(archive, doc_id, metadata, text, limits, progress);
        (
            spec.join().expect("the specificity thread does not panic"),
            found.join().expect("the formula thread does not panic"),
            aligned,
        )
    });
    let (mut check, candidates, aligned) = aligned?;
    check.set_items(spec.items.iter().map(|i| i.span).collect());
    check.add_formulas(&found_formulas);
    let formulas = &dicts.formulas;

    let mut unread: Vec<String> = Vec::new();
    let mut sources: Vec<DocRecord> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for ((r, _), result) in candidates.ranked.into_iter().zip(aligned) {
        match result {
            Ok(Some((chars, passages, text))) => {
                let key = info(&r.metadata).author_key(&r.path);
                check.add_aligned(info(&r.metadata), key, chars, passages);
                sources.push(r);
                texts.push(text);
            }
            Ok(None) => {}
            Err(e) => {
                crate::report_error(&format_args!("warning: {e}"));
                unread.push(e.to_string());
            }
        }
    }
    let others = candidates.documents - usize::from(candidates.excluded);
    if others == 0 {
        crate::report_error(
            &"notice: the archive holds no other document to compare with; rates are 0",
        );
    }
    if candidates.ranked_len < candidates.found {
        crate::report_error(&format!(
            "notice: {} archived documents share text with this one; the {} sharing most were \
             compared (--max-candidates)",
            candidates.found, candidates.ranked_len
        ));
    }
    let report = check.finish();

    let docs: Vec<CheckedDoc> = sources
        .iter()
        .zip(&texts)
        .map(|(r, t)| CheckedDoc {
            doc_id: &r.doc_id,
            path: &r.path,
            metadata: &r.metadata,
            text: t,
        })
        .collect();
    let indexes: Vec<CharIndex> = texts.iter().map(|t| CharIndex::new(t)).collect();
    let mut json = gongwen::check_json(&checked, &report, &docs, &indexes, formulas);
    json.items = gongwen::items_json(text, &CharIndex::new(text), &spec);
    json.specificity = Some(gongwen::specificity_json(&spec));
    json.verdict = gongwen::verdict_line(&report, Some(&spec));
    json.candidates = Some(gongwen::CandidatesJson {
        archived: others,
        sharing: candidates.found,
        compared: report.sources,
        max_candidates: limits.max_candidates,
    });
    let failed = unread.len();
    json.unread = unread;
    Ok((f(&json), failed))
}

/// What [`align_candidates`] found: the 查重 with the archive's stock stretches marked, the
/// candidates, and each candidate's alignment (`None` for a copy of the same text).
type Found = (
    ReuseCheck,
    CandidateList,
    Vec<gongwen::Result<Option<Aligned>>>,
);

/// The candidates as `with_check` uses them.
pub struct CandidateList {
    ranked: Vec<(DocRecord, usize)>,
    ranked_len: usize,
    found: usize,
    documents: usize,
    excluded: bool,
}

/// Looks the document's signature up in the archive and aligns it with the candidates.
fn align_candidates(
    archive: &gongwen::Archive,
    doc_id: &DocId,
    metadata: &Metadata,
    text: &str,
    limits: Limits,
    progress: bool,
) -> gongwen::Result<Found> {
    let mut check = ReuseCheck::new(text, info(metadata), limits.config());
    let located = gongwen::located_fingerprints(text);
    let mut signature: Vec<u32> = located.iter().map(|f| f.value).collect();
    signature.sort_unstable();
    signature.dedup();
    let found = archive.candidates(&signature, Some(doc_id), &limits.candidates(), |a| {
        check.boilerplate_threshold(a)
    })?;
    // The boilerplate threshold counts every author of the archive, not only those aligned.
    check.set_authors(found.authors);
    // Stock phrasing whose documents were not all aligned: its fingerprints chose no candidate
    // (too frequent), or the cap cut some candidates.
    let cut = found.cut() > 0;
    let stock = gongwen::stock_runs(&located, |v| {
        found.stock.binary_search(&v).is_ok() && (cut || found.frequent.binary_search(&v).is_ok())
    });
    check.add_stock(&stock);
    let bar = crate::archive::progress_bar(found.ranked.len() as u64, progress);
    let aligned: Vec<gongwen::Result<Option<Aligned>>> = found
        .ranked
        .par_iter()
        .map(|(r, _)| {
            if let Some(b) = &bar {
                b.inc(1);
            }
            let other = archive.text(r)?;
            // Another copy of the same content is the same document, not a source.
            if other == text {
                return Ok(None);
            }
            let (chars, passages) = check.align(&other);
            // The report shows the sources' passages: keep the text of those that share some.
            let kept = if passages.is_empty() {
                String::new()
            } else {
                other
            };
            Ok(Some((chars, passages, kept)))
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let list = CandidateList {
        ranked_len: found.ranked.len(),
        found: found.found,
        documents: found.documents,
        excluded: found.excluded,
        ranked: found.ranked,
    };
    Ok((check, list, aligned))
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock: the date a printed report carries.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The people's view: the rates, the CNKI figures, the flags and each match with its sources.
fn write_summary(out: &mut impl Write, j: &gongwen::CheckJson) -> io::Result<()> {
    let d = &j.doc;
    writeln!(
        out,
        "查重：{}（{}{}{}），{} 字，比对 {} 篇",
        d.title.unwrap_or(d.path),
        d.author.unwrap_or("作者不详"),
        d.unit.map(|u| format!("，{u}")).unwrap_or_default(),
        d.year.map(|y| format!("，{y}年")).unwrap_or_default(),
        d.chars,
        j.compared
    )?;
    writeln!(
        out,
        "与他人重合 {}  自我重复 {}  规定引用 {}  套话 {}",
        pct(j.rates.copied),
        pct(j.rates.self_reuse),
        pct(j.rates.mandated),
        pct(j.rates.boilerplate)
    )?;
    if j.rates.later > 0.0 {
        writeln!(
            out,
            "被后来材料重复 {}（只见于年份在后的材料：本文在先，不计入以上比例）",
            pct(j.rates.later)
        )?;
    }
    writeln!(
        out,
        "总文字复制比 {}  去除引用 {}  去除本人 {}  单篇最大文字复制比 {}",
        pct(j.cnki.total),
        pct(j.cnki.excluding_mandated),
        pct(j.cnki.excluding_self),
        j.cnki
            .largest_source
            .as_ref()
            .map_or("0.0%".into(), |l| pct(l.share))
    )?;
    writeln!(out, "结论：{}", j.verdict)?;
    for f in &j.flags {
        writeln!(out, "⚑ {}", f.message)?;
    }
    if !j.items.is_empty() {
        writeln!(out, "\n问题清单（{} 条）：", j.items.len())?;
        for (k, i) in j.items.iter().enumerate() {
            let label = i.label;
            let evidence: Vec<&str> = i.evidence.iter().map(|e| e.text).take(4).collect();
            writeln!(
                out,
                "{:>3}. [{label}] {}{}",
                k + 1,
                crate::archive::clip(i.claim, 30),
                if evidence.is_empty() {
                    String::new()
                } else {
                    format!("  ← {}", evidence.join("、"))
                }
            )?;
        }
    }
    for m in &j.matches {
        let label = m.label;
        writeln!(
            out,
            "\n[{label}] 第{}–{}字：{}",
            m.span[0],
            m.span[1],
            crate::archive::clip(m.text, 60)
        )?;
        // Each source once (a source sharing two passages of the run is listed twice in the
        // JSON), in the JSON's order, with its best similarity.
        let mut shown: Vec<(&gongwen::SourceJson, f32)> = Vec::new();
        for s in &m.sources {
            match shown.iter_mut().find(|(t, _)| t.doc_id == s.doc_id) {
                Some((_, best)) => *best = best.max(s.similarity),
                None => shown.push((s, s.similarity)),
            }
        }
        for (s, similarity) in shown.iter().take(5) {
            writeln!(
                out,
                "    ← {}{}（相似度 {:.0}%）  {}",
                s.author.or(s.unit).unwrap_or(""),
                s.year.map(|y| format!(" {y}年")).unwrap_or_default(),
                similarity * 100.0,
                s.path
            )?;
        }
        if shown.len() > 5 {
            writeln!(out, "    …… 另有 {} 个来源", shown.len() - 5)?;
        }
    }
    Ok(())
}
