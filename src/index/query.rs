//! The query language of `gongwen search`: `A B` needs both, `A OR B` either, `-A` excludes,
//! `"…"` quotes a string with spaces. Each term is a literal substring of the stored text: white
//! space inside the document or the term does not break a match, case and punctuation count.
//!
//! A parsed [`SearchQuery`] compiles to tantivy queries over the bigram and character fields, which
//! find exactly the documents containing the terms, and finds the terms' occurrences in a text
//! ([`SearchQuery::occurrences`]) for counts, snippets and KWIC.

use std::collections::BTreeSet;

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
        let compact = Compact::new(text);
        let mut found: BTreeSet<(usize, std::cmp::Reverse<usize>)> = BTreeSet::new();
        for term in self.positive_terms() {
            for (s, e) in compact.find_all(&term.chars) {
                found.insert((s, std::cmp::Reverse(e)));
            }
        }
        let mut out = Vec::new();
        let mut at = 0;
        for (s, std::cmp::Reverse(e)) in found {
            if s >= at {
                out.push(compact.span(s, e));
                at = e;
            }
        }
        out
    }
}

impl Term {
    fn new(text: &str) -> Option<Term> {
        let text = normalize(text).text.into_owned();
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

/// A text's characters without white space, with each one's byte offset, for matching.
pub(crate) struct Compact<'t> {
    text: &'t str,
    chars: Vec<char>,
    offsets: Vec<usize>,
}

impl<'t> Compact<'t> {
    pub(crate) fn new(text: &'t str) -> Compact<'t> {
        let mut chars = Vec::with_capacity(text.len() / 3);
        let mut offsets = Vec::with_capacity(text.len() / 3);
        for (i, c) in text.char_indices() {
            if !c.is_whitespace() {
                chars.push(c);
                offsets.push(i);
            }
        }
        Compact {
            text,
            chars,
            offsets,
        }
    }

    /// Non-overlapping occurrences of `needle`, as (start, end) character indices.
    pub(crate) fn find_all(&self, needle: &[char]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let n = needle.len();
        if n == 0 || n > self.chars.len() {
            return out;
        }
        let first = needle[0];
        let mut i = 0;
        while i + n <= self.chars.len() {
            if self.chars[i] == first && self.chars[i..i + n] == *needle {
                out.push((i, i + n));
                i += n;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The byte span of characters `[s, e)`.
    pub(crate) fn span(&self, s: usize, e: usize) -> ByteSpan {
        let last = self.offsets[e - 1];
        let end = last + self.text[last..].chars().next().map_or(0, char::len_utf8);
        ByteSpan::new(self.offsets[s], end)
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
