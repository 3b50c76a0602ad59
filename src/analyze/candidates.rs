//! Candidates for alignment at corpus scale: which documents share enough text with a document to
//! be worth aligning with it.
//!
//! Terms:
//! - **fingerprint**: the smallest hash in each window of [`CandidateConfig::window`] consecutive
//!   seed hashes of a projection (winnowing, Schleimer, Wilkerson & Aiken 2003). Two texts sharing
//!   a run of `seed + window - 1` countable characters share at least one fingerprint, whatever
//!   surrounds it; with the defaults (8 + 6 − 1) that is the 13 characters of the shortest passage.
//! - **candidate**: a document sharing at least [`CandidateConfig::min_shared`] fingerprints.
//!
//! A fingerprint shared by more than [`CandidateConfig::max_docs`] documents is stock phrasing
//! every candidate list would hold; it pairs no documents, which keeps the work near-linear in
//! the number of documents.

use std::collections::HashMap;

use crate::analyze::align::Projection;

/// How candidates are chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateConfig {
    /// Seed length in countable characters (the same as alignment's).
    pub seed: usize,
    /// Winnowing window in seeds.
    pub window: usize,
    /// Fewest fingerprints shared for a candidate.
    pub min_shared: usize,
    /// A fingerprint in more documents than this pairs none.
    pub max_docs: usize,
}

impl Default for CandidateConfig {
    fn default() -> CandidateConfig {
        CandidateConfig {
            seed: 8,
            window: 6,
            min_shared: 1,
            max_docs: 256,
        }
    }
}

/// The fingerprints of a projection, sorted and without repeats.
pub fn fingerprints(p: &Projection, config: &CandidateConfig) -> Vec<u64> {
    let hashes = p.hashes(config.seed.max(1));
    let w = config.window.max(1);
    let mut out = Vec::with_capacity(hashes.len() * 2 / (w + 1) + 1);
    if hashes.len() <= w {
        out.extend(hashes.iter().min());
    } else {
        // Minimum of each window by a monotone deque: O(n).
        let mut deque: std::collections::VecDeque<usize> = Default::default();
        for (i, &h) in hashes.iter().enumerate() {
            while deque.back().is_some_and(|&b| hashes[b] >= h) {
                deque.pop_back();
            }
            deque.push_back(i);
            if deque[0] + w <= i {
                deque.pop_front();
            }
            if i + 1 >= w {
                out.push(hashes[deque[0]]);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Fingerprints of many documents, and the documents each is in.
#[derive(Debug, Default)]
pub struct CandidateIndex {
    config: CandidateConfig,
    postings: HashMap<u64, Vec<u32>>,
    docs: Vec<Vec<u64>>,
}

impl CandidateIndex {
    /// The configuration.
    pub fn config(&self) -> &CandidateConfig {
        &self.config
    }

    /// An empty index.
    pub fn new(config: CandidateConfig) -> CandidateIndex {
        CandidateIndex {
            config,
            ..CandidateIndex::default()
        }
    }

    /// Adds the next document (numbered from 0 in the order added); returns its number.
    pub fn add(&mut self, p: &Projection) -> usize {
        let fps = fingerprints(p, &self.config);
        self.add_fingerprints(fps)
    }

    /// Adds the next document by its [`fingerprints`] (computed elsewhere, e.g. in parallel).
    pub fn add_fingerprints(&mut self, fps: Vec<u64>) -> usize {
        let n = self.docs.len();
        for &f in &fps {
            self.postings.entry(f).or_default().push(n as u32);
        }
        self.docs.push(fps);
        n
    }

    /// The number of documents added.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether none was added.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The documents worth aligning with document `doc`, with the fingerprints each shares,
    /// most shared first.
    pub fn candidates(&self, doc: usize) -> Vec<(usize, usize)> {
        let mut shared: HashMap<u32, usize> = HashMap::new();
        for f in &self.docs[doc] {
            let Some(list) = self.postings.get(f) else {
                continue;
            };
            if list.len() > self.config.max_docs {
                continue;
            }
            for &d in list {
                if d as usize != doc {
                    *shared.entry(d).or_default() += 1;
                }
            }
        }
        let mut out: Vec<(usize, usize)> = shared
            .into_iter()
            .filter(|&(_, c)| c >= self.config.min_shared)
            .map(|(d, c)| (d as usize, c))
            .collect();
        out.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_run_of_thirteen_characters_always_shares_a_fingerprint() {
        let run = "深入学习贯彻党的二十届三中全";
        assert_eq!(run.chars().count(), 14);
        let config = CandidateConfig::default();
        for pad in 0..12 {
            let a = format!(
                "{}{run}{}",
                "甲乙丙丁戊己庚辛壬癸子丑"
                    .chars()
                    .take(pad)
                    .collect::<String>(),
                "寅卯辰巳午未申酉戌亥"
            );
            let b = format!("天地玄黄宇宙洪荒{run}日月盈昃辰宿列张");
            let (fa, fb) = (
                fingerprints(&Projection::new(&a), &config),
                fingerprints(&Projection::new(&b), &config),
            );
            assert!(fa.iter().any(|f| fb.binary_search(f).is_ok()), "pad {pad}");
        }
    }

    #[test]
    fn candidates_are_documents_sharing_text_and_never_the_document_itself() {
        let texts = [
            "以钉钉子精神抓好整改落实，确保各项措施落地见效，切实把问题整改到位。",
            "会议要求：以钉钉子精神抓好整改落实，确保各项措施落地见效。",
            "今年全县粮食播种面积稳定，农民收入稳步增长，乡村面貌明显改善。",
        ];
        let mut index = CandidateIndex::new(CandidateConfig::default());
        for t in texts {
            index.add(&Projection::new(t));
        }
        let c: Vec<usize> = index.candidates(0).into_iter().map(|(d, _)| d).collect();
        assert_eq!(c, [1]);
        assert!(index.candidates(2).is_empty());
    }
}
