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
    format: String,
    archived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata_sources:
        Option<&'a std::collections::BTreeMap<gongwen::Field, gongwen::MetadataSource>>,
}

/// A document to show: from the archive, or read from a file now.
pub enum Shown {
    /// In the archive.
    Archived(gongwen::DocRecord, String),
    /// Read from a file outside the archive.
    File(PathBuf, Extracted, Resolved),
}

impl Shown {
    fn json(&self) -> ShowJson<'_> {
        match self {
            Shown::Archived(r, text) => {
                let m = &r.metadata;
                ShowJson {
                    doc_id: r.doc_id.clone(),
                    path: r.path.clone(),
                    title: m.title.as_deref(),
                    author: m.author.as_deref(),
                    unit: m.unit.as_deref(),
                    year: m.year,
                    kind: m.kind.as_deref(),
                    text,
                    post: m.post.as_deref(),
                    mandated: m.mandated.unwrap_or(false),
                    chars: r.chars,
                    format: r.format.clone(),
                    archived: true,
                    encoding: None,
                    warnings: Vec::new(),
                    metadata_sources: None,
                }
            }
            Shown::File(path, doc, resolved) => {
                let m = &resolved.metadata;
                ShowJson {
                    doc_id: DocId::for_path(path),
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
                    format: doc.format.to_string(),
                    archived: false,
                    encoding: doc.encoding,
                    warnings: doc.warnings.iter().map(Warning::to_string).collect(),
                    metadata_sources: Some(&resolved.sources),
                }
            }
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
    let resolved = resolver.resolve(&canonical, &doc.text, &doc.declared)?;
    Ok((canonical, doc, resolved))
}

/// The archive at `dir`, if there is one there.
pub fn archive_if_present(dir: &Path) -> gongwen::Result<Option<gongwen::Archive>> {
    if dir.join("gongwen-archive.json").exists() {
        gongwen::Archive::open(dir).map(Some)
    } else {
        Ok(None)
    }
}

/// The document `name` names: in `archive` if it holds it, else the file.
///
/// # Errors
///
/// Neither: a doc_id the archive does not hold (or with no archive to look it up in), a path that
/// is neither archived nor a file, or a file that cannot be read.
pub fn find(
    archive: Option<&gongwen::Archive>,
    name: &Path,
    resolver: &MetadataResolver,
) -> anyhow::Result<Shown> {
    if let Some(archive) = archive
        && let Some((record, text)) = archive.get(&name.to_string_lossy())?
    {
        return Ok(Shown::Archived(record, text));
    }
    if !name.exists() {
        let is_doc_id = name.to_str().and_then(DocId::parse).is_some();
        match (archive, is_doc_id) {
            (Some(a), true) => anyhow::bail!(
                "{}: no document of the archive {} has this doc_id (gongwen list shows them)",
                name.display(),
                a.dir().display()
            ),
            (None, true) => anyhow::bail!(
                "{}: looks like a doc_id, but there is no archive here to look it up in \
                 (give --archive DIR or set GONGWEN_ARCHIVE)",
                name.display()
            ),
            (Some(a), false) => anyhow::bail!(
                "{}: not in the archive {} and not a file",
                name.display(),
                a.dir().display()
            ),
            (None, false) => {}
        }
    }
    let (path, doc, resolved) = load(name, resolver)?;
    Ok(Shown::File(path, doc, resolved))
}

pub fn run(dir: &Path, args: &ShowArgs) -> anyhow::Result<Outcome> {
    let resolver = resolver(&args.meta)?;
    if let Some(m) = resolver.manifest() {
        // show is how to debug ingestion: a row the manifest could not use is said.
        for row in m.rejected() {
            crate::report_warning_line(&row.error.chain());
        }
    }
    let archive = archive_if_present(dir)?;
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    for name in &args.docs {
        match find(archive.as_ref(), name, &resolver) {
            Ok(shown) => {
                if let Shown::File(_, doc, _) = &shown {
                    for w in &doc.warnings {
                        crate::report_warning(name, w);
                    }
                }
                loaded.push(shown);
            }
            Err(e) => {
                let error = format!("{e:#}");
                crate::report_error(&error);
                failed.push(Failed {
                    path: name.display().to_string(),
                    error,
                });
            }
        }
    }
    let mut out = io::stdout().lock();
    if args.json {
        let docs: Vec<ShowJson> = loaded.iter().map(Shown::json).collect();
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
        for (i, shown) in loaded.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write_human(&mut out, &shown.json())?;
        }
    }
    out.flush()?;
    Ok(Outcome::of_batch(loaded.len(), failed.len()))
}

/// The people's view: aligned Chinese labels, then the text.
fn write_human(out: &mut impl Write, doc: &ShowJson) -> io::Result<()> {
    let dash = |s: Option<&str>| s.unwrap_or("—").to_string();
    let rows = [
        ("文件", doc.path.clone()),
        (
            "编号",
            format!(
                "{}{}",
                doc.doc_id,
                if doc.archived { "（已入库）" } else { "" }
            ),
        ),
        ("标题", dash(doc.title)),
        ("作者", dash(doc.author)),
        ("单位", dash(doc.unit)),
        ("职务", dash(doc.post)),
        ("年份", doc.year.map_or("—".to_string(), |y| y.to_string())),
        ("类型", dash(doc.kind)),
        (
            "格式",
            format!(
                "{}{}",
                doc.format,
                doc.encoding.map(|e| format!(" ({e})")).unwrap_or_default()
            ),
        ),
        ("字数", doc.chars.to_string()),
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
