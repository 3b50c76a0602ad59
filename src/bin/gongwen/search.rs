//! `gongwen search`: hits with snippets, KWIC, facets, and many queries in one process.

use std::io::{self, BufRead, BufWriter, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use gongwen::{Archive, Facets, PassedOver, SearchOptions, SearchQuery, Snippet, StreamedResults};

use crate::Outcome;
use crate::args::SearchArgs;

pub fn run(dir: &Path, args: &SearchArgs) -> anyhow::Result<Outcome> {
    let filter = crate::archive::filter(&args.filter)?;
    let queries: Vec<String> = match (&args.query, &args.queries) {
        (Some(q), _) => vec![q.clone()],
        (None, Some(file)) => read_queries(file)?,
        (None, None) => unreachable!("clap requires a query or --queries"),
    };
    // Check every query before opening anything: a bad one is a usage error, nothing runs.
    let parsed = queries
        .iter()
        .map(|q| SearchQuery::parse(q))
        .collect::<gongwen::Result<Vec<_>>>()?;
    let archive = Archive::open(dir)?;
    if let Some(out) = &args.csv {
        crate::check_output(out)?;
    }
    // --facets --csv: the counts of every query, written once at the end.
    let mut table: Vec<(&str, Facets)> = Vec::new();
    let options = SearchOptions {
        filter: filter.clone(),
        limit: args.limit,
    };
    let style = Style::new();
    let mut out = BufWriter::new(io::stdout().lock());
    let many = args.queries.is_some();
    // Documents whose stored text is missing or damaged: passed over, reported at the end.
    let mut passed_over = PassedOver::default();
    for (source, query) in queries.iter().zip(&parsed) {
        if args.files_with_matches || args.count {
            passed_over.extend(list(
                &mut out, &archive, source, query, &filter, args, many,
            )?);
            continue;
        }
        if args.kwic {
            passed_over.extend(kwic(
                &mut out, &archive, source, query, &filter, args, &style,
            )?);
            continue;
        }
        let (mut results, facets) = if args.facets {
            let (results, facets) = archive.search_with_facets(query, &options)?;
            (results, Some(facets))
        } else {
            (archive.search(query, &options)?, None)
        };
        passed_over.extend(std::mem::take(&mut results.passed_over));
        if let (Some(f), Some(_)) = (&facets, &args.csv) {
            table.push((source, f.clone()));
        }
        if args.json {
            serde_json::to_writer(
                &mut out,
                &gongwen::search_json(source, &results, facets.as_ref()),
            )?;
            writeln!(out)?;
        } else {
            let json = gongwen::search_json(source, &results, facets.as_ref());
            writeln!(out, "{}：{} 篇文档", source, json.total)?;
            for (i, hit) in json.hits.iter().enumerate() {
                writeln!(
                    out,
                    "{:>3}. {} {} · {} · {}  （{} 处）  {}",
                    i + 1,
                    hit.year.map_or("—".into(), |y| y.to_string()),
                    hit.author.unwrap_or("—"),
                    hit.unit.unwrap_or("—"),
                    hit.kind.unwrap_or("—"),
                    hit.count,
                    hit.title.unwrap_or(hit.path),
                )?;
                for s in &hit.snippets {
                    writeln!(out, "     …{}…", style.highlight(s))?;
                }
            }
            if let Some(f) = &facets {
                write_facets(&mut out, f)?;
            }
            if many {
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    if let Some(path) = &args.csv {
        let rows: Vec<(&str, &Facets)> = table.iter().map(|(q, f)| (*q, f)).collect();
        crate::write_output(path, &gongwen::facets_csv(&rows))?;
        eprintln!("分布表（CSV）：{}", path.display());
    }
    Ok(report_passed_over(passed_over))
}

/// Warns once for each document passed over; the search is then a partial success (exit 1).
fn report_passed_over(passed_over: PassedOver) -> Outcome {
    let mut warned = std::collections::BTreeSet::new();
    for e in &passed_over.0 {
        let message = e.to_string();
        if warned.insert(message.clone()) {
            crate::report_error(&format_args!("warning: {message}"));
        }
    }
    if warned.is_empty() {
        Outcome::Success
    } else {
        Outcome::Partial
    }
}

/// `--kwic`: every occurrence in context, written as each document is scanned, so memory holds
/// one document's text and one line whatever the number of occurrences (with `--json` too: the
/// lines stream inside one JSON document, `total` last).
fn kwic(
    out: &mut impl Write,
    archive: &Archive,
    source: &str,
    query: &SearchQuery,
    filter: &gongwen::Filter,
    args: &SearchArgs,
    style: &Style,
) -> anyhow::Result<PassedOver> {
    let mut sink = Sink::new(out, args.json, source, "lines")?;
    if let Sink::Plain(out) = &mut sink
        && args.queries.is_some()
    {
        writeln!(out, "== {source}")?;
    }
    // The first write error (a closed pipe) stops the writing; the scan cannot be stopped.
    let mut failure: Option<io::Error> = None;
    let mut total = 0usize;
    let passed_over = archive.for_each_match(query, filter, |doc, text, occ| {
        for l in gongwen::kwic_lines(doc, text, occ, KWIC_CONTEXT) {
            if failure.is_some() {
                return;
            }
            total += 1;
            let written = match &mut sink {
                Sink::Json(json) => json.push(&l),
                Sink::Plain(out) => kwic_line(out, &l, style),
            };
            failure = written.err();
        }
    })?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    match sink {
        Sink::Json(json) => {
            json.finish()?;
        }
        Sink::Plain(out) => writeln!(out, "共 {total} 处")?,
    }
    Ok(passed_over)
}

/// `-l` and `-c`: the matching documents, with their counts for `-c`, as ripgrep lists files;
/// each written as it is found.
fn list(
    out: &mut impl Write,
    archive: &Archive,
    source: &str,
    query: &SearchQuery,
    filter: &gongwen::Filter,
    args: &SearchArgs,
    many: bool,
) -> anyhow::Result<PassedOver> {
    #[derive(serde::Serialize)]
    struct Listed<'a> {
        doc_id: &'a gongwen::DocId,
        path: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        count: Option<usize>,
    }
    let mut sink = Sink::new(out, args.json, source, "documents")?;
    let mut failure: Option<io::Error> = None;
    let mut write = |doc: &gongwen::DocRecord, count: Option<usize>| {
        if failure.is_some() {
            return;
        }
        let written = match &mut sink {
            Sink::Json(json) => json.push(&Listed {
                doc_id: &doc.doc_id,
                path: &doc.path,
                count,
            }),
            Sink::Plain(out) => match (many, count) {
                (true, Some(n)) => writeln!(out, "{source}\t{}:{n}", doc.path),
                (true, None) => writeln!(out, "{source}\t{}", doc.path),
                (false, Some(n)) => writeln!(out, "{}:{n}", doc.path),
                (false, None) => writeln!(out, "{}", doc.path),
            },
        };
        failure = written.err();
    };
    let passed_over = if args.count {
        archive.for_each_match(query, filter, |doc, _, occ| write(doc, Some(occ.len())))?
    } else {
        for doc in archive.matching_documents(query, filter)? {
            write(&doc, None);
        }
        PassedOver::default()
    };
    if let Some(e) = failure {
        return Err(e.into());
    }
    if let Sink::Json(json) = sink {
        json.finish()?;
    }
    Ok(passed_over)
}

/// Where the results of `--kwic`, `-l` and `-c` go as they are found: inside one JSON document
/// with `--json`, else as lines for people.
enum Sink<'w, W: Write> {
    Json(StreamedResults<&'w mut W>),
    Plain(&'w mut W),
}

impl<'w, W: Write> Sink<'w, W> {
    fn new(out: &'w mut W, json: bool, query: &str, list: &str) -> io::Result<Sink<'w, W>> {
        Ok(if json {
            Sink::Json(StreamedResults::begin(out, query, list)?)
        } else {
            Sink::Plain(out)
        })
    }
}

/// Characters of context either side of a KWIC line.
const KWIC_CONTEXT: usize = 20;

fn read_queries(file: &Path) -> anyhow::Result<Vec<String>> {
    let lines: Vec<String> = if file == Path::new("-") {
        io::stdin()
            .lock()
            .lines()
            .collect::<io::Result<_>>()
            .context("cannot read queries from standard input")?
    } else {
        let f = std::fs::File::open(file)
            .with_context(|| format!("{}: cannot open", file.display()))?;
        io::BufReader::new(f)
            .lines()
            .collect::<io::Result<_>>()
            .with_context(|| format!("{}: cannot read", file.display()))?
    };
    let queries: Vec<String> = lines
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if queries.is_empty() {
        anyhow::bail!("{}: no queries (one per line)", file.display());
    }
    Ok(queries)
}

/// Terminal colours: on a terminal, never with NO_COLOR.
struct Style {
    color: bool,
}

impl Style {
    fn new() -> Style {
        Style {
            color: io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn mark(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[1;31m{s}\x1b[0m")
        } else {
            format!("【{s}】")
        }
    }

    fn highlight(&self, snippet: &Snippet) -> String {
        let chars: Vec<char> = snippet.text.chars().collect();
        let mut out = String::new();
        let mut at = 0;
        for &[s, e] in &snippet.highlights {
            out.extend(&chars[at..s]);
            out.push_str(&self.mark(&chars[s..e].iter().collect::<String>()));
            at = e;
        }
        out.extend(&chars[at..]);
        out
    }
}

/// A KWIC line for people: the left context right-aligned, the match marked, year and doc_id.
fn kwic_line(out: &mut impl Write, l: &gongwen::KwicLine, style: &Style) -> io::Result<()> {
    let pad = (KWIC_CONTEXT * 2).saturating_sub(crate::archive::columns(&l.left));
    writeln!(
        out,
        "{}{}{}{}  {} {}",
        " ".repeat(pad),
        l.left,
        style.mark(l.matched),
        l.right,
        l.year.map_or("—".into(), |y| y.to_string()),
        l.author.or(l.unit).unwrap_or(l.doc_id.as_str())
    )
}

fn write_facets(out: &mut impl Write, f: &Facets) -> io::Result<()> {
    for (label, map) in [
        ("年份", &f.year),
        ("作者", &f.author),
        ("单位", &f.unit),
        ("类型", &f.kind),
    ] {
        if map.is_empty() {
            continue;
        }
        writeln!(out, "按{label}：")?;
        for (value, c) in map {
            writeln!(
                out,
                "  {} {:>5} 篇 {:>7} 处",
                crate::archive::pad(value, 24),
                c.docs,
                c.count
            )?;
        }
    }
    Ok(())
}
