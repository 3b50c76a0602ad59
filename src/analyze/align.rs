//! Alignment of two texts into the passages they share.
//!
//! Terms:
//! - **countable character**: a letter, digit or CJK character (`char::is_alphanumeric`); punctuation
//!   and white space are not counted, so that a passage survives changed punctuation, line breaks
//!   and split or merged sentences. Rates and the minimum passage length count these.
//! - **projection**: a text reduced to its countable characters, each folded (ASCII digits to one
//!   class, Latin letters to lower case) and remembering its byte span in the text. Folding digits
//!   makes a changed year or figure (2023年 → 2024年, 126万 → 131万) no break in a passage.
//! - **seed**: a run of [`AlignConfig::seed`] projected characters equal in both texts.
//! - **chain**: seeds in order in both texts whose gaps are at most [`AlignConfig::max_gap`]
//!   characters and whose two gaps differ by at most [`AlignConfig::max_shift`]: an edited passage
//!   (a name replaced, a clause inserted, a few characters changed) is one chain; a reordered
//!   sentence is a chain of its own.
//! - **passage**: a chain of at least [`AlignConfig::min_chars`] countable characters in both
//!   texts, with its byte spans in each and its similarity (characters covered by seeds over the
//!   longer side).
//!
//! The first text is indexed once ([`Aligner::new`]); any number of second texts are aligned
//! against it ([`Aligner::align`]), as `check` compares one document with many.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::span::ByteSpan;

/// How passages are found.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignConfig {
    /// Shortest passage, in countable characters (13: the threshold Chinese 查重 users know).
    pub min_chars: usize,
    /// Length of the exact runs that anchor a passage, in countable characters.
    pub seed: usize,
    /// Largest distance between the starts of two consecutive seeds of one passage.
    pub max_gap: usize,
    /// Largest difference between the two texts' gaps (characters inserted or deleted).
    pub max_shift: usize,
    /// Lowest similarity of a passage (seed-covered characters over the longer side).
    pub min_similarity: f32,
    /// A seed that occurs more often than this in the first text anchors nothing (it is a
    /// repetition, not a passage), which bounds the work on degenerate input.
    pub max_repeats: usize,
}

impl Default for AlignConfig {
    fn default() -> AlignConfig {
        AlignConfig {
            min_chars: 13,
            seed: 8,
            max_gap: 40,
            max_shift: 16,
            min_similarity: 0.5,
            max_repeats: 16,
        }
    }
}

/// A passage two texts share.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Passage {
    /// Where it stands in the first text.
    pub a: ByteSpan,
    /// Where it stands in the second text.
    pub b: ByteSpan,
    /// Its countable characters in the first text.
    pub chars: usize,
    /// Seed-covered characters over the longer side, 0–1 (1 for an exact copy up to digits).
    pub similarity: f32,
}

/// A text reduced to its countable characters.
#[derive(Clone, Debug, Default)]
pub struct Projection {
    /// Folded characters.
    chars: Vec<u32>,
    /// Byte offset of each character in the text (its end follows from its folded character,
    /// which keeps the original's length in UTF-8).
    starts: Vec<u32>,
}

/// Whether a character counts for lengths and rates: letters, digits and CJK characters.
#[inline]
pub fn is_countable(c: char) -> bool {
    // The common cases first: `is_alphanumeric` looks every non-ASCII character up in tables.
    match c {
        '\u{4E00}'..='\u{9FFF}' => true,
        '\0'..='\u{7F}' => c.is_ascii_alphanumeric(),
        '，' | '。' | '、' | '；' | '：' | '？' | '！' | '“' | '”' | '‘' | '’' | '（' | '）'
        | '《' | '》' | '【' | '】' | '—' | '…' | '·' => false,
        _ => c.is_alphanumeric(),
    }
}

/// A hasher for integer keys (seed hashes, document numbers): a multiplication spreads their
/// bits, where SipHash took a tenth of an alignment. Not for keys an adversary chooses.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct IntHasher(u64);

impl Hasher for IntHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 ^= self.0 >> 29;
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map with integer keys, hashed by [`IntHasher`].
pub(crate) type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

/// The number of countable characters in `text`.
pub fn countable_chars(text: &str) -> usize {
    text.chars().filter(|&c| is_countable(c)).count()
}

/// The character as alignment compares it: ASCII digits to one class, Latin letters to lower case.
#[inline]
pub(crate) fn fold(c: char) -> u32 {
    match c {
        '0'..='9' => '0' as u32,
        'A'..='Z' => c.to_ascii_lowercase() as u32,
        _ => c as u32,
    }
}

impl Projection {
    /// Projects `text`. Texts over 4 GiB are cut at 4 GiB (offsets are held in 32 bits).
    pub fn new(text: &str) -> Projection {
        let mut p = Projection::default();
        for (i, c) in text.char_indices() {
            if i + c.len_utf8() > u32::MAX as usize {
                break;
            }
            if is_countable(c) {
                p.chars.push(fold(c));
                p.starts.push(i as u32);
            }
        }
        p
    }

    /// One past the last byte of projected character `i`.
    #[inline]
    fn end(&self, i: usize) -> u32 {
        let len = char::from_u32(self.chars[i]).map_or(1, char::len_utf8);
        self.starts[i] + len as u32
    }

    /// Number of countable characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The byte span of projected characters `from..to` (`from < to`).
    fn span(&self, from: usize, to: usize) -> ByteSpan {
        ByteSpan::new(self.starts[from] as usize, self.end(to - 1) as usize)
    }

    /// The byte span of projected characters `from..to`, empty at the text's end if `from == to`.
    pub fn byte_span(&self, from: usize, to: usize) -> ByteSpan {
        if from >= to {
            let at = self.starts.get(from).map_or_else(
                || self.len().checked_sub(1).map_or(0, |l| self.end(l)),
                |&s| s,
            ) as usize;
            return ByteSpan::new(at, at);
        }
        self.span(from, to)
    }

    /// The first projected character starting at or after byte `offset`.
    pub fn index_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| (s as usize) < offset)
    }

    /// One past the last projected character ending at or before byte `offset`.
    pub fn end_index_of(&self, offset: usize) -> usize {
        // Ends rise with starts: the first character ending after `offset`.
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.end(mid) as usize <= offset {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The rolling hashes of every `k`-character run, in order.
    pub(crate) fn hashes(&self, k: usize) -> Vec<u64> {
        const BASE: u64 = 0x100_0000_01b3;
        let n = self.chars.len();
        if k == 0 || n < k {
            return Vec::new();
        }
        let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(BASE));
        let mut out = Vec::with_capacity(n - k + 1);
        let mut h = 0u64;
        for (i, &c) in self.chars.iter().enumerate() {
            if i >= k {
                h = h.wrapping_sub((self.chars[i - k] as u64).wrapping_mul(top));
            }
            h = h.wrapping_mul(BASE).wrapping_add(c as u64);
            if i + 1 >= k {
                out.push(h);
            }
        }
        out
    }
}

/// The first text of an alignment, indexed once: its projection and the positions of its seeds
/// (built on the first alignment, so that a text that is only compared with costs nothing).
///
/// An alignment is the same whichever text is indexed: seeds repeated too often in either text
/// anchor nothing, and chains are built in one canonical order of the two texts (the shorter
/// projection first, then by content), so that aligning `a` with `b` gives the passages of
/// aligning `b` with `a`, sides swapped. `check` of one document and `analyze` of all, which
/// aligns each pair once for both, therefore agree.
#[derive(Debug)]
pub struct Aligner {
    config: AlignConfig,
    text: Projection,
    /// Seed hash → positions in `text` (at most `max_repeats`; more makes the seed unusable).
    seeds: std::sync::OnceLock<IntMap<u64, Vec<u32>>>,
}

#[derive(Clone, Copy, Debug)]
struct Chain {
    first_i: usize,
    first_j: usize,
    last_i: usize,
    last_j: usize,
    /// First-text characters covered by the chain's seeds.
    covered: usize,
    covered_end: usize,
}

impl Aligner {
    /// Indexes `text` for alignment.
    pub fn new(text: &str, config: AlignConfig) -> Aligner {
        Aligner::from_projection(Projection::new(text), config)
    }

    /// Indexes an already projected text.
    pub fn from_projection(text: Projection, config: AlignConfig) -> Aligner {
        Aligner {
            config,
            text,
            seeds: std::sync::OnceLock::new(),
        }
    }

    fn seeds(&self) -> &IntMap<u64, Vec<u32>> {
        self.seeds.get_or_init(|| {
            let mut seeds: IntMap<u64, Vec<u32>> = IntMap::default();
            for (i, h) in self
                .text
                .hashes(self.config.seed.max(1))
                .into_iter()
                .enumerate()
            {
                let at = seeds.entry(h).or_default();
                if at.len() <= self.config.max_repeats {
                    at.push(i as u32);
                }
            }
            seeds.retain(|_, at| at.len() <= self.config.max_repeats);
            seeds
        })
    }

    /// The first text's projection.
    pub fn projection(&self) -> &Projection {
        &self.text
    }

    /// The configuration.
    pub fn config(&self) -> &AlignConfig {
        &self.config
    }

    /// The passages `other` shares with the first text, ordered by their start in the first text.
    pub fn align(&self, other: &str) -> Vec<Passage> {
        self.align_projection(&Projection::new(other))
    }

    /// Like [`Aligner::align`], for an already projected second text.
    pub fn align_projection(&self, other: &Projection) -> Vec<Passage> {
        let k = self.config.seed.max(1);
        let index = self.seeds();
        // (hash, i, j): seeds equal in both texts.
        let mut found: Vec<(u64, u32, u32)> = Vec::new();
        for (j, h) in other.hashes(k).into_iter().enumerate() {
            if let Some(at) = index.get(&h) {
                for &i in at {
                    let i = i as usize;
                    // A hash is not proof: compare the characters.
                    if self.text.chars[i..i + k] == other.chars[j..j + k] {
                        found.push((h, i as u32, j as u32));
                    }
                }
            }
        }
        // A seed repeated too often in the second text anchors nothing either (the first text's
        // repeats are out of the index already): every position of such a seed was found, as
        // each is in the index.
        let mut in_other: IntMap<u64, (u32, u32)> = IntMap::default();
        for &(h, _, j) in &found {
            let e = in_other.entry(h).or_insert((u32::MAX, 0));
            if e.0 != j {
                *e = (j, e.1 + 1);
            }
        }
        let limit = self.config.max_repeats as u32;
        let usable = |h: &u64| in_other.get(h).is_none_or(|&(_, n)| n <= limit);
        // Chains in the canonical order of the two texts, whichever was indexed.
        let swapped = canonical_order(&self.text, other) == std::cmp::Ordering::Greater;
        let (first, second) = if swapped {
            (other, &self.text)
        } else {
            (&self.text, other)
        };
        let mut seeds: Vec<(u32, u32)> = found
            .iter()
            .filter(|(h, _, _)| usable(h))
            .map(|&(_, i, j)| if swapped { (j, i) } else { (i, j) })
            .collect();
        seeds.sort_unstable();
        seeds.dedup();
        let mut out: Vec<Passage> = chain(&seeds, &self.config)
            .into_iter()
            .filter_map(|c| passage(&c, first, second, &self.config))
            .map(|p| if swapped { p.reversed(second) } else { p })
            .collect();
        out.sort_by_key(|p| (p.a.start, p.b.start));
        out
    }
}

/// The order in which two texts are chained: the shorter projection first, then by characters,
/// then by offsets.
fn canonical_order(a: &Projection, b: &Projection) -> std::cmp::Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.chars.cmp(&b.chars))
        .then_with(|| a.starts.cmp(&b.starts))
}

impl Passage {
    /// The same passage seen from the second text: `a` and `b` swapped, `chars` counted in the
    /// second text, whose projection is `b`.
    pub fn reversed(&self, b: &Projection) -> Passage {
        Passage {
            a: self.b,
            b: self.a,
            chars: b.end_index_of(self.b.end) - b.index_of(self.b.start),
            similarity: self.similarity,
        }
    }
}

/// Chains seeds `(i, j)` sorted by `i`, then `j`.
fn chain(seeds: &[(u32, u32)], config: &AlignConfig) -> Vec<Chain> {
    let k = config.seed.max(1);
    let (gap, shift) = (config.max_gap, config.max_shift);
    let mut active: Vec<Chain> = Vec::new();
    let mut done: Vec<Chain> = Vec::new();
    for &(i, j) in seeds {
        let (i, j) = (i as usize, j as usize);
        // Chains that can no longer grow are finished.
        let mut n = 0;
        while n < active.len() {
            if i > active[n].last_i + gap {
                done.push(active.swap_remove(n));
            } else {
                n += 1;
            }
        }
        let mut best: Option<(usize, usize)> = None;
        for (n, c) in active.iter().enumerate() {
            if i <= c.last_i || j <= c.last_j {
                continue;
            }
            let (di, dj) = (i - c.last_i, j - c.last_j);
            if dj > gap || di.abs_diff(dj) > shift {
                continue;
            }
            let cost = di + dj + 2 * di.abs_diff(dj);
            if best.is_none_or(|(_, b)| cost < b) {
                best = Some((n, cost));
            }
        }
        match best {
            Some((n, _)) => {
                let c = &mut active[n];
                c.covered += (i + k).saturating_sub(i.max(c.covered_end));
                c.covered_end = c.covered_end.max(i + k);
                c.last_i = i;
                c.last_j = j;
            }
            None => active.push(Chain {
                first_i: i,
                first_j: j,
                last_i: i,
                last_j: j,
                covered: k,
                covered_end: i + k,
            }),
        }
    }
    done.extend(active);
    // Finished chains in a deterministic order.
    done.sort_unstable_by_key(|c| (c.first_i, c.first_j));
    done
}

fn passage(c: &Chain, a: &Projection, b: &Projection, config: &AlignConfig) -> Option<Passage> {
    let k = config.seed.max(1);
    let len_a = c.last_i + k - c.first_i;
    let len_b = c.last_j + k - c.first_j;
    if len_a.min(len_b) < config.min_chars {
        return None;
    }
    let similarity = c.covered as f32 / len_a.max(len_b) as f32;
    if similarity < config.min_similarity {
        return None;
    }
    Some(Passage {
        a: a.span(c.first_i, c.last_i + k),
        b: b.span(c.first_j, c.last_j + k),
        chars: len_a,
        similarity: (similarity * 1000.0).round() / 1000.0,
    })
}

/// The passages two texts share (the first indexed, the second scanned).
pub fn align(a: &str, b: &str, config: &AlignConfig) -> Vec<Passage> {
    Aligner::new(a, config.clone()).align(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "一是学习的系统性不够。满足于读原文、记要点，对党的创新理论的内在联系研究不深，\
        学用结合还不够紧密。二是调查研究不够深入。到村到户调研次数偏少，有时听汇报多、看现场少，\
        对群众反映强烈的问题掌握不全面。";

    fn covered(passages: &[Passage], text: &str, side_a: bool) -> usize {
        let mut marks = vec![false; text.len()];
        for p in passages {
            let s = if side_a { p.a } else { p.b };
            marks[s.range()].iter_mut().for_each(|m| *m = true);
        }
        text.char_indices()
            .filter(|&(i, c)| marks[i] && is_countable(c))
            .count()
    }

    #[test]
    fn exact_copy_is_one_passage_of_similarity_one() {
        let b = format!("前言部分不同。{SOURCE}后记也不同。");
        let ps = align(SOURCE, &b, &AlignConfig::default());
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(ps[0].similarity, 1.0);
        assert_eq!(ps[0].a.slice(SOURCE), SOURCE.trim_end_matches('。'));
        assert!(ps[0].b.slice(&b).starts_with("一是学习"));
    }

    #[test]
    fn punctuation_line_breaks_and_years_do_not_break_a_passage() {
        let a = "2023年5月，县委召开专题会议研究部署民主生活会准备工作，要求各单位认真征求意见。";
        let b = "2024年5月\n县委召开专题会议、研究部署民主生活会准备工作；要求各单位认真征求意见";
        let ps = align(a, b, &AlignConfig::default());
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(ps[0].similarity, 1.0);
        assert_eq!(covered(&ps, a, true), countable_chars(a));
    }

    #[test]
    fn edits_inside_a_passage_are_bridged() {
        let b = SOURCE
            .replace("系统性", "全面性")
            .replace("到村到户", "深入到村到户")
            .replace("掌握不全面", "掌握得不够全面");
        let ps = align(SOURCE, &b, &AlignConfig::default());
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert!(ps[0].similarity > 0.8 && ps[0].similarity < 1.0, "{ps:?}");
    }

    #[test]
    fn reordered_sentences_are_found_each_on_its_own() {
        let (one, two) = SOURCE.split_at(SOURCE.find("二是").unwrap());
        let b = format!("{two}{one}");
        let ps = align(SOURCE, &b, &AlignConfig::default());
        assert_eq!(ps.len(), 2, "{ps:?}");
        assert_eq!(covered(&ps, SOURCE, true), countable_chars(SOURCE));
    }

    #[test]
    fn short_common_phrases_are_not_passages() {
        // 12 countable characters in common: under the 13-character threshold.
        let a = "我们要坚持以人民为中心的发展思想推进工作。";
        let b = "会议强调坚持以人民为中心的发展，另起话题。";
        assert!(align(a, b, &AlignConfig::default()).is_empty());
    }

    #[test]
    fn unrelated_texts_share_nothing() {
        let b = "今年以来，全县粮食播种面积稳定在八十万亩以上，新建高标准农田三万亩，农民收入稳步增长。";
        assert!(align(SOURCE, b, &AlignConfig::default()).is_empty());
    }

    #[test]
    fn degenerate_input_is_bounded_and_valid() {
        let a = "的".repeat(20_000);
        let ps = align(&a, &a, &AlignConfig::default());
        // A seed repeated thousands of times anchors nothing.
        assert!(ps.is_empty());
        assert!(align("", SOURCE, &AlignConfig::default()).is_empty());
        assert!(align(SOURCE, "，。 \n", &AlignConfig::default()).is_empty());
    }

    #[test]
    fn alignment_is_the_same_whichever_text_is_indexed() {
        let b = format!(
            "{}。{}",
            SOURCE
                .replace("系统性", "全面性")
                .replace("到村到户", "深入到村到户"),
            SOURCE.split('。').next().unwrap()
        );
        for (x, y) in [(SOURCE, b.as_str()), (b.as_str(), SOURCE)] {
            let xy = align(x, y, &AlignConfig::default());
            let mut yx: Vec<Passage> = align(y, x, &AlignConfig::default())
                .iter()
                .map(|p| p.reversed(&Projection::new(x)))
                .collect();
            yx.sort_by_key(|p| (p.a.start, p.b.start));
            assert!(!xy.is_empty());
            assert_eq!(xy, yx);
        }
    }

    #[test]
    fn a_seed_repeated_in_either_text_anchors_nothing() {
        // A 16-character phrase once in one text and 20 times (over max_repeats) in the other:
        // a repetition, not a passage, from either side.
        let phrase = "认真学习贯彻落实上级会议精神和要求";
        let once = format!("开头不同的一句话。{phrase}。结尾也不同的一句话。");
        let many = format!("{}{SOURCE}", format!("{phrase}，").repeat(20));
        for (x, y) in [(&once, &many), (&many, &once)] {
            assert!(align(x, y, &AlignConfig::default()).is_empty());
        }
    }

    #[test]
    fn countable_is_alphanumeric() {
        for c in (0..0x3_0000u32).filter_map(char::from_u32) {
            assert_eq!(is_countable(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn spans_lie_on_char_boundaries() {
        let b = format!("ＡＢ{}x", SOURCE.replace('，', ""));
        for p in align(SOURCE, &b, &AlignConfig::default()) {
            assert!(p.a.get(SOURCE).is_some() && p.b.get(&b).is_some());
        }
    }
}
