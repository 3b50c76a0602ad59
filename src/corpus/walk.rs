//! Finding the files to read under the paths a user names.
//!
//! Only regular files are read: a FIFO would block the reader forever, and a device or socket
//! holds no document. Symbolic links are followed, to files and to directories, but each real
//! directory (device and inode) is walked once per path named, so a link back up the tree
//! (`d/x/l1 -> ..`) ends the walk instead of looping.

use std::collections::HashSet;
use std::fmt;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

use super::Format;
use crate::error::Error;

/// What [`collect_files`] found.
#[derive(Debug, Default)]
pub struct Collected {
    /// The files to read, in the order found.
    pub files: Vec<PathBuf>,
    /// Paths that could not be walked or named no readable file: missing, unreadable, an
    /// explicitly named file with an unsupported extension.
    pub errors: Vec<Error>,
    /// Paths passed over on purpose, with why: worth a notice, not a failure.
    pub skipped: Vec<Skipped>,
}

/// A path [`collect_files`] passed over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The path as found.
    pub path: PathBuf,
    /// Why.
    pub reason: SkipReason,
}

/// Why a path was passed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// Not a regular file or directory: the kind it is (`FIFO`, `socket`, `device`).
    NotRegular(&'static str),
    /// A directory already walked, reached again through a symbolic link.
    AlreadyWalked,
    /// A file found in a directory whose extension names no format gongwen reads (`doc`,
    /// `jpg`, or empty).
    OtherFormat,
}

impl Skipped {
    /// The extension of a file skipped for its format, lower-cased (`""` when it has none).
    pub fn extension(&self) -> String {
        self.path
            .extension()
            .map(|x| x.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    }

    /// Whether a user most likely meant this file to be read: a document in a format gongwen does
    /// not read (.doc, .wps, .rtf, .ofd …) rather than an image or a spreadsheet.
    pub fn is_document_like(&self) -> bool {
        self.reason == SkipReason::OtherFormat && super::is_document_like(&self.extension())
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: skipped: ", self.path.display())?;
        match self.reason {
            SkipReason::NotRegular(kind) => write!(f, "not a regular file (a {kind})"),
            SkipReason::AlreadyWalked => {
                f.write_str("a directory already walked (a symbolic link loops back)")
            }
            SkipReason::OtherFormat => write!(
                f,
                "not a format gongwen reads (.txt, .docx, .pdf, .html){}",
                super::advice_for_extension(&self.extension())
            ),
        }
    }
}

/// The files gongwen would read under `paths`: files as given, directories walked in name order,
/// keeping regular files with a supported extension and skipping hidden entries and sidecars
/// (`*.meta.json`); the other files found are listed in [`Collected::skipped`], so that a folder
/// of `.doc` files is never passed over in silence. A path that does not exist is an error for that path; a file named explicitly
/// is kept whatever its extension (reading decides by its content); FIFOs, sockets and devices,
/// named or found, are skipped.
pub fn collect_files(paths: &[PathBuf]) -> Collected {
    let mut out = Collected::default();
    for p in paths {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(Error::io(p, e));
                continue;
            }
        };
        if meta.is_dir() {
            walk(p, meta, &mut out);
        } else if let Some(kind) = special_kind(&meta) {
            out.skip(p, SkipReason::NotRegular(kind));
        } else {
            // A file named explicitly is read whatever its extension: its content decides.
            out.files.push(p.clone());
        }
    }
    out
}

impl Collected {
    fn skip(&mut self, path: &Path, reason: SkipReason) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason,
        });
    }
}

/// Walks the tree under `root` depth-first in name order, with an explicit stack (a deep tree
/// cannot overflow it), each real directory once.
fn walk(root: &Path, meta: Metadata, out: &mut Collected) {
    let mut walked = HashSet::new();
    let mut stack = vec![(root.to_path_buf(), meta)];
    while let Some((path, meta)) = stack.pop() {
        if !meta.is_dir() {
            if let Some(kind) = special_kind(&meta) {
                out.skip(&path, SkipReason::NotRegular(kind));
            } else {
                out.files.push(path);
            }
            continue;
        }
        if !walked.insert(DirKey::of(&path, &meta)) {
            out.skip(&path, SkipReason::AlreadyWalked);
            continue;
        }
        let entries = match std::fs::read_dir(&path) {
            Ok(e) => e,
            Err(e) => {
                out.errors.push(Error::io(&path, e));
                continue;
            }
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        let at = stack.len();
        for p in entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || name.ends_with(".meta.json") {
                continue;
            }
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() || Format::from_path(&p).is_some() => stack.push((p, m)),
                Ok(m) if m.is_file() => out.skip(&p, SkipReason::OtherFormat),
                Ok(_) => {}
                Err(e) => out.errors.push(Error::io(&p, e)),
            }
        }
        stack[at..].reverse();
    }
}

/// The kind of a file that is neither a regular file nor a directory.
fn special_kind(meta: &Metadata) -> Option<&'static str> {
    if meta.is_file() || meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("FIFO");
        }
        if t.is_socket() {
            return Some("socket");
        }
        if t.is_block_device() || t.is_char_device() {
            return Some("device");
        }
    }
    Some("special file")
}

/// A real directory: its device and inode on Unix, its canonical path elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum DirKey {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

impl DirKey {
    fn of(path: &Path, meta: &Metadata) -> DirKey {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            DirKey::Inode(meta.dev(), meta.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            DirKey::Path(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()))
        }
    }
}
