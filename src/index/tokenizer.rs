//! gongwen's tantivy tokenizers.
//!
//! - [`WordTokenizer`]: the [`Segmenter`]'s words, for BM25 ranking: byte offsets into the text,
//!   ordinal positions, a gap of one position after each sentence end (。！？；and line breaks) so
//!   that a phrase cannot match across sentences, no punctuation, white space or redaction
//!   tokens, Latin words lower-cased.
//! - [`CharTokenizer`]: every character of the text that is not white space, position = its
//!   index among those characters. A string occurs in a text (white space ignored) exactly where
//!   its characters stand at consecutive positions: a phrase query over characters answers
//!   substring queries exactly, including inside dictionary words (确立 in 两个确立) and across
//!   line breaks.
//!
//!   Characters rather than bigrams: tantivy's indexing cost grows with the distinct terms of a
//!   segment (it sorts them and builds their dictionary when the segment is written), and a
//!   Chinese text has a few thousand distinct characters but hundreds of thousands of distinct
//!   bigrams. Measured on the real corpus: adding is 1.5× faster and the index 2.3× smaller;
//!   queries read longer position lists (p50 1.3 → 2.2 ms on 109 MB), well inside the goal.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::segment::{Segmenter, TokenKind};

/// Tokenizer names as registered on every index handle.
pub(crate) const WORDS: &str = "gongwen_words";
/// See [`CharTokenizer`].
pub(crate) const CHARS: &str = "gongwen_chars";
/// See [`SignatureTokenizer`].
pub(crate) const SIGNATURE: &str = "gongwen_signature";

/// The bits of a fingerprint its term holds; the other `32 - BUCKET_BITS` are its position.
pub(crate) const BUCKET_BITS: u32 = 16;

/// The term of the fingerprints whose top bits are `bucket`: one character, U+10000 + bucket.
pub(crate) fn bucket_term(bucket: u32) -> char {
    char::from_u32(0x1_0000 + bucket).expect("a bucket is below 2^16: U+10000..U+1FFFF")
}

/// The position that holds the rest of `fingerprint`.
pub(crate) fn bucket_position(fingerprint: u32) -> u32 {
    fingerprint & ((1 << (32 - BUCKET_BITS)) - 1)
}

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

/// Text segmented per round: [`WordStream`] segments this much at a time (in parallel parts, see
/// [`Segmenter::segment`], which splits a text from 1 MB), so a 200 MB document holds the words
/// of 1 MB, not of 200 MB.
const ROUND: usize = 1 << 20;

/// A word handed to tantivy: its span, whether it is Latin (lower-cased), its position.
struct Word {
    span: crate::span::ByteSpan,
    latin: bool,
    position: usize,
}

/// The words of a text, segmented a round at a time (segmentation needs whole sentences, and a
/// round ends after a break jieba never joins across, so the words are those of the whole text),
/// handed to tantivy one by one through a reused token. Memory follows the round, not the text.
pub(crate) struct WordStream<'a> {
    segmenter: &'a Segmenter,
    text: &'a str,
    /// Where the next round starts.
    next: usize,
    /// The words of this round, in order, and how many were handed out.
    words: Vec<Word>,
    at: usize,
    position: usize,
    token: Token,
}

impl WordStream<'_> {
    /// Segments the next round into `words`; false at the end of the text.
    fn refill(&mut self) -> bool {
        self.words.clear();
        self.at = 0;
        while self.words.is_empty() && self.next < self.text.len() {
            let start = self.next;
            let end = crate::segment::chunk_end(self.text, start, ROUND);
            self.next = end;
            for t in self.segmenter.segment(&self.text[start..end]) {
                match t.kind {
                    TokenKind::Word | TokenKind::Latin | TokenKind::Number => {
                        self.words.push(Word {
                            span: crate::span::ByteSpan::new(
                                t.span.start + start,
                                t.span.end + start,
                            ),
                            latin: t.kind == TokenKind::Latin,
                            position: self.position,
                        });
                        self.position += 1;
                    }
                    TokenKind::Punct | TokenKind::Space if ends_sentence(t.text) => {
                        self.position += 1
                    }
                    _ => {}
                }
            }
        }
        !self.words.is_empty()
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        if self.at == self.words.len() && !self.refill() {
            return false;
        }
        let word = &self.words[self.at];
        self.at += 1;
        let text = word.span.slice(self.text);
        self.token.text.clear();
        if word.latin {
            self.token
                .text
                .extend(text.chars().flat_map(char::to_lowercase));
        } else {
            self.token.text.push_str(text);
        }
        self.token.offset_from = word.span.start;
        self.token.offset_to = word.span.end;
        self.token.position = word.position;
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
        WordStream {
            segmenter: &self.segmenter,
            text,
            next: 0,
            words: Vec::new(),
            at: 0,
            position: 0,
            token: Token::default(),
        }
    }
}

/// Every character of the text that is not white space, as its own term.
#[derive(Clone, Default)]
pub(crate) struct CharTokenizer;

/// Streams the characters of a text without materialising them.
pub(crate) struct CharStream<'a> {
    text: &'a str,
    /// Byte offset of the next character to look at.
    at: usize,
    token: Token,
    position: usize,
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = CharStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CharStream<'a> {
        CharStream {
            text,
            at: 0,
            token: Token::default(),
            position: 0,
        }
    }
}

impl TokenStream for CharStream<'_> {
    fn advance(&mut self) -> bool {
        // Two thirds of the instructions of indexing this field went to decoding characters and
        // testing them for white space; most characters are ideographs, decided on the lead byte.
        while let Some(&lead) = self.text.as_bytes().get(self.at) {
            let start = self.at;
            let len = match lead {
                // U+4000–U+9FFF: never white space.
                0xE4..=0xE9 => 3,
                0x00..=0x7F => {
                    self.at += 1;
                    if lead.is_ascii_whitespace() || lead == 0x0B {
                        continue;
                    }
                    1
                }
                _ => {
                    let c = self.text[start..]
                        .chars()
                        .next()
                        .expect("at a char boundary");
                    if c.is_whitespace() {
                        self.at += c.len_utf8();
                        continue;
                    }
                    c.len_utf8()
                }
            };
            self.at = start + len;
            self.token.text.clear();
            self.token.text.push_str(&self.text[start..self.at]);
            self.token.offset_from = start;
            self.token.offset_to = self.at;
            self.token.position = self.position;
            self.position += 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// A text's signature ([`fingerprints`](crate::fingerprints)) as terms: each fingerprint's top
/// [`BUCKET_BITS`] bits pick its term, the rest is the token's position. A segment then has at
/// most 2^16 distinct terms of this field however many documents it holds: tantivy's cost per
/// distinct term (sorting, the term dictionary) is what made one term per fingerprint double the
/// CPU of adding, while a position costs a few bytes. The signature is sorted, so the positions
/// of each term rise, as tantivy requires.
#[derive(Clone, Default)]
pub(crate) struct SignatureTokenizer {
    signature: Vec<u32>,
}

/// The tokens of one signature.
pub(crate) struct SignatureStream<'a> {
    fingerprints: std::slice::Iter<'a, u32>,
    token: Token,
}

impl Tokenizer for SignatureTokenizer {
    type TokenStream<'a> = SignatureStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SignatureStream<'a> {
        crate::analyze::candidates::signature_into(text, &mut self.signature);
        SignatureStream {
            fingerprints: self.signature.iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for SignatureStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(&f) = self.fingerprints.next() else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push(bucket_term(f >> (32 - BUCKET_BITS)));
        self.token.position = bucket_position(f) as usize;
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

    #[test]
    fn a_signature_is_terms_of_its_top_bits_at_positions_of_the_rest() {
        let text = "深入学习贯彻党的二十届三中全会精神，推动高质量发展取得新成效，全面从严治党向纵深推进。";
        let signature = crate::fingerprints(text);
        let tokens = collect(SignatureTokenizer::default(), text);
        assert_eq!(tokens.len(), signature.len());
        for (t, &f) in tokens.iter().zip(&signature) {
            let bucket = t.0.chars().next().unwrap() as u32 - 0x1_0000;
            assert_eq!((bucket << (32 - BUCKET_BITS)) | t.1 as u32, f);
        }
        assert!(collect(SignatureTokenizer::default(), "，。").is_empty());
    }

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
    fn characters_skip_white_space_and_keep_offsets() {
        let text = "两个\n确立 a";
        let c = collect(CharTokenizer, text);
        let texts: Vec<&str> = c.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(texts, ["两", "个", "确", "立", "a"]);
        let positions: Vec<usize> = c.iter().map(|t| t.1).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4], "white space takes no position");
        for t in &c {
            assert_eq!(&text[t.2..t.3], t.0);
        }
        assert!(
            collect(
                CharTokenizer,
                " \n\t\u{0B}\u{0C}\r\u{3000}\u{A0}\u{2028}\u{85}"
            )
            .is_empty()
        );
        // Every branch of the lead-byte test: ASCII, two-byte, ideographs, other three-byte
        // characters (punctuation, U+3400), four-byte, and white space between them.
        let text = "a\u{0B}é，\u{3000}㐀 中😀\u{2029}𠀀";
        let c = collect(CharTokenizer, text);
        let texts: Vec<&str> = c.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(texts, ["a", "é", "，", "㐀", "中", "😀", "𠀀"]);
        for (i, t) in c.iter().enumerate() {
            assert_eq!(&text[t.2..t.3], t.0);
            assert_eq!(t.1, i);
        }
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

    #[test]
    fn words_of_a_text_of_many_rounds_are_those_of_one_pass() {
        let paragraph = "坚持两个确立。落实一岗双责，GDP增长3.5%；××同志\n";
        let text = paragraph.repeat(2 * ROUND / paragraph.len() + 7);
        let words = collect(WordTokenizer::new(segmenter().clone()), &text);
        let mut position = 0;
        let mut expected = Vec::new();
        for t in segmenter().segment(&text) {
            match t.kind {
                TokenKind::Word | TokenKind::Latin | TokenKind::Number => {
                    expected.push((t.span.start, t.span.end, position));
                    position += 1;
                }
                TokenKind::Punct | TokenKind::Space if ends_sentence(t.text) => position += 1,
                _ => {}
            }
        }
        assert_eq!(words.len(), expected.len());
        assert!(
            words
                .iter()
                .zip(&expected)
                .all(|(w, e)| (w.2, w.3, w.1) == *e),
            "spans and positions differ from one pass"
        );
    }
}
