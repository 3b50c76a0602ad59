//! gongwen's tantivy tokenizers.
//!
//! - [`WordTokenizer`]: the [`Segmenter`]'s words, for BM25 ranking: byte offsets into the text,
//!   ordinal positions, a gap of one position after each sentence end (。！？；and line breaks) so
//!   that a phrase cannot match across sentences, no punctuation, white space or redaction
//!   tokens, Latin words lower-cased.
//! - [`GramTokenizer`]: overlapping character bigrams of the text with white space removed,
//!   position = index of the first character. A string of n ≥ 2 characters occurs in a text
//!   (white space ignored) exactly where its n − 1 bigrams stand at consecutive positions: the
//!   index answers substring queries exactly, including inside dictionary words (确立 in 两个确立)
//!   and across line breaks.
//!   The last character also stands alone as a one-character term, so every character of the
//!   text begins some term, and a one-character query is the range of terms that begin with it.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::segment::{Segmenter, TokenKind};

/// Tokenizer names as registered on every index handle.
pub(crate) const WORDS: &str = "gongwen_words";
/// See [`GramTokenizer`].
pub(crate) const GRAMS: &str = "gongwen_grams";

/// The Segmenter's words as tantivy tokens.
#[derive(Clone)]
pub(crate) struct WordTokenizer {
    segmenter: Segmenter,
}

impl WordTokenizer {
    pub(crate) fn new(segmenter: Segmenter) -> WordTokenizer {
        WordTokenizer { segmenter }
    }
}

/// The words of a text, segmented up front (segmentation needs whole sentences), handed to
/// tantivy one by one through a reused token.
pub(crate) struct WordStream<'a> {
    words: std::vec::IntoIter<(crate::span::ByteSpan, &'a str, bool, usize)>,
    token: Token,
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((span, text, latin, position)) = self.words.next() else {
            return false;
        };
        self.token.text.clear();
        if latin {
            self.token
                .text
                .extend(text.chars().flat_map(char::to_lowercase));
        } else {
            self.token.text.push_str(text);
        }
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        self.token.position = position;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

fn ends_sentence(s: &str) -> bool {
    s.contains(['。', '！', '？', '；', '\n', '!', '?', ';'])
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        let mut words = Vec::with_capacity(text.len() / 5);
        let mut position = 0usize;
        for t in self.segmenter.segment(text) {
            match t.kind {
                TokenKind::Word | TokenKind::Latin | TokenKind::Number => {
                    words.push((t.span, t.text, t.kind == TokenKind::Latin, position));
                    position += 1;
                }
                TokenKind::Punct | TokenKind::Space if ends_sentence(t.text) => position += 1,
                _ => {}
            }
        }
        WordStream {
            words: words.into_iter(),
            token: Token::default(),
        }
    }
}

/// Overlapping character bigrams over the text without white space.
#[derive(Clone, Default)]
pub(crate) struct GramTokenizer;

/// The characters of a text that are not white space, with their byte offsets.
type NonSpace<'a> = std::iter::Filter<std::str::CharIndices<'a>, fn(&(usize, char)) -> bool>;

/// Streams bigrams without materialising them all.
pub(crate) struct GramStream<'a> {
    chars: NonSpace<'a>,
    prev: Option<(usize, char)>,
    token: Token,
    position: usize,
}

fn not_space(&(_, c): &(usize, char)) -> bool {
    !c.is_whitespace()
}

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = GramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramStream<'a> {
        let mut chars = text
            .char_indices()
            .filter(not_space as fn(&(usize, char)) -> bool);
        let prev = chars.next();
        GramStream {
            chars,
            prev,
            token: Token::default(),
            position: 0,
        }
    }
}

impl TokenStream for GramStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((i, a)) = self.prev else {
            return false;
        };
        let Some((j, b)) = self.chars.next() else {
            // The last character also stands alone, so that every character begins some term:
            // a one-character query is then the range of terms that begin with it.
            self.token.text.clear();
            self.token.text.push(a);
            self.token.offset_from = i;
            self.token.offset_to = i + a.len_utf8();
            self.token.position = self.position;
            self.prev = None;
            return true;
        };
        self.token.text.clear();
        self.token.text.push(a);
        self.token.text.push(b);
        self.token.offset_from = i;
        self.token.offset_to = j + b.len_utf8();
        self.token.position = self.position;
        self.position += 1;
        self.prev = Some((j, b));
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::segmenter;

    fn collect<T: Tokenizer>(mut t: T, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut s = t.token_stream(text);
        while s.advance() {
            let tok = s.token();
            out.push((
                tok.text.clone(),
                tok.position,
                tok.offset_from,
                tok.offset_to,
            ));
        }
        out
    }

    #[test]
    fn grams_skip_white_space_and_keep_offsets() {
        let text = "两个\n确立";
        let g = collect(GramTokenizer, text);
        let texts: Vec<&str> = g.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(texts, ["两个", "个确", "确立", "立"]);
        assert_eq!(g[1].1, 1);
        assert_eq!(&text[g[1].2..g[1].3], "个\n确");
        assert_eq!(
            collect(GramTokenizer, " 字 ")
                .iter()
                .map(|t| t.0.as_str())
                .collect::<Vec<_>>(),
            ["字"]
        );
        assert!(collect(GramTokenizer, " ").is_empty());
    }

    #[test]
    fn word_offsets_equal_the_segmenters_and_sentences_leave_a_gap() {
        let text = "坚持两个确立。落实一岗双责，GDP增长";
        let words = collect(WordTokenizer::new(segmenter().clone()), text);
        let seg: Vec<_> = segmenter()
            .segment(text)
            .into_iter()
            .filter(|t| t.kind.is_content())
            .collect();
        assert_eq!(words.len(), seg.len());
        for (w, s) in words.iter().zip(&seg) {
            assert_eq!((w.2, w.3), (s.span.start, s.span.end));
        }
        let pos = |w: &str| words.iter().find(|t| t.0 == w).unwrap().1;
        assert_eq!(pos("两个确立") + 2, pos("落实"), "a gap after 。");
        assert_eq!(pos("落实") + 1, pos("一岗双责"), "no gap after ，");
        assert!(words.iter().any(|t| t.0 == "gdp"));
    }
}
