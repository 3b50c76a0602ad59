//! Opening an archive: the format marker, the index inside, and creating both on first add.

use std::path::Path;

use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, ReloadPolicy};

use super::schema::Fields;
use super::store::Store;
use super::{Archive, tokenizer};
use crate::error::{Error, Result};
use crate::segment::Segmenter;

/// The file that marks a directory as an archive and names its format.
pub(crate) const MARKER: &str = "gongwen-archive.json";
const INDEX_DIR: &str = "index";
/// The archive's format; part of every content key, so a new format re-reads every file.
pub(crate) const FORMAT: u64 = 7;

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
            std::fs::write(
                &marker,
                format!("{{\"gongwen_archive_format\": {FORMAT}}}\n"),
            )
            .map_err(io)?;
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
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::archive(dir, format!("cannot read the index: {e}")))?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            store: Store::new(dir),
            index,
            reader,
            fields,
            writable: segmenter.is_some(),
        })
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
