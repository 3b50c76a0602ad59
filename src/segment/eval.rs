//! Scoring a segmentation against gold words, as the SIGHAN 2005 bakeoff does: words are compared
//! as character spans; precision, recall, F1, and recall of the gold words that are out of
//! vocabulary (not in the training word list).

use std::collections::HashSet;

use serde::Serialize;

use super::{Segmenter, TokenKind};

/// Counts of a scoring run; [`SegmentationEval::score`] turns them into rates.
#[derive(Clone, Debug, Default)]
pub struct SegmentationEval {
    gold: usize,
    predicted: usize,
    correct: usize,
    oov_gold: usize,
    oov_correct: usize,
    mismatched_lines: usize,
}

/// Precision, recall, F1 and OOV recall, each 0–1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SegmentationScore {
    /// Correct words / predicted words.
    pub precision: f64,
    /// Correct words / gold words.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Recall of gold words not in the training vocabulary.
    pub oov_recall: f64,
    /// Gold words.
    pub gold_words: usize,
    /// Predicted words.
    pub predicted_words: usize,
    /// Lines whose predicted characters did not equal the gold characters (scored as all wrong).
    pub mismatched_lines: usize,
}

impl SegmentationEval {
    /// A new, empty evaluation.
    pub fn new() -> SegmentationEval {
        SegmentationEval::default()
    }

    /// Adds one line: its gold words and predicted words (white space already removed).
    /// `vocabulary` holds the training words; a gold word outside it is OOV.
    pub fn add_line(&mut self, gold: &[&str], predicted: &[&str], vocabulary: &HashSet<String>) {
        self.gold += gold.len();
        self.predicted += predicted.len();
        let spans = |words: &[&str]| {
            let mut at = 0usize;
            words
                .iter()
                .map(|w| {
                    let n = w.chars().count();
                    at += n;
                    (at - n, at)
                })
                .collect::<Vec<_>>()
        };
        let gold_spans = spans(gold);
        let oov: Vec<bool> = gold.iter().map(|w| !vocabulary.contains(*w)).collect();
        self.oov_gold += oov.iter().filter(|&&o| o).count();
        if gold.concat() != predicted.concat() {
            self.mismatched_lines += 1;
            return;
        }
        let predicted: HashSet<(usize, usize)> = spans(predicted).into_iter().collect();
        for (span, is_oov) in gold_spans.iter().zip(&oov) {
            if predicted.contains(span) {
                self.correct += 1;
                if *is_oov {
                    self.oov_correct += 1;
                }
            }
        }
    }

    /// The rates so far.
    pub fn score(&self) -> SegmentationScore {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(self.correct, self.predicted);
        let recall = ratio(self.correct, self.gold);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        SegmentationScore {
            precision,
            recall,
            f1,
            oov_recall: ratio(self.oov_correct, self.oov_gold),
            gold_words: self.gold,
            predicted_words: self.predicted,
            mismatched_lines: self.mismatched_lines,
        }
    }
}

/// Scores `segmenter` on a SIGHAN gold file (one sentence per line, words separated by white
/// space), with `training_words` (one word per line) as the vocabulary for OOV recall. Each line
/// is segmented with its spaces removed; white-space tokens are not words.
pub fn score_gold(gold: &str, training_words: &str, segmenter: &Segmenter) -> SegmentationScore {
    let vocab: HashSet<String> = training_words
        .lines()
        .map(|l| l.trim().to_string())
        .collect();
    let mut eval = SegmentationEval::new();
    for line in gold.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let text = words.concat();
        let tokens = segmenter.segment(&text);
        let predicted: Vec<&str> = tokens
            .iter()
            .filter(|t| t.kind != TokenKind::Space)
            .map(|t| t.text)
            .collect();
        eval.add_line(&words, &predicted, &vocab);
    }
    eval.score()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_by_span() {
        let vocab: HashSet<String> = ["我们".to_string(), "学习".to_string()].into();
        let mut e = SegmentationEval::new();
        e.add_line(
            &["我们", "学习", "两个", "确立"],
            &["我们", "学习", "两个确立"],
            &vocab,
        );
        let s = e.score();
        assert_eq!((s.gold_words, s.predicted_words), (4, 3));
        assert!((s.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.recall - 0.5).abs() < 1e-9);
        assert_eq!(s.oov_recall, 0.0);
        assert_eq!(s.mismatched_lines, 0);
    }
}
