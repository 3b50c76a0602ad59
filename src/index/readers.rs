//! The registry of open readers: which commit each open archive handle reads, so that the
//! clean-up of stored texts never deletes a file that an open reader may still need.
//!
//! tantivy keeps a segment's files while a searcher of this process holds them, and on Unix a
//! file another process has mapped survives its deletion. Stored texts are read later, one at a
//! time, by path: a search that opened commit 5 reads the texts commit 5 names, even after commit 7
//! replaced them. So every handle registers the commit it reads, as `DIR/readers/<pid>-<n>`
//! holding that commit's opstamp, locked (`flock`) for as long as the handle lives. The clean-up
//! deletes nothing while a live registration names a commit older than the current one; a
//! registration whose lock can be taken belongs to a process that died, and is removed.
//!
//! A read-only archive gets no registration: nothing can clean it up.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The registry's directory inside the archive.
pub(crate) const READERS_DIR: &str = "readers";

/// Width of the opstamp written in a registration: one write of a fixed size, never read torn.
const WIDTH: usize = 20;

/// One handle's entry in the registry, removed when the handle is dropped.
#[derive(Debug)]
pub(crate) struct Registration {
    entry: Option<(File, PathBuf)>,
}

impl Registration {
    /// Registers a reader of the archive in `archive_dir` that has opened no commit yet: until
    /// [`Registration::set`], it protects every stored text (opstamp 0). Where the registry cannot
    /// be written (a read-only archive), there is no registration and no clean-up to fear.
    pub(crate) fn new(archive_dir: &Path) -> Registration {
        Registration {
            entry: register(&archive_dir.join(READERS_DIR)).ok(),
        }
    }

    /// Records that this handle now reads the commit `opstamp` (or a newer one).
    pub(crate) fn set(&self, opstamp: u64) {
        if let Some((file, _)) = &self.entry {
            let _ = write_opstamp(file, opstamp);
        }
    }

    /// Whether this is the registration at `path`.
    fn is(&self, path: &Path) -> bool {
        self.entry.as_ref().is_some_and(|(_, p)| p == path)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some((_, path)) = &self.entry {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The registration is written under a hidden name, locked, then renamed into place: a
/// registration the clean-up can see is always locked by its living owner.
fn register(dir: &Path) -> std::io::Result<(File, PathBuf)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    std::fs::create_dir_all(dir)?;
    let name = format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let hidden = dir.join(format!(".{name}"));
    let path = dir.join(name);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&hidden)?;
    let registered = file
        .try_lock()
        .map_err(std::io::Error::other)
        .and_then(|()| write_opstamp(&file, 0))
        .and_then(|()| std::fs::rename(&hidden, &path));
    match registered {
        Ok(()) => Ok((file, path)),
        Err(e) => {
            let _ = std::fs::remove_file(&hidden);
            Err(e)
        }
    }
}

fn write_opstamp(mut file: &File, opstamp: u64) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    file.write_all(format!("{opstamp:0WIDTH$}").as_bytes())
}

/// The oldest commit any other live reader of the archive in `archive_dir` reads (`own` is not
/// counted), or `None` if there is none. Registrations left by processes that died are removed.
pub(crate) fn oldest(archive_dir: &Path, own: &Registration) -> Option<u64> {
    let dir = archive_dir.join(READERS_DIR);
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut oldest: Option<u64> = None;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if own.is(&path) {
            continue;
        }
        if name.to_string_lossy().starts_with('.') {
            // Being registered: its owner holds the lock and will protect everything at first.
            if entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age.as_secs() < 60))
            {
                oldest = Some(0);
                continue;
            }
        }
        let Ok(mut file) = File::open(&path) else {
            continue;
        };
        match file.try_lock() {
            // Nobody holds it: its process died without removing it.
            Ok(()) => {
                let _ = std::fs::remove_file(&path);
            }
            Err(_) => {
                let mut text = String::new();
                let opstamp = file
                    .read_to_string(&mut text)
                    .ok()
                    .and_then(|_| text.trim().parse::<u64>().ok())
                    .unwrap_or(0);
                oldest = Some(oldest.map_or(opstamp, |o| o.min(opstamp)));
            }
        }
    }
    oldest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_registrations_count_and_dead_ones_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let own = Registration::new(dir.path());
        assert_eq!(
            oldest(dir.path(), &own),
            None,
            "its own registration does not count"
        );
        let other = Registration::new(dir.path());
        assert_eq!(
            oldest(dir.path(), &own),
            Some(0),
            "a reader still opening protects all"
        );
        other.set(7);
        assert_eq!(oldest(dir.path(), &own), Some(7));
        let newer = Registration::new(dir.path());
        newer.set(9);
        assert_eq!(oldest(dir.path(), &own), Some(7));
        drop(other);
        assert_eq!(oldest(dir.path(), &own), Some(9));
        // A registration nobody holds is a dead process's: removed, not counted.
        let dead = dir.path().join(READERS_DIR).join("999999-0");
        std::fs::write(&dead, format!("{:020}", 1)).unwrap();
        assert_eq!(oldest(dir.path(), &own), Some(9));
        assert!(!dead.exists());
        drop(newer);
        drop(own);
        let left: Vec<_> = std::fs::read_dir(dir.path().join(READERS_DIR))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_read_only_archive_gets_no_registration() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the registry directory should be: it cannot be created.
        std::fs::write(dir.path().join(READERS_DIR), b"").unwrap();
        let r = Registration::new(dir.path());
        assert!(r.entry.is_none());
        r.set(3);
    }
}
