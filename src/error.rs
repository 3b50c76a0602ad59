//! The one error type of the library.
//!
//! Every variant that concerns a file names it, so that a message printed with `{}` alone tells the
//! user which file failed and why. A malformed document is an error for that document only: callers
//! that process a batch collect these and go on.

use std::io;
use std::path::{Path, PathBuf};

/// Errors produced by gongwen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read (missing, permission denied …).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The file has no bytes, or no text once decoded.
    #[error("{}: the file is empty", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file is larger than gongwen reads.
    #[error("{}: the file is {size} bytes, more than the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The bytes are not text in any encoding gongwen reads (an image, an archive, random data).
    #[error("{}: not a text file: {reason}", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
        /// What it looks like instead.
        reason: String,
    },
    /// The file's extension names no format gongwen reads.
    #[error(
        "{}: unsupported file type {extension:?} (gongwen reads .txt, .docx, .pdf, .html, .htm)",
        path.display()
    )]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// The extension as written, possibly empty.
        extension: String,
    },
    /// A .docx file that cannot be read.
    #[error("{}: cannot read .docx: {reason}", path.display())]
    Docx {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A .pdf file that cannot be read.
    #[error("{}: cannot read .pdf: {reason}", path.display())]
    Pdf {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A PDF whose pages carry no text, only images: probably a scan.
    #[error(
        "{}: the PDF has no text layer ({pages} pages, no text): probably a scanned image; run OCR first",
        path.display()
    )]
    NoTextLayer {
        /// The file.
        path: PathBuf,
        /// Number of pages.
        pages: usize,
    },
    /// A dictionary line that cannot be parsed.
    #[error("{source_name}:{line}: {reason}")]
    Dictionary {
        /// The dictionary's file name, or `<political.txt>` for the built-in one.
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// Why.
        reason: String,
    },
    /// An archive directory that cannot be used: missing, foreign, damaged, or locked by another
    /// writer.
    #[error("{}: {reason}", path.display())]
    Archive {
        /// The archive directory.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The disk (or the user's quota) holding the archive is full. What the last commit holds is
    /// kept; what this run added after it is not.
    #[error(
        "{}: 磁盘已满 (disk full) while adding it to the archive {}: free space and re-run; \
         nothing committed was lost",
        path.display(),
        archive.display()
    )]
    DiskFull {
        /// The input file being added when the disk filled up (the archive when there is none).
        path: PathBuf,
        /// The archive directory.
        archive: PathBuf,
    },
    /// An archived document whose stored text is missing or damaged. The rest of the archive
    /// is usable; re-adding the file restores it.
    #[error(
        "{} ({doc_id}): its stored text in the archive is {reason}; re-add the file to restore it",
        path.display()
    )]
    StoredText {
        /// The path the document was added from.
        path: PathBuf,
        /// The document's id.
        doc_id: crate::span::DocId,
        /// What is wrong: missing, or damaged and how.
        reason: String,
    },
    /// A search query that cannot be run.
    #[error("invalid query {query:?}: {reason}")]
    Query {
        /// The query as given.
        query: String,
        /// Why.
        reason: String,
    },
    /// A command-line value the library was handed that makes no sense (a reversed year range).
    #[error("{what}: {reason}")]
    InvalidArgument {
        /// The argument, e.g. `--year 2025..2019`.
        what: String,
        /// Why.
        reason: String,
    },
    /// A manifest (CSV or JSON Lines) or sidecar `.meta.json` that cannot be parsed.
    #[error("{}:{line}: {reason}", path.display())]
    Metadata {
        /// The manifest or sidecar.
        path: PathBuf,
        /// 1-based line (record) number, 0 when not known.
        line: usize,
        /// Why.
        reason: String,
    },
}

impl Error {
    pub(crate) fn archive(path: &Path, reason: impl Into<String>) -> Error {
        Error::Archive {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

impl Error {
    /// The file the error is about, if it is about one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::Io { path, .. }
            | Error::Empty { path }
            | Error::TooLarge { path, .. }
            | Error::NotText { path, .. }
            | Error::Unsupported { path, .. }
            | Error::Docx { path, .. }
            | Error::Pdf { path, .. }
            | Error::NoTextLayer { path, .. }
            | Error::Metadata { path, .. }
            | Error::Archive { path, .. }
            | Error::DiskFull { path, .. }
            | Error::StoredText { path, .. } => Some(path),
            Error::Dictionary { .. } | Error::Query { .. } | Error::InvalidArgument { .. } => None,
        }
    }

    pub(crate) fn dictionary(name: &str, line: usize, reason: impl Into<String>) -> Error {
        Error::Dictionary {
            source_name: name.to_string(),
            line,
            reason: reason.into(),
        }
    }

    /// Whether the operating system said the disk or the quota is full.
    pub(crate) fn is_disk_full(e: &io::Error) -> bool {
        matches!(
            e.kind(),
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
        )
    }

    pub(crate) fn io(path: &Path, source: io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// `Result` with gongwen's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
