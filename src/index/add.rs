//! Adding files: rounds of files read in parallel, each document keyed by its canonical path and
//! its content key, commits every few seconds and at the end.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tantivy::{TantivyDocument, Term};

use super::Archive;
use super::open::FORMAT;
use super::store::Blob;
use crate::corpus::{Metadata, MetadataResolver, read_bytes};
use crate::error::{Error, Result};
use crate::span::DocId;

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

impl Archive {
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
        let mut writer = self.writer(WRITER_BUDGET)?;
        let mut policy = tantivy::merge_policy::LogMergePolicy::default();
        policy.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
        writer.set_merge_policy(Box::new(policy));
        self.store
            .collect_garbage(&existing.values().map(String::as_str).collect());
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
        let format = match crate::corpus::Format::of_bytes(path, &bytes) {
            Ok(f) => f,
            Err(e) => return failed(e),
        };
        let extracted = match read_bytes(path, &bytes, format) {
            Ok(x) => x,
            Err(e) => return failed(e),
        };
        let resolved = resolver.complete(explicit, path, &extracted.text, &extracted.declared);
        if let Err(e) = self
            .store
            .write(&key, Blob::Text, extracted.text.as_bytes())
        {
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
        doc.add_text(f.signature, text);
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
