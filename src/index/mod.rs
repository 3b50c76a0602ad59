//! The archive: a directory holding a tantivy index of documents, their stored texts and metadata.
//!
//! ```text
//! DIR/gongwen-archive.json   marks the directory as an archive (format version)
//! DIR/index/                 the tantivy index: one document per file added, with its signature
//! DIR/texts/ab/abcd….txt      the stored texts, named by content key (written before the commit
//!                             that refers to them; see `store.rs` for when they are deleted)
//! DIR/readers/<pid>-<n>       one per open archive handle: the commit it reads (`readers.rs`)
//! ```
//!
//! A document is keyed by the canonical path it was added from, as the operating system's bytes;
//! its [`DocId`] derives from those bytes. Adding an unchanged file (same bytes, same explicit
//! metadata) changes nothing; a changed one replaces its earlier version in the same commit. Adds
//! are committed every few seconds of indexing work (`add.rs`), so a killed `add` leaves the
//! archive at its last commit, which is at most a few seconds behind, and a re-run completes it
//! without duplicates. Readers see the commit they opened, so searching while an add runs works.

mod add;
mod filter;
mod open;
mod positions;
mod query;
mod readers;
mod schema;
mod search;
mod signature;
mod store;
mod tokenizer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, Searcher, TantivyDocument, Term};

use crate::corpus::Metadata;
use crate::error::{Error, Result};
use crate::span::{DocId, Year};

pub use add::{AddReport, AddStatus, FileReport};
pub use filter::Filter;
pub use query::{SearchQuery, Term as QueryTerm};
use readers::Registration;
use schema::Fields;
pub use search::{FacetCount, Facets, Hit, PassedOver, SearchOptions, SearchResults};
pub use signature::{Candidates, SharedSignatures};
use store::{Blob, Store, checksum};

/// An archived document's identity and metadata (not its text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocRecord {
    /// The document's id.
    pub doc_id: DocId,
    /// The canonical path it was added from, for display: lossy where a name is not UTF-8.
    pub path: String,
    /// The same path as the operating system's bytes: what names the document in the archive.
    #[serde(skip)]
    pub os_path: PathBuf,
    /// Its metadata.
    pub metadata: Metadata,
    /// Characters in its stored text.
    pub chars: usize,
    /// The format it was read as.
    pub format: String,
    /// Hash of its bytes and explicit metadata; names its stored text.
    #[serde(skip)]
    pub(crate) key: String,
    /// Length and checksum of the stored text file, as the index recorded them.
    #[serde(skip)]
    pub(crate) text_len: u64,
    #[serde(skip)]
    pub(crate) text_hash: u64,
}

impl DocRecord {
    /// The error for this document's stored text being `reason` (missing, damaged).
    fn stored_text_error(&self, reason: impl Into<String>) -> Error {
        Error::StoredText {
            path: self.os_path.clone(),
            doc_id: self.doc_id.clone(),
            reason: reason.into(),
        }
    }
}

/// An archive of documents.
pub struct Archive {
    dir: PathBuf,
    store: Store,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Whether the words tokenizer is registered: only archives opened for writing segment.
    writable: bool,
    /// This handle's entry in the registry of readers, naming the commit it reads.
    registration: Registration,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Archive {
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

    /// A failed write to the index, as the user needs it: a full disk names `input` (the file
    /// being added, else the archive) and says what to do, instead of tantivy's "index writer
    /// was killed".
    fn write_error(&self, e: &tantivy::TantivyError, input: Option<&Path>) -> Error {
        use tantivy::TantivyError as T;
        use tantivy::directory::error::OpenWriteError;
        let full = match e {
            T::IoError(io) | T::OpenWriteError(OpenWriteError::IoError { io_error: io, .. }) => {
                Error::is_disk_full(io)
            }
            // A worker thread's error arrives as text.
            e => {
                let text = format!("{e:?}");
                ["StorageFull", "QuotaExceeded", "No space left on device"]
                    .iter()
                    .any(|s| text.contains(s))
            }
        };
        if full {
            self.disk_full(input)
        } else {
            self.err(format!("cannot write to the archive: {e}"))
        }
    }

    /// The error for a full disk while adding `input`.
    fn disk_full(&self, input: Option<&Path>) -> Error {
        Error::DiskFull {
            path: input.unwrap_or(&self.dir).to_path_buf(),
            archive: self.dir.clone(),
        }
    }

    /// The documents matching `filter`, ordered by year, then path.
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn list(&self, filter: &Filter) -> Result<Vec<DocRecord>> {
        let searcher = self.searcher();
        let query = filter
            .query(&self.fields)
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

    /// The document whose id is `id`, looked up in the index only: unlike [`Archive::get`], no
    /// name is ever tried as a path, so what a web request names never reaches the file system.
    ///
    /// # Errors
    ///
    /// The index cannot be read, or the document's stored text is missing.
    pub fn get_id(&self, id: &DocId) -> Result<Option<(DocRecord, String)>> {
        let searcher = self.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.doc_id, id.as_str()),
            IndexRecordOption::Basic,
        );
        let found = searcher
            .search(&q, &DocSetCollector)
            .map_err(|e| self.err(e))?;
        match found.into_iter().next() {
            Some(addr) => self.record_and_text(&searcher, addr).map(Some),
            None => Ok(None),
        }
    }

    /// Moves this handle to the archive's last commit (an `add` running in another process
    /// commits every few seconds; a reader otherwise keeps the commit it opened): what it lists
    /// and searches from now on. Returns whether anything changed. A search running on another
    /// thread meanwhile may find a stored text of the commit it started on cleaned up; it reports
    /// that document and goes on.
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn reload(&self) -> Result<bool> {
        let before = self.searcher().generation().segments().clone();
        // The commit is read before the reader moves: the registration never names a newer one
        // than the reader holds.
        let opstamp = self.index.load_metas().map_err(|e| self.err(e))?.opstamp;
        self.reader.reload().map_err(|e| self.err(e))?;
        self.registration.set(opstamp);
        Ok(self.searcher().generation().segments() != &before)
    }

    fn find(&self, searcher: &Searcher, name: &str) -> Result<Option<DocAddress>> {
        let mut terms = Vec::new();
        if let Some(id) = DocId::parse(name) {
            terms.push(Term::from_field_text(self.fields.doc_id, id.as_str()));
        }
        let path = Path::new(name);
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        terms.push(Term::from_field_bytes(
            self.fields.source,
            canonical.as_os_str().as_encoded_bytes(),
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
        let os_path = doc
            .get_first(f.source)
            .and_then(|v| v.as_bytes())
            .map(os_path)
            .unwrap_or_default();
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
            os_path,
            metadata,
            chars: n(f.chars).unwrap_or(0) as usize,
            format: s(f.format).unwrap_or_default(),
            key: s(f.key).unwrap_or_default(),
            text_len: n(f.text_len).unwrap_or(0),
            text_hash: n(f.text_hash).unwrap_or(0),
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

    /// The stored text of an archived document, checked against the length and checksum the
    /// index recorded: a truncated or damaged file is an error, never a wrong count.
    ///
    /// # Errors
    ///
    /// [`Error::StoredText`] when its text file is missing or damaged: an error for that
    /// document only, which re-adding its file repairs.
    pub fn text(&self, record: &DocRecord) -> Result<String> {
        let bytes = self
            .store
            .read(&record.key, Blob::Text)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => record.stored_text_error("missing"),
                _ => record.stored_text_error(format!("unreadable ({e})")),
            })?;
        if bytes.len() as u64 != record.text_len {
            return Err(record.stored_text_error(format!(
                "damaged: {} bytes where the index recorded {}",
                bytes.len(),
                record.text_len
            )));
        }
        if checksum(&bytes) != record.text_hash {
            return Err(record.stored_text_error(
                "damaged: its checksum differs from the one the index recorded",
            ));
        }
        let text = simdutf8::basic::from_utf8(&bytes)
            .map_err(|_| record.stored_text_error("damaged: not UTF-8"))?;
        Ok(text.to_owned())
    }

    /// Removes the named documents; returns, for each name, the removed record or `None` if no
    /// document has that name.
    ///
    /// # Errors
    ///
    /// The archive cannot be written.
    pub fn remove(&self, names: &[String]) -> Result<Vec<Option<DocRecord>>> {
        // The writer lock first: the documents are looked up in the commit they are removed from.
        let mut writer = self.writer(15 << 20)?;
        let searcher = self.searcher();
        let mut found = Vec::with_capacity(names.len());
        for name in names {
            found.push(match self.find(&searcher, name)? {
                Some(addr) => Some(self.record(&searcher, addr)?),
                None => None,
            });
        }
        drop(searcher);
        if found.iter().any(Option::is_some) {
            for r in found.iter().flatten() {
                writer.delete_term(Term::from_field_bytes(
                    self.fields.source,
                    r.os_path.as_os_str().as_encoded_bytes(),
                ));
            }
            writer.commit().map_err(|e| self.write_error(&e, None))?;
            self.reload()?;
            self.collect_garbage()?;
        }
        Ok(found)
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

/// A path from the bytes the index holds for it.
fn os_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// Counts per facet value, for [`Facets`].
pub(crate) fn bump(map: &mut BTreeMap<String, FacetCount>, key: Option<String>, count: usize) {
    if let Some(k) = key {
        let e = map.entry(k).or_default();
        e.docs += 1;
        e.count += count;
    }
}
