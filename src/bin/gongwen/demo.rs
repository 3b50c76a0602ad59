//! `gongwen demo`: the whole job on the embedded demo corpus (44 materials of the fictional
//! 枫溪县, corpora/demo): an archive, the 查重 of every document with its printable report, a
//! search, and a summary table a reviewer reads first.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use gongwen::{Archive, Filter, Manifest, Metadata, MetadataResolver, SearchOptions, SearchQuery};

use crate::Outcome;
use crate::args::DemoArgs;

include!(concat!(env!("OUT_DIR"), "/demo_corpus.rs"));

/// Where the demo writes when no `--out` is given.
const DEFAULT_OUT: &str = "gongwen-demo";

/// One row of the summary table.
struct Row {
    name: String,
    copied: f64,
    self_reuse: f64,
    mandated: f64,
    boilerplate: f64,
    concrete: usize,
    items: usize,
    flags: Vec<&'static str>,
}

pub fn run(args: &DemoArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("{}: cannot create directory", out_dir.display()))?;
    let out_dir = out_dir.canonicalize()?;
    let mut files = Vec::with_capacity(DEMO_FILES.len());
    for (name, bytes) in DEMO_FILES {
        let p = out_dir.join(name);
        std::fs::write(&p, bytes).with_context(|| format!("{}: cannot write", p.display()))?;
        files.push(p);
    }
    let manifest_path = out_dir.join("manifest.csv");
    std::fs::write(&manifest_path, DEMO_MANIFEST)
        .with_context(|| format!("{}: cannot write", manifest_path.display()))?;

    let mut out = io::stdout().lock();
    writeln!(
        out,
        "gongwen 演示：虚构的枫溪县 {} 份材料（对照检查材料、述职述廉报告、工作报告、会议通知，2021–2025 年）",
        DEMO_FILES.len()
    )?;
    let manifest = Manifest::parse(&manifest_path, DEMO_MANIFEST)?;
    for row in manifest.rejected() {
        crate::report_error(&row.error.chain());
    }
    let resolver = MetadataResolver::new(Metadata::default(), Some(manifest));
    let archive_dir = out_dir.join("archive");
    let dicts = crate::dicts::Dictionaries::builtin();
    let archive = Archive::open_or_create(&archive_dir, &dicts.segmenter)?;
    let added = archive.add(&files, &resolver, &|_| {})?;
    for f in added.files.iter().filter(|f| f.error.is_some()) {
        crate::report_error(&format!(
            "{}: {}",
            f.path,
            f.error.as_deref().unwrap_or_default()
        ));
    }
    let failed_files = added.failed;
    writeln!(
        out,
        "1. 建库：{} 篇 → {}",
        archive.count()?,
        archive_dir.display()
    )?;

    // The 查重 of every document against all the others, with its printable report.
    let reports = out_dir.join("reports");
    std::fs::create_dir_all(&reports)
        .with_context(|| format!("{}: cannot create directory", reports.display()))?;
    let date = crate::check::today();
    let archive_docs = archive.count()?;
    let mut records = archive.list(&Filter::default())?;
    records.sort_by(|a, b| (a.metadata.year, &a.path).cmp(&(b.metadata.year, &b.path)));
    let mut rows = Vec::with_capacity(records.len());
    let limits = crate::check::Limits::CHECK;
    let mut failed = failed_files;
    for r in &records {
        let text = archive.text(r)?;
        let stem = Path::new(&r.path).file_stem().map_or_else(
            || r.doc_id.to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        let report = reports.join(format!("{stem}.html"));
        let (row, unread) = crate::check::with_check(
            &archive,
            gongwen::CheckedDoc {
                doc_id: &r.doc_id,
                path: &r.path,
                metadata: &r.metadata,
                text: &text,
            },
            limits,
            false,
            &dicts,
            |json| -> anyhow::Result<Row> {
                let context = gongwen::ReportContext {
                    date: &date,
                    archive: &archive_dir.display().to_string(),
                    archive_docs,
                    version: env!("CARGO_PKG_VERSION"),
                };
                crate::write_output(
                    &report,
                    gongwen::check_html(&text, json, &context)?.as_bytes(),
                )?;
                let m = &r.metadata;
                let spec = json.specificity.as_ref();
                Ok(Row {
                    name: format!(
                        "{} {}{}",
                        m.year.map_or("—".into(), |y| y.to_string()),
                        m.author.as_deref().or(m.unit.as_deref()).unwrap_or("—"),
                        m.kind
                            .as_deref()
                            .map(|k| format!(" {k}"))
                            .unwrap_or_default()
                    ),
                    copied: json.rates.copied,
                    self_reuse: json.rates.self_reuse,
                    mandated: json.rates.mandated,
                    boilerplate: json.rates.boilerplate,
                    concrete: spec.map_or(0, |s| s.concrete),
                    items: spec.map_or(0, |s| s.concrete + s.generic + s.none),
                    flags: crate::analyze::distinct(json.flags.iter().map(|f| f.label)),
                })
            },
        )?;
        failed += unread;
        rows.push(row?);
    }
    writeln!(
        out,
        "2. 查重：每篇与其余 {} 篇比对，报告 → {}",
        records.len().saturating_sub(1),
        reports.display()
    )?;
    write_table(&mut out, &rows)?;
    let (analysis, unread) =
        crate::analyze::analyze(&archive, &Filter::default(), limits, false, &dicts)?;
    failed += unread;
    let dashboard = out_dir.join("dashboard.html");
    crate::analyze::write_dashboard(&archive, &archive_dir, &analysis, &dashboard)?;
    writeln!(
        out,
        "   全库分析（可排序的总表、逐年重复、常见套话、多篇共有段落）→ {}",
        dashboard.display()
    )?;

    // A search: the sentence one official copied from a colleague, with the township left in.
    let phrase = "东坪村等山区村";
    let results = archive.search(&SearchQuery::parse(phrase)?, &SearchOptions::default())?;
    writeln!(out, "\n3. 检索“{phrase}”：{} 篇", results.total)?;
    for hit in &results.hits {
        let m = &hit.doc.metadata;
        writeln!(
            out,
            "   {} {} {}",
            m.year.map_or("—".into(), |y| y.to_string()),
            m.author.as_deref().unwrap_or("—"),
            m.title.as_deref().unwrap_or(&hit.doc.path)
        )?;
    }
    let a = archive_dir.display();
    writeln!(
        out,
        "\n用时 {:.1} 秒。接下来可以试：",
        started.elapsed().as_secs_f64()
    )?;
    writeln!(out, "  gongwen --archive {a} search 两个确立 --facets")?;
    writeln!(out, "  gongwen --archive {a} analyze --xlsx 逐篇结果.xlsx")?;
    writeln!(
        out,
        "  gongwen --archive {a} serve        # 本机网页：检索、原文、查重报告（http://127.0.0.1:7878/）"
    )?;
    writeln!(
        out,
        "  gongwen --archive {a} check {} --html 报告.html",
        out_dir.join("2024_黄晓峰_镇长_对照检查材料.txt").display()
    )?;
    writeln!(out, "  浏览器打开 {}", dashboard.display())?;
    writeln!(
        out,
        "  浏览器打开 {}",
        reports.join("2024_黄晓峰_镇长_对照检查材料.html").display()
    )?;
    out.flush()?;
    Ok(Outcome::of_batch(DEMO_FILES.len(), failed))
}

/// Per document: the rates, concrete items of all items, the flags.
fn write_table(out: &mut impl Write, rows: &[Row]) -> io::Result<()> {
    use crate::archive::pad;
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    writeln!(
        out,
        "   {}  {}  {}  {}  {}  {}  标志",
        pad("文档", 30),
        pad("与他人重合", 10),
        pad("自我重复", 8),
        pad("规定引用", 8),
        pad("套话", 6),
        pad("具体事例", 8)
    )?;
    for r in rows {
        writeln!(
            out,
            "   {}  {}  {}  {}  {}  {}  {}",
            pad(&crate::archive::clip(&r.name, 15), 30),
            pad(&pct(r.copied), 10),
            pad(&pct(r.self_reuse), 8),
            pad(&pct(r.mandated), 8),
            pad(&pct(r.boilerplate), 6),
            pad(
                &if r.items == 0 {
                    "—".into()
                } else {
                    format!("{}/{}", r.concrete, r.items)
                },
                8
            ),
            r.flags.join("，")
        )?;
    }
    Ok(())
}
