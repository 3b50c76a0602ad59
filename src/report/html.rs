//! `gongwen check --html`: the printable 查重报告, one self-contained HTML file (inline CSS and SVG,
//! no request of any kind), rendered from the same [`CheckJson`] as `--json` with a minijinja
//! template whose name ends in `.html`, so that every string from a document is escaped.
//!
//! Layout, as CNKI's report users know it and more honest: the header (document, archive, report
//! date), the four rates as one stacked bar, the CNKI figures, the verdict and the flags; then the
//! text with every match coloured by kind and numbered, each number linking to its entry in
//! 全文对照 (the source passages side by side, the characters that differ marked); then the
//! problem items with their verdicts and evidence.

use minijinja::Environment;
use serde::Serialize;

use super::analyze::AnalyzeJson;
use super::check::CheckJson;

const TEMPLATE: &str = include_str!("templates/check.html");
const DASHBOARD: &str = include_str!("templates/analyze.html");

/// Passages longer than this product of lengths are shown side by side without marking the
/// differing characters (the marking is quadratic).
const MAX_DIFF_CELLS: usize = 4_000_000;

/// What the report says about where and when it was made.
#[derive(Clone, Debug, Serialize)]
pub struct ReportContext<'a> {
    /// The date the report was made (YYYY-MM-DD).
    pub date: &'a str,
    /// The archive it was checked against (its directory).
    pub archive: &'a str,
    /// Documents in the archive.
    pub archive_docs: usize,
    /// gongwen's version.
    pub version: &'a str,
}

#[derive(Serialize)]
struct Piece<'t> {
    text: &'t str,
    /// `copied|self_reuse|mandated|boilerplate`, or empty for text no match covers.
    kind: &'static str,
    /// 1-based number of the match, 0 for none.
    number: usize,
    /// Whether a paragraph ends after it.
    breaks: usize,
    /// Whether it is the last piece of its match (which carries the match's number).
    last: bool,
}

#[derive(Serialize)]
struct Marked {
    text: String,
    diff: bool,
}

#[derive(Serialize)]
struct SideBySide {
    label: String,
    ours_at: [usize; 2],
    theirs_at: [usize; 2],
    similarity: String,
    ours: Vec<Marked>,
    theirs: Vec<Marked>,
}

#[derive(Serialize)]
struct MatchView<'t> {
    number: usize,
    kind: &'static str,
    label: &'static str,
    text: &'t str,
    start: usize,
    end: usize,
    formulas: Vec<&'t str>,
    sources: Vec<SideBySide>,
    more: usize,
}

/// Splits `a` and `b` into runs of characters they share (in a longest common subsequence) and
/// runs they do not.
fn diff(a: &str, b: &str) -> (Vec<Marked>, Vec<Marked>) {
    let ca: Vec<char> = a.chars().collect();
    let cb: Vec<char> = b.chars().collect();
    if ca.len().saturating_mul(cb.len()) > MAX_DIFF_CELLS {
        let plain = |s: &str| {
            vec![Marked {
                text: s.to_string(),
                diff: false,
            }]
        };
        return (plain(a), plain(b));
    }
    // lcs[i][j]: the LCS length of ca[i..] and cb[j..], in one flat table.
    let w = cb.len() + 1;
    let mut lcs = vec![0u32; (ca.len() + 1) * w];
    for i in (0..ca.len()).rev() {
        for j in (0..cb.len()).rev() {
            lcs[i * w + j] = if ca[i] == cb[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let (mut ma, mut mb) = (Vec::new(), Vec::new());
    let push = |out: &mut Vec<Marked>, c: char, diff: bool| match out.last_mut() {
        Some(m) if m.diff == diff => m.text.push(c),
        _ => out.push(Marked {
            text: c.to_string(),
            diff,
        }),
    };
    let (mut i, mut j) = (0, 0);
    while i < ca.len() || j < cb.len() {
        if i < ca.len() && j < cb.len() && ca[i] == cb[j] {
            push(&mut ma, ca[i], false);
            push(&mut mb, cb[j], false);
            i += 1;
            j += 1;
        } else if j < cb.len() && (i == ca.len() || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j]) {
            push(&mut mb, cb[j], !cb[j].is_whitespace());
            j += 1;
        } else {
            push(&mut ma, ca[i], !ca[i].is_whitespace());
            i += 1;
        }
    }
    (ma, mb)
}

/// The document's text cut at the matches' character spans.
fn pieces<'t>(text: &'t str, json: &CheckJson<'t>) -> Vec<Piece<'t>> {
    // Character offsets to byte offsets, once.
    let starts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte = |c: usize| starts[c.min(starts.len() - 1)];
    let mut out = Vec::new();
    let mut at = 0usize;
    let plain = |out: &mut Vec<Piece<'t>>, from: usize, to: usize, kind, number| {
        // Paragraphs: one piece per line, a break after each.
        let s = &text[from..to];
        let mut pos = 0;
        for line in s.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            let breaks = usize::from(line.ends_with('\n'));
            if !body.is_empty() || breaks > 0 {
                out.push(Piece {
                    text: &s[pos..pos + body.len()],
                    kind,
                    number,
                    breaks,
                    last: false,
                });
            }
            pos += line.len();
        }
    };
    for (k, m) in json.matches.iter().enumerate() {
        let (s, e) = (byte(m.span[0]), byte(m.span[1]));
        if s < at {
            continue;
        }
        plain(&mut out, at, s, "", 0);
        plain(&mut out, s, e, m.kind, k + 1);
        if let Some(p) = out.last_mut() {
            p.last = true;
        }
        at = e;
    }
    plain(&mut out, at, text.len(), "", 0);
    out
}

/// What a source is to the checked document, for people.
fn relation_label(relation: &str) -> &'static str {
    match relation {
        "mandated" => "规定引用的来源",
        "self_reuse" => "本人或本单位的材料",
        "later" => "年份在后的材料（本文在先）",
        _ => "他人的材料",
    }
}

/// Renders the 查重报告 of a checked document.
///
/// # Errors
///
/// Only if the built-in template is broken (a bug): rendering typed data cannot fail otherwise.
pub fn check_html(
    text: &str,
    json: &CheckJson<'_>,
    context: &ReportContext<'_>,
) -> Result<String, minijinja::Error> {
    let matches: Vec<MatchView> = json
        .matches
        .iter()
        .enumerate()
        .map(|(k, m)| MatchView {
            number: k + 1,
            kind: m.kind,
            label: m.label,
            text: m.text,
            start: m.span[0],
            end: m.span[1],
            formulas: m.formulas.clone(),
            sources: m
                .sources
                .iter()
                .take(3)
                .map(|s| {
                    // Our side: the part of the match this source shares.
                    let ours: String = text
                        .chars()
                        .skip(s.doc_span[0])
                        .take(s.doc_span[1].saturating_sub(s.doc_span[0]))
                        .collect();
                    let (ours, theirs) = diff(&ours, s.text);
                    SideBySide {
                        label: format!(
                            "{}{}{}　{}",
                            s.author.unwrap_or("作者不详"),
                            s.unit.map(|u| format!("（{u}）")).unwrap_or_default(),
                            s.year.map(|y| format!(" {y}年")).unwrap_or_default(),
                            relation_label(s.relation)
                        ),
                        similarity: format!("{:.0}%", s.similarity * 100.0),
                        ours_at: s.doc_span,
                        theirs_at: s.span,
                        ours,
                        theirs,
                    }
                })
                .collect(),
            more: m.sources.len().saturating_sub(3),
        })
        .collect();
    let r = &json.rates;
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    let original = (1.0 - r.copied - r.self_reuse - r.mandated - r.boilerplate).max(0.0);
    let bar: Vec<serde_json::Value> = [
        ("#e8504a", "与他人重合", r.copied),
        ("#f0a030", "自我重复", r.self_reuse),
        ("#4a8fd8", "规定引用", r.mandated),
        ("#a8a8a8", "套话", r.boilerplate),
        ("#dfe8da", "其余", original),
    ]
    .iter()
    .scan(0.0, |x, &(color, label, share)| {
        let v = serde_json::json!({ "color": color, "label": label, "x": *x * 100.0, "w": share * 100.0, "pct": pct(share) });
        *x += share;
        Some(v)
    })
    .collect();
    let mut env = Environment::new();
    env.add_template("check.html", TEMPLATE)?;
    let items: Vec<serde_json::Value> = json
        .items
        .iter()
        .map(|i| {
            serde_json::json!({
                "section": i.section,
                "claim": i.claim,
                "verdict": i.verdict,
                "label": i.label,
                "evidence": i.evidence.iter().map(|e| e.text).collect::<Vec<_>>(),
            })
        })
        .collect();
    let ctx = serde_json::json!({
        "doc": &json.doc,
        "rates": serde_json::json!({
            "copied": pct(r.copied), "self_reuse": pct(r.self_reuse),
            "mandated": pct(r.mandated), "boilerplate": pct(r.boilerplate),
            "later": (r.later > 0.0).then(|| pct(r.later)),
        }),
        "bar": bar,
        "cnki": serde_json::json!({
            "total": pct(json.cnki.total),
            "excluding_mandated": pct(json.cnki.excluding_mandated),
            "excluding_self": pct(json.cnki.excluding_self),
            "largest": json.cnki.largest_source.as_ref().map_or("0.0%".into(), |l| pct(l.share)),
        }),
        "verdict": &json.verdict,
        "flags": json.flags.iter().map(|f| f.message.as_str()).collect::<Vec<_>>(),
        "unread": &json.unread,
        "pieces": pieces(text, json),
        "matches": matches,
        "items": items,
        "specificity": &json.specificity,
        "compared": json.compared,
        "candidates": &json.candidates,
        "context": context,
    });
    env.get_template("check.html")?
        .render(minijinja::Value::from(minijinja::value::Serde(&ctx)))
}

/// A small year-over-year chart: the share reused from the previous year, as an SVG polyline in a
/// 240×60 box (years evenly spaced, 0–100% bottom to top).
fn series_chart(years: &[(u16, Option<f64>)]) -> serde_json::Value {
    let n = years.len().max(2) - 1;
    let points: Vec<serde_json::Value> = years
        .iter()
        .enumerate()
        .filter_map(|(i, (year, r))| {
            r.map(|r| {
                let x = 20.0 + 200.0 * i as f64 / n as f64;
                let y = 50.0 - 40.0 * r.clamp(0.0, 1.0);
                serde_json::json!({ "x": x, "y": y, "year": year, "pct": format!("{:.0}%", r * 100.0) })
            })
        })
        .collect();
    let line: Vec<String> = points
        .iter()
        .map(|p| {
            format!(
                "{:.1},{:.1}",
                p["x"].as_f64().unwrap_or(0.0),
                p["y"].as_f64().unwrap_or(0.0)
            )
        })
        .collect();
    let labels: Vec<serde_json::Value> = years
        .iter()
        .enumerate()
        .map(|(i, (year, _))| serde_json::json!({ "x": 20.0 + 200.0 * i as f64 / n as f64, "year": year }))
        .collect();
    serde_json::json!({ "points": points, "line": line.join(" "), "labels": labels })
}

/// Renders the corpus dashboard of `analyze --html`: the documents table (sortable by each rate
/// and by concrete items, with a few lines of inline script and no library), each author's and
/// unit's year-over-year reuse as a small inline SVG chart, the most widespread formulas, and the
/// passages several documents share.
///
/// # Errors
///
/// Only if the built-in template is broken (a bug).
pub fn analyze_html(
    json: &AnalyzeJson,
    context: &ReportContext<'_>,
) -> Result<String, minijinja::Error> {
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    let names: std::collections::HashMap<&str, String> = json
        .documents
        .iter()
        .map(|d| {
            (
                d.doc_id.as_str(),
                format!(
                    "{} {}",
                    d.year.map_or("—".into(), |y| y.to_string()),
                    d.author.as_deref().or(d.unit.as_deref()).unwrap_or("—")
                ),
            )
        })
        .collect();
    let documents: Vec<serde_json::Value> = json
        .documents
        .iter()
        .map(|d| {
            let n = |k: &str| d.items.as_ref().and_then(|i| i[k].as_u64()).unwrap_or(0);
            let all = n("concrete") + n("generic") + n("none");
            serde_json::json!({
                "title": d.title.as_deref().unwrap_or(&d.path),
                "author": d.author.as_deref().unwrap_or("—"),
                "unit": d.unit.as_deref().unwrap_or("—"),
                "year": d.year,
                "kind": d.kind.as_deref().unwrap_or("—"),
                "copied": d.rates.copied, "copied_pct": pct(d.rates.copied),
                "self_reuse": d.rates.self_reuse, "self_reuse_pct": pct(d.rates.self_reuse),
                "mandated": d.rates.mandated, "mandated_pct": pct(d.rates.mandated),
                "boilerplate": d.rates.boilerplate, "boilerplate_pct": pct(d.rates.boilerplate),
                "total": d.cnki.total, "total_pct": pct(d.cnki.total),
                "concrete_share": if all == 0 { -1.0 } else { n("concrete") as f64 / all as f64 },
                "concrete": if all == 0 { "—".to_string() } else { format!("{}/{}", n("concrete"), all) },
                "specificity": d.specificity.unwrap_or(0.0),
                "flags": &d.flag_labels,
                "verdict": &d.verdict,
            })
        })
        .collect();
    let series: Vec<serde_json::Value> = json
        .series
        .iter()
        .map(|s| {
            let years: Vec<(u16, Option<f64>)> = s
                .years
                .iter()
                .map(|y| (y.year, y.reused_from_previous))
                .collect();
            serde_json::json!({
                "by": if s.by == "author" { "作者" } else { "单位" },
                "name": &s.name,
                "chart": series_chart(&years),
            })
        })
        .collect();
    let clusters: Vec<serde_json::Value> = json
        .clusters
        .iter()
        .take(50)
        .map(|c| {
            serde_json::json!({
                "text": c.text.chars().take(120).collect::<String>(),
                "clipped": c.text.chars().count() > 120,
                "members": c.members.iter().map(|m| names.get(m.doc_id.as_str()).cloned().unwrap_or_else(|| m.doc_id.clone())).collect::<Vec<_>>(),
            })
        })
        .collect();
    let ctx = serde_json::json!({
        "documents": documents,
        "series": series,
        "formulas": &json.formulas,
        "clusters": clusters,
        "more_clusters": json.clusters.len().saturating_sub(50),
        "context": context,
    });
    let mut env = Environment::new();
    env.add_template("analyze.html", DASHBOARD)?;
    env.get_template("analyze.html")?
        .render(minijinja::Value::from(minijinja::value::Serde(&ctx)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(m: &[Marked]) -> String {
        m.iter()
            .map(|p| {
                if p.diff {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn differing_characters_are_marked_on_both_sides() {
        let (a, b) = diff("2023年柳塘镇召开会议", "2024年石桥镇召开会议");
        assert_eq!(flat(&a), "202[3]年[柳塘]镇召开会议");
        assert_eq!(flat(&b), "202[4]年[石桥]镇召开会议");
        let (a, b) = diff("", "新增");
        assert_eq!((flat(&a), flat(&b)), (String::new(), "[新增]".to_string()));
    }
}
