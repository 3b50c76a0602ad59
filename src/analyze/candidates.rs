//! Candidates for alignment at corpus scale: which documents share enough text with a document to
//! be worth aligning with it.
//!
//! Terms:
//! - **seed**: [`SEED`] consecutive countable characters of a text (folded as in a
//!   [`Projection`](crate::Projection): digits to one class, Latin letters to lower case), hashed.
//! - **fingerprint**: the smallest seed hash in each window of [`WINDOW`] consecutive seeds
//!   (winnowing, Schleimer, Wilkerson & Aiken 2003), kept as its top 32 bits. Two texts sharing a
//!   run of [`GUARANTEED`] countable characters share at least one fingerprint, whatever
//!   surrounds the run.
//! - **signature**: a document's fingerprints, sorted and without repeats. The archive stores
//!   each document's signature when it is added ([`Archive::candidates`](crate::Archive::candidates)).
//! - **candidate**: a document sharing at least [`CandidateConfig::min_shared`] fingerprints;
//!   candidates are ranked by the number of fingerprints they share, and only the first
//!   [`CandidateConfig::max_candidates`] are aligned (the cut is always reported).
//! - **frequent fingerprint**: one in more than [`CandidateConfig::max_docs`] documents. It is
//!   stock phrasing every candidate list would hold, so it pairs no documents (which keeps the
//!   work near-linear in the number of documents); what it says instead is that its seed is
//!   shared widely ([`stock_runs`]).
//!
//! [`SEED`] and [`WINDOW`] are part of the archive's format: signatures computed with other
//! values would share nothing with the stored ones.

use crate::analyze::align::{fold, is_countable};
use crate::span::ByteSpan;

/// Seed length in countable characters (the same as alignment's).
pub const SEED: usize = 8;
/// Winnowing window in seeds: with [`SEED`], any shared run of the 13 countable characters of
/// the shortest passage shares a fingerprint. About 2 seeds in 7 are fingerprints.
pub const WINDOW: usize = 13;
/// The shortest shared run of countable characters that always shares a fingerprint.
pub const GUARANTEED: usize = SEED + WINDOW - 1;

/// A fingerprint and the seed it was taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// The fingerprint.
    pub value: u32,
    /// Its seed's bytes in the text.
    pub seed: ByteSpan,
}

/// Finishes a rolling hash so that its high bits (the fingerprint) depend on every character
/// (splitmix64's finaliser).
#[inline]
fn mix(mut h: u64) -> u64 {
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Winnows `text`: calls `emit` with each fingerprint's full hash and its seed's bytes, in text
/// order, each seed once. Streams the text: no projection is built.
fn winnow(text: &str, mut emit: impl FnMut(u64, ByteSpan)) {
    const BASE: u64 = 0x100_0000_01b3;
    // Rings of powers of two, indexed by masking.
    const RING: usize = SEED.next_power_of_two();
    const WRING: usize = WINDOW.next_power_of_two();
    let top = (1..SEED).fold(1u64, |p, _| p.wrapping_mul(BASE));
    // The last SEED countable characters: folded value and byte start.
    let mut chars = [(0u32, 0u32); RING];
    // The last WINDOW seeds: hash and span.
    let mut seeds = [(0u64, ByteSpan::default()); WRING];
    // The window's minimum (the rightmost of equals) and the last one emitted, by seed number.
    let (mut min, mut last_emitted) = (0usize, usize::MAX);
    let (mut h, mut n, mut s) = (0u64, 0usize, 0usize);
    for (i, c) in text.char_indices() {
        if !is_countable(c) {
            continue;
        }
        // Offsets are held in 32 bits, as in a projection: texts over 4 GiB are cut there.
        if i + c.len_utf8() > u32::MAX as usize {
            break;
        }
        let f = fold(c);
        if n >= SEED {
            h = h.wrapping_sub(u64::from(chars[(n - SEED) % RING].0).wrapping_mul(top));
        }
        h = h.wrapping_mul(BASE).wrapping_add(u64::from(f));
        chars[n % RING] = (f, i as u32);
        n += 1;
        if n < SEED {
            continue;
        }
        let m = mix(h);
        let start = chars[(n - SEED) % RING].1 as usize;
        seeds[s % WRING] = (m, ByteSpan::new(start, i + c.len_utf8()));
        if s == 0 || m <= seeds[min % WRING].0 {
            min = s;
        } else if min + WINDOW <= s {
            // The minimum left the window: the rightmost minimum of the window now.
            min = s + 1 - WINDOW;
            for k in min + 1..=s {
                if seeds[k % WRING].0 <= seeds[min % WRING].0 {
                    min = k;
                }
            }
        }
        s += 1;
        if s >= WINDOW && min != last_emitted {
            last_emitted = min;
            let (m, span) = seeds[min % WRING];
            emit(m, span);
        }
    }
    // A text shorter than one window still has its smallest seed.
    if s > 0 && s < WINDOW {
        let (m, span) = seeds[min % WRING];
        emit(m, span);
    }
}

/// The fingerprint of a seed's full hash: its top 32 bits.
#[inline]
fn value(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// The winnowed fingerprints of `text`, in text order, each seed once.
pub fn located_fingerprints(text: &str) -> Vec<Fingerprint> {
    let mut out = Vec::with_capacity(text.len() / 16 + 1);
    winnow(text, |h, seed| {
        out.push(Fingerprint {
            value: value(h),
            seed,
        })
    });
    out
}

/// The signature of `text`: its fingerprints, sorted and without repeats.
pub fn fingerprints(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    signature_into(text, &mut out);
    out
}

/// [`fingerprints`] into a buffer the caller reuses (cleared first).
pub(crate) fn signature_into(text: &str, out: &mut Vec<u32>) {
    out.clear();
    winnow(text, |h, _| out.push(value(h)));
    out.sort_unstable();
    out.dedup();
}

/// Stretches of a text made of consecutive fingerprints ([`located_fingerprints`]) that are all
/// `stock` (shared by many authors): a stretch ends at a fingerprint that is not. Consecutive
/// fingerprints stand at most a window apart, so the few characters between two stock seeds
/// (at most `WINDOW - SEED`) count with them, as alignment bridges a small edit.
pub fn stock_runs(fingerprints: &[Fingerprint], stock: impl Fn(u32) -> bool) -> Vec<ByteSpan> {
    let mut out: Vec<ByteSpan> = Vec::new();
    let mut open = false;
    for f in fingerprints {
        if !stock(f.value) {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(last) if open => last.end = last.end.max(f.seed.end),
            _ => out.push(f.seed),
        }
        open = true;
    }
    out
}

/// How candidates are chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateConfig {
    /// Fewest fingerprints shared for a candidate.
    pub min_shared: usize,
    /// A fingerprint in more documents than this pairs none.
    pub max_docs: usize,
    /// At most this many candidates per document, those sharing most first.
    pub max_candidates: usize,
}

impl Default for CandidateConfig {
    fn default() -> CandidateConfig {
        CandidateConfig {
            min_shared: 1,
            max_docs: 256,
            max_candidates: 1000,
        }
    }
}

/// A document's candidates, ranked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ranked {
    /// Candidates and the fingerprints each shares, most shared first (then by number), at most
    /// [`CandidateConfig::max_candidates`].
    pub ranked: Vec<(usize, usize)>,
    /// All the documents that qualified, before the cap.
    pub found: usize,
}

impl Ranked {
    /// Ranks `shared` (document → fingerprints shared) and applies the cap.
    pub fn of(
        shared: impl IntoIterator<Item = (usize, usize)>,
        config: &CandidateConfig,
    ) -> Ranked {
        let mut ranked: Vec<(usize, usize)> = shared
            .into_iter()
            .filter(|&(_, c)| c >= config.min_shared.max(1))
            .collect();
        let order = |a: &(usize, usize), b: &(usize, usize)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        let found = ranked.len();
        if found > config.max_candidates && config.max_candidates > 0 {
            // Only the kept ones need an order.
            ranked.select_nth_unstable_by(config.max_candidates - 1, order);
        }
        ranked.truncate(config.max_candidates);
        ranked.sort_unstable_by(order);
        Ranked { ranked, found }
    }

    /// How many qualified but were cut by the cap.
    pub fn cut(&self) -> usize {
        self.found.saturating_sub(self.ranked.len())
    }
}

/// The shared fingerprints of many documents, as postings: which documents hold each.
/// Fingerprints in one document only pair nothing and are not kept; frequent ones (in more than
/// [`CandidateConfig::max_docs`] documents) are counted but not kept.
#[derive(Debug, Default)]
pub struct CandidateIndex {
    config: CandidateConfig,
    docs: usize,
    /// Postings, one after the other: `posting_docs[posting_starts[p]..posting_starts[p + 1]]`.
    posting_starts: Vec<u32>,
    posting_docs: Vec<u32>,
    /// The postings of each document, likewise.
    doc_starts: Vec<u32>,
    doc_postings: Vec<u32>,
    frequent: usize,
}

/// Builds a [`CandidateIndex`] from documents' signatures, in one sort.
#[derive(Debug, Default)]
pub struct CandidateIndexBuilder {
    config: CandidateConfig,
    pairs: Vec<(u32, u32)>,
    docs: usize,
}

impl CandidateIndexBuilder {
    /// An empty builder.
    pub fn new(config: CandidateConfig) -> CandidateIndexBuilder {
        CandidateIndexBuilder {
            config,
            ..CandidateIndexBuilder::default()
        }
    }

    /// Adds the next document (numbered from 0 in the order added) by its signature
    /// ([`fingerprints`]); returns its number.
    pub fn add(&mut self, signature: &[u32]) -> usize {
        let n = self.docs;
        self.pairs.extend(signature.iter().map(|&f| (f, n as u32)));
        self.docs += 1;
        n
    }

    /// The index.
    pub fn build(mut self) -> CandidateIndex {
        use rayon::slice::ParallelSliceMut;
        self.pairs.par_sort_unstable();
        let postings = self
            .pairs
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| run.iter().map(|&(_, d)| d));
        CandidateIndex::from_postings(self.config, self.docs, postings)
    }
}

impl CandidateIndex {
    /// The index of `docs` documents holding `postings` (for each fingerprint, the documents
    /// holding it, each once).
    pub fn from_postings<P>(
        config: CandidateConfig,
        docs: usize,
        postings: impl IntoIterator<Item = P>,
    ) -> CandidateIndex
    where
        P: IntoIterator<Item = u32>,
    {
        let mut index = CandidateIndex {
            config,
            docs,
            posting_starts: vec![0],
            ..CandidateIndex::default()
        };
        let mut per_doc = vec![0u32; docs + 1];
        for posting in postings {
            let at = index.posting_docs.len();
            index.posting_docs.extend(posting);
            let len = index.posting_docs.len() - at;
            if len > index.config.max_docs {
                index.frequent += 1;
            }
            if len < 2 || len > index.config.max_docs {
                index.posting_docs.truncate(at);
                continue;
            }
            for &d in &index.posting_docs[at..] {
                per_doc[d as usize] += 1;
            }
            index.posting_starts.push(index.posting_docs.len() as u32);
        }
        // Invert: each document's postings.
        let mut starts = Vec::with_capacity(docs + 1);
        let mut total = 0u32;
        for &c in &per_doc[..docs] {
            starts.push(total);
            total += c;
        }
        starts.push(total);
        let mut fill = starts.clone();
        let mut doc_postings = vec![0; total as usize];
        for p in 0..index.posting_starts.len() - 1 {
            for &d in index.posting(p) {
                let at = &mut fill[d as usize];
                doc_postings[*at as usize] = p as u32;
                *at += 1;
            }
        }
        index.doc_postings = doc_postings;
        index.doc_starts = starts;
        index
    }

    fn posting(&self, p: usize) -> &[u32] {
        &self.posting_docs[self.posting_starts[p] as usize..self.posting_starts[p + 1] as usize]
    }

    /// The configuration.
    pub fn config(&self) -> &CandidateConfig {
        &self.config
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.docs
    }

    /// Whether it holds no document.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// The number of fingerprints kept (shared by 2 to [`CandidateConfig::max_docs`] documents).
    pub fn shared(&self) -> usize {
        self.posting_starts.len() - 1
    }

    /// The number of frequent fingerprints (in more than [`CandidateConfig::max_docs`]
    /// documents), which pair nothing.
    pub fn frequent(&self) -> usize {
        self.frequent
    }

    /// The documents worth aligning with document `doc`, never `doc` itself.
    pub fn candidates(&self, doc: usize) -> Ranked {
        thread_local! {
            /// Fingerprints shared, by document, and the documents touched: counting into an
            /// array took half the time of counting into a hash map.
            static COUNTS: std::cell::RefCell<(Vec<u32>, Vec<u32>)> = Default::default();
        }
        COUNTS.with(|counts| {
            let (counts, touched) = &mut *counts.borrow_mut();
            if counts.len() < self.docs {
                counts.resize(self.docs, 0);
            }
            let (from, to) = (
                self.doc_starts[doc] as usize,
                self.doc_starts[doc + 1] as usize,
            );
            for &p in &self.doc_postings[from..to] {
                for &d in self.posting(p as usize) {
                    if d as usize != doc {
                        let c = &mut counts[d as usize];
                        if *c == 0 {
                            touched.push(d);
                        }
                        *c += 1;
                    }
                }
            }
            let ranked = Ranked::of(
                touched
                    .iter()
                    .map(|&d| (d as usize, counts[d as usize] as usize)),
                &self.config,
            );
            for &d in touched.iter() {
                counts[d as usize] = 0;
            }
            touched.clear();
            ranked
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::align::Projection;

    const PAD: &str = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";

    #[test]
    fn a_shared_run_of_guaranteed_length_always_shares_a_fingerprint() {
        let run: String = "深入学习贯彻党的二十届三中全会精神推动高质量发展"
            .chars()
            .take(GUARANTEED)
            .collect();
        for pad in 0..PAD.chars().count() {
            let a = format!(
                "{}{run}{}",
                PAD.chars().take(pad).collect::<String>(),
                "天地玄黄宇宙洪荒日月盈昃辰宿列张"
            );
            let b = format!("寒来暑往秋收冬藏闰余成岁律吕调阳{run}云腾致雨露结为霜");
            let (fa, fb) = (fingerprints(&a), fingerprints(&b));
            assert!(fa.iter().any(|f| fb.binary_search(f).is_ok()), "pad {pad}");
        }
    }

    #[test]
    fn seeds_are_the_projected_characters_they_hash() {
        let text = "2023年，全县新建高标准农田3万亩、改造提升农村公路120公里，群众满意度明显提高。";
        let located = located_fingerprints(text);
        assert!(!located.is_empty());
        let p = Projection::new(text);
        for f in &located {
            let s = f.seed.slice(text);
            assert_eq!(s.chars().filter(|&c| is_countable(c)).count(), SEED, "{s}");
            assert!(p.index_of(f.seed.start) < p.len());
        }
        // Folding: a changed year and figure change no fingerprint.
        let other = text.replace("2023", "2024").replace("120", "135");
        assert_eq!(fingerprints(text), fingerprints(&other));
        // Punctuation and white space are not seen.
        let spaced = text.replace('，', "\n").replace('、', " ");
        assert_eq!(fingerprints(text), fingerprints(&spaced));
    }

    /// Winnowing by its definition: every seed hashed from scratch, the rightmost minimum of
    /// every window, each seed once.
    fn brute_force(text: &str) -> Vec<(u32, ByteSpan)> {
        const BASE: u64 = 0x100_0000_01b3;
        let chars: Vec<(usize, char)> = text
            .char_indices()
            .filter(|&(_, c)| is_countable(c))
            .collect();
        let seeds: Vec<(u64, ByteSpan)> = chars
            .windows(SEED)
            .map(|w| {
                let h = w.iter().fold(0u64, |h, &(_, c)| {
                    h.wrapping_mul(BASE).wrapping_add(u64::from(fold(c)))
                });
                let (end, last) = w[SEED - 1];
                (mix(h), ByteSpan::new(w[0].0, end + last.len_utf8()))
            })
            .collect();
        let mut out: Vec<(u32, ByteSpan)> = Vec::new();
        let mut last = usize::MAX;
        for start in 0..seeds
            .len()
            .saturating_sub(WINDOW - 1)
            .max(1)
            .min(seeds.len())
        {
            let window = &seeds[start..(start + WINDOW).min(seeds.len())];
            let (k, _) = window
                .iter()
                .enumerate()
                .rev()
                .min_by_key(|(_, s)| s.0)
                .unwrap();
            if start + k != last {
                last = start + k;
                out.push((value(window[k].0), window[k].1));
            }
        }
        out
    }

    #[test]
    fn winnowing_streams_what_its_definition_says() {
        let mut text = String::new();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for len in [0, 7, 8, 9, 19, 20, 21, 400] {
            text.clear();
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // A small alphabet, so that hashes repeat and ties are taken; punctuation and
                // digits between.
                text.push(['党', '建', '工', '作', '，', '1', '2', 'A'][(x % 8) as usize]);
            }
            let got: Vec<(u32, ByteSpan)> = located_fingerprints(&text)
                .into_iter()
                .map(|f| (f.value, f.seed))
                .collect();
            assert_eq!(got, brute_force(&text), "{text}");
        }
    }

    #[test]
    fn short_and_empty_texts() {
        assert!(fingerprints("").is_empty());
        assert!(fingerprints("，。 \n").is_empty());
        assert!(fingerprints("七个字的短句子").is_empty());
        assert_eq!(fingerprints("八个字的短句子呀").len(), 1);
    }

    #[test]
    fn candidates_are_documents_sharing_text_and_never_the_document_itself() {
        let texts = [
            "以钉钉子精神抓好整改落实，确保各项措施落地见效，切实把问题整改到位。",
            "会议要求：以钉钉子精神抓好整改落实，确保各项措施落地见效。",
            "今年全县粮食播种面积稳定，农民收入稳步增长，乡村面貌明显改善。",
        ];
        let mut b = CandidateIndexBuilder::new(CandidateConfig::default());
        for t in texts {
            b.add(&fingerprints(t));
        }
        let index = b.build();
        let c: Vec<usize> = index.candidates(0).ranked.iter().map(|r| r.0).collect();
        assert_eq!(c, [1]);
        assert!(index.candidates(2).ranked.is_empty());
    }

    #[test]
    fn the_cap_keeps_those_sharing_most_and_says_how_many_it_cut() {
        let config = CandidateConfig {
            max_candidates: 2,
            ..CandidateConfig::default()
        };
        let r = Ranked::of([(5, 1), (3, 9), (7, 4), (1, 4)], &config);
        assert_eq!(r.ranked, [(3, 9), (1, 4)]);
        assert_eq!((r.found, r.cut()), (4, 2));
    }

    #[test]
    fn frequent_fingerprints_pair_nothing() {
        let config = CandidateConfig {
            max_docs: 3,
            ..CandidateConfig::default()
        };
        let index =
            CandidateIndex::from_postings(config, 6, [vec![0, 1, 2, 3, 4], vec![0, 5], vec![2]]);
        assert_eq!((index.shared(), index.frequent()), (1, 1));
        assert_eq!(index.candidates(0).ranked, [(5, 1)]);
        assert!(index.candidates(1).ranked.is_empty());
    }

    #[test]
    fn stock_runs_join_consecutive_stock_seeds() {
        let f = |value, s, e| Fingerprint {
            value,
            seed: ByteSpan::new(s, e),
        };
        let fps = [
            f(1, 0, 24),
            f(1, 12, 36),
            f(2, 40, 64),
            f(1, 70, 94),
            f(1, 100, 124),
            f(3, 110, 134),
            f(1, 120, 144),
        ];
        assert_eq!(
            stock_runs(&fps, |v| v == 1),
            [
                ByteSpan::new(0, 36),
                ByteSpan::new(70, 124),
                ByteSpan::new(120, 144)
            ]
        );
    }
}
