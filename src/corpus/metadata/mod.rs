//! Metadata of a document (title, author, unit, post, year, kind) and where each field came from.
//!
//! A field is taken from the first source that has it, in this order ([`MetadataSource`]):
//! command-line flags, the manifest (CSV or JSON Lines), the sidecar `FILE.meta.json`, the file
//! name (`2023_张三_县委书记_对照检查材料.docx`, `2026_四川省_政府工作报告.txt`), a title the
//! format declares (HTML `<title>`), and the text itself (title line; the year of the meeting, as
//! in 2023年度民主生活会, or of the dated session, never just any year mentioned).
//!
//! One module per source of evidence: [`manifest`] (manifests and sidecars, what people write),
//! [`file_name`] and [`text`] (the heuristics), [`words`] (the word lists they use, from
//! `dictionaries/`), and [`resolver`] (the order of precedence that merges them).

mod file_name;
mod manifest;
mod resolver;
mod text;
mod words;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::span::Year;

pub use file_name::metadata_from_file_name;
pub use manifest::{Manifest, RejectedRow};
pub use resolver::MetadataResolver;
pub use text::metadata_from_text;

/// What is known of a document. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Title.
    pub title: Option<String>,
    /// The person who wrote or delivered it (张三), or the body for collective reports.
    pub author: Option<String>,
    /// The unit: place or organisation (四川省, 某县纪委).
    pub unit: Option<String>,
    /// The author's post (县委书记). Not a unit: two posts of one county are different authors.
    pub post: Option<String>,
    /// The year the document belongs to (of the meeting, the session, the report).
    pub year: Option<Year>,
    /// The genre (对照检查材料, 述职述廉报告, 政府工作报告 …).
    pub kind: Option<String>,
    /// Whether it is a source of mandated language (congress reports, notices, speeches).
    pub mandated: Option<bool>,
}

/// One field of [`Metadata`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// [`Metadata::title`]
    Title,
    /// [`Metadata::author`]
    Author,
    /// [`Metadata::unit`]
    Unit,
    /// [`Metadata::post`]
    Post,
    /// [`Metadata::year`]
    Year,
    /// [`Metadata::kind`]
    Kind,
    /// [`Metadata::mandated`]
    Mandated,
}

/// Where a field's value came from, in order of precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetadataSource {
    /// Command-line flags.
    Flags,
    /// The `--manifest` file.
    Manifest,
    /// `FILE.meta.json` beside the file.
    Sidecar,
    /// The file name.
    FileName,
    /// A title the format declares (HTML `<title>`).
    Declared,
    /// The text.
    Text,
}

impl Metadata {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }

    /// Fills the fields still missing from `other`, recording `source` for each one filled.
    pub fn fill_from(
        &mut self,
        other: &Metadata,
        source: MetadataSource,
        sources: &mut BTreeMap<Field, MetadataSource>,
    ) {
        fn fill<T: Clone>(
            mine: &mut Option<T>,
            theirs: &Option<T>,
            field: Field,
            source: MetadataSource,
            sources: &mut BTreeMap<Field, MetadataSource>,
        ) {
            if mine.is_none() && theirs.is_some() {
                *mine = theirs.clone();
                sources.insert(field, source);
            }
        }
        fill(&mut self.title, &other.title, Field::Title, source, sources);
        fill(
            &mut self.author,
            &other.author,
            Field::Author,
            source,
            sources,
        );
        fill(&mut self.unit, &other.unit, Field::Unit, source, sources);
        fill(&mut self.post, &other.post, Field::Post, source, sources);
        fill(&mut self.year, &other.year, Field::Year, source, sources);
        fill(&mut self.kind, &other.kind, Field::Kind, source, sources);
        fill(
            &mut self.mandated,
            &other.mandated,
            Field::Mandated,
            source,
            sources,
        );
    }
}

/// Metadata as resolved from all sources, with the source of each field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The merged metadata.
    #[serde(flatten)]
    pub metadata: Metadata,
    /// Where each set field came from.
    pub sources: BTreeMap<Field, MetadataSource>,
}
