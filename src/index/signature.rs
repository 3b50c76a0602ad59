//! Documents found by their signatures: which archived documents share passages with a text
//! (`check`), and which archived documents share passages with each other (`analyze`).
//!
//! Every document's signature (its winnowed fingerprints, `analyze::candidates`) is indexed when
//! it is added, in the `signature` field (see `tokenizer::SignatureTokenizer`), so it is
//! committed, removed and read with the rest of the index: a killed add leaves no signature of an
//! uncommitted document, and a reader sees the signatures of its own commit. Looking a text up
//! reads only the postings of its fingerprints' terms, never every document.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, InvertedIndexReader, Searcher, TERMINATED, Term};

use super::tokenizer::{BUCKET_BITS, bucket_position, bucket_term};
use super::{Archive, DocRecord};
use crate::analyze::align::IntMap;
use crate::analyze::candidates::{CandidateConfig, CandidateIndex, Ranked};
use crate::analyze::reuse::SourceInfo;
use crate::error::Result;
use crate::span::DocId;

/// Archived documents sharing fingerprints with a text ([`Archive::candidates`]).
#[derive(Clone, Debug, Default)]
pub struct Candidates {
    /// The candidates with the number of fingerprints each shares, most first, at most
    /// [`CandidateConfig::max_candidates`] (every other document, when the archive is no larger).
    pub ranked: Vec<(DocRecord, usize)>,
    /// How many documents share a fingerprint with the text.
    pub found: usize,
    /// The text's fingerprints held by more than [`CandidateConfig::max_docs`] documents: they
    /// chose no candidate. Sorted.
    pub frequent: Vec<u32>,
    /// The text's fingerprints whose documents have at least the stock threshold of distinct
    /// authors. Sorted.
    pub stock: Vec<u32>,
    /// Distinct authors of the archive's documents (the author, else the unit, else the
    /// document as its own author), as the boilerplate threshold counts them.
    pub authors: usize,
    /// Documents in the archive.
    pub documents: usize,
    /// Whether the document excluded is in the archive.
    pub excluded: bool,
}

impl Candidates {
    /// How many shared a fingerprint but were cut by the cap.
    pub fn cut(&self) -> usize {
        self.found.saturating_sub(self.ranked.len())
    }
}

/// The shared fingerprints of selected archived documents ([`Archive::shared_signatures`]).
#[derive(Debug, Default)]
pub struct SharedSignatures {
    /// Their postings, documents numbered as the selection.
    pub index: CandidateIndex,
    /// Fingerprints held by at least the stock threshold of distinct authors. Sorted.
    pub stock: Vec<u32>,
    /// Fingerprints held by more than [`CandidateConfig::max_docs`] documents. Sorted.
    pub frequent: Vec<u32>,
}

/// A document's number across segments.
type Global = (u32, u32);

impl Archive {
    /// The documents sharing fingerprints with a text whose signature
    /// ([`fingerprints`](crate::fingerprints)) is `signature`, except `exclude`, ranked by the
    /// fingerprints they share and cut at [`CandidateConfig::max_candidates`]. When the archive
    /// holds no more other documents than that, all of them are candidates (those sharing none
    /// last, with 0): alignment then misses nothing that signatures cannot see.
    /// `stock_threshold` gives, for the archive's number of distinct authors, how many authors
    /// make a fingerprint stock (see [`Candidates::stock`]).
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn candidates(
        &self,
        signature: &[u32],
        exclude: Option<&DocId>,
        config: &CandidateConfig,
        stock_threshold: impl Fn(usize) -> usize,
    ) -> Result<Candidates> {
        let searcher = self.searcher();
        let (authors, count) = self.author_ids(&searcher)?;
        let threshold = stock_threshold(count).max(1);
        let excluded = match exclude {
            Some(id) => self.find(&searcher, id.as_str())?,
            None => None,
        }
        .map(|a| (a.segment_ord, a.doc_id));
        let readers = self.signature_readers(&searcher)?;
        let mut out = Candidates {
            authors: count,
            documents: searcher.num_docs() as usize,
            excluded: excluded.is_some(),
            ..Candidates::default()
        };
        let mut shared: IntMap<Global, usize> = IntMap::default();
        let mut positions = Vec::new();
        let mut sorted = signature.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        for chunk in sorted.chunk_by(|a, b| bucket(*a) == bucket(*b)) {
            let lows: Vec<u32> = chunk.iter().map(|&f| bucket_position(f)).collect();
            let mut hits: Vec<Vec<Global>> = vec![Vec::new(); chunk.len()];
            for (s, (reader, alive)) in readers.iter().enumerate() {
                self.read_bucket(reader, bucket(chunk[0]), &mut positions, |doc, at| {
                    let g = (s as u32, doc);
                    if alive.as_ref().is_some_and(|a| a.is_deleted(doc)) || Some(g) == excluded {
                        return;
                    }
                    for p in at {
                        if let Ok(k) = lows.binary_search(p) {
                            hits[k].push(g);
                        }
                    }
                })?;
            }
            for (&f, docs) in chunk.iter().zip(&hits) {
                if docs.len() > config.max_docs {
                    out.frequent.push(f);
                } else {
                    for &g in docs {
                        *shared.entry(g).or_default() += 1;
                    }
                }
                if docs.len() >= threshold
                    && distinct_at_least(
                        docs.iter().map(|&(s, d)| authors[s as usize][d as usize]),
                        threshold,
                    )
                {
                    out.stock.push(f);
                }
            }
        }
        let mut ranked = Ranked::of(
            shared
                .into_iter()
                .map(|((s, d), c)| (((s as usize) << 32) | d as usize, c)),
            config,
        );
        out.found = ranked.found;
        // An archive no larger than the cap is aligned whole: then passages that share no
        // fingerprint (a run of fewer than 20 equal characters between edits) are found too.
        let others = out.documents - usize::from(out.excluded);
        if others <= config.max_candidates {
            let listed: std::collections::HashSet<usize> =
                ranked.ranked.iter().map(|&(g, _)| g).collect();
            for (s, segment) in searcher.segment_readers().iter().enumerate() {
                for d in segment.doc_ids_alive() {
                    let g = (s << 32) | d as usize;
                    if Some((s as u32, d)) != excluded && !listed.contains(&g) {
                        ranked.ranked.push((g, 0));
                    }
                }
            }
        }
        for (g, c) in ranked.ranked {
            let addr = DocAddress::new((g >> 32) as u32, g as u32);
            out.ranked.push((self.record(&searcher, addr)?, c));
        }
        Ok(out)
    }

    /// The fingerprints that `records` (documents of this archive, as [`Archive::list`] gives
    /// them) share with each other, as postings numbering the documents as `records` does.
    /// Fingerprints held by one of them only are not kept. A fingerprint whose documents have at
    /// least `stock_threshold` distinct authors is stock.
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn shared_signatures(
        &self,
        records: &[DocRecord],
        config: &CandidateConfig,
        stock_threshold: usize,
    ) -> Result<SharedSignatures> {
        let searcher = self.searcher();
        let numbers: HashMap<&str, u32> = records
            .iter()
            .enumerate()
            .map(|(n, r)| (r.doc_id.as_str(), n as u32))
            .collect();
        let mut keys: HashMap<String, u32> = HashMap::new();
        let authors: Vec<u32> = records
            .iter()
            .map(|r| {
                let key = SourceInfo::of(&r.metadata).author_key(&r.path);
                let n = keys.len() as u32;
                *keys.entry(key).or_insert(n)
            })
            .collect();
        let threshold = stock_threshold.max(1);
        // Each segment's documents → their number in `records`.
        let mut selected: Vec<Vec<u32>> = Vec::new();
        for segment in searcher.segment_readers() {
            let mut of_doc = vec![u32::MAX; segment.max_doc() as usize];
            // By doc_id: two paths that are not UTF-8 may show the same.
            let ids = segment
                .fast_fields()
                .str("doc_id")
                .map_err(|e| self.err(e))?;
            if let Some(ids) = ids {
                let mut id = String::new();
                for doc in segment.doc_ids_alive() {
                    if let Some(ord) = ids.term_ords(doc).next() {
                        ids.ord_to_str(ord, &mut id).map_err(|e| self.err(e))?;
                        if let Some(&n) = numbers.get(id.as_str()) {
                            of_doc[doc as usize] = n;
                        }
                    }
                }
            }
            selected.push(of_doc);
        }
        let readers = self.signature_readers(&searcher)?;
        let mut out = SharedSignatures::default();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut entries: Vec<(u32, u32)> = Vec::new();
        let mut positions = Vec::new();
        for b in 0..1u32 << BUCKET_BITS {
            entries.clear();
            for (s, (reader, _)) in readers.iter().enumerate() {
                self.read_bucket(reader, b, &mut positions, |doc, at| {
                    let n = selected[s][doc as usize];
                    if n != u32::MAX {
                        entries.extend(at.iter().map(|&p| (p, n)));
                    }
                })?;
            }
            entries.sort_unstable();
            for run in entries.chunk_by(|a, b| a.0 == b.0) {
                if run.len() < 2 {
                    continue;
                }
                let f = (b << (32 - BUCKET_BITS)) | run[0].0;
                if run.len() >= threshold
                    && distinct_at_least(run.iter().map(|&(_, n)| authors[n as usize]), threshold)
                {
                    out.stock.push(f);
                }
                if run.len() > config.max_docs {
                    out.frequent.push(f);
                }
                postings.push(run.iter().map(|&(_, n)| n).collect());
            }
        }
        out.index = CandidateIndex::from_postings(config.clone(), records.len(), postings);
        Ok(out)
    }

    /// Each segment's reader of the signature field, with its deleted documents.
    fn signature_readers(
        &self,
        searcher: &Searcher,
    ) -> Result<
        Vec<(
            Arc<InvertedIndexReader>,
            Option<tantivy::fastfield::AliveBitSet>,
        )>,
    > {
        searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let reader = segment
                    .inverted_index(self.fields.signature)
                    .map_err(|e| self.err(e))?;
                Ok((reader, segment.alive_bitset().cloned()))
            })
            .collect()
    }

    /// Calls `each` with every document of one segment holding a fingerprint of `bucket`, and
    /// the rest of those fingerprints (their positions), sorted.
    fn read_bucket(
        &self,
        reader: &InvertedIndexReader,
        bucket: u32,
        positions: &mut Vec<u32>,
        mut each: impl FnMut(u32, &[u32]),
    ) -> Result<()> {
        let term = Term::from_field_text(
            self.fields.signature,
            bucket_term(bucket).encode_utf8(&mut [0; 4]),
        );
        let Some(mut postings) = reader
            .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
            .map_err(|e| self.err(e))?
        else {
            return Ok(());
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            postings.positions(positions);
            each(doc, positions);
            doc = postings.advance();
        }
        Ok(())
    }

    /// Every live document's author number, per segment, and how many distinct authors there
    /// are: the author, else the unit, else the document itself (as [`SourceInfo::author_key`]
    /// counts them).
    fn author_ids(&self, searcher: &Searcher) -> Result<(Vec<Vec<u32>>, usize)> {
        let mut keys: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut next = 0u32;
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let columns = [
                ff.str("author").map_err(|e| self.err(e))?,
                ff.str("unit").map_err(|e| self.err(e))?,
            ];
            // Each column's values by ordinal, streamed once.
            let mut values: Vec<Vec<Vec<u8>>> = Vec::new();
            for column in &columns {
                let mut v = Vec::new();
                if let Some(c) = column {
                    let mut stream = c.dictionary().stream().map_err(|e| self.err(e))?;
                    while stream.advance() {
                        v.push(stream.key().to_vec());
                    }
                }
                values.push(v);
            }
            let mut ids = vec![u32::MAX; segment.max_doc() as usize];
            for doc in segment.doc_ids_alive() {
                let named = columns.iter().zip(&values).find_map(|(c, v)| {
                    let ord = c.as_ref()?.term_ords(doc).next()?;
                    v.get(ord as usize)
                });
                ids[doc as usize] = match named {
                    Some(name) => *keys.entry(name.clone()).or_insert_with(|| {
                        next += 1;
                        next - 1
                    }),
                    None => {
                        next += 1;
                        next - 1
                    }
                };
            }
            out.push(ids);
        }
        Ok((out, next as usize))
    }
}

/// The bucket of a fingerprint: the bits its term holds.
fn bucket(f: u32) -> u32 {
    f >> (32 - BUCKET_BITS)
}

/// Whether `ids` hold at least `n` distinct values; stops reading once they do.
fn distinct_at_least(ids: impl Iterator<Item = u32>, n: usize) -> bool {
    let mut seen = HashSet::new();
    for id in ids {
        seen.insert(id);
        if seen.len() >= n {
            return true;
        }
    }
    false
}
