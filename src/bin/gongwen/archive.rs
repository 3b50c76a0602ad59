//! `gongwen add`, `list`, `remove`: the archive's contents.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use gongwen::{AddStatus, Archive, DocRecord, FileReport, Filter, Manifest, Segmenter};
use serde::Serialize;

use crate::Outcome;
use crate::args::{AddArgs, FilterArgs, ListArgs, RemoveArgs};

/// The archive directory: --archive, else $GONGWEN_ARCHIVE, else ./gongwen-archive.
pub fn dir(flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os("GONGWEN_ARCHIVE")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("gongwen-archive"))
}

/// Converts filter flags into the library's filter.
pub fn filter(args: &FilterArgs) -> anyhow::Result<Filter> {
    Ok(Filter {
        years: args.year.as_deref().map(Filter::parse_years).transpose()?,
        author: args.author.clone(),
        unit: args.unit.clone(),
        kind: args.kind.clone(),
    })
}

/// Tells what a walk passed over: each file that looks like a document in a format gongwen does
/// not read (.doc, .wps …) by name, with what to do; the rest of the other files as one count per
/// extension; links that loop and special files one by one.
fn report_skipped(skipped: &[gongwen::Skipped]) {
    let mut others: std::collections::BTreeMap<String, usize> = Default::default();
    for s in skipped {
        if s.reason == gongwen::SkipReason::OtherFormat && !s.is_document_like() {
            *others.entry(s.extension()).or_default() += 1;
        } else {
            crate::report_notice(s);
        }
    }
    if !others.is_empty() {
        let total: usize = others.values().sum();
        let kinds: Vec<String> = others
            .iter()
            .map(|(x, n)| match x.as_str() {
                "" => format!("{n} without extension"),
                x => format!(".{x} {n}"),
            })
            .collect();
        crate::report_notice(&format!(
            "passed over {total} other files, not formats gongwen reads ({})",
            kinds.join(", ")
        ));
    }
}

pub fn add(dir: &Path, args: &AddArgs) -> anyhow::Result<Outcome> {
    let resolver = crate::show::resolver(&args.meta)?;
    // Failures found before any file is read: manifest rows, PATHs that do not exist.
    let mut early: Vec<FileReport> = Vec::new();
    let paths = match resolver.manifest() {
        // A manifest that lists its files is the whole input; PATHs narrow it.
        Some(m) => {
            let input = ManifestInput::new(m, &args.paths);
            // A bad row is reported unless it names a file the PATHs leave out.
            for row in m.rejected() {
                if row.file.as_deref().is_none_or(|f| input.selects(f)) {
                    let path = row.file.as_deref().or(args.meta.manifest.as_deref());
                    early.push(failed(path, &row.error));
                }
            }
            early.extend(input.errors.iter().map(|e| failed(e.path(), e)));
            input.files
        }
        None => args.paths.clone(),
    };
    let gongwen::Collected {
        files,
        errors,
        skipped,
    } = gongwen::collect_files(&paths);
    report_skipped(&skipped);
    early.extend(errors.iter().map(|e| failed(e.path(), e)));
    for f in &early {
        crate::report_error(&f.error.as_deref().unwrap_or_default());
    }
    let archive = Archive::open_or_create(dir, &Segmenter::new_in_background())?;
    let bar = progress_bar(files.len() as u64, !args.json);
    let report_line = |f: &FileReport| {
        if let Some(bar) = &bar {
            bar.inc(1);
            if let Some(e) = &f.error {
                bar.suspend(|| crate::report_error(e));
            }
        } else if let Some(e) = &f.error {
            crate::report_error(e);
        }
    };
    let mut report = archive.add(&files, &resolver, &report_line)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    report.failed += early.len();
    report.files.extend(early);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let restored = if report.restored > 0 {
            format!("，修复 {} 篇", report.restored)
        } else {
            String::new()
        };
        writeln!(
            out,
            "新增 {} 篇，更新 {} 篇，未变 {} 篇{restored}，失败 {} 篇（文档库 {}）",
            report.added,
            report.updated,
            report.unchanged,
            report.failed,
            archive.dir().display()
        )?;
    }
    Ok(Outcome::of_batch(
        report.added + report.updated + report.unchanged + report.restored,
        report.failed,
    ))
}

/// A file (or manifest row, or PATH) that failed before it could be read, as the add reports it.
fn failed(path: Option<&Path>, error: &gongwen::Error) -> FileReport {
    FileReport {
        path: path.map(|p| p.display().to_string()).unwrap_or_default(),
        doc_id: None,
        status: AddStatus::Failed,
        error: Some(error.chain().to_string()),
    }
}

/// What `add --manifest F PATH…` adds: the manifest's files under the PATHs (all of them when no
/// PATH is given).
struct ManifestInput {
    files: Vec<PathBuf>,
    /// The PATHs, canonical; `None` when none was given.
    roots: Option<Vec<PathBuf>>,
    /// PATHs that do not exist.
    errors: Vec<gongwen::Error>,
}

impl ManifestInput {
    /// A PATH that selects none of the manifest's files is reported as a notice.
    fn new(manifest: &Manifest, paths: &[PathBuf]) -> ManifestInput {
        let all = manifest.paths();
        if paths.is_empty() {
            return ManifestInput {
                files: all,
                roots: None,
                errors: Vec::new(),
            };
        }
        let mut roots = Vec::new();
        let mut errors = Vec::new();
        for p in paths {
            match p.canonicalize() {
                Ok(root) => {
                    if !all.iter().any(|f| f.starts_with(&root)) {
                        crate::report_notice(&format!(
                            "{}: none of the manifest's files is there; nothing is added from it",
                            p.display()
                        ));
                    }
                    roots.push(root);
                }
                Err(source) => errors.push(gongwen::Error::Io {
                    path: p.clone(),
                    source,
                }),
            }
        }
        let mut input = ManifestInput {
            files: Vec::new(),
            roots: Some(roots),
            errors,
        };
        input.files = all.into_iter().filter(|f| input.selects(f)).collect();
        // Never silent: the files under the PATHs that the manifest does not list.
        let unlisted: Vec<PathBuf> = gongwen::collect_files(paths)
            .files
            .into_iter()
            .filter(|f| {
                let canonical = f.canonicalize().unwrap_or_else(|_| f.clone());
                manifest.get(&canonical).is_none()
                    && !manifest
                        .rejected()
                        .iter()
                        .any(|r| r.file.as_deref() == Some(&canonical))
            })
            .collect();
        if let Some(first) = unlisted.first() {
            crate::report_notice(&format!(
                "{} file(s) under the PATHs have no row in the manifest and are not added \
                 (the manifest is the input; PATHs only narrow it), e.g. {}",
                unlisted.len(),
                first.display()
            ));
        }
        input
    }

    /// Whether `file` is one of the PATHs or lies under one (any file when no PATH was given).
    fn selects(&self, file: &Path) -> bool {
        self.roots
            .as_ref()
            .is_none_or(|roots| roots.iter().any(|r| file.starts_with(r)))
    }
}

pub fn progress_bar(len: u64, wanted: bool) -> Option<indicatif::ProgressBar> {
    if !wanted || !io::stderr().is_terminal() || len < 2 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    let style =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 篇 {elapsed} (剩余 {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// `list --json` entries, as INTERFACE.md names them.
#[derive(Serialize)]
pub struct ListEntry<'a> {
    doc_id: &'a gongwen::DocId,
    path: &'a str,
    title: Option<&'a str>,
    author: Option<&'a str>,
    unit: Option<&'a str>,
    year: Option<gongwen::Year>,
    kind: Option<&'a str>,
    chars: usize,
    mandated: bool,
    post: Option<&'a str>,
    format: &'a str,
}

impl<'a> From<&'a DocRecord> for ListEntry<'a> {
    fn from(r: &'a DocRecord) -> ListEntry<'a> {
        let m = &r.metadata;
        ListEntry {
            doc_id: &r.doc_id,
            path: &r.path,
            title: m.title.as_deref(),
            author: m.author.as_deref(),
            unit: m.unit.as_deref(),
            year: m.year,
            kind: m.kind.as_deref(),
            chars: r.chars,
            mandated: m.mandated.unwrap_or(false),
            post: m.post.as_deref(),
            format: &r.format,
        }
    }
}

pub fn list(dir: &Path, args: &ListArgs) -> anyhow::Result<Outcome> {
    let filter = filter(&args.filter)?;
    let archive = Archive::open(dir)?;
    let docs = archive.list(&filter)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let entries: Vec<ListEntry> = docs.iter().map(ListEntry::from).collect();
        serde_json::to_writer(&mut out, &serde_json::json!({ "documents": entries }))?;
        writeln!(out)?;
    } else {
        for d in &docs {
            let m = &d.metadata;
            writeln!(
                out,
                "{}  {}  {}  {}  {}  {:>7} 字  {}",
                d.doc_id,
                pad(&m.year.map_or("—".into(), |y| y.to_string()), 4),
                pad(m.author.as_deref().unwrap_or("—"), 8),
                pad(m.unit.as_deref().unwrap_or("—"), 14),
                pad(m.kind.as_deref().unwrap_or("—"), 12),
                d.chars,
                m.title.as_deref().unwrap_or(&d.path),
            )?;
        }
        writeln!(out, "共 {} 篇", docs.len())?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

pub fn remove(dir: &Path, args: &RemoveArgs) -> anyhow::Result<Outcome> {
    let archive = Archive::open(dir)?;
    let found = archive.remove(&args.docs)?;
    let mut removed = Vec::new();
    let mut missing = Vec::new();
    for (name, r) in args.docs.iter().zip(&found) {
        match r {
            Some(r) => removed.push(ListEntry::from(r)),
            None => {
                crate::report_error(&format!("{name}: no such document in the archive"));
                missing.push(name.as_str());
            }
        }
    }
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({ "removed": removed, "missing": missing }),
        )?;
        writeln!(out)?;
    } else {
        for r in &removed {
            writeln!(out, "已删除 {}  {}", r.doc_id, r.path)?;
        }
    }
    Ok(Outcome::of_batch(removed.len(), missing.len()))
}

/// Terminal columns of `s`: CJK characters take two.
pub fn columns(s: &str) -> usize {
    s.chars()
        .map(|c| if c.is_ascii() || c == '—' { 1 } else { 2 })
        .sum()
}

/// `s` padded with spaces to `width` terminal columns.
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(columns(s))))
}

/// `s` on one line, cut after `chars` characters with an ellipsis.
pub fn clip(s: &str, chars: usize) -> String {
    let s = s.replace('\n', " ");
    match s.char_indices().nth(chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// Prints `value` as one JSON document with `--json`, else the people's view `human` writes.
pub fn emit<T: serde::Serialize>(
    json: bool,
    value: &T,
    human: impl FnOnce(&mut io::StdoutLock<'static>, &T) -> io::Result<()>,
) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, value)?;
        writeln!(out)?;
    } else {
        human(&mut out, value)?;
    }
    out.flush()?;
    Ok(())
}
