//! Adding files: rounds of files read in parallel, each document keyed by its canonical path and
//! its content key, and commits that bound what a kill can lose.
//!
//! **The durability rule.** A commit comes whenever [`COMMIT_EVERY`] has passed, or
//! [`COMMIT_DOCS`] documents or about [`COMMIT_EVERY`]'s worth of text were handed to the index
//! since the last one, and at the end. tantivy takes documents into a queue and indexes them on
//! its own threads, and its commit waits until every document handed over is indexed: the amount
//! handed over, not the clock, is the work at risk. So that amount is measured in seconds: the
//! text the last commit cycle got through in [`COMMIT_EVERY`] (at least 4 MB, at most 64 MB;
//! 8 MB before the first commit). A kill therefore loses at most the documents of about one
//! cycle — a few seconds of indexing — also after the last file was read. The archive stays at
//! its last commit; a re-run finds those documents unchanged and adds only the rest. Stored texts
//! are written before the commit that names them, so a committed document always has its text.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::Archive;
use super::open::FORMAT;
use super::store::{Blob, checksum};
use crate::corpus::{Metadata, MetadataResolver, read_bytes};
use crate::error::{Error, Result};
use crate::span::DocId;

/// Memory the index writer may use for its buffers, across its threads.
const WRITER_BUDGET: usize = 128 << 20;
/// Segments with more documents than this are not merged further: a merge maps every page of
/// the segments it merges, and unbounded merges of a 1 GB archive held over 1.7 GB resident.
const MAX_DOCS_BEFORE_MERGE: usize = 3000;
/// Commit at least this often while documents are waiting.
const COMMIT_EVERY: Duration = Duration::from_secs(3);
/// Commit once this many documents were handed to the index since the last commit.
const COMMIT_DOCS: usize = 1000;
/// Text handed to the index before the first commit; later, what a cycle got through in
/// [`COMMIT_EVERY`], within [`MIN_COMMIT_BYTES`]..=[`MAX_COMMIT_BYTES`]. Each commit ends every
/// indexing thread's segment, and smaller segments cost more to write and to merge: commits
/// every 8 MB made adding 1,500 files 10–20% slower on a loaded machine.
const FIRST_COMMIT_BYTES: usize = 8 << 20;
const MIN_COMMIT_BYTES: usize = 4 << 20;
const MAX_COMMIT_BYTES: usize = 64 << 20;
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
    /// Archived as it is, but its stored text was missing or damaged: written again from the
    /// file.
    Restored,
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
    /// Files archived as they are whose missing or damaged stored text was written again.
    pub restored: usize,
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
    /// Only for the archive itself: locked by another writer, or the disk full
    /// ([`Error::DiskFull`], naming the file being added). The archive then stays at its last
    /// commit, and what this add wrote after it is removed. A file that cannot be read is
    /// reported as failed in the [`AddReport`] and the others go on.
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
        let mut writer = self.writer(WRITER_BUDGET)?;
        let mut policy = tantivy::merge_policy::LogMergePolicy::default();
        policy.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
        writer.set_merge_policy(Box::new(policy));
        let existing = self.existing()?;
        self.collect_garbage_of(&existing);
        let mut seen = HashSet::new();
        let files: Vec<PathBuf> = files
            .iter()
            .map(|f| f.canonicalize().unwrap_or_else(|_| f.clone()))
            .filter(|f| seen.insert(f.clone()))
            .collect();
        let mut report = AddReport::default();
        let mut commits = Commits::new();
        let read = |round: &[PathBuf]| -> Vec<Prepared> {
            round
                .par_iter()
                .map(|f| self.prepare(f, resolver, &existing))
                .collect()
        };
        let mut rounds = batches(&files).into_iter();
        let mut read_ahead: VecDeque<Vec<Prepared>> = VecDeque::new();
        while let Some(prepared) = read_ahead.pop_front().or_else(|| rounds.next().map(read)) {
            for p in prepared {
                let file = match self.hand_over(&mut writer, p, &mut commits) {
                    Ok(file) => file,
                    Err(error) => return Err(self.abandon(writer, error)),
                };
                report.count(&file);
                progress(&file);
                report.files.push(file);
            }
            if commits.due() {
                if let Err(e) = self.sync_store() {
                    let error = self.write_error(&e, commits.last_input.as_deref());
                    return Err(self.abandon(writer, error));
                }
                let (committed, ahead) =
                    commit_reading_ahead(&mut writer, &mut rounds, &read, commits.budget);
                read_ahead.extend(ahead);
                if let Err(e) = committed {
                    let error = self.write_error(&e, commits.last_input.as_deref());
                    return Err(self.abandon(writer, error));
                }
                commits.done();
            }
        }
        if commits.pending()
            && let Err(e) = self.sync_store().and_then(|()| writer.commit())
        {
            let error = self.write_error(&e, commits.last_input.as_deref());
            return Err(self.abandon(writer, error));
        }
        writer
            .wait_merging_threads()
            .map_err(|e| self.write_error(&e, None))?;
        self.reload()?;
        self.collect_garbage()?;
        Ok(report)
    }

    /// The stored texts written so far, on disk before the commit that names them.
    fn sync_store(&self) -> tantivy::Result<()> {
        self.store.sync().map_err(tantivy::TantivyError::from)
    }

    /// Hands one prepared file to the index writer and says what became of it. The error is
    /// one that ends the add: the disk is full, or the writer failed.
    fn hand_over(
        &self,
        writer: &mut IndexWriter<TantivyDocument>,
        prepared: Prepared,
        commits: &mut Commits,
    ) -> Result<FileReport> {
        Ok(match prepared {
            Prepared::Unchanged { path, doc_id } => FileReport {
                path,
                doc_id: Some(doc_id),
                status: AddStatus::Unchanged,
                error: None,
            },
            Prepared::Failed { error, .. } if matches!(error, Error::DiskFull { .. }) => {
                return Err(error);
            }
            Prepared::Failed { path, error } => FileReport {
                path,
                doc_id: None,
                status: AddStatus::Failed,
                error: Some(error.chain().to_string()),
            },
            Prepared::Doc {
                input,
                path,
                doc_id,
                doc,
                text_bytes,
                status,
            } => {
                if status != AddStatus::Added {
                    writer.delete_term(Term::from_field_bytes(
                        self.fields.source,
                        input.as_os_str().as_encoded_bytes(),
                    ));
                }
                if let Err(e) = writer.add_document(*doc) {
                    // A dead indexing thread says only "killed": its own error comes with the
                    // commit that joins it.
                    let cause = writer.commit().err().unwrap_or(e);
                    return Err(self.write_error(&cause, Some(&input)));
                }
                commits.handed_over(text_bytes, input);
                FileReport {
                    path,
                    doc_id: Some(doc_id),
                    status,
                    error: None,
                }
            }
        })
    }

    /// Ends an add that cannot go on, and returns `error`. The archive goes back to its last
    /// commit, and, still under the writer's lock, the segments and stored texts written after
    /// it are removed: a full disk gets its space back, and no temporary file stays behind.
    fn abandon(&self, mut writer: IndexWriter<TantivyDocument>, error: Error) -> Error {
        if writer.rollback().is_ok() && self.remove_leftovers(&writer).is_ok() {
            let _ = self.reload().and_then(|_| self.collect_garbage());
        }
        error
    }

    /// Reads, extracts and resolves one file, unless the archive holds it unchanged.
    fn prepare(
        &self,
        path: &Path,
        resolver: &MetadataResolver,
        existing: &HashMap<PathBuf, Existing>,
    ) -> Prepared {
        let path_str = path.display().to_string();
        let doc_id = DocId::for_path(path);
        let failed = |error: Error| Prepared::Failed {
            path: path_str.clone(),
            error,
        };
        let store_failed = |e: std::io::Error| {
            failed(if Error::is_disk_full(&e) {
                self.disk_full(Some(path))
            } else {
                Error::io(path, e)
            })
        };
        let bytes = match crate::corpus::read_file_bytes(path) {
            Ok(b) => b,
            Err(e) => return failed(e),
        };
        let explicit = match resolver.explicit(path) {
            Ok(m) => m,
            Err(e) => return failed(e),
        };
        // The format is part of the key: the same bytes read as HTML from a.html and as text from
        // a.txt are two texts.
        let format = match crate::corpus::Format::of_bytes(path, &bytes) {
            Ok(f) => f,
            Err(e) => return failed(e),
        };
        let key = content_key(&bytes, &explicit.metadata, format);
        let previous = existing.get(path);
        let status = match previous {
            None => AddStatus::Added,
            Some(p) if p.key != key => AddStatus::Updated,
            // Unchanged, if its stored text is whole; else it is read again to restore it.
            Some(p) if self.store.holds(&key, Blob::Text, p.text_len, p.text_hash) => {
                return Prepared::Unchanged {
                    path: path_str,
                    doc_id,
                };
            }
            Some(_) => AddStatus::Restored,
        };
        let extracted = match read_bytes(path, &bytes, format) {
            Ok(x) => x,
            Err(e) => return failed(e),
        };
        // The bytes are done with: a 200 MB file must not be held three times over.
        drop(bytes);
        let resolved = resolver.complete(explicit, path, &extracted.text, &extracted.declared);
        let text = extracted.text.as_bytes();
        let stored = if status == AddStatus::Restored {
            self.store.rewrite(&key, Blob::Text, text)
        } else {
            self.store.write(&key, Blob::Text, text)
        };
        if let Err(e) = stored {
            return store_failed(e);
        }
        let doc = self.document(
            &doc_id,
            path,
            &key,
            &resolved.metadata,
            &extracted.text,
            &format.to_string(),
        );
        Prepared::Doc {
            input: path.to_path_buf(),
            path: path_str,
            doc_id,
            doc: Box::new(doc),
            text_bytes: text.len(),
            status,
        }
    }

    fn document(
        &self,
        doc_id: &DocId,
        path: &Path,
        key: &str,
        m: &Metadata,
        text: &str,
        format: &str,
    ) -> TantivyDocument {
        let f = &self.fields;
        // The text goes in twice (words, characters): reserve it at once rather than let the
        // document's buffer double past it.
        let mut doc = TantivyDocument::with_capacity(2 * text.len() + 4096);
        doc.add_text(f.doc_id, doc_id.as_str());
        doc.add_text(f.path, path.display().to_string());
        doc.add_bytes(f.source, path.as_os_str().as_encoded_bytes());
        doc.add_text(f.key, key);
        doc.add_u64(f.text_len, text.len() as u64);
        doc.add_u64(f.text_hash, checksum(text.as_bytes()));
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

    /// Every archived document by the bytes of its path: its key and its stored text's length
    /// and checksum, from the fast fields (no stored text is read).
    pub(crate) fn existing(&self) -> Result<HashMap<PathBuf, Existing>> {
        let searcher = self.searcher();
        let mut out = HashMap::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let (Some(sources), Some(keys)) = (
                ff.bytes("source").map_err(|e| self.err(e))?,
                ff.str("key").map_err(|e| self.err(e))?,
            ) else {
                continue;
            };
            let lens = ff.u64("text_len").map_err(|e| self.err(e))?;
            let hashes = ff.u64("text_hash").map_err(|e| self.err(e))?;
            let alive = segment.alive_bitset();
            let mut source = Vec::new();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| a.is_deleted(doc)) {
                    continue;
                }
                let mut key = String::new();
                source.clear();
                if let Some(ord) = sources.term_ords(doc).next() {
                    sources
                        .ord_to_bytes(ord, &mut source)
                        .map_err(|e| self.err(e))?;
                }
                if let Some(ord) = keys.term_ords(doc).next() {
                    keys.ord_to_str(ord, &mut key).map_err(|e| self.err(e))?;
                }
                let existing = Existing {
                    key,
                    text_len: lens.first(doc).unwrap_or(0),
                    text_hash: hashes.first(doc).unwrap_or(0),
                };
                out.insert(super::os_path(&source), existing);
            }
        }
        Ok(out)
    }
}

/// What the archive holds for a path.
pub(crate) struct Existing {
    /// The content key.
    pub(crate) key: String,
    /// The stored text's length and checksum.
    text_len: u64,
    text_hash: u64,
}

/// When to commit; see the module's durability rule.
struct Commits {
    /// When the last commit ended (or the add began).
    last: Instant,
    /// Documents and bytes of text handed over since.
    docs: usize,
    text_bytes: usize,
    /// Bytes of text that make a commit due: about [`COMMIT_EVERY`] of work.
    budget: usize,
    /// The last file handed over: what a failed commit names.
    last_input: Option<PathBuf>,
}

impl Commits {
    fn new() -> Commits {
        Commits {
            last: Instant::now(),
            docs: 0,
            text_bytes: 0,
            budget: FIRST_COMMIT_BYTES,
            last_input: None,
        }
    }

    fn handed_over(&mut self, text_bytes: usize, input: PathBuf) {
        self.docs += 1;
        self.text_bytes += text_bytes;
        self.last_input = Some(input);
    }

    fn pending(&self) -> bool {
        self.docs > 0
    }

    fn due(&self) -> bool {
        self.pending()
            && (self.docs >= COMMIT_DOCS
                || self.text_bytes >= self.budget
                || self.last.elapsed() >= COMMIT_EVERY)
    }

    /// A commit ended: the cycle's pace sets the next budget.
    fn done(&mut self) {
        let seconds = self.last.elapsed().as_secs_f64().max(1e-3);
        let pace = self.text_bytes as f64 / seconds * COMMIT_EVERY.as_secs_f64();
        self.budget = (pace as usize).clamp(MIN_COMMIT_BYTES, MAX_COMMIT_BYTES);
        self.last = Instant::now();
        self.docs = 0;
        self.text_bytes = 0;
    }
}

impl AddReport {
    fn count(&mut self, file: &FileReport) {
        match file.status {
            AddStatus::Added => self.added += 1,
            AddStatus::Updated => self.updated += 1,
            AddStatus::Unchanged => self.unchanged += 1,
            AddStatus::Restored => self.restored += 1,
            AddStatus::Failed => self.failed += 1,
        }
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
        /// The file, as the operating system names it.
        input: PathBuf,
        /// Its name for display.
        path: String,
        doc_id: DocId,
        doc: Box<TantivyDocument>,
        text_bytes: usize,
        /// Added, updated or restored.
        status: AddStatus,
    },
}

impl Prepared {
    /// The bytes of text it hands to the index.
    fn text_bytes(&self) -> usize {
        match self {
            Prepared::Doc { text_bytes, .. } => *text_bytes,
            _ => 0,
        }
    }
}

/// Commits, and reads the next rounds meanwhile: the commit waits for the indexing threads, and
/// reading goes on so that reading and indexing still overlap. It reads until the commit ends, or
/// `budget` bytes of text are read (a bound on the memory they hold).
fn commit_reading_ahead<'f>(
    writer: &mut IndexWriter<TantivyDocument>,
    rounds: &mut (impl Iterator<Item = &'f [PathBuf]> + Send),
    read: &(impl Fn(&[PathBuf]) -> Vec<Prepared> + Sync),
    budget: usize,
) -> (tantivy::Result<u64>, Vec<Vec<Prepared>>) {
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut ahead = Vec::new();
            let mut bytes = 0;
            while !done.load(Ordering::Relaxed) && bytes < budget {
                let Some(round) = rounds.next() else { break };
                let prepared = read(round);
                bytes += prepared.iter().map(Prepared::text_bytes).sum::<usize>();
                ahead.push(prepared);
            }
            ahead
        });
        let committed = writer.commit();
        done.store(true, Ordering::Relaxed);
        let ahead = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (committed, ahead)
    })
}

/// Equal for the same bytes read in the same format with the same explicit metadata: re-adding is
/// then a no-op.
fn content_key(bytes: &[u8], explicit: &Metadata, format: crate::corpus::Format) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    h.update(b"\0");
    h.update(serde_json::to_vec(explicit).unwrap_or_default());
    h.update(format!("\0{format:?}").as_bytes());
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
