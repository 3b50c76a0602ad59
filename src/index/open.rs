//! Opening an archive: the format marker, the index inside, and creating both on first add.

use std::path::Path;

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
pub(crate) const FORMAT: u64 = 6;

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
