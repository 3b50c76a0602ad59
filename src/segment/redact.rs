//! Redactions: published materials hide names and numbers as `**`, `××`, `XX`, `＊＊`, `○○`,
//! `□□`. They are neither words nor punctuation but "something was here", and analyzers need to
//! tell them apart (a problem item whose only number is `**` still named a number).
//!
//! A redaction is a maximal run of `*` `＊` `×` `X` `x` `○` `〇` `□` `■`, kept when:
//! - it has no ASCII letter or digit on either side (so `XXL`, `3×4`, `x86` are not redactions);
//! - it is not a run of circles next to a Chinese numeral (二〇二三, 二○○八 are years);
//! - a lower-case `x` run has at least two characters; a single mark has a CJK character beside it
//!   (`X月X日`, `视察*重要讲话`).

use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::is_cjk_letter;
use crate::span::ByteSpan;

fn is_cjk_numeral(c: char) -> bool {
    "零一二三四五六七八九十百千万〇○两".contains(c)
}

/// Runs of redaction marks; a character class, so the regex engine scans for it at memory speed.
static RUNS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("[*＊×Xx○〇□■]+").expect("static regex"));

/// The redaction runs of `text`, in order.
pub fn redactions(text: &str) -> Vec<ByteSpan> {
    let mut out = Vec::new();
    for m in RUNS.find_iter(text) {
        let run = m.as_str();
        let prev = text[..m.start()].chars().next_back();
        let next = text[m.end()..].chars().next();
        let run_len = run.chars().count();
        let circles = run.chars().all(is_circle);
        let lower_x = run.chars().all(|c| c == 'x');
        if keep(prev, next, run_len, circles, lower_x) {
            out.push(ByteSpan::new(m.start(), m.end()));
        }
    }
    out
}

fn is_circle(c: char) -> bool {
    matches!(c, '○' | '〇')
}

fn keep(
    prev: Option<char>,
    next: Option<char>,
    run_len: usize,
    circles: bool,
    lower_x: bool,
) -> bool {
    let ascii_alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if ascii_alnum(prev) || ascii_alnum(next) {
        return false;
    }
    if circles && (prev.is_some_and(is_cjk_numeral) || next.is_some_and(is_cjk_numeral)) {
        return false;
    }
    if lower_x && run_len < 2 {
        return false;
    }
    run_len >= 2 || prev.is_some_and(is_cjk_letter) || next.is_some_and(is_cjk_letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        redactions(text).iter().map(|s| s.slice(text)).collect()
    }

    #[test]
    fn the_usual_forms() {
        assert_eq!(found("视察**重要讲话，支出占**%"), ["**", "**"]);
        assert_eq!(found("××同志于X月X日到XX县"), ["××", "X", "X", "XX"]);
        assert_eq!(found("＊＊乡○○村□□"), ["＊＊", "○○", "□□"]);
        assert_eq!(found("xx镇"), ["xx"]);
    }

    #[test]
    fn not_redactions() {
        assert!(found("XXL码，3×4=12，x86，Windows XP").is_empty());
        assert!(found("二〇二三年，二○○八年").is_empty());
        assert!(found("a*b").is_empty());
    }
}
