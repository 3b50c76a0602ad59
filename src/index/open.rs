//! Opening an archive: the format marker, the index inside, and creating both on first add; the
//! writer, and the recovery from what a killed writer left behind.

use std::path::Path;

use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument};

use super::readers::Registration;
use super::schema::Fields;
use super::store::Store;
use super::{Archive, tokenizer};
use crate::error::{Error, Result};
use crate::segment::Segmenter;

/// The file that marks a directory as an archive and names its format.
pub(crate) const MARKER: &str = "gongwen-archive.json";
const INDEX_DIR: &str = "index";
/// The archive's format; part of every content key, so a new format re-reads every file.
/// 7: paths kept as the operating system's bytes (`source`), stored texts checked by length and
/// checksum (`text_len`, `text_hash`), and each document's reuse signature (`signature`).
pub(crate) const FORMAT: u64 = 8;

impl Archive {
    /// Opens an existing archive for reading (list, get, search, remove). Reading never
    /// segments, so no dictionary is loaded: a search from the shell starts in milliseconds.
    /// Reading takes no lock where none can be taken, so a read-only archive (a copy on a CD, a
    /// colleague's directory) can be searched.
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
        let index = MmapDirectory::open(dir.join(INDEX_DIR))
            .map_err(|e| index_damaged(dir, e))
            .and_then(|d| Index::open(ReadDirectory(d)).map_err(|e| index_damaged(dir, e)))?;
        Archive::with_index(dir, index, None)
    }

    /// Opens the archive in `dir` for adding, creating it if `dir` is missing or empty. The
    /// segmenter cuts the words of added documents.
    ///
    /// An archive whose marker or index is missing or damaged is refused, never repaired: a new
    /// index would refer to none of the stored texts, and the next add would delete them all.
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
            // Whole or not at all: a marker cut short by a kill would make the archive "damaged".
            let tmp = dir.join(format!(".{MARKER}.tmp{}", std::process::id()));
            let marked = format!("{{\"gongwen_archive_format\": {FORMAT}}}\n");
            std::fs::File::create(&tmp)
                .and_then(|mut f| {
                    std::io::Write::write_all(&mut f, marked.as_bytes())?;
                    f.sync_all()
                })
                .and_then(|()| std::fs::rename(&tmp, &marker))
                .map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    io(e)
                })?;
        }
        check_marker(dir)?;
        let index_dir = dir.join(INDEX_DIR);
        let index = if index_dir.join("meta.json").exists() {
            Index::open_in_dir(&index_dir).map_err(|e| index_damaged(dir, e))?
        } else if is_empty_dir(&index_dir) && Store::new(dir).is_empty() {
            // A new archive, or one whose creation was cut short: there is nothing to lose.
            std::fs::create_dir_all(&index_dir).map_err(io)?;
            let (schema, _) = Fields::build();
            Index::create_in_dir(&index_dir, schema)
                .map_err(|e| Error::archive(dir, format!("cannot create the index: {e}")))?
        } else {
            return Err(Error::archive(
                dir,
                format!(
                    "the archive's index is missing ({}): gongwen add neither replaces it \
                     nor deletes the stored texts; restore it from a backup, or add into a new archive",
                    index_dir.join("meta.json").display()
                ),
            ));
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
        tokenizers.register(
            tokenizer::SIGNATURE,
            TextAnalyzer::from(tokenizer::SignatureTokenizer::default()),
        );
        // Registered before the commit is chosen, so that no clean-up runs unseen in between.
        let registration = Registration::new(dir);
        let cannot_read =
            |e: tantivy::TantivyError| Error::archive(dir, format!("cannot read the index: {e}"));
        let opstamp = index.load_metas().map_err(cannot_read)?.opstamp;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(cannot_read)?;
        registration.set(opstamp);
        Ok(Archive {
            dir: dir.to_path_buf(),
            store: Store::new(dir),
            index,
            reader,
            fields,
            writable: segmenter.is_some(),
            registration,
        })
    }

    /// The index writer, with `budget` bytes for its buffers, on the archive's last commit, with
    /// whatever a killed writer left behind removed: files of segments it never committed, and a
    /// deletion file (`<segment>.<opstamp>.del`) written for a commit that never happened, which
    /// tantivy would otherwise refuse to write again (`FileAlreadyExists`) at the next commit
    /// reaching that opstamp.
    pub(crate) fn writer(&self, budget: usize) -> Result<IndexWriter<TantivyDocument>> {
        let writer = self.index.writer(budget).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => self.err(
                "another gongwen add or remove is writing to this archive; wait for it to finish",
            ),
            e => self.write_error(&e, None),
        })?;
        // Holding the lock, this handle moves to the last commit: what it adds or removes is
        // decided against what the archive holds now, not when it was opened.
        self.reload()?;
        self.remove_leftovers(&writer)?;
        Ok(writer)
    }

    /// Removes from the index directory what no commit names: the files of segments never
    /// committed (tantivy's clean-up), and the files tantivy's clean-up does not know of (see
    /// [`remove_leftovers`]). `writer` holds the lock.
    pub(crate) fn remove_leftovers(&self, writer: &IndexWriter<TantivyDocument>) -> Result<()> {
        writer
            .garbage_collect_files()
            .wait()
            .map_err(|e| self.write_error(&e, None))?;
        let committed = self.index.load_metas().map_err(|e| self.err(e))?.opstamp;
        remove_leftovers(&self.dir.join(INDEX_DIR), committed);
        Ok(())
    }
}

/// Removes what a killed writer left in the index directory that tantivy's own clean-up does
/// not know of: temporary files (`.tmpXXXXXX`, renamed over `meta.json` and `.managed.json`),
/// and deletion files of commits that never happened (`<segment>.<opstamp>.del` with an opstamp
/// past the last commit's). Only a writer writes them, and the caller is the writer.
fn remove_leftovers(index_dir: &Path, committed: u64) {
    let Ok(entries) = std::fs::read_dir(index_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let uncommitted_deletes = name
            .strip_suffix(".del")
            .and_then(|n| n.rsplit_once('.'))
            .and_then(|(_, opstamp)| opstamp.parse::<u64>().ok())
            .is_some_and(|opstamp| opstamp > committed);
        if name.starts_with(".tmp") || uncommitted_deletes {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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
        Some(v) if v < FORMAT => Err(Error::archive(
            dir,
            format!(
                "archive format {v} is older than the {FORMAT} this gongwen reads: add the files \
                 again into a new archive"
            ),
        )),
        Some(v) => Err(Error::archive(
            dir,
            format!("archive format {v} is newer than the {FORMAT} this gongwen reads"),
        )),
        None => Err(Error::archive(
            dir,
            format!("{MARKER} is damaged: no format"),
        )),
    }
}

/// The error for an index that cannot be opened.
fn index_damaged(dir: &Path, e: impl std::fmt::Display) -> Error {
    Error::archive(
        dir,
        format!(
            "the archive's index is damaged or missing: {e}; gongwen does not repair it and \
             deletes nothing: restore it from a backup, or add into a new archive"
        ),
    )
}

/// Whether `dir` is missing or holds nothing.
fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none())
}

/// The index directory as readers see it. tantivy takes its meta lock (a file opened for
/// writing) while a reader opens segments, so that a writer's clean-up cannot delete them under
/// it. Where that file cannot be opened, the archive is read-only and no writer can be cleaning
/// up: reading goes on without the lock instead of failing with "Permission denied". Every other
/// lock, the writer's among them, is taken as usual.
#[derive(Clone, Debug)]
struct ReadDirectory(MmapDirectory);

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(_)) if lock.filepath == META_LOCK.filepath => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            result => result,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}
