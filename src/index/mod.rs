//! The archive: a directory holding a tantivy index of documents, their stored texts and metadata.
//!
//! ```text
//! DIR/gongwen-archive.json   marks the directory as an archive (format version)
//! DIR/index/                 the tantivy index: one document per file added
//! DIR/texts/ab/abcd….txt      the stored texts, named by content key (written before the commit
//!                             that refers to them; unreferenced ones are deleted by the next add)
//! ```
//!
//! A document is keyed by the canonical path it was added from; its [`DocId`] derives from that
//! path. Adding an unchanged file (same bytes, same explicit metadata) changes nothing; a changed
//! one replaces its earlier version in the same commit. Adds are committed every few seconds and
//! at the end, so a killed `add` leaves the archive at its last commit and a re-run completes it
//! without duplicates. Readers see the last commit, so searching while an add runs works.

mod query;
mod schema;
mod search;
mod tokenizer;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tantivy::collector::DocSetCollector;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::corpus::{Metadata, MetadataResolver, read_bytes};
use crate::error::{Error, Result};
use crate::segment::Segmenter;
use crate::span::{DocId, Year};

pub use query::{SearchQuery, Term as QueryTerm};
use schema::Fields;
pub use search::{FacetCount, Facets, Hit, SearchOptions, SearchResults};

const MARKER: &str = "gongwen-archive.json";
const INDEX_DIR: &str = "index";
const TEXTS_DIR: &str = "texts";
const FORMAT: u64 = 6;
/// Memory the index writer may use for its buffers, across its threads.
const WRITER_BUDGET: usize = 128 << 20;
/// Segments with more documents than this are not merged further: a merge maps every page of
/// the segments it merges, and unbounded merges of a 1 GB archive held over 1.7 GB resident.
const MAX_DOCS_BEFORE_MERGE: usize = 3000;
/// Commit at least this often while adding.
const COMMIT_EVERY: Duration = Duration::from_secs(3);
/// Files read and extracted in parallel per round, bounded by count and by bytes. Small rounds
/// let tantivy's indexing threads start on the first while the next is read: with one round of
/// 256 files, the indexing threads waited for all of them (adding the real corpus took 1.36×
/// as long).
const BATCH_FILES: usize = 16;
const BATCH_BYTES: u64 = 2 << 20;

/// An archived document's identity and metadata (not its text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocRecord {
    /// The document's id.
    pub doc_id: DocId,
    /// The canonical path it was added from.
    pub path: String,
    /// Its metadata.
    pub metadata: Metadata,
    /// Characters in its stored text.
    pub chars: usize,
    /// The format it was read as.
    pub format: String,
    /// Hash of its bytes and explicit metadata; names its stored text.
    #[serde(skip)]
    pub(crate) key: String,
}

/// Filters on metadata, all exact; a missing value never matches a filter on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Inclusive year range; either end may be open.
    pub years: Option<(Option<Year>, Option<Year>)>,
    /// Author.
    pub author: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Kind.
    pub kind: Option<String>,
}

impl Filter {
    /// Parses `2019..2023`, `2019..`, `..2023` or `2020`.
    ///
    /// # Errors
    ///
    /// Not years, or the range is reversed (`2025..2019`).
    pub fn parse_years(s: &str) -> Result<(Option<Year>, Option<Year>)> {
        let err = |reason: &str| Error::InvalidArgument {
            what: format!("--year {s}"),
            reason: reason.to_string(),
        };
        let year = |p: &str| -> Result<Option<Year>> {
            if p.trim().is_empty() {
                return Ok(None);
            }
            Year::parse(p)
                .map(Some)
                .ok_or_else(|| err("years are written 2019, 2019..2023, 2019.. or ..2023"))
        };
        let (a, b) = match s.split_once("..") {
            Some((a, b)) => (year(a)?, year(b)?),
            None => {
                let y = year(s)?;
                if y.is_none() {
                    return Err(err("no year given"));
                }
                (y, y)
            }
        };
        if let (Some(a), Some(b)) = (a, b)
            && a > b
        {
            return Err(err(
                "the range is reversed: the first year must not be after the second",
            ));
        }
        Ok((a, b))
    }
}

/// What happened to one file in an add.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AddStatus {
    /// New in the archive.
    Added,
    /// Replaced an earlier version.
    Updated,
    /// Already archived as it is.
    Unchanged,
    /// Could not be read; see the error.
    Failed,
}

/// One file of an add.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The path as found (canonical when it exists).
    pub path: String,
    /// The document's id, unless the file failed.
    pub doc_id: Option<DocId>,
    /// What happened.
    pub status: AddStatus,
    /// Why it failed.
    pub error: Option<String>,
}

/// The outcome of an add.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AddReport {
    /// Files new in the archive.
    pub added: usize,
    /// Files that replaced an earlier version.
    pub updated: usize,
    /// Files already archived as they are.
    pub unchanged: usize,
    /// Files that could not be read.
    pub failed: usize,
    /// Every file, in the order found.
    pub files: Vec<FileReport>,
}

/// An archive of documents.
pub struct Archive {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Whether the words tokenizer is registered: only archives opened for writing segment.
    writable: bool,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Archive {
    /// Opens an existing archive for reading (list, get, search, remove). Reading never
    /// segments, so no dictionary is loaded: a search from the shell starts in milliseconds.
    ///
    /// # Errors
    ///
    /// `dir` does not exist, is not a gongwen archive, or is damaged.
    pub fn open(dir: &Path) -> Result<Archive> {
        if !dir.is_dir() {
            return Err(Error::archive(
                dir,
                "no archive here (gongwen add creates one)",
            ));
        }
        check_marker(dir)?;
        let index = Index::open_in_dir(dir.join(INDEX_DIR)).map_err(|e| {
            Error::archive(
                dir,
                format!("the archive's index is damaged or missing: {e}"),
            )
        })?;
        Archive::with_index(dir, index, None)
    }

    /// Opens the archive in `dir` for adding, creating it if `dir` is missing or empty. The
    /// segmenter cuts the words of added documents.
    ///
    /// # Errors
    ///
    /// `dir` holds something that is not a gongwen archive, is damaged, or cannot be written.
    pub fn open_or_create(dir: &Path, segmenter: &Segmenter) -> Result<Archive> {
        let io = |e: std::io::Error| Error::archive(dir, e.to_string());
        let marker = dir.join(MARKER);
        if !marker.exists() {
            if dir.exists() {
                let mut entries = std::fs::read_dir(dir).map_err(io)?;
                if entries.next().is_some() {
                    return Err(Error::archive(
                        dir,
                        format!(
                            "not a gongwen archive: the directory holds other files and no {MARKER}"
                        ),
                    ));
                }
            }
            std::fs::create_dir_all(dir.join(INDEX_DIR)).map_err(io)?;
            std::fs::write(
                &marker,
                format!("{{\"gongwen_archive_format\": {FORMAT}}}\n"),
            )
            .map_err(io)?;
        }
        check_marker(dir)?;
        let index_dir = dir.join(INDEX_DIR);
        std::fs::create_dir_all(&index_dir).map_err(io)?;
        let index = if index_dir.join("meta.json").exists() {
            Index::open_in_dir(&index_dir)
                .map_err(|e| Error::archive(dir, format!("the archive's index is damaged: {e}")))?
        } else {
            let (schema, _) = Fields::build();
            Index::create_in_dir(&index_dir, schema)
                .map_err(|e| Error::archive(dir, format!("cannot create the index: {e}")))?
        };
        Archive::with_index(dir, index, Some(segmenter))
    }

    fn with_index(dir: &Path, index: Index, segmenter: Option<&Segmenter>) -> Result<Archive> {
        let fields = Fields::of(&index.schema()).ok_or_else(|| {
            Error::archive(dir, "the index was not written by gongwen (unknown schema)")
        })?;
        let tokenizers = index.tokenizers();
        if let Some(segmenter) = segmenter {
            tokenizers.register(
                tokenizer::WORDS,
                TextAnalyzer::from(tokenizer::WordTokenizer::new(segmenter.clone())),
            );
        }
        tokenizers.register(
            tokenizer::CHARS,
            TextAnalyzer::from(tokenizer::CharTokenizer),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::archive(dir, format!("cannot read the index: {e}")))?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            writable: segmenter.is_some(),
        })
    }

    /// The archive directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn err(&self, e: impl std::fmt::Display) -> Error {
        Error::archive(&self.dir, e.to_string())
    }

    fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Adds `files` (already expanded from directories). `progress` is called after each file.
    ///
    /// # Errors
    ///
    /// Only for the archive itself (locked by another writer, disk full); a file that cannot be
    /// read is reported as failed in the [`AddReport`] and the others go on.
    pub fn add(
        &self,
        files: &[PathBuf],
        resolver: &MetadataResolver,
        progress: &(dyn Fn(&FileReport) + Sync),
    ) -> Result<AddReport> {
        if !self.writable {
            return Err(self.err(
                "the archive was opened for reading; open it with Archive::open_or_create to add",
            ));
        }
        let existing = self.existing()?;
        let mut writer: IndexWriter<TantivyDocument> =
            self.index.writer(WRITER_BUDGET).map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => self
                    .err("another gongwen add is writing to this archive; wait for it to finish"),
                e => self.err(e),
            })?;
        let mut policy = tantivy::merge_policy::LogMergePolicy::default();
        policy.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
        writer.set_merge_policy(Box::new(policy));
        self.collect_garbage(&existing.values().map(String::as_str).collect());
        let mut seen = HashSet::new();
        let files: Vec<PathBuf> = files
            .iter()
            .map(|f| f.canonicalize().unwrap_or_else(|_| f.clone()))
            .filter(|f| seen.insert(f.clone()))
            .collect();
        let mut report = AddReport::default();
        let mut last_commit = Instant::now();
        let mut pending = false;
        for batch in batches(&files) {
            let prepared: Vec<Prepared> = batch
                .par_iter()
                .map(|f| self.prepare(f, resolver, &existing))
                .collect();
            for p in prepared {
                let file = match p {
                    Prepared::Unchanged { path, doc_id } => FileReport {
                        path,
                        doc_id: Some(doc_id),
                        status: AddStatus::Unchanged,
                        error: None,
                    },
                    Prepared::Failed { path, error } => FileReport {
                        path,
                        doc_id: None,
                        status: AddStatus::Failed,
                        error: Some(error.to_string()),
                    },
                    Prepared::Doc {
                        path,
                        doc_id,
                        doc,
                        replaces,
                    } => {
                        if replaces {
                            writer.delete_term(Term::from_field_text(self.fields.path, &path));
                        }
                        writer.add_document(*doc).map_err(|e| self.err(e))?;
                        pending = true;
                        let status = if replaces {
                            AddStatus::Updated
                        } else {
                            AddStatus::Added
                        };
                        FileReport {
                            path,
                            doc_id: Some(doc_id),
                            status,
                            error: None,
                        }
                    }
                };
                match file.status {
                    AddStatus::Added => report.added += 1,
                    AddStatus::Updated => report.updated += 1,
                    AddStatus::Unchanged => report.unchanged += 1,
                    AddStatus::Failed => report.failed += 1,
                }
                progress(&file);
                report.files.push(file);
            }
            if pending && last_commit.elapsed() >= COMMIT_EVERY {
                writer.commit().map_err(|e| self.err(e))?;
                last_commit = Instant::now();
                pending = false;
            }
        }
        if pending {
            writer.commit().map_err(|e| self.err(e))?;
        }
        writer.wait_merging_threads().map_err(|e| self.err(e))?;
        self.reader.reload().map_err(|e| self.err(e))?;
        Ok(report)
    }

    /// Reads, extracts and resolves one file, unless the archive holds it unchanged.
    fn prepare(
        &self,
        path: &Path,
        resolver: &MetadataResolver,
        existing: &HashMap<String, String>,
    ) -> Prepared {
        let path_str = path.display().to_string();
        let doc_id = DocId::for_path(path);
        let failed = |error: Error| Prepared::Failed {
            path: path_str.clone(),
            error,
        };
        let bytes = match crate::corpus::read_file_bytes(path) {
            Ok(b) => b,
            Err(e) => return failed(e),
        };
        let explicit = match resolver.explicit(path) {
            Ok(m) => m,
            Err(e) => return failed(e),
        };
        let key = content_key(&bytes, &explicit.metadata);
        let previous = existing.get(&path_str);
        if previous == Some(&key) {
            return Prepared::Unchanged {
                path: path_str,
                doc_id,
            };
        }
        let format = match crate::corpus::Format::of_file(path) {
            Ok(f) => f,
            Err(e) => return failed(e),
        };
        let extracted = match read_bytes(path, &bytes, format) {
            Ok(x) => x,
            Err(e) => return failed(e),
        };
        let resolved = resolver.complete(
            explicit,
            path,
            &extracted.text,
            extracted.declared_title.as_deref(),
        );
        if let Err(e) = self.write_text(&key, &extracted.text) {
            return failed(e);
        }
        let doc = self.document(
            &doc_id,
            &path_str,
            &key,
            &resolved.metadata,
            &extracted.text,
            &format.to_string(),
        );
        Prepared::Doc {
            path: path_str,
            doc_id,
            doc: Box::new(doc),
            replaces: previous.is_some(),
        }
    }

    fn document(
        &self,
        doc_id: &DocId,
        path: &str,
        key: &str,
        m: &Metadata,
        text: &str,
        format: &str,
    ) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.doc_id, doc_id.as_str());
        doc.add_text(f.path, path);
        doc.add_text(f.key, key);
        for (field, value) in [
            (f.title, &m.title),
            (f.author, &m.author),
            (f.unit, &m.unit),
            (f.post, &m.post),
            (f.kind, &m.kind),
        ] {
            if let Some(v) = value {
                doc.add_text(field, v);
            }
        }
        if let Some(y) = m.year {
            doc.add_u64(f.year, u64::from(y.get()));
        }
        doc.add_u64(f.mandated, u64::from(m.mandated.unwrap_or(false)));
        doc.add_u64(f.chars, text.chars().count() as u64);
        doc.add_text(f.format, format);
        doc.add_text(f.words, text);
        doc.add_text(f.characters, text);
        doc
    }

    /// Path → key of every archived document, from the fast fields (no stored text is read).
    fn existing(&self) -> Result<HashMap<String, String>> {
        let searcher = self.searcher();
        let mut out = HashMap::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let (Some(paths), Some(keys)) = (
                ff.str("path").map_err(|e| self.err(e))?,
                ff.str("key").map_err(|e| self.err(e))?,
            ) else {
                continue;
            };
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| a.is_deleted(doc)) {
                    continue;
                }
                let (mut path, mut key) = (String::new(), String::new());
                if let Some(ord) = paths.term_ords(doc).next() {
                    paths.ord_to_str(ord, &mut path).map_err(|e| self.err(e))?;
                }
                if let Some(ord) = keys.term_ords(doc).next() {
                    keys.ord_to_str(ord, &mut key).map_err(|e| self.err(e))?;
                }
                out.insert(path, key);
            }
        }
        Ok(out)
    }

    /// The documents matching `filter`, ordered by year, then path.
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn list(&self, filter: &Filter) -> Result<Vec<DocRecord>> {
        let searcher = self.searcher();
        let query = self
            .filter_query(filter)
            .unwrap_or_else(|| Box::new(AllQuery));
        let docs = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.err(e))?;
        let mut out = docs
            .into_iter()
            .map(|a| self.record(&searcher, a))
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| (a.metadata.year, &a.path).cmp(&(b.metadata.year, &b.path)));
        Ok(out)
    }

    /// The document named by `name`: its doc_id, or a path it was added from (any path that
    /// resolves to the same file).
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn get(&self, name: &str) -> Result<Option<(DocRecord, String)>> {
        let searcher = self.searcher();
        let Some(addr) = self.find(&searcher, name)? else {
            return Ok(None);
        };
        self.record_and_text(&searcher, addr).map(Some)
    }

    fn find(&self, searcher: &Searcher, name: &str) -> Result<Option<DocAddress>> {
        let mut terms = Vec::new();
        if let Some(id) = DocId::parse(name) {
            terms.push(Term::from_field_text(self.fields.doc_id, id.as_str()));
        }
        let path = Path::new(name);
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        terms.push(Term::from_field_text(
            self.fields.path,
            &canonical.display().to_string(),
        ));
        for term in terms {
            let q = TermQuery::new(term, IndexRecordOption::Basic);
            if let Some(addr) = searcher
                .search(&q, &DocSetCollector)
                .map_err(|e| self.err(e))?
                .into_iter()
                .next()
            {
                return Ok(Some(addr));
            }
        }
        Ok(None)
    }

    fn record(&self, searcher: &Searcher, addr: DocAddress) -> Result<DocRecord> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.err(e))?;
        let f = &self.fields;
        let s = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let n = |field| doc.get_first(field).and_then(|v| v.as_u64());
        let metadata = Metadata {
            title: s(f.title),
            author: s(f.author),
            unit: s(f.unit),
            post: s(f.post),
            year: n(f.year).and_then(|y| Year::new(y as u32)),
            kind: s(f.kind),
            mandated: Some(n(f.mandated) == Some(1)),
        };
        Ok(DocRecord {
            doc_id: s(f.doc_id)
                .and_then(|d| DocId::parse(&d))
                .ok_or_else(|| self.err("a document without a doc_id"))?,
            path: s(f.path).unwrap_or_default(),
            metadata,
            chars: n(f.chars).unwrap_or(0) as usize,
            format: s(f.format).unwrap_or_default(),
            key: s(f.key).unwrap_or_default(),
        })
    }

    /// A document's record and stored text.
    fn record_and_text(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
    ) -> Result<(DocRecord, String)> {
        let record = self.record(searcher, addr)?;
        let text = self.text(&record)?;
        Ok((record, text))
    }

    /// The stored text of an archived document.
    ///
    /// # Errors
    ///
    /// Its text file is missing or damaged.
    pub fn text(&self, record: &DocRecord) -> Result<String> {
        let path = self.text_path(&record.key);
        let bytes = std::fs::read(&path).map_err(|e| {
            self.err(format!(
                "the stored text of {} is missing ({}): {e}",
                record.path,
                path.display()
            ))
        })?;
        let text = simdutf8::basic::from_utf8(&bytes)
            .map_err(|_| self.err(format!("the stored text of {} is not UTF-8", record.path)))?;
        Ok(text.to_owned())
    }

    /// Where the text with content key `key` is stored: `DIR/texts/ab/abcdef….txt`.
    fn text_path(&self, key: &str) -> PathBuf {
        let shard = key.get(..2).unwrap_or("00");
        self.dir
            .join(TEXTS_DIR)
            .join(shard)
            .join(format!("{key}.txt"))
    }

    /// Writes a stored text, atomically (a temporary file renamed), unless it is already there.
    fn write_text(&self, key: &str, text: &str) -> Result<()> {
        let path = self.text_path(key);
        if path.exists() {
            return Ok(());
        }
        let io = |e: std::io::Error| Error::io(&path, e);
        std::fs::create_dir_all(path.parent().expect("sharded path")).map_err(io)?;
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)
    }

    /// Deletes stored texts that no document of the current commit refers to: left by replaced
    /// and removed documents, or by a killed add. Runs while holding the writer lock, at the
    /// start of an add, so a search of the commit before never loses a text it needs.
    fn collect_garbage(&self, keys: &HashSet<&str>) {
        let Ok(shards) = std::fs::read_dir(self.dir.join(TEXTS_DIR)) else {
            return;
        };
        for shard in shards.flatten() {
            let Ok(files) = std::fs::read_dir(shard.path()) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name();
                let name = name.to_string_lossy();
                let key = name.strip_suffix(".txt").unwrap_or(&name);
                if !keys.contains(key) {
                    let _ = std::fs::remove_file(file.path());
                }
            }
        }
    }

    /// Removes the named documents; returns, for each name, the removed record or `None` if no
    /// document has that name.
    ///
    /// # Errors
    ///
    /// The archive cannot be written.
    pub fn remove(&self, names: &[String]) -> Result<Vec<Option<DocRecord>>> {
        let searcher = self.searcher();
        let mut found = Vec::with_capacity(names.len());
        for name in names {
            found.push(match self.find(&searcher, name)? {
                Some(addr) => Some(self.record(&searcher, addr)?),
                None => None,
            });
        }
        if found.iter().any(Option::is_some) {
            let mut writer: IndexWriter<TantivyDocument> =
                self.index.writer(15 << 20).map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => self.err(
                        "another gongwen add is writing to this archive; wait for it to finish",
                    ),
                    e => self.err(e),
                })?;
            for r in found.iter().flatten() {
                writer.delete_term(Term::from_field_text(self.fields.path, &r.path));
            }
            writer.commit().map_err(|e| self.err(e))?;
            self.reader.reload().map_err(|e| self.err(e))?;
        }
        Ok(found)
    }

    /// The tantivy query of a filter, `None` when it filters nothing.
    fn filter_query(&self, filter: &Filter) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, value) in [
            (f.author, &filter.author),
            (f.unit, &filter.unit),
            (f.kind, &filter.kind),
        ] {
            if let Some(v) = value {
                must.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        if let Some((a, b)) = filter.years {
            let bound = |y: Option<Year>| match y {
                Some(y) => Bound::Included(Term::from_field_u64(f.year, u64::from(y.get()))),
                None => Bound::Unbounded,
            };
            let (lo, hi) = match (a, b) {
                (None, None) => (
                    Bound::Included(Term::from_field_u64(f.year, 0)),
                    Bound::Unbounded,
                ),
                _ => (bound(a), bound(b)),
            };
            must.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        (!must.is_empty()).then(|| {
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(must)), 0.0)) as Box<dyn Query>
        })
    }

    /// Every document, for callers that need them all (corpus-wide analyses).
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn count(&self) -> Result<usize> {
        Ok(self.searcher().num_docs() as usize)
    }
}

enum Prepared {
    Unchanged {
        path: String,
        doc_id: DocId,
    },
    Failed {
        path: String,
        error: Error,
    },
    Doc {
        path: String,
        doc_id: DocId,
        doc: Box<TantivyDocument>,
        replaces: bool,
    },
}

fn check_marker(dir: &Path) -> Result<()> {
    let marker = dir.join(MARKER);
    let text = std::fs::read_to_string(&marker)
        .map_err(|_| Error::archive(dir, format!("not a gongwen archive (no {MARKER})")))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::archive(dir, format!("{MARKER} is damaged: {e}")))?;
    match value
        .get("gongwen_archive_format")
        .and_then(serde_json::Value::as_u64)
    {
        Some(FORMAT) => Ok(()),
        Some(v) => Err(Error::archive(
            dir,
            format!("archive format {v} is not the {FORMAT} this gongwen reads"),
        )),
        None => Err(Error::archive(
            dir,
            format!("{MARKER} is damaged: no format"),
        )),
    }
}

/// Equal for the same bytes with the same explicit metadata: re-adding is then a no-op.
fn content_key(bytes: &[u8], explicit: &Metadata) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    h.update(b"\0");
    h.update(serde_json::to_vec(explicit).unwrap_or_default());
    h.update(format!("\0format{FORMAT}").as_bytes());
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Groups files into rounds of at most [`BATCH_FILES`] files and about [`BATCH_BYTES`] bytes.
fn batches(files: &[PathBuf]) -> Vec<&[PathBuf]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, f) in files.iter().enumerate() {
        bytes += std::fs::metadata(f).map_or(0, |m| m.len());
        if i + 1 - start >= BATCH_FILES || bytes >= BATCH_BYTES {
            out.push(&files[start..=i]);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

/// Counts per facet value, for [`Facets`].
pub(crate) fn bump(map: &mut BTreeMap<String, FacetCount>, key: Option<String>, count: usize) {
    if let Some(k) = key {
        let e = map.entry(k).or_default();
        e.docs += 1;
        e.count += count;
    }
}
