//! The one error type of the library.
//!
//! Every variant that concerns a file names it once, with what went wrong in gongwen's words; the
//! error of the library underneath (io, zip, quick-xml, lopdf, csv, serde_json) is kept as its
//! [`source`](std::error::Error::source), not flattened into a string, as ripgrep's `ignore` wraps
//! an error with its path (`WithPath`). `{}` prints the file and the reason; [`Error::chain`] (or
//! anyhow's `{:#}`) adds the causes: `a.docx: cannot read .docx: word/document.xml is malformed:
//! ill-formed document: …`. A malformed document is an error for that document only: callers that
//! process a batch collect these and go on.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The error of another library that caused one of gongwen's.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Errors produced by gongwen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read (missing, permission denied …). `{}` names the file; the
    /// operating system's reason is the source.
    #[error("{}", path.display())]
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
        "{}: unsupported file type {extension:?} (gongwen reads .txt, .docx, .pdf, .html, .htm{})",
        path.display(),
        crate::corpus::advice_for_extension(extension)
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
        /// Why, in gongwen's words (which part of the package, what about it).
        reason: String,
        /// The zip, XML or I/O error underneath, if any.
        #[source]
        source: Option<Cause>,
    },
    /// A .pdf file that cannot be read.
    #[error("{}: cannot read .pdf: {reason}", path.display())]
    Pdf {
        /// The file.
        path: PathBuf,
        /// Why, in gongwen's words.
        reason: String,
        /// The PDF parser's error underneath, if any.
        #[source]
        source: Option<Cause>,
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
    /// A manifest (CSV or JSON Lines), a row of one, or a sidecar `.meta.json` that cannot be
    /// used. Printed `file:line:column: reason`, as compilers print positions.
    #[error("{}: {reason}", Location { path, line: *line, column: *column })]
    Metadata {
        /// The manifest or sidecar.
        path: PathBuf,
        /// 1-based line, 0 when the error is about the whole file.
        line: usize,
        /// 1-based column, 0 when not known.
        column: usize,
        /// Why.
        reason: String,
        /// The CSV or JSON parser's error underneath, if any.
        #[source]
        source: Option<Cause>,
    },
}

/// `path`, `path:line` or `path:line:column`, as far as they are known.
struct Location<'a> {
    path: &'a Path,
    line: usize,
    column: usize,
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// An error and its causes on one line, `a: b: c`: see [`Error::chain`].
#[derive(Clone, Copy)]
pub struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
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

    /// A dictionary line that cannot be read: not UTF-8 (GBK saved by an old editor, most
    /// often), or an I/O error.
    pub(crate) fn dictionary_read(name: &str, line: usize, e: &io::Error) -> Error {
        let reason = if e.kind() == io::ErrorKind::InvalidData {
            "not UTF-8 text (save the file as UTF-8)".to_string()
        } else {
            e.to_string()
        };
        Error::dictionary(name, line, reason)
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

    /// An [`Error::Metadata`] at `line` and `column` (0 when not known) of `path`.
    pub(crate) fn metadata(
        path: &Path,
        (line, column): (usize, usize),
        reason: impl Into<String>,
        source: Option<Cause>,
    ) -> Error {
        Error::Metadata {
            path: path.to_path_buf(),
            line,
            column,
            reason: reason.into(),
            source,
        }
    }

    /// The error with its causes, `file: reason: cause: cause`: what a batch reports for one
    /// file, and what anyhow's `{:#}` prints.
    pub fn chain(&self) -> Chain<'_> {
        Chain(self)
    }
}

/// `Result` with gongwen's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
