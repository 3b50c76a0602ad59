//! The query language of `gongwen search`: `A B` needs both, `A OR B` either, `-A` excludes,
//! `"…"` quotes a string with spaces. Each term is a literal substring of the stored text: white
//! space inside the document or the term does not break a match, case and punctuation count.
//!
//! A parsed [`SearchQuery`] compiles to tantivy queries over the character field, which
//! find exactly the documents containing the terms, and finds the terms' occurrences in a text
//! ([`SearchQuery::occurrences`]) for counts, snippets and KWIC.

use crate::corpus::normalize;
use crate::error::{Error, Result};
use crate::span::ByteSpan;

/// One literal term: the text as the user wrote it, and its characters without white space.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// As written (after normalisation: full-width digits are half-width, as in stored texts).
    pub text: String,
    /// The characters to match, white space removed.
    pub chars: Vec<char>,
}

/// A parsed query: every clause must match (a clause matches if any of its terms does), no
/// excluded term may.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    /// The query as given.
    pub source: String,
    /// Conjunction of disjunctions.
    pub clauses: Vec<Vec<Term>>,
    /// Terms that must not occur.
    pub excluded: Vec<Term>,
}

impl SearchQuery {
    /// Parses a query.
    ///
    /// # Errors
    ///
    /// The query is empty, has only white space or punctuation, or has only excluded terms.
    pub fn parse(source: &str) -> Result<SearchQuery> {
        let err = |reason: &str| Error::Query {
            query: source.to_string(),
            reason: reason.to_string(),
        };
        let mut clauses: Vec<Vec<Term>> = Vec::new();
        let mut excluded = Vec::new();
        let mut or_next = false;
        for (word, quoted) in split(source) {
            if !quoted && word == "OR" {
                or_next = !clauses.is_empty();
                continue;
            }
            let (negated, word) = match word.strip_prefix('-') {
                Some(rest) if !quoted && !rest.is_empty() => (true, rest.to_string()),
                _ => (false, word),
            };
            let Some(term) = Term::new(&word) else {
                continue;
            };
            if negated {
                excluded.push(term);
            } else if or_next {
                clauses.last_mut().expect("OR follows a clause").push(term);
            } else {
                clauses.push(vec![term]);
            }
            or_next = false;
        }
        if clauses.is_empty() {
            return Err(err(if excluded.is_empty() {
                "the query is empty"
            } else {
                "the query only excludes; give at least one term to find"
            }));
        }
        let searchable = |t: &Term| t.chars.iter().any(|c| c.is_alphanumeric());
        if !clauses.iter().flatten().any(searchable) {
            return Err(err(
                "the query has only punctuation; give characters to find",
            ));
        }
        Ok(SearchQuery {
            source: source.to_string(),
            clauses,
            excluded,
        })
    }

    /// Every term to find, each once.
    pub fn positive_terms(&self) -> impl Iterator<Item = &Term> {
        self.clauses.iter().flatten()
    }

    /// Non-overlapping occurrences of the positive terms in `text` (white space ignored), as byte
    /// spans, sorted. Where terms overlap, the earlier (then longer) occurrence wins.
    pub fn occurrences(&self, text: &str) -> Vec<ByteSpan> {
        self.occurrences_with(text, WhiteSpace::Unicode)
    }

    /// [`SearchQuery::occurrences`] in a stored text, whose only white space is ASCII (space, tab,
    /// line feed: see [`normalize`]), found with memchr: what the web UI highlights in a
    /// document.
    pub fn occurrences_in_stored(&self, text: &str) -> Vec<ByteSpan> {
        self.occurrences_with(text, WhiteSpace::Ascii)
    }

    fn occurrences_with(&self, text: &str, ws: WhiteSpace) -> Vec<ByteSpan> {
        let mut found: Vec<ByteSpan> = Vec::new();
        for term in self.positive_terms() {
            let needle: String = term.chars.iter().collect();
            found.extend(find_ignoring_white_space(text, &needle, ws));
        }
        // Leftmost first, then longest; keep those that do not overlap a kept one.
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<ByteSpan> = Vec::with_capacity(found.len());
        for span in found {
            if out.last().is_none_or(|last| span.start >= last.end) {
                out.push(span);
            }
        }
        out
    }
}

/// Every occurrence of `needle` (which has no white space) in `text`, where white space in the
/// text may stand between any two of its characters; overlapping occurrences included. Most
/// occurrences are found by memmem over the text itself; only around each run of white space is
/// a small compact window built, for the occurrences that cross it.
fn find_ignoring_white_space(text: &str, needle: &str, ws_kind: WhiteSpace) -> Vec<ByteSpan> {
    let mut out = Vec::new();
    let Some(first) = needle.chars().next() else {
        return out;
    };
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut at = 0;
    while let Some(i) = finder.find(&text.as_bytes()[at..]) {
        out.push(ByteSpan::new(at + i, at + i + needle.len()));
        at += i + first.len_utf8();
    }
    let needle_chars: Vec<char> = needle.chars().collect();
    let chars = needle_chars.len();
    if chars < 2 {
        return out;
    }
    // Around each run of white space: up to chars - 1 non-white characters on either side,
    // compacted into `window` with the text offset of each of its bytes' characters.
    let mut window = String::new();
    let mut offsets: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    while let Some((ws, run_end)) = next_white_run(text, pos, ws_kind) {
        // An occurrence across this run has one of its characters but the last just before the
        // run and one but the first just after it: most runs (after 。) are passed over here.
        let before = text[..ws].chars().next_back();
        let after = text[run_end..].chars().next();
        let crossable = before.is_some_and(|c| needle_chars[..chars - 1].contains(&c))
            && after.is_some_and(|c| needle_chars[1..].contains(&c));
        if !crossable {
            pos = run_end;
            continue;
        }
        window.clear();
        offsets.clear();
        let start = back_non_white(text, ws, chars - 1);
        let end = forward_non_white(text, run_end, chars - 1);
        for (i, c) in text[start..end].char_indices() {
            if !c.is_whitespace() {
                offsets.push((window.len(), start + i));
                window.push(c);
            }
        }
        let mut from = 0;
        while let Some(i) = window[from..].find(needle).map(|i| from + i) {
            let k = offsets.partition_point(|&(w, _)| w < i);
            let last = offsets.partition_point(|&(w, _)| w < i + needle.len()) - 1;
            let (s, e) = (offsets[k].1, offsets[last].1);
            let e = e + text[e..].chars().next().map_or(0, char::len_utf8);
            // Only occurrences that contain this run; the others are found directly or at
            // another run.
            if s < ws && e > run_end {
                out.push(ByteSpan::new(s, e));
            }
            from = i + first.len_utf8();
        }
        pos = run_end;
    }
    out.sort();
    out.dedup();
    out
}

/// Which white space a text may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WhiteSpace {
    /// Only space, tab and line feed (normalised stored texts).
    Ascii,
    /// Any.
    Unicode,
}

/// The next run of white space at or after byte `from`, as `(start, end)`.
fn next_white_run(text: &str, from: usize, kind: WhiteSpace) -> Option<(usize, usize)> {
    let start = from
        + match kind {
            WhiteSpace::Ascii => memchr::memchr3(b' ', b'\n', b'\t', &text.as_bytes()[from..])?,
            WhiteSpace::Unicode => text[from..].find(char::is_whitespace)?,
        };
    let end = text[start..]
        .find(|c: char| !c.is_whitespace())
        .map_or(text.len(), |i| start + i);
    Some((start, end))
}

/// The offset `n` non-white characters before `at` (white space skipped, not counted).
fn back_non_white(text: &str, at: usize, n: usize) -> usize {
    let mut count = 0;
    let mut start = at;
    for (i, c) in text[..at].char_indices().rev() {
        if count == n {
            break;
        }
        start = i;
        if !c.is_whitespace() {
            count += 1;
        }
    }
    start
}

/// The offset after `n` non-white characters from `at`.
fn forward_non_white(text: &str, at: usize, n: usize) -> usize {
    let mut count = 0;
    let mut end = at;
    for (i, c) in text[at..].char_indices() {
        if count == n {
            break;
        }
        end = at + i + c.len_utf8();
        if !c.is_whitespace() {
            count += 1;
        }
    }
    end
}

impl Term {
    fn new(text: &str) -> Option<Term> {
        let mut text = normalize(text).text.into_owned();
        // A query is a fragment: ３．５ in a text is stored as 3.5, so ．５ or ３． at the edge of
        // a query means the decimal point too.
        if text.contains('．') {
            let chars: Vec<char> = text.chars().collect();
            text = (0..chars.len())
                .map(|i| {
                    let digit = |j: Option<usize>| {
                        j.and_then(|j| chars.get(j))
                            .is_some_and(char::is_ascii_digit)
                    };
                    if chars[i] == '．' && (digit(i.checked_sub(1)) || digit(Some(i + 1))) {
                        '.'
                    } else {
                        chars[i]
                    }
                })
                .collect();
        }
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        (!chars.is_empty()).then_some(Term { text, chars })
    }
}

/// Splits on white space outside double quotes (ASCII or Chinese); yields (word, quoted).
fn split(source: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut was_quoted = false;
    for c in source.chars() {
        match (quote, c) {
            (None, '"' | '“') if current.is_empty() || current == "-" => {
                quote = Some(if c == '"' { '"' } else { '”' });
                was_quoted = current.is_empty();
                if current == "-" {
                    // -"…" excludes a quoted string.
                    current.clear();
                    current.push('\u{1}');
                }
            }
            (Some(q), c) if c == q => {
                quote = None;
                push_word(&mut out, &mut current, was_quoted);
                was_quoted = false;
            }
            (None, c) if c.is_whitespace() => push_word(&mut out, &mut current, false),
            _ => current.push(c),
        }
    }
    push_word(&mut out, &mut current, was_quoted || quote.is_some());
    out
}

fn push_word(out: &mut Vec<(String, bool)>, current: &mut String, quoted: bool) {
    if current.is_empty() {
        return;
    }
    let word = std::mem::take(current);
    match word.strip_prefix('\u{1}') {
        Some(rest) => out.push((format!("-{rest}"), false)),
        None => out.push((word, quoted)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(terms: &[Term]) -> Vec<&str> {
        terms.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn syntax() {
        let q = SearchQuery::parse("两个确立 四风 OR 形式主义 -官僚主义 \"一岗 双责\"").unwrap();
        assert_eq!(q.clauses.len(), 3);
        assert_eq!(texts(&q.clauses[0]), ["两个确立"]);
        assert_eq!(texts(&q.clauses[1]), ["四风", "形式主义"]);
        assert_eq!(texts(&q.clauses[2]), ["一岗 双责"]);
        assert_eq!(q.clauses[2][0].chars.iter().collect::<String>(), "一岗双责");
        assert_eq!(texts(&q.excluded), ["官僚主义"]);
        let q = SearchQuery::parse("-\"a b\" c").unwrap();
        assert_eq!(texts(&q.excluded), ["a b"]);
        let q = SearchQuery::parse("２０２３年").unwrap();
        assert_eq!(texts(&q.clauses[0]), ["2023年"]);
        let q = SearchQuery::parse("．７ 增长．").unwrap();
        assert_eq!(texts(&q.clauses[0]), [".7"]);
        assert_eq!(texts(&q.clauses[1]), ["增长．"]);
    }

    #[test]
    fn finds_across_every_kind_of_white_space() {
        let text = "两个\n确立\u{3000}，\u{2028}以案 \t促改\u{A0}。哈\n哈哈";
        for (needle, n) in [
            ("两个确立", 1),
            ("确立，以案", 1),
            ("促改。", 1),
            ("两", 1),
            ("。", 1),
            ("哈哈", 2),
        ] {
            let found = find_ignoring_white_space(text, needle, WhiteSpace::Unicode);
            assert_eq!(found.len(), n, "{needle}: {found:?}");
            for span in found {
                let got: String = span
                    .slice(text)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                assert_eq!(got, needle);
                let s = span.slice(text);
                assert!(!s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace));
            }
        }
    }

    #[test]
    fn bad_queries() {
        for q in ["", "   ", "。，、", "-四风", "OR"] {
            assert!(
                matches!(SearchQuery::parse(q), Err(Error::Query { .. })),
                "{q:?}"
            );
        }
    }

    #[test]
    fn occurrences_ignore_white_space_and_do_not_overlap() {
        let text = "两个\n确立，两个确立。哈哈哈哈哈";
        let q = SearchQuery::parse("两个确立").unwrap();
        let spans: Vec<&str> = q.occurrences(text).iter().map(|s| s.slice(text)).collect();
        assert_eq!(spans, ["两个\n确立", "两个确立"]);
        let q = SearchQuery::parse("哈哈").unwrap();
        assert_eq!(q.occurrences(text).len(), 2);
    }
}
