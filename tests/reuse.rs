//! Reuse accuracy on known reuse made from real text, with the truth recorded character by
//! character: a "next year" of a national report keeping some paragraphs with edits (years and
//! congress ordinals substituted, characters inserted, deleted and replaced, paragraphs reordered)
//! and taking the others from a provincial report; provincial passages spliced into another
//! province's report; and the negative controls of INTERFACE.md's `check` (consecutive national
//! reports, the 31 provincial reports).

use std::fs;
use std::path::Path;

use gongwen::{AlignConfig, Aligner, ReuseCheck, ReuseConfig, SourceInfo, Year, is_countable};

use crate::util::shared_data;

/// A small deterministic generator (xorshift64*), so that every run builds the same texts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < p
    }
}

/// A text being built, with each character marked as coming from the source or not, and as
/// scored or not: text of the other document that the source shares anyway (stock phrasing both
/// reports use) is real shared text, neither planted nor a false find.
#[derive(Default)]
struct Built {
    text: String,
    from_source: Vec<bool>,
    unscored: Vec<bool>,
}

impl Built {
    fn push(&mut self, c: char, from_source: bool) {
        self.text.push(c);
        self.from_source
            .extend(std::iter::repeat_n(from_source, c.len_utf8()));
        self.unscored
            .extend(std::iter::repeat_n(false, c.len_utf8()));
    }
    /// Pushes a paragraph of the other document, unscored where it shares text with `source`.
    fn push_other(&mut self, s: &str, source: &str) {
        let at = self.text.len();
        s.chars().for_each(|c| self.push(c, false));
        for p in Aligner::new(s, AlignConfig::default()).align(source) {
            self.unscored[p.a.shift(at).range()]
                .iter_mut()
                .for_each(|m| *m = true);
        }
    }
}

const FILLER: &[char] = &[
    '进', '一', '步', '加', '强', '工', '作', '推', '动', '全', '面',
];

/// Copies `para` with `rate` of its countable characters edited (replaced, deleted, or with a
/// character inserted before), half its digits changed (years, figures) and congress ordinals
/// substituted.
fn edit(out: &mut Built, para: &str, rate: f64, rng: &mut Rng) {
    let para = para.replace("十九大", "二十大").replace("十八大", "十九大");
    for c in para.chars() {
        if c.is_ascii_digit() && rng.chance(0.5) {
            // A changed figure: still a copy (digits are folded).
            out.push(char::from(b'0' + rng.below(10) as u8), true);
            continue;
        }
        if is_countable(c) && rng.chance(rate) {
            match rng.below(3) {
                0 => out.push(FILLER[rng.below(FILLER.len())], false),
                1 => {}
                _ => {
                    out.push(FILLER[rng.below(FILLER.len())], false);
                    out.push(c, true);
                }
            }
            continue;
        }
        out.push(c, true);
    }
}

fn paragraphs(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.chars().filter(|&c| is_countable(c)).count() >= 30)
        .collect()
}

/// Character-level precision and recall of `found` (byte marks) against `truth` (byte marks),
/// over countable characters.
fn score(made: &Built, found: &[bool]) -> (f64, f64) {
    let (text, truth) = (&made.text, &made.from_source);
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for (i, c) in text.char_indices() {
        if !is_countable(c) || made.unscored[i] {
            continue;
        }
        match (truth[i], found[i]) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fneg += 1,
            _ => {}
        }
    }
    let p = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let r = if tp + fneg == 0 {
        1.0
    } else {
        tp as f64 / (tp + fneg) as f64
    };
    (p, r)
}

fn found_marks(source: &str, made: &str) -> Vec<bool> {
    let mut found = vec![false; made.len()];
    for p in Aligner::new(made, AlignConfig::default()).align(source) {
        found[p.a.range()].iter_mut().for_each(|m| *m = true);
    }
    found
}

/// A "next year" of `source`: half its paragraphs kept (edited, reordered), the others from `other`.
fn next_year(source: &str, other: &str, rate: f64, rng: &mut Rng) -> Built {
    let src = paragraphs(source);
    let oth = paragraphs(other);
    let mut picked: Vec<(bool, &str)> = Vec::new();
    for (n, p) in src.iter().enumerate() {
        if rng.chance(0.5) {
            picked.push((true, p));
        } else {
            picked.push((false, oth[n % oth.len()]));
        }
    }
    // Reorder: swap some neighbours.
    for n in 1..picked.len() {
        if rng.chance(0.2) {
            picked.swap(n - 1, n);
        }
    }
    let mut out = Built::default();
    for (kept, p) in picked {
        if kept {
            edit(&mut out, p, rate, rng);
        } else {
            out.push_other(p, source);
        }
        out.push('\n', false);
    }
    out
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn reuse_found_at_character_level_on_edited_next_years() {
    let Some(data) = shared_data() else { return };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pairs = [
        (
            "gwr_national/by_year/2019_国务院政府工作报告.txt",
            "gwr_provincial_2026/txt/2026_四川省_政府工作报告.txt",
        ),
        (
            "gwr_national/by_year/2014_国务院政府工作报告.txt",
            "gwr_provincial_2026/txt/2026_浙江省_政府工作报告.txt",
        ),
        (
            "gwr_national/by_year/2008_国务院政府工作报告.txt",
            "gwr_provincial_2026/txt/2026_河南省_政府工作报告.txt",
        ),
    ];
    for rate in [0.01, 0.05, 0.10] {
        let (mut ps, mut rs) = (Vec::new(), Vec::new());
        for (source, other) in pairs {
            let (source, other) = (read(&data, source), read(&data, other));
            let made = next_year(&source, &other, rate, &mut rng);
            let found = found_marks(&source, &made.text);
            let (p, r) = score(&made, &found);
            ps.push(p);
            rs.push(r);
        }
        let p = ps.iter().sum::<f64>() / ps.len() as f64;
        let r = rs.iter().sum::<f64>() / rs.len() as f64;
        eprintln!(
            "edits {:.0}%: precision {p:.3} recall {r:.3} (per pair {ps:.3?} {rs:.3?})",
            rate * 100.0
        );
        let goal = if rate <= 0.05 { 0.95 } else { 0.85 };
        assert!(
            p >= goal && r >= goal,
            "edits {rate}: precision {p:.3}, recall {r:.3}, goal {goal}"
        );
    }
}

#[test]
fn passages_spliced_between_provinces_are_found() {
    let Some(data) = shared_data() else { return };
    let mut rng = Rng(42);
    let source = read(
        &data,
        "gwr_provincial_2026/txt/2026_湖南省_政府工作报告.txt",
    );
    let target = read(
        &data,
        "gwr_provincial_2026/txt/2026_江西省_政府工作报告.txt",
    );
    let (src, tgt) = (paragraphs(&source), paragraphs(&target));
    let mut made = Built::default();
    for (n, p) in tgt.iter().enumerate() {
        made.push_other(p, &source);
        made.push('\n', false);
        if n % 4 == 1 {
            // A spliced passage, place names left in.
            edit(&mut made, src[rng.below(src.len())], 0.02, &mut rng);
            made.push('\n', false);
        }
    }
    let found = found_marks(&source, &made.text);
    let (p, r) = score(&made, &found);
    eprintln!("spliced provincial passages: precision {p:.3} recall {r:.3}");
    assert!(p >= 0.95 && r >= 0.95, "precision {p:.3}, recall {r:.3}");
}

fn info(unit: &str, year: u32) -> SourceInfo {
    SourceInfo {
        author: None,
        unit: Some(unit.into()),
        year: Year::new(year),
        mandated: false,
    }
}

#[test]
fn consecutive_national_reports_share_little() {
    let Some(data) = shared_data() else { return };
    let dir = data.join("gwr_national/by_year");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt") && n.as_str() >= "2000")
        .collect();
    names.sort();
    let mut shares = Vec::new();
    for w in names.windows(2) {
        let (prev, this) = (read(&dir, &w[0]), read(&dir, &w[1]));
        let mut check = ReuseCheck::new(&this, info("国务院", 2001), ReuseConfig::default());
        check.add_source(&prev, info("某省", 2000), "某省".into());
        let r = check.finish();
        shares.push(r.cnki.total);
        assert!(r.flags.is_empty(), "{}: {:?}", w[1], r.flags);
    }
    shares.sort_by(f64::total_cmp);
    let median = shares[shares.len() / 2];
    eprintln!(
        "consecutive national reports, share of the later covered by the earlier: median {median:.3}, max {:.3}",
        shares.last().unwrap()
    );
    assert!(median < 0.15, "median {median}");
    assert!(*shares.last().unwrap() < 0.35, "{shares:?}");
}
