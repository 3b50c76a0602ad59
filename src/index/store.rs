//! The store: what the archive keeps per content key beside the index, as files named by that
//! key under `DIR/texts/ab/` (`ab` the key's first two hex digits).
//!
//! One rule set for every [`Blob`] kind: a file is written atomically (a temporary file renamed)
//! before the commit that refers to its key, read by key, never rewritten (equal keys mean equal
//! contents), and deleted by the next add once no document of the last commit has that key.
//! Today a key has its stored text (`<key>.txt`); a per-document signature for near-duplicate
//! search would be one more [`Blob`] kind (`<key>.sig`) under the same rules.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// The store's directory inside the archive.
pub(crate) const STORE_DIR: &str = "texts";

/// A kind of file the store keeps per key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Blob {
    /// The stored text, UTF-8.
    Text,
}

impl Blob {
    /// Every kind, for the clean-up.
    const ALL: [Blob; 1] = [Blob::Text];

    /// The extension of this kind's files.
    fn extension(self) -> &'static str {
        match self {
            Blob::Text => "txt",
        }
    }
}

/// The files kept per content key.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    root: PathBuf,
}

impl Store {
    /// The store of the archive in `archive_dir`.
    pub(crate) fn new(archive_dir: &Path) -> Store {
        Store {
            root: archive_dir.join(STORE_DIR),
        }
    }

    /// Where the `blob` of key `key` is kept: `DIR/texts/ab/abcdef….txt`.
    pub(crate) fn path(&self, key: &str, blob: Blob) -> PathBuf {
        let shard = key.get(..2).unwrap_or("00");
        self.root
            .join(shard)
            .join(format!("{key}.{}", blob.extension()))
    }

    /// The bytes of the `blob` of `key`.
    pub(crate) fn read(&self, key: &str, blob: Blob) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(key, blob))
    }

    /// Writes the `blob` of `key`, atomically (a temporary file renamed), unless it is already
    /// there.
    pub(crate) fn write(&self, key: &str, blob: Blob, bytes: &[u8]) -> Result<()> {
        let path = self.path(key, blob);
        if path.exists() {
            return Ok(());
        }
        let io = |e: std::io::Error| Error::io(&path, e);
        std::fs::create_dir_all(path.parent().expect("sharded path")).map_err(io)?;
        let tmp = temp_path(&path);
        match std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, &path)) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                // Equal keys mean equal contents: a concurrent write of the same key is as good.
                if path.exists() { Ok(()) } else { Err(io(e)) }
            }
        }
    }

    /// Whether the store holds no file at all.
    pub(crate) fn is_empty(&self) -> bool {
        let Ok(shards) = std::fs::read_dir(&self.root) else {
            return true;
        };
        shards.flatten().all(|shard| {
            std::fs::read_dir(shard.path()).map_or(true, |mut files| files.next().is_none())
        })
    }

    /// Deletes every file that is not the blob of a key in `keys` (the keys of the current
    /// commit): blobs of replaced and removed documents, and leftovers of a killed add. Runs while
    /// holding the writer lock, at the start of an add, so a search of the commit before never
    /// loses a file it needs.
    pub(crate) fn collect_garbage(&self, keys: &HashSet<&str>) {
        let Ok(shards) = std::fs::read_dir(&self.root) else {
            return;
        };
        for shard in shards.flatten() {
            let Ok(files) = std::fs::read_dir(shard.path()) else {
                continue;
            };
            for file in files.flatten() {
                if !Blob::ALL
                    .iter()
                    .any(|&blob| is_blob_of(&file.file_name(), blob, keys))
                {
                    let _ = std::fs::remove_file(file.path());
                }
            }
        }
    }
}

/// Whether `name` is `<key>.<extension of blob>` for a key in `keys`.
fn is_blob_of(name: &std::ffi::OsStr, blob: Blob, keys: &HashSet<&str>) -> bool {
    name.to_str()
        .and_then(|n| n.strip_suffix(blob.extension()))
        .and_then(|n| n.strip_suffix('.'))
        .is_some_and(|key| keys.contains(key))
}

/// A temporary name beside `path`, unique within this process and across processes: two files
/// with the same content in one round of add once wrote the same `key.tmp<pid>` at the same
/// time, and one of them failed.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = path
        .file_name()
        .expect("a blob's path has a name")
        .to_owned();
    name.push(format!(".tmp{}-{n}", std::process::id()));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two files with the same content in one round once shared `key.tmp<pid>`.
    #[test]
    fn temporary_names_are_unique_within_a_process() {
        let dir = tempfile::tempdir().unwrap();
        let path = Store::new(dir.path()).path("abcd", Blob::Text);
        assert_ne!(temp_path(&path), temp_path(&path));
    }

    #[test]
    fn concurrent_writes_of_one_key_all_succeed_and_leave_one_file() {
        use rayon::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let results: Vec<Result<()>> = (0..64)
            .into_par_iter()
            .map(|_| store.write("abcd", Blob::Text, "两个确立".as_bytes()))
            .collect();
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        let files: Vec<_> = std::fs::read_dir(dir.path().join(STORE_DIR).join("ab"))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1, "no temporary file left: {files:?}");
        assert_eq!(
            store.read("abcd", Blob::Text).unwrap(),
            "两个确立".as_bytes()
        );
    }
}
