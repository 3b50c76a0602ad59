//! `gongwen show FILE… [--json]`: extracted text and resolved metadata of files.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use gongwen::{
    CharIndex, DocId, Extracted, Manifest, Metadata, MetadataResolver, Resolved, Warning, Year,
};
use serde::Serialize;

use crate::Outcome;
use crate::args::{MetaArgs, ShowArgs};

/// `show --json` for one document: the fields of INTERFACE.md, then what helps debug ingestion.
#[derive(Serialize)]
pub struct ShowJson<'a> {
    doc_id: DocId,
    path: String,
    title: Option<&'a str>,
    author: Option<&'a str>,
    unit: Option<&'a str>,
    year: Option<Year>,
    kind: Option<&'a str>,
    text: &'a str,
    post: Option<&'a str>,
    mandated: bool,
    chars: usize,
    format: gongwen::Format,
    encoding: Option<&'static str>,
    warnings: Vec<String>,
    metadata_sources: &'a std::collections::BTreeMap<gongwen::Field, gongwen::MetadataSource>,
}

impl<'a> ShowJson<'a> {
    pub fn new(path: &Path, doc: &'a Extracted, resolved: &'a Resolved) -> ShowJson<'a> {
        let m = &resolved.metadata;
        ShowJson {
            doc_id: DocId::of_text(&doc.text),
            path: path.display().to_string(),
            title: m.title.as_deref(),
            author: m.author.as_deref(),
            unit: m.unit.as_deref(),
            year: m.year,
            kind: m.kind.as_deref(),
            text: &doc.text,
            post: m.post.as_deref(),
            mandated: m.mandated.unwrap_or(false),
            chars: CharIndex::new(&doc.text).char_len(),
            format: doc.format,
            encoding: doc.encoding,
            warnings: doc.warnings.iter().map(Warning::to_string).collect(),
            metadata_sources: &resolved.sources,
        }
    }
}

#[derive(Serialize)]
struct Failed {
    path: String,
    error: String,
}

/// Converts the metadata flags into the library's resolver.
pub fn resolver(args: &MetaArgs) -> anyhow::Result<MetadataResolver> {
    let year = match &args.year {
        Some(y) => Some(
            Year::parse(y)
                .with_context(|| format!("--year {y:?} is not a year between 1900 and 2100"))?,
        ),
        None => None,
    };
    let flags = Metadata {
        title: args.title.clone(),
        author: args.author.clone(),
        unit: args.unit.clone(),
        post: None,
        year,
        kind: args.kind.clone(),
        mandated: args.mandated.then_some(true),
    };
    let manifest = match &args.manifest {
        Some(p) => Some(Manifest::load(p)?),
        None => None,
    };
    Ok(MetadataResolver::new(flags, manifest))
}

/// Reads one file and resolves its metadata.
pub fn load(
    path: &Path,
    resolver: &MetadataResolver,
) -> gongwen::Result<(PathBuf, Extracted, Resolved)> {
    let doc = gongwen::read_file(path)?;
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let resolved = resolver.resolve(&canonical, &doc.text, doc.declared_title.as_deref())?;
    Ok((canonical, doc, resolved))
}

pub fn run(args: &ShowArgs) -> anyhow::Result<Outcome> {
    let resolver = resolver(&args.meta)?;
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    for path in &args.docs {
        match load(path, &resolver) {
            Ok(l) => {
                for w in &l.1.warnings {
                    crate::report_warning(path, w);
                }
                loaded.push(l);
            }
            Err(e) => {
                crate::report_error(&e);
                failed.push(Failed {
                    path: path.display().to_string(),
                    error: e.to_string(),
                });
            }
        }
    }
    let mut out = io::stdout().lock();
    if args.json {
        let docs: Vec<ShowJson> = loaded
            .iter()
            .map(|(p, d, r)| ShowJson::new(p, d, r))
            .collect();
        if args.docs.len() == 1 {
            if let Some(doc) = docs.first() {
                serde_json::to_writer(&mut out, doc)?;
                writeln!(out)?;
            }
        } else {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({ "documents": docs, "failed": failed }),
            )?;
            writeln!(out)?;
        }
    } else {
        for (i, (path, doc, resolved)) in loaded.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write_human(&mut out, path, doc, resolved)?;
        }
    }
    out.flush()?;
    Ok(Outcome::of_batch(loaded.len(), failed.len()))
}

/// The people's view: aligned Chinese labels, then the text.
pub fn write_human(
    out: &mut impl Write,
    path: &Path,
    doc: &Extracted,
    resolved: &Resolved,
) -> io::Result<()> {
    let m = &resolved.metadata;
    let dash = |s: Option<&str>| s.unwrap_or("—").to_string();
    let rows = [
        ("文件", path.display().to_string()),
        ("编号", DocId::of_text(&doc.text).to_string()),
        ("标题", dash(m.title.as_deref())),
        ("作者", dash(m.author.as_deref())),
        ("单位", dash(m.unit.as_deref())),
        ("职务", dash(m.post.as_deref())),
        ("年份", m.year.map_or("—".to_string(), |y| y.to_string())),
        ("类型", dash(m.kind.as_deref())),
        (
            "格式",
            format!(
                "{}{}",
                doc.format,
                doc.encoding.map(|e| format!(" ({e})")).unwrap_or_default()
            ),
        ),
        ("字数", CharIndex::new(&doc.text).char_len().to_string()),
    ];
    for (label, value) in rows {
        writeln!(out, "{label}  {value}")?;
    }
    for w in &doc.warnings {
        writeln!(out, "注意  {w}")?;
    }
    writeln!(out, "──────")?;
    out.write_all(doc.text.as_bytes())?;
    if !doc.text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}
