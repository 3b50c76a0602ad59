//! The archive's tantivy schema: every field, in one place.

use tantivy::schema::{
    BytesOptions, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use super::tokenizer::{CHARS, SIGNATURE, WORDS};

/// The archive's fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    /// 16 hex digits, from the canonical path.
    pub doc_id: Field,
    /// Canonical path the document was added from, for display (lossy where the name is not
    /// UTF-8).
    pub path: Field,
    /// The same path as the operating system's bytes: what names a document, so that two names
    /// differing only in bytes that are not UTF-8 stay two documents.
    pub source: Field,
    /// Hash of the file's bytes and its explicit metadata: equal means unchanged.
    pub key: Field,
    pub title: Field,
    pub author: Field,
    pub unit: Field,
    pub post: Field,
    pub kind: Field,
    pub year: Field,
    pub mandated: Field,
    /// Character count of the stored text.
    pub chars: Field,
    /// Byte length of the stored text file, checked whenever it is read.
    pub text_len: Field,
    /// The CRC-32 of the stored text file, checked whenever it is read.
    pub text_hash: Field,
    /// Format read (txt, docx, pdf, html).
    pub format: Field,
    /// The text again, as words for BM25 (frequencies only: exact matching is the characters' job).
    pub words: Field,
    /// The text again, as characters with positions, for exact substring search.
    pub characters: Field,
    /// The text again, as its signature (`analyze::candidates`): which documents share a
    /// passage with a text. See `tokenizer::SignatureTokenizer` for how a fingerprint is held.
    pub signature: Field,
}

impl Fields {
    pub(crate) fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let meta = STRING | STORED | FAST;
        let indexed = |tokenizer: &str, option| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(option),
            )
        };
        let fields = Fields {
            doc_id: b.add_text_field("doc_id", STRING | STORED | FAST),
            path: b.add_text_field("path", STRING | STORED),
            source: b.add_bytes_field(
                "source",
                BytesOptions::default()
                    .set_indexed()
                    .set_stored()
                    .set_fast(),
            ),
            key: b.add_text_field("key", meta.clone()),
            title: b.add_text_field("title", STORED),
            author: b.add_text_field("author", meta.clone()),
            unit: b.add_text_field("unit", meta.clone()),
            post: b.add_text_field("post", STRING | STORED),
            kind: b.add_text_field("kind", meta),
            year: b.add_u64_field("year", INDEXED | STORED | FAST),
            mandated: b.add_u64_field("mandated", INDEXED | STORED),
            chars: b.add_u64_field("chars", STORED),
            text_len: b.add_u64_field("text_len", STORED | FAST),
            text_hash: b.add_u64_field("text_hash", STORED | FAST),
            format: b.add_text_field("format", STORED),
            words: b.add_text_field("words", indexed(WORDS, IndexRecordOption::WithFreqs)),
            characters: b.add_text_field(
                "characters",
                indexed(CHARS, IndexRecordOption::WithFreqsAndPositions),
            ),
            signature: b.add_text_field(
                "signature",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(SIGNATURE)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions)
                        .set_fieldnorms(false),
                ),
            ),
        };
        (b.build(), fields)
    }

    /// The fields of an existing schema, or `None` if it is not gongwen's.
    pub(crate) fn of(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            doc_id: f("doc_id")?,
            path: f("path")?,
            source: f("source")?,
            key: f("key")?,
            title: f("title")?,
            author: f("author")?,
            unit: f("unit")?,
            post: f("post")?,
            kind: f("kind")?,
            year: f("year")?,
            mandated: f("mandated")?,
            chars: f("chars")?,
            text_len: f("text_len")?,
            text_hash: f("text_hash")?,
            format: f("format")?,
            words: f("words")?,
            characters: f("characters")?,
            signature: f("signature")?,
        })
    }
}
