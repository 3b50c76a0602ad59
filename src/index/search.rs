//! Searching the archive: exact substring matching via the character field, BM25 over
//! words for ranking, filters, occurrence counts, every match for KWIC, facets by year, unit and
//! kind.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::positions::{Needles, SegmentCounter};
use super::query::{SearchQuery, Term as QueryTerm};
use super::{Archive, DocRecord, Filter, bump};
use crate::error::{Error, Result};
use crate::span::ByteSpan;

/// How to search.
#[derive(Clone, Debug)]
pub struct SearchOptions {
    /// Metadata filters.
    pub filter: Filter,
    /// How many hits to return (the total counts them all).
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            filter: Filter::default(),
            limit: 20,
        }
    }
}

/// One matching document.
#[derive(Clone, Debug)]
pub struct Hit {
    /// The document.
    pub doc: DocRecord,
    /// Relevance (BM25 over words, plus a little for the exact match).
    pub score: f32,
    /// Occurrences of the query's terms in the stored text, non-overlapping, in order.
    pub occurrences: Vec<ByteSpan>,
    /// The stored text, for snippets.
    pub text: String,
}

/// The best hits and how many documents match.
#[derive(Debug)]
pub struct SearchResults {
    /// Documents matching, all of them.
    pub total: usize,
    /// The best `limit`, by score.
    pub hits: Vec<Hit>,
    /// Best documents left out of `hits` because their stored text is missing or damaged.
    pub passed_over: PassedOver,
}

/// Matching documents passed over because their stored text is missing or damaged, each with
/// the [`Error::StoredText`] naming it; the rest of the search went on. Report them: counts that
/// leave a document out silently would be wrong.
#[must_use = "documents passed over must be reported"]
#[derive(Debug, Default)]
pub struct PassedOver(pub Vec<Error>);

impl PassedOver {
    /// Keeps `error` if it is about one document's stored text; any other error is returned.
    fn keep(&mut self, error: Error) -> Result<()> {
        match error {
            Error::StoredText { .. } => {
                self.0.push(error);
                Ok(())
            }
            e => Err(e),
        }
    }

    /// Adds the documents `other` passed over.
    pub fn extend(&mut self, other: PassedOver) {
        self.0.extend(other.0);
    }
}

/// Matching documents and occurrences for one facet value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// Documents.
    pub docs: usize,
    /// Occurrences.
    pub count: usize,
}

/// Facet counts by year, unit, kind and author.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// By year.
    pub year: BTreeMap<String, FacetCount>,
    /// By unit.
    pub unit: BTreeMap<String, FacetCount>,
    /// By kind.
    pub kind: BTreeMap<String, FacetCount>,
    /// By author.
    pub author: BTreeMap<String, FacetCount>,
}

impl Facets {
    /// Documents per year, unit, kind and author among `docs` (no query: occurrences are 0).
    pub fn of_documents(docs: &[DocRecord]) -> Facets {
        let mut facets = Facets::default();
        for doc in docs {
            let m = &doc.metadata;
            bump(&mut facets.year, m.year.map(|y| y.to_string()), 0);
            bump(&mut facets.unit, m.unit.clone(), 0);
            bump(&mut facets.kind, m.kind.clone(), 0);
            bump(&mut facets.author, m.author.clone(), 0);
        }
        facets
    }
}

/// Longest query substring tried as a word for ranking.
const MAX_WORD: usize = 8;

impl Archive {
    /// Runs a query: the total of matching documents and the best `limit` hits with their
    /// occurrences.
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn search(&self, query: &SearchQuery, options: &SearchOptions) -> Result<SearchResults> {
        let searcher = self.searcher();
        let q = self.compile(query, &options.filter, true);
        let collector = (
            TopDocs::with_limit(options.limit.max(1)).order_by_score(),
            Count,
        );
        let (top, total) = searcher.search(&q, &collector).map_err(|e| self.err(e))?;
        self.hits(&searcher, query, top, total, options.limit)
    }

    /// [`Archive::search`] and [`Archive::facets`] of the same query and filter in one pass over
    /// the matching documents: the exact match (tantivy's phrase matching, the dearest part of a
    /// search) runs once instead of twice. The same results and facets as the two calls.
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn search_with_facets(
        &self,
        query: &SearchQuery,
        options: &SearchOptions,
    ) -> Result<(SearchResults, Facets)> {
        let searcher = self.searcher();
        // The scored query matches the documents the unscored one does: the words it adds are
        // optional clauses beside required ones, which only score.
        let q = self.compile(query, &options.filter, true);
        let collector = (
            TopDocs::with_limit(options.limit.max(1)).order_by_score(),
            Count,
            DocSetCollector,
        );
        let (top, total, addrs) = searcher.search(&q, &collector).map_err(|e| self.err(e))?;
        let facets = self.facets_of(&searcher, query, addrs.into_iter().collect())?;
        let results = self.hits(&searcher, query, top, total, options.limit)?;
        Ok((results, facets))
    }

    /// The best `limit` of `top` read from the store, with their occurrences.
    fn hits(
        &self,
        searcher: &Searcher,
        query: &SearchQuery,
        top: Vec<(f32, DocAddress)>,
        total: usize,
        limit: usize,
    ) -> Result<SearchResults> {
        let mut hits = Vec::with_capacity(top.len());
        let mut passed_over = PassedOver::default();
        for (score, addr) in top.into_iter().take(limit) {
            let (doc, text) = match self.record_and_text(searcher, addr) {
                Ok(found) => found,
                Err(e) => {
                    passed_over.keep(e)?;
                    continue;
                }
            };
            let occurrences = query.occurrences_in_stored(&text);
            hits.push(Hit {
                doc,
                score,
                occurrences,
                text,
            });
        }
        Ok(SearchResults {
            total,
            hits,
            passed_over,
        })
    }

    /// Calls `f` with every matching document, its text and its occurrences, ordered by year and
    /// path: for KWIC and facets, which need all matches rather than the best. A document whose
    /// stored text is missing or damaged is passed over and returned; the others go on.
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn for_each_match(
        &self,
        query: &SearchQuery,
        filter: &Filter,
        mut f: impl FnMut(&DocRecord, &str, &[ByteSpan]),
    ) -> Result<PassedOver> {
        // Records first (small), sorted; each text is read only when its turn comes, so memory
        // holds one text at a time however many documents match.
        let mut passed_over = PassedOver::default();
        for doc in self.matching_documents(query, filter)? {
            match self.text(&doc) {
                Ok(text) => {
                    let occurrences = query.occurrences_in_stored(&text);
                    f(&doc, &text, &occurrences);
                }
                Err(e) => passed_over.keep(e)?,
            }
        }
        Ok(passed_over)
    }

    /// Every matching document, ordered by year and path, without reading any stored text: what
    /// `search -l` lists. The match is the exact one (the characters at consecutive positions),
    /// unscored.
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn matching_documents(
        &self,
        query: &SearchQuery,
        filter: &Filter,
    ) -> Result<Vec<DocRecord>> {
        let searcher = self.searcher();
        let q = self.compile(query, filter, false);
        let addrs = searcher
            .search(&q, &DocSetCollector)
            .map_err(|e| self.err(e))?;
        let mut docs = addrs
            .into_iter()
            .map(|a| self.record(&searcher, a))
            .collect::<Result<Vec<_>>>()?;
        docs.sort_by(|a, b| (a.metadata.year, &a.path).cmp(&(b.metadata.year, &b.path)));
        Ok(docs)
    }

    /// Documents and occurrences per year, unit, kind and author, over all matches. The
    /// occurrences are counted from the index's character positions (`positions.rs`), not from
    /// the stored texts: the same numbers as [`SearchQuery::occurrences_in_stored`] on each text,
    /// without reading the texts, so that a query matching most of the archive costs position
    /// lists rather than the whole archive read from disk.
    ///
    /// # Errors
    ///
    /// The index cannot be read.
    pub fn facets(&self, query: &SearchQuery, filter: &Filter) -> Result<Facets> {
        let searcher = self.searcher();
        let q = self.compile(query, filter, false);
        let addrs: Vec<DocAddress> = searcher
            .search(&q, &DocSetCollector)
            .map_err(|e| self.err(e))?
            .into_iter()
            .collect();
        self.facets_of(&searcher, query, addrs)
    }

    /// The facets of the documents `addrs` (those matching `query`), occurrences counted from
    /// the position lists.
    fn facets_of(
        &self,
        searcher: &Searcher,
        query: &SearchQuery,
        mut addrs: Vec<DocAddress>,
    ) -> Result<Facets> {
        // By segment, then by document: each segment's postings are read once, forward.
        addrs.sort_unstable();
        let needles = Needles::new(query);
        let mut counter: Option<(u32, SegmentCounter)> = None;
        let mut facets = Facets::default();
        for addr in addrs {
            let counter = match &mut counter {
                Some((segment, c)) if *segment == addr.segment_ord => c,
                _ => {
                    let segment = searcher.segment_reader(addr.segment_ord);
                    let c = SegmentCounter::new(segment, self.fields.characters, &needles)
                        .map_err(|e| self.err(e))?;
                    &mut counter.insert((addr.segment_ord, c)).1
                }
            };
            let n = counter.count(addr.doc_id);
            let m = self.record(searcher, addr)?.metadata;
            bump(&mut facets.year, m.year.map(|y| y.to_string()), n);
            bump(&mut facets.unit, m.unit, n);
            bump(&mut facets.kind, m.kind, n);
            bump(&mut facets.author, m.author, n);
        }
        Ok(facets)
    }

    /// The tantivy query: every clause's exact match must hold (scored a little), no excluded
    /// term may match, filters must hold (unscored), and, when `scored`, the words within the
    /// terms score by BM25.
    fn compile(&self, query: &SearchQuery, filter: &Filter, scored: bool) -> Box<dyn Query> {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for clause in &query.clauses {
            let exact: Box<dyn Query> = match clause.as_slice() {
                [term] => self.exact(term),
                terms => Box::new(BooleanQuery::new(
                    terms
                        .iter()
                        .map(|t| (Occur::Should, self.exact(t)))
                        .collect(),
                )),
            };
            parts.push((Occur::Must, Box::new(BoostQuery::new(exact, 0.2))));
        }
        for term in &query.excluded {
            parts.push((Occur::MustNot, self.exact(term)));
        }
        if let Some(f) = filter.query(&self.fields) {
            parts.push((Occur::Must, f));
        }
        if !scored {
            return Box::new(BooleanQuery::new(parts));
        }
        // BM25 over words without segmenting the query (which would load the dictionary for every
        // search): every substring of a term that is a word of some document scores, as a search-
        // mode cut would. Substrings that are no indexed word match nothing and cost one lookup.
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for term in query.positive_terms() {
            let chars: Vec<char> = term.chars.iter().map(|c| c.to_ascii_lowercase()).collect();
            let n = chars.len();
            for len in (1..=n.min(MAX_WORD)).rev() {
                if len == 1 && n > 1 {
                    break;
                }
                for w in chars.windows(len) {
                    let word: String = w.iter().collect();
                    if seen.insert(word.clone()) {
                        let term = Term::from_field_text(self.fields.words, &word);
                        words.push((
                            Occur::Should,
                            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                        ));
                    }
                }
            }
        }
        if !words.is_empty() {
            parts.push((Occur::Should, Box::new(BooleanQuery::new(words))));
        }
        Box::new(BooleanQuery::new(parts))
    }

    /// The documents containing `term` exactly: its characters at consecutive positions.
    fn exact(&self, term: &QueryTerm) -> Box<dyn Query> {
        let mut chars: Vec<Term> = term
            .chars
            .iter()
            .map(|c| Term::from_field_text(self.fields.characters, c.encode_utf8(&mut [0; 4])))
            .collect();
        if chars.len() == 1 {
            let only = chars.pop().expect("one character");
            return Box::new(TermQuery::new(only, IndexRecordOption::Basic));
        }
        Box::new(PhraseQuery::new(chars))
    }
}
