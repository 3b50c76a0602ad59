//! The archive: a directory holding a tantivy index of documents, their stored texts and metadata.
//!
//! ```text
//! DIR/gongwen-archive.json   marks the directory as an archive (format version)
//! DIR/index/                 the tantivy index: one document per file added, with its signature
//! DIR/texts/ab/abcd….txt      the stored texts, named by content key (written before the commit
//!                             that refers to them; unreferenced ones are deleted by the next add)
//! ```
//!
//! A document is keyed by the canonical path it was added from; its [`DocId`] derives from that
//! path. Adding an unchanged file (same bytes, same explicit metadata) changes nothing; a changed
//! one replaces its earlier version in the same commit. Adds are committed every few seconds and
//! at the end, so a killed `add` leaves the archive at its last commit and a re-run completes it
//! without duplicates. Readers see the last commit, so searching while an add runs works.

mod add;
mod filter;
mod open;
mod query;
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
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Searcher, TantivyDocument, Term};

use crate::corpus::Metadata;
use crate::error::{Error, Result};
use crate::span::{DocId, Year};

pub use add::{AddReport, AddStatus, FileReport};
pub use filter::Filter;
pub use query::{SearchQuery, Term as QueryTerm};
use schema::Fields;
pub use search::{FacetCount, Facets, Hit, SearchOptions, SearchResults};
pub use signature::{Candidates, SharedSignatures};
use store::{Blob, Store};

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

/// An archive of documents.
pub struct Archive {
    dir: PathBuf,
    store: Store,
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

    /// The index writer, with `budget` bytes for its buffers.
    fn writer(&self, budget: usize) -> Result<IndexWriter<TantivyDocument>> {
        self.index.writer(budget).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(
                tantivy::directory::error::LockError::LockBusy,
                _,
            ) => self.err("another gongwen add is writing to this archive; wait for it to finish"),
            e => self.err(format!("cannot write to the archive: {e}")),
        })
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
        let bytes = self.store.read(&record.key, Blob::Text).map_err(|e| {
            self.err(format!(
                "the stored text of {} is missing ({}): {e}",
                record.path,
                self.store.path(&record.key, Blob::Text).display()
            ))
        })?;
        let text = simdutf8::basic::from_utf8(&bytes)
            .map_err(|_| self.err(format!("the stored text of {} is not UTF-8", record.path)))?;
        Ok(text.to_owned())
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
            let mut writer = self.writer(15 << 20)?;
            for r in found.iter().flatten() {
                writer.delete_term(Term::from_field_text(self.fields.path, &r.path));
            }
            writer.commit().map_err(|e| self.err(e))?;
            self.reader.reload().map_err(|e| self.err(e))?;
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

/// Counts per facet value, for [`Facets`].
pub(crate) fn bump(map: &mut BTreeMap<String, FacetCount>, key: Option<String>, count: usize) {
    if let Some(k) = key {
        let e = map.entry(k).or_default();
        e.docs += 1;
        e.count += count;
    }
}
