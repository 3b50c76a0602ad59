//! A query's occurrences in an archived document counted from the index alone, without reading
//! its stored text.
//!
//! The character field holds every character of the text that is not white space, at its index
//! among those characters (`tokenizer.rs`). A term occurs where its characters stand at
//! consecutive positions, white space in the text ignored: exactly what
//! [`SearchQuery::occurrences_in_stored`] finds in the stored text. The occurrences of all the
//! positive terms are then made non-overlapping as that function does (leftmost first, then
//! longest), so the count is the same number, read from position lists instead of the text.

use std::cmp::Reverse;
use std::collections::HashMap;

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, SegmentReader, Term};

use super::query::SearchQuery;

/// A query's positive terms as characters: the distinct characters, and each term as indexes
/// into them.
pub(crate) struct Needles {
    chars: Vec<char>,
    terms: Vec<Vec<usize>>,
}

impl Needles {
    pub(crate) fn new(query: &SearchQuery) -> Needles {
        let mut index: HashMap<char, usize> = HashMap::new();
        let mut chars = Vec::new();
        let mut terms: Vec<Vec<usize>> = Vec::new();
        for term in query.positive_terms() {
            let t: Vec<usize> = term
                .chars
                .iter()
                .map(|&c| {
                    *index.entry(c).or_insert_with(|| {
                        chars.push(c);
                        chars.len() - 1
                    })
                })
                .collect();
            if !terms.contains(&t) {
                terms.push(t);
            }
        }
        Needles { chars, terms }
    }
}

/// Counts occurrences in the documents of one segment, asked in increasing doc order.
pub(crate) struct SegmentCounter<'n> {
    needles: &'n Needles,
    /// Per distinct character: its postings in this segment (none if no document has it).
    postings: Vec<Option<SegmentPostings>>,
    /// Per distinct character: its positions in the document being counted.
    positions: Vec<Vec<u32>>,
    /// Occurrences found in that document: (first position, end).
    spans: Vec<(u32, u32)>,
}

impl<'n> SegmentCounter<'n> {
    /// Opens the characters' postings (with positions) in `segment`.
    pub(crate) fn new(
        segment: &SegmentReader,
        characters: Field,
        needles: &'n Needles,
    ) -> tantivy::Result<SegmentCounter<'n>> {
        let inverted = segment.inverted_index(characters)?;
        let postings = needles
            .chars
            .iter()
            .map(|c| {
                let term = Term::from_field_text(characters, c.encode_utf8(&mut [0; 4]));
                inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(SegmentCounter {
            needles,
            positions: vec![Vec::new(); postings.len()],
            postings,
            spans: Vec::new(),
        })
    }

    /// The non-overlapping occurrences of the terms in `doc`; `doc` must not be lower than the
    /// one asked before.
    pub(crate) fn count(&mut self, doc: DocId) -> usize {
        for (postings, positions) in self.postings.iter_mut().zip(&mut self.positions) {
            positions.clear();
            if let Some(p) = postings {
                if p.doc() < doc {
                    p.seek(doc);
                }
                if p.doc() == doc {
                    p.positions(positions);
                }
            }
        }
        self.spans.clear();
        for term in &self.needles.terms {
            let (first, rest) = term.split_first().expect("a term has a character");
            let len = u32::try_from(term.len()).unwrap_or(u32::MAX);
            'start: for &start in &self.positions[*first] {
                for (offset, &c) in (1u32..).zip(rest) {
                    if self.positions[c].binary_search(&(start + offset)).is_err() {
                        continue 'start;
                    }
                }
                self.spans.push((start, start.saturating_add(len)));
            }
        }
        // Leftmost first, then longest; those overlapping one kept are dropped.
        self.spans.sort_unstable_by_key(|&(s, e)| (s, Reverse(e)));
        let mut count = 0;
        let mut end = 0;
        for &(s, e) in &self.spans {
            if count == 0 || s >= end {
                count += 1;
                end = e;
            }
        }
        count
    }
}
