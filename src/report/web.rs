//! The pages of `gongwen serve`: the search page (hits with snippets, a KWIC view, filters with
//! counts, the query's occurrences per year as an inline SVG chart) and the document page (the
//! outline in a sidebar, the text with the query, the formulas, the problem items' verdicts and
//! their evidence highlighted). The 查重 page is [`check_html`](super::check_html) itself.
//!
//! Rendered with minijinja templates whose names end in `.html`, so that every string from a
//! document is escaped; links are built here, with every value percent-encoded. The pages load
//! nothing: styles are inline and there is no script.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use minijinja::Environment;
use serde::Serialize;

use super::search::{CONTEXT, SNIPPETS, Snippet, snippets};
use crate::analyze::formulas::{FormulaMatch, FormulaSet};
use crate::analyze::specificity::{SpecificityReport, Verdict};
use crate::document::{Outline, SectionKind};
use crate::index::{DocRecord, FacetCount, Facets, SearchResults};
use crate::span::{ByteSpan, Year};

/// Hits on one page of results.
pub const PAGE_SIZE: usize = 20;
/// Values listed per facet before 另有 N 项.
const FACET_VALUES: usize = 15;

static PAGES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in [
        ("web_base.html", include_str!("templates/web_base.html")),
        ("web_search.html", include_str!("templates/web_search.html")),
        (
            "web_document.html",
            include_str!("templates/web_document.html"),
        ),
        ("web_error.html", include_str!("templates/web_error.html")),
    ] {
        env.add_template(name, source)
            .expect("the built-in web templates parse");
    }
    env
});

/// What every page says about the archive it shows.
#[derive(Clone, Debug, Serialize)]
pub struct WebContext<'a> {
    /// The archive's directory.
    pub archive: &'a str,
    /// Documents in it.
    pub archive_docs: usize,
    /// gongwen's version.
    pub version: &'a str,
    /// What the page must say it left out (documents whose stored text is damaged).
    pub warnings: Vec<String>,
}

/// The search form as the user filled it in: shown again in the form, and the base of every
/// link on the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SearchForm {
    /// The query.
    pub q: String,
    /// First year, inclusive (may be empty).
    pub year_from: String,
    /// Last year, inclusive (may be empty).
    pub year_to: String,
    /// 作者.
    pub author: String,
    /// 单位.
    pub unit: String,
    /// 类型.
    pub kind: String,
    /// `kwic` for the KWIC view, else empty.
    pub view: String,
    /// 1-based page of hits.
    pub page: usize,
}

impl SearchForm {
    /// The link to this form's page.
    pub fn url(&self) -> String {
        let mut out = String::from("/?");
        let mut first = true;
        let page = self.page.to_string();
        for (k, v) in [
            ("q", self.q.as_str()),
            ("year_from", &self.year_from),
            ("year_to", &self.year_to),
            ("author", &self.author),
            ("unit", &self.unit),
            ("kind", &self.kind),
            ("view", &self.view),
            ("page", if self.page > 1 { &page } else { "" }),
        ] {
            if v.is_empty() {
                continue;
            }
            if !first {
                out.push('&');
            }
            first = false;
            out.push_str(k);
            out.push('=');
            out.push_str(&percent_encode(v));
        }
        if first {
            out.pop();
        }
        out
    }

    /// The same form with one change, back on page 1.
    fn with(&self, change: impl FnOnce(&mut SearchForm)) -> String {
        let mut f = self.clone();
        f.page = 1;
        change(&mut f);
        f.url()
    }
}

/// `s` percent-encoded for a URL's query or path: everything but ASCII letters, digits and
/// `-._~`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A KWIC line of the web page (owned: the text it comes from is read one document at a time).
#[derive(Clone, Debug, Serialize)]
pub struct KwicRow {
    /// The document.
    pub doc_id: String,
    /// Its year, author or unit, for the row's label.
    pub label: String,
    /// Context before.
    pub left: String,
    /// The occurrence.
    pub matched: String,
    /// Context after.
    pub right: String,
    /// Which occurrence of its document it is, 1-based (the document page's anchor `q<n>`).
    pub number: usize,
}

/// What the search page shows under the form.
#[derive(Debug)]
pub enum SearchBody<'a> {
    /// No query: the archive's documents (those the filters select), with their counts.
    Browse {
        /// The documents.
        docs: &'a [DocRecord],
        /// Documents per year, unit, kind and author.
        facets: &'a Facets,
    },
    /// The best hits of a query, with snippets.
    Hits {
        /// The hits of this page (the first `PAGE_SIZE × page`; earlier pages are skipped).
        results: &'a SearchResults,
        /// Documents and occurrences per value over all matches.
        facets: &'a Facets,
    },
    /// Every occurrence of a query in context.
    Kwic {
        /// The lines shown.
        lines: &'a [KwicRow],
        /// Occurrences in all.
        total: usize,
        /// Documents and occurrences per value over all matches.
        facets: &'a Facets,
    },
    /// The query or a filter could not be read: the message, in Chinese.
    Error(&'a str),
}

#[derive(Serialize)]
struct Mark<'t> {
    text: &'t str,
    hit: bool,
}

fn snippet_marks(s: &Snippet) -> Vec<Mark<'_>> {
    let starts: Vec<usize> = s
        .text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.text.len()))
        .collect();
    let byte = |c: usize| starts[c.min(starts.len() - 1)];
    let mut out = Vec::new();
    let mut at = 0;
    for &[a, b] in &s.highlights {
        let (a, b) = (byte(a), byte(b));
        if a > at {
            out.push(Mark {
                text: &s.text[at..a],
                hit: false,
            });
        }
        out.push(Mark {
            text: &s.text[a..b],
            hit: true,
        });
        at = b;
    }
    if at < s.text.len() {
        out.push(Mark {
            text: &s.text[at..],
            hit: false,
        });
    }
    out
}

fn year_label(y: Option<Year>) -> String {
    y.map_or("—".into(), |y| y.to_string())
}

fn doc_url(doc: &DocRecord, q: &str) -> String {
    if q.is_empty() {
        format!("/doc/{}", doc.doc_id)
    } else {
        format!("/doc/{}?q={}", doc.doc_id, percent_encode(q))
    }
}

fn doc_view(doc: &DocRecord, q: &str) -> serde_json::Value {
    let m = &doc.metadata;
    serde_json::json!({
        "url": doc_url(doc, q),
        "check": format!("/doc/{}/check", doc.doc_id),
        "title": m.title.as_deref().unwrap_or(&doc.path),
        "year": year_label(m.year),
        "author": m.author.as_deref().unwrap_or("—"),
        "unit": m.unit.as_deref().unwrap_or("—"),
        "kind": m.kind.as_deref().unwrap_or("—"),
        "chars": doc.chars,
    })
}

/// One facet as the sidebar lists it: each value with its counts and the link that filters on
/// it; the active value with the link that clears it.
fn facet_view(
    label: &str,
    map: &BTreeMap<String, FacetCount>,
    form: &SearchForm,
    active: &str,
    set: fn(&mut SearchForm, &str),
) -> serde_json::Value {
    let mut values: Vec<(&String, &FacetCount)> = map.iter().collect();
    // Most documents first; the year facet keeps its order (a timeline).
    if label != "年份" {
        values.sort_by(|a, b| b.1.docs.cmp(&a.1.docs).then(a.0.cmp(b.0)));
    }
    let more = values.len().saturating_sub(FACET_VALUES);
    let shown: Vec<serde_json::Value> = values
        .iter()
        .take(FACET_VALUES)
        .map(|(v, c)| {
            serde_json::json!({
                "value": v, "docs": c.docs, "count": c.count,
                "url": form.with(|f| set(f, v)),
                "active": *v == active,
            })
        })
        .collect();
    serde_json::json!({
        "label": label,
        "values": shown,
        "more": more,
        "active": active,
        "clear": form.with(|f| set(f, "")),
    })
}

fn facets_view(facets: &Facets, form: &SearchForm) -> Vec<serde_json::Value> {
    let active_year = if !form.year_from.is_empty() && form.year_from == form.year_to {
        form.year_from.as_str()
    } else {
        ""
    };
    vec![
        facet_view("年份", &facets.year, form, active_year, |f, v| {
            f.year_from = v.to_string();
            f.year_to = v.to_string();
        }),
        facet_view("作者", &facets.author, form, &form.author, |f, v| {
            f.author = v.to_string()
        }),
        facet_view("单位", &facets.unit, form, &form.unit, |f, v| {
            f.unit = v.to_string()
        }),
        facet_view("类型", &facets.kind, form, &form.kind, |f, v| {
            f.kind = v.to_string()
        }),
    ]
}

/// The query's occurrences per year as bars in a 600×150 SVG box, every year from the first to
/// the last (years without any shown as gaps), with the count on each bar and in its tooltip.
fn year_chart(years: &BTreeMap<String, FacetCount>) -> Option<serde_json::Value> {
    let parsed: BTreeMap<u16, FacetCount> = years
        .iter()
        .filter_map(|(y, c)| y.parse::<u16>().ok().map(|y| (y, *c)))
        .collect();
    let (&first, _) = parsed.first_key_value()?;
    let (&last, _) = parsed.last_key_value()?;
    let n = usize::from(last - first) + 1;
    let max = parsed.values().map(|c| c.count).max().unwrap_or(0).max(1);
    let slot = 560.0 / n as f64;
    // A label every few years, so that they do not overlap.
    let every = n.div_ceil(12);
    let bars: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let year = first + i as u16;
            let c = parsed.get(&year).copied().unwrap_or_default();
            let h = 110.0 * c.count as f64 / max as f64;
            serde_json::json!({
                "x": format!("{:.1}", 30.0 + slot * i as f64 + slot * 0.1),
                "w": format!("{:.1}", slot * 0.8),
                "y": format!("{:.1}", 125.0 - h),
                "ty": format!("{:.1}", 123.0 - h),
                "h": format!("{:.1}", h),
                "cx": format!("{:.1}", 30.0 + slot * (i as f64 + 0.5)),
                "year": year,
                "count": c.count,
                "docs": c.docs,
                "label": i % every == 0 || i + 1 == n,
            })
        })
        .collect();
    Some(serde_json::json!({ "bars": bars, "max": max }))
}

fn render(name: &str, ctx: serde_json::Value) -> Result<String, minijinja::Error> {
    PAGES
        .get_template(name)?
        .render(minijinja::Value::from(minijinja::value::Serde(&ctx)))
}

/// Renders the search page.
///
/// # Errors
///
/// Only if a built-in template is broken (a bug).
pub fn search_html(
    form: &SearchForm,
    body: &SearchBody<'_>,
    context: &WebContext<'_>,
) -> Result<String, minijinja::Error> {
    let page = form.page.max(1);
    let mut ctx = serde_json::json!({
        "form": form,
        "context": context,
        "tabs": {
            "hits": form.with(|f| f.view.clear()),
            "kwic": form.with(|f| f.view = "kwic".into()),
        },
        "clear_years": form.with(|f| {
            f.year_from.clear();
            f.year_to.clear();
        }),
    });
    let facets = match body {
        SearchBody::Browse { docs, facets } => {
            let from = (page - 1) * PAGE_SIZE;
            ctx["browse"] = serde_json::json!({
                "total": docs.len(),
                "from": from + 1,
                "docs": docs.iter().skip(from).take(PAGE_SIZE).map(|d| doc_view(d, "")).collect::<Vec<_>>(),
            });
            pager(&mut ctx, form, docs.len());
            Some(*facets)
        }
        SearchBody::Hits { results, facets } => {
            let hits: Vec<serde_json::Value> = results
                .hits
                .iter()
                .skip((page - 1) * PAGE_SIZE)
                .map(|h| {
                    let mut v = doc_view(&h.doc, &form.q);
                    v["count"] = h.occurrences.len().into();
                    let s = snippets(&h.text, &h.occurrences, SNIPPETS, CONTEXT);
                    v["snippets"] = s
                        .iter()
                        .map(|s| serde_json::to_value(snippet_marks(s)).unwrap_or_default())
                        .collect();
                    v
                })
                .collect();
            let occurrences: usize = facets.year.values().map(|c| c.count).sum();
            ctx["hits"] = serde_json::json!({
                "total": results.total,
                "from": (page - 1) * PAGE_SIZE + 1,
                "list": hits,
                "occurrences": occurrences,
                "undated": results.total.saturating_sub(facets.year.values().map(|c| c.docs).sum()),
            });
            pager(&mut ctx, form, results.total);
            Some(*facets)
        }
        SearchBody::Kwic {
            lines,
            total,
            facets,
        } => {
            let rows: Vec<serde_json::Value> = lines
                .iter()
                .map(|l| {
                    let mut v = serde_json::to_value(l).unwrap_or_default();
                    v["url"] = format!(
                        "/doc/{}?q={}#q{}",
                        l.doc_id,
                        percent_encode(&form.q),
                        l.number
                    )
                    .into();
                    v
                })
                .collect();
            ctx["kwic"] = serde_json::json!({ "lines": rows, "total": total });
            Some(*facets)
        }
        SearchBody::Error(message) => {
            ctx["error"] = (*message).into();
            None
        }
    };
    if let Some(f) = facets {
        ctx["facets"] = facets_view(f, form).into();
        if !form.q.is_empty() {
            ctx["chart"] = year_chart(&f.year).into();
        }
    }
    render("web_search.html", ctx)
}

fn pager(ctx: &mut serde_json::Value, form: &SearchForm, total: usize) {
    let page = form.page.max(1);
    let mut prev = form.clone();
    prev.page = page - 1;
    let mut next = form.clone();
    next.page = page + 1;
    ctx["pager"] = serde_json::json!({
        "page": page,
        "pages": total.div_ceil(PAGE_SIZE).max(1),
        "prev": (page > 1).then(|| prev.url()),
        "next": (page * PAGE_SIZE < total).then(|| next.url()),
    });
}

/// An archived document with what the document page highlights in it.
#[derive(Debug)]
pub struct DocumentView<'a> {
    /// The document.
    pub record: &'a DocRecord,
    /// Its stored text.
    pub text: &'a str,
    /// Its outline.
    pub outline: &'a Outline,
    /// The verdicts on its problem items.
    pub spec: &'a SpecificityReport,
    /// The formulas (套话 templates) it holds.
    pub formulas: &'a [FormulaMatch],
    /// The formula set `formulas` index into.
    pub formula_set: &'a FormulaSet,
    /// The query the reader came with (may be empty), and its occurrences.
    pub query: &'a str,
    /// Occurrences of `query`.
    pub occurrences: &'a [ByteSpan],
}

/// Highlight classes of the document page, one bit each.
const CLASSES: [&str; 6] = ["q", "f", "ev", "c-concrete", "c-generic", "c-none"];

#[derive(Serialize)]
struct TextPiece<'t> {
    text: &'t str,
    class: String,
    anchors: Vec<String>,
    /// The formula's template, as a tooltip.
    tip: Option<&'t str>,
}

/// The text cut into paragraphs of pieces, each piece carrying the classes of the layers that
/// cover it and the anchors that start there.
fn layered<'t>(
    text: &'t str,
    layers: &[(ByteSpan, usize, Option<&'t str>)],
    anchors: &[(usize, String)],
) -> Vec<Vec<TextPiece<'t>>> {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (s, _, _) in layers {
        cuts.push(s.start.min(text.len()));
        cuts.push(s.end.min(text.len()));
    }
    cuts.extend(anchors.iter().map(|(at, _)| (*at).min(text.len())));
    for (i, _) in text.match_indices('\n') {
        cuts.push(i);
        cuts.push(i + 1);
    }
    cuts.retain(|&c| text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    // Layer starts and ends as events at cut positions.
    let mut starts: Vec<(usize, usize, Option<&'t str>)> =
        layers.iter().map(|(s, c, t)| (s.start, *c, *t)).collect();
    starts.sort_by_key(|e| e.0);
    let mut ends: Vec<(usize, usize)> = layers.iter().map(|(s, c, _)| (s.end, *c)).collect();
    ends.sort_unstable();
    let mut anchors: Vec<&(usize, String)> = anchors.iter().collect();
    anchors.sort_by_key(|a| a.0);
    let (mut si, mut ei, mut ai) = (0, 0, 0);
    let mut active = [0usize; CLASSES.len()];
    let mut tips: Vec<&'t str> = Vec::new();
    let mut paras: Vec<Vec<TextPiece<'t>>> = vec![Vec::new()];
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while ei < ends.len() && ends[ei].0 <= a {
            active[ends[ei].1] -= 1;
            ei += 1;
        }
        while si < starts.len() && starts[si].0 <= a {
            active[starts[si].1] += 1;
            if let Some(t) = starts[si].2 {
                tips.push(t);
            }
            si += 1;
        }
        if active[1] == 0 {
            tips.clear();
        }
        let mut here = Vec::new();
        while ai < anchors.len() && anchors[ai].0 <= a {
            here.push(anchors[ai].1.clone());
            ai += 1;
        }
        let slice = &text[a..b];
        if slice == "\n" {
            if !here.is_empty() {
                paras.last_mut().expect("a paragraph").push(TextPiece {
                    text: "",
                    class: String::new(),
                    anchors: here,
                    tip: None,
                });
            }
            paras.push(Vec::new());
            continue;
        }
        let class: Vec<&str> = CLASSES
            .iter()
            .zip(active)
            .filter(|(_, n)| *n > 0)
            .map(|(c, _)| *c)
            .collect();
        paras.last_mut().expect("a paragraph").push(TextPiece {
            text: slice,
            class: class.join(" "),
            anchors: here,
            tip: if active[1] > 0 {
                tips.last().copied()
            } else {
                None
            },
        });
    }
    paras
}

/// Renders the document page: metadata, the outline in a sidebar (problem items marked by
/// verdict), the text with the query's occurrences, the formulas, the problem items' claims and
/// the evidence of their verdicts highlighted.
///
/// # Errors
///
/// Only if a built-in template is broken (a bug).
pub fn document_html(
    view: &DocumentView<'_>,
    context: &WebContext<'_>,
) -> Result<String, minijinja::Error> {
    let text = view.text;
    let mut layers: Vec<(ByteSpan, usize, Option<&str>)> = Vec::new();
    let mut anchors: Vec<(usize, String)> = Vec::new();
    for (k, o) in view.occurrences.iter().enumerate() {
        layers.push((*o, 0, None));
        anchors.push((o.start, format!("q{}", k + 1)));
    }
    let templates = view.formula_set.formulas();
    for f in view.formulas {
        let tip = templates.get(f.formula).map(|t| t.template.as_str());
        layers.push((f.span, 1, tip));
    }
    for item in &view.spec.items {
        for e in &item.evidence {
            layers.push((e.span, 2, None));
        }
        let class = match item.verdict {
            Verdict::Concrete => 3,
            Verdict::Generic => 4,
            Verdict::None => 5,
        };
        layers.push((item.claim, class, None));
    }
    // The outline, flattened for the sidebar, with an anchor at each section and item.
    let mut sections = Vec::new();
    let mut item_no = 0;
    for (k, s) in view.outline.walk().into_iter().enumerate() {
        anchors.push((s.span.start, format!("s{}", k + 1)));
        let items: Vec<serde_json::Value> = s
            .items
            .iter()
            .map(|i| {
                item_no += 1;
                anchors.push((i.span.start, format!("i{item_no}")));
                let verdict = view.spec.items.iter().find(|v| v.span == i.span);
                serde_json::json!({
                    "anchor": format!("i{item_no}"),
                    "marker": i.marker.slice(text),
                    "claim": clip(i.claim.slice(text), 28),
                    "verdict": verdict.map(|v| v.verdict.as_str()),
                    "label": verdict.map(|v| v.verdict.label()),
                })
            })
            .collect();
        sections.push(serde_json::json!({
            "anchor": format!("s{}", k + 1),
            "level": s.level,
            "marker": s.marker.slice(text),
            "heading": clip(s.heading.slice(text), 28),
            "kind": s.kind.label(),
            "problems": s.kind == SectionKind::Problems,
            "items": items,
        }));
    }
    let (concrete, generic, none) = view.spec.counts();
    let r = view.record;
    let m = &r.metadata;
    let ctx = serde_json::json!({
        "context": context,
        "doc": {
            "doc_id": r.doc_id.as_str(),
            "path": r.path,
            "title": m.title.as_deref().unwrap_or(&r.path),
            "author": m.author.as_deref().unwrap_or("—"),
            "unit": m.unit.as_deref().unwrap_or("—"),
            "post": m.post.as_deref().unwrap_or("—"),
            "year": year_label(m.year),
            "kind": m.kind.as_deref().unwrap_or("—"),
            "chars": r.chars,
            "format": r.format,
            "mandated": m.mandated.unwrap_or(false),
            "check": format!("/doc/{}/check", r.doc_id),
        },
        "query": view.query,
        "back": if view.query.is_empty() { "/".to_string() } else { format!("/?q={}", percent_encode(view.query)) },
        "occurrences": view.occurrences.len(),
        "formulas": view.formulas.len(),
        "items": { "concrete": concrete, "generic": generic, "none": none, "all": concrete + generic + none },
        "sections": sections,
        "paras": layered(text, &layers, &anchors),
    });
    render("web_document.html", ctx)
}

/// Renders an error page (not found, bad request, refused) with its status line and message.
///
/// # Errors
///
/// Only if a built-in template is broken (a bug).
pub fn error_html(status: u16, title: &str, message: &str) -> Result<String, minijinja::Error> {
    render(
        "web_error.html",
        serde_json::json!({ "status": status, "title": title, "message": message }),
    )
}

/// `s` on one line, cut after `chars` characters with an ellipsis.
fn clip(s: &str, chars: usize) -> String {
    let s = s.replace('\n', " ");
    match s.char_indices().nth(chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_percent_encode_every_value() {
        let form = SearchForm {
            q: "两个确立 & <b>".into(),
            author: "张三".into(),
            page: 2,
            ..SearchForm::default()
        };
        assert_eq!(
            form.url(),
            "/?q=%E4%B8%A4%E4%B8%AA%E7%A1%AE%E7%AB%8B%20%26%20%3Cb%3E&author=%E5%BC%A0%E4%B8%89&page=2"
        );
        assert_eq!(SearchForm::default().url(), "/");
    }

    #[test]
    fn layers_overlap_into_pieces_with_every_class_that_covers_them() {
        let text = "一是学习不够。\n二是作风不实。";
        let layers = vec![
            (ByteSpan::new(0, 6), 0, None),
            (ByteSpan::new(3, 12), 1, Some("模板")),
        ];
        let anchors = vec![(22, "i2".to_string())];
        let paras = layered(text, &layers, &anchors);
        assert_eq!(paras.len(), 2);
        let flat: Vec<(&str, &str)> = paras[0]
            .iter()
            .map(|p| (p.text, p.class.as_str()))
            .collect();
        assert_eq!(
            flat,
            [("一", "q"), ("是", "q f"), ("学习", "f"), ("不够。", "")]
        );
        assert_eq!(paras[0][1].tip, Some("模板"));
        assert_eq!(paras[1][0].anchors, ["i2"]);
        let joined: String = paras
            .iter()
            .map(|p| p.iter().map(|x| x.text).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(joined, text);
    }

    #[test]
    fn the_chart_spans_every_year_from_first_to_last() {
        let mut years = BTreeMap::new();
        years.insert("2019".to_string(), FacetCount { docs: 1, count: 4 });
        years.insert("2022".to_string(), FacetCount { docs: 2, count: 2 });
        let chart = year_chart(&years).unwrap();
        let bars = chart["bars"].as_array().unwrap();
        assert_eq!(bars.len(), 4);
        assert_eq!(bars[1]["count"], 0);
        assert_eq!(bars[0]["h"], "110.0");
        assert!(year_chart(&BTreeMap::new()).is_none());
    }
}
