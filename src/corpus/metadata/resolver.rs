//! The resolver: each field from the first source that has it, in the order of
//! [`MetadataSource`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::file_name::metadata_from_file_name;
use super::manifest::{Manifest, read_sidecar};
use super::text::{metadata_from_text, year_in_title};
use super::words::{is_person_name, kind_of};
use super::{Field, Metadata, MetadataSource, Resolved};
use crate::error::Result;

/// Resolves the metadata of files from flags, a manifest, sidecars, file names and texts. Cheap
/// to clone: clones share the manifest.
#[derive(Clone, Debug, Default)]
pub struct MetadataResolver {
    flags: Metadata,
    manifest: Option<Arc<Manifest>>,
}

impl MetadataResolver {
    /// A resolver with the given flag values (applied to every file) and manifest.
    pub fn new(flags: Metadata, manifest: Option<Manifest>) -> MetadataResolver {
        MetadataResolver {
            flags,
            manifest: manifest.map(Arc::new),
        }
    }

    /// The manifest, if one was given.
    pub fn manifest(&self) -> Option<&Manifest> {
        self.manifest.as_deref()
    }

    /// The metadata given for `file` explicitly — flags, manifest, sidecar — without what the
    /// file name and text tell. A change here means a re-add must update the document.
    ///
    /// # Errors
    ///
    /// The file's sidecar exists but cannot be read or parsed.
    pub fn explicit(&self, file: &Path) -> Result<Resolved> {
        let mut meta = Metadata::default();
        let mut sources = BTreeMap::new();
        meta.fill_from(&self.flags, MetadataSource::Flags, &mut sources);
        if let Some(m) = self.manifest.as_ref().and_then(|m| m.get(file)) {
            meta.fill_from(m, MetadataSource::Manifest, &mut sources);
        }
        if let Some(m) = read_sidecar(file)? {
            meta.fill_from(&m, MetadataSource::Sidecar, &mut sources);
        }
        Ok(Resolved {
            metadata: meta,
            sources,
        })
    }

    /// The metadata of `file`, whose stored text is `text` and whose format declared `declared`
    /// (see [`Extracted::declared`](crate::corpus::Extracted::declared)).
    ///
    /// # Errors
    ///
    /// The file's sidecar exists but cannot be read or parsed.
    pub fn resolve(&self, file: &Path, text: &str, declared: &Metadata) -> Result<Resolved> {
        Ok(self.complete(self.explicit(file)?, file, text, declared))
    }

    /// Completes the [explicit](MetadataResolver::explicit) metadata of `file` with what its name
    /// and text tell (so that the sidecar is read once when both are needed).
    ///
    /// Below the explicit sources, in order: the title and author the format declares (a docx's
    /// core properties; an author only when it is a person's name, not an account such as
    /// `Administrator`), the file name when it matched a pattern (a year, a genre, a post, a name
    /// or a unit), the text, the title of a file name that matched none (`seed_footnote.docx`),
    /// and last the year the file was created.
    pub fn complete(
        &self,
        explicit: Resolved,
        file: &Path,
        text: &str,
        declared: &Metadata,
    ) -> Resolved {
        let Resolved {
            metadata: mut meta,
            mut sources,
        } = explicit;
        let strong_declared = Metadata {
            title: declared.title.clone(),
            author: declared.author.clone().filter(|a| is_person_name(a)),
            ..Metadata::default()
        };
        meta.fill_from(&strong_declared, MetadataSource::Declared, &mut sources);
        let mut from_name = metadata_from_file_name(file);
        let name_title = if from_name.title.is_some()
            && (Metadata {
                title: None,
                ..from_name.clone()
            })
            .is_empty()
        {
            from_name.title.take()
        } else {
            None
        };
        meta.fill_from(&from_name, MetadataSource::FileName, &mut sources);
        meta.fill_from(
            &metadata_from_text(text),
            MetadataSource::Text,
            &mut sources,
        );
        let weak = Metadata {
            title: name_title,
            ..Metadata::default()
        };
        meta.fill_from(&weak, MetadataSource::FileName, &mut sources);
        // The kind and year are often only in the title: a title from a source other than the
        // text still tells them.
        if let Some(title) = meta.title.clone() {
            let from_title = Metadata {
                kind: kind_of(&title),
                year: year_in_title(&title),
                ..Metadata::default()
            };
            meta.fill_from(&from_title, sources[&Field::Title], &mut sources);
        }
        let created = Metadata {
            year: declared.year,
            ..Metadata::default()
        };
        meta.fill_from(&created, MetadataSource::Declared, &mut sources);
        Resolved {
            metadata: meta,
            sources,
        }
    }
}
