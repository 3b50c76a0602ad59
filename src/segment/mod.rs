//! Segmentation: jieba-rs with gongwen's political dictionary, so that 两个确立, 一岗双责,
//! 民主生活会 and 习近平新时代中国特色社会主义思想 stay whole.
//!
//! A [`Segmenter`] owns one `Arc<Jieba>`, built once by [`SegmenterBuilder`] (default dictionary,
//! then `dictionaries/political.txt`, then user dictionaries) and shared by every clone. Its
//! [`Token`]s cover the input exactly: in order, without overlap or gap, so they join back to the
//! text. Redactions (`**`, `××`, see [`redactions`]) are tokens of their own kind, never cut by
//! jieba.

mod dict;
pub mod eval;
mod pos;
mod redact;

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use jieba_rs::Jieba;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::Result;
use crate::span::ByteSpan;

pub use dict::{DictEntry, POLITICAL, parse_dictionary};
pub use pos::Pos;
pub use redact::redactions;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A word with CJK characters.
    Word,
    /// A run of Latin letters (with digits).
    Latin,
    /// A number: digits, with `.`, `,` or `%`.
    Number,
    /// Punctuation.
    Punct,
    /// White space, line breaks included.
    Space,
    /// A redaction (`**`, `××`, `XX`).
    Redaction,
    /// Anything else: emoji, symbols.
    Other,
}

impl TokenKind {
    /// Whether the token carries content: a word, Latin word, number or redaction.
    pub fn is_content(self) -> bool {
        matches!(
            self,
            TokenKind::Word | TokenKind::Latin | TokenKind::Number | TokenKind::Redaction
        )
    }
}

/// A token of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'t> {
    /// The token's text.
    pub text: &'t str,
    /// Its byte span in the segmented text.
    pub span: ByteSpan,
    /// What it is.
    pub kind: TokenKind,
    /// Its part of speech, when asked for ([`Segmenter::tag`]).
    pub pos: Option<Pos>,
}

/// Builds a [`Segmenter`].
#[derive(Clone, Debug)]
pub struct SegmenterBuilder {
    political: bool,
    hmm: bool,
    user: Vec<DictEntry>,
}

impl Default for SegmenterBuilder {
    fn default() -> Self {
        SegmenterBuilder::new()
    }
}

impl SegmenterBuilder {
    /// A builder with the political dictionary and HMM for unknown words.
    pub fn new() -> SegmenterBuilder {
        SegmenterBuilder {
            political: true,
            hmm: true,
            user: Vec::new(),
        }
    }

    /// Whether to load gongwen's political dictionary (default: yes).
    pub fn political(&mut self, yes: bool) -> &mut SegmenterBuilder {
        self.political = yes;
        self
    }

    /// Whether jieba's HMM guesses unknown words (default: yes).
    pub fn hmm(&mut self, yes: bool) -> &mut SegmenterBuilder {
        self.hmm = yes;
        self
    }

    /// Adds a user dictionary (`word [freq] [tag]` per line), loaded after the built-in ones so
    /// its frequencies win. `name` names it in errors.
    ///
    /// # Errors
    ///
    /// A malformed line; the error names the dictionary and the line.
    pub fn dictionary<R: BufRead>(
        &mut self,
        name: &str,
        reader: R,
    ) -> Result<&mut SegmenterBuilder> {
        self.user.extend(parse_dictionary(name, reader)?);
        Ok(self)
    }

    /// Builds the segmenter: jieba's default dictionary (≈90 ms), then ours.
    ///
    /// # Errors
    ///
    /// Only if the built-in dictionary is malformed, which tests rule out.
    pub fn build(&self) -> Result<Segmenter> {
        let entries = self.entries()?;
        Ok(Segmenter {
            jieba: Arc::new(Dictionary::ready(load(&entries))),
            hmm: self.hmm,
            user_tags: entries.user_tags(),
        })
    }

    /// Like [`SegmenterBuilder::build`], but the dictionary loads on a thread of its own and the
    /// first segmentation waits for it: a command that reads files first (`gongwen add`) does
    /// that meanwhile, and one that finds nothing to segment never waits at all.
    ///
    /// # Errors
    ///
    /// As [`SegmenterBuilder::build`]; dictionaries are parsed before this returns.
    pub fn build_in_background(&self) -> Result<Segmenter> {
        let entries = Arc::new(self.entries()?);
        let for_loader = Arc::clone(&entries);
        let dictionary = match std::thread::Builder::new()
            .name("gongwen-dictionary".into())
            .spawn(move || load(&for_loader))
        {
            Ok(loader) => Dictionary {
                jieba: OnceLock::new(),
                loader: Mutex::new(Some(loader)),
            },
            // No thread to be had: load here.
            Err(_) => Dictionary::ready(load(&entries)),
        };
        Ok(Segmenter {
            jieba: Arc::new(dictionary),
            hmm: self.hmm,
            user_tags: entries.user_tags(),
        })
    }

    /// The political dictionary's entries (if wanted), and the user dictionaries'.
    fn entries(&self) -> Result<Entries> {
        let political = if self.political {
            parse_dictionary("<political.txt>", POLITICAL.as_bytes())?
        } else {
            Vec::new()
        };
        Ok(Entries {
            political,
            user: self.user.clone(),
        })
    }
}

/// The entries to add to jieba's default dictionary.
struct Entries {
    political: Vec<DictEntry>,
    user: Vec<DictEntry>,
}

impl Entries {
    /// The tags the user's dictionaries give: jieba keeps the tag it had for a word it knew
    /// (胜利村/n), so [`Segmenter::tag`] puts the user's in its place (胜利村/ns).
    fn user_tags(&self) -> Arc<HashMap<String, Pos>> {
        Arc::new(
            self.user
                .iter()
                .filter_map(|e| Some((e.word.clone(), e.pos?)))
                .collect(),
        )
    }
}

/// jieba's default dictionary, then ours, then the user's (so that its frequencies win).
fn load(entries: &Entries) -> Jieba {
    let mut jieba = Jieba::new();
    for e in &entries.political {
        // Never lower a frequency the default dictionary already gives: suggest_freq is at least
        // the word's current frequency.
        let freq = e.freq.unwrap_or(0).max(jieba.suggest_freq(&e.word));
        jieba.add_word(&e.word, Some(freq), e.pos.map(Pos::as_str));
    }
    for e in &entries.user {
        jieba.add_word(&e.word, e.freq, e.pos.map(Pos::as_str));
    }
    jieba
}

/// A loaded jieba, or the thread loading it.
struct Dictionary {
    jieba: OnceLock<Jieba>,
    loader: Mutex<Option<JoinHandle<Jieba>>>,
}

impl Dictionary {
    fn ready(jieba: Jieba) -> Dictionary {
        Dictionary {
            jieba: OnceLock::from(jieba),
            loader: Mutex::new(None),
        }
    }

    /// The jieba instance, waiting for the loading thread the first time.
    fn get(&self) -> &Jieba {
        self.jieba.get_or_init(|| {
            let loader = self
                .loader
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
                .expect("a dictionary is loaded or loading");
            loader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }
}

/// jieba-rs with gongwen's dictionaries. Cheap to clone: clones share one dictionary.
#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Dictionary>,
    hmm: bool,
    /// The part of speech of each word a user dictionary tags.
    user_tags: Arc<HashMap<String, Pos>>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("hmm", &self.hmm)
            .finish_non_exhaustive()
    }
}

impl Segmenter {
    /// A segmenter with the default and political dictionaries.
    pub fn new() -> Segmenter {
        SegmenterBuilder::new()
            .build()
            .expect("the built-in dictionary is valid (tested)")
    }

    /// [`Segmenter::new`], loading on a thread of its own: see
    /// [`SegmenterBuilder::build_in_background`].
    pub fn new_in_background() -> Segmenter {
        SegmenterBuilder::new()
            .build_in_background()
            .expect("the built-in dictionary is valid (tested)")
    }

    /// The jieba instance, for stages that need another cut mode (search mode for the index).
    pub fn jieba(&self) -> &Jieba {
        self.jieba.get()
    }

    /// Whether HMM is on.
    pub fn hmm(&self) -> bool {
        self.hmm
    }

    /// Segments `text` into tokens that cover it exactly. A long text is cut into parts at line
    /// breaks or clause marks and the parts are segmented in parallel (rayon).
    pub fn segment<'t>(&self, text: &'t str) -> Vec<Token<'t>> {
        in_parts(text, |part| self.segment_part(part))
    }

    fn segment_part<'t>(&self, text: &'t str) -> Vec<Token<'t>> {
        let mut out = Vec::with_capacity(text.len() / 5 + 1);
        self.for_each_piece(
            text,
            |piece, offset, out: &mut Vec<Token<'t>>| {
                for t in self.jieba().cut(piece, self.hmm) {
                    let span = ByteSpan::new(t.byte_start + offset, t.byte_end + offset);
                    out.push(Token {
                        text: t.word,
                        span,
                        kind: classify(t.word),
                        pos: None,
                    });
                }
            },
            &mut out,
        );
        out
    }

    /// Segments `text` and tags each token with its part of speech; in parallel parts, as
    /// [`Segmenter::segment`].
    pub fn tag<'t>(&self, text: &'t str) -> Vec<Token<'t>> {
        in_parts(text, |part| self.tag_part(part))
    }

    fn tag_part<'t>(&self, text: &'t str) -> Vec<Token<'t>> {
        let mut out = Vec::with_capacity(text.len() / 5 + 1);
        self.for_each_piece(
            text,
            |piece, offset, out: &mut Vec<Token<'t>>| {
                for t in self.jieba().tag(piece, self.hmm) {
                    let span = ByteSpan::new(t.byte_start + offset, t.byte_end + offset);
                    let word = &piece[t.byte_start..t.byte_end];
                    let kind = classify(word);
                    let pos = if kind == TokenKind::Punct || kind == TokenKind::Space {
                        Pos::X
                    } else {
                        self.user_tag(word).unwrap_or_else(|| Pos::from_tag(t.tag))
                    };
                    out.push(Token {
                        text: word,
                        span,
                        kind,
                        pos: Some(pos),
                    });
                }
            },
            &mut out,
        );
        out
    }

    /// The tag a user dictionary gives `word` (no hashing when there is none).
    fn user_tag(&self, word: &str) -> Option<Pos> {
        if self.user_tags.is_empty() {
            return None;
        }
        self.user_tags.get(word).copied()
    }

    /// Calls `cut` on each stretch of `text` between redactions, in chunks of about [`CHUNK`]
    /// bytes, and pushes redaction tokens in between, so that jieba never sees a redaction.
    fn for_each_piece<'t>(
        &self,
        text: &'t str,
        mut cut: impl FnMut(&'t str, usize, &mut Vec<Token<'t>>),
        out: &mut Vec<Token<'t>>,
    ) {
        let mut at = 0;
        for r in redactions(text) {
            for_each_chunk(&text[at..r.start], CHUNK, |chunk, offset| {
                cut(chunk, at + offset, out)
            });
            out.push(Token {
                text: r.slice(text),
                span: r,
                kind: TokenKind::Redaction,
                pos: Some(Pos::Redacted),
            });
            at = r.end;
        }
        for_each_chunk(&text[at..], CHUNK, |chunk, offset| {
            cut(chunk, at + offset, out)
        });
    }
}

/// Texts at least this long are segmented in parts of about [`PART`] bytes, in parallel.
const PARALLEL_MIN: usize = 1 << 20;
/// See [`PARALLEL_MIN`].
const PART: usize = 256 << 10;

/// `segment` over `text`, or over its parts in parallel for a long text, tokens in text order.
/// Parts end where chunks do ([`chunk_end`]), after white space or punctuation, which neither
/// jieba nor a redaction spans, so the tokens are those of the whole.
fn in_parts<'t>(
    text: &'t str,
    segment: impl Fn(&'t str) -> Vec<Token<'t>> + Sync,
) -> Vec<Token<'t>> {
    if text.len() < PARALLEL_MIN {
        return segment(text);
    }
    let mut parts = Vec::with_capacity(text.len() / PART + 1);
    for_each_chunk(text, PART, |part, offset| parts.push((part, offset)));
    let done: Vec<Vec<Token<'t>>> = parts
        .into_par_iter()
        .map(|(part, offset)| {
            let mut tokens = segment(part);
            for t in &mut tokens {
                t.span = ByteSpan::new(t.span.start + offset, t.span.end + offset);
            }
            tokens
        })
        .collect();
    done.concat()
}

/// Jieba gets text in chunks of about this many bytes: its intermediate token list then stays
/// small and cache-resident instead of doubling the memory of a whole-document cut.
const CHUNK: usize = 64 * 1024;

/// A run of characters jieba may join into words (CJK, letters, digits) with no white space or
/// punctuation in it for this many bytes is cut where it stands: no text anyone wrote has one, and
/// a chunk must stay bounded whatever the input (5 MB of one repeated character made jieba build a
/// 600 MB graph).
const LONGEST_RUN: usize = 64 * 1024;

/// Whether jieba never joins `c` to a neighbour and a cut after it changes no token, neither
/// jieba's nor a redaction's: white space but `\r` (which `\r\n` keeps), and punctuation outside
/// jieba's word class (`+#&._%-`) and outside redaction marks.
fn is_break(c: char) -> bool {
    (c.is_whitespace() && c != '\r')
        || matches!(
            c,
            '，' | '。'
                | '、'
                | '；'
                | '：'
                | '！'
                | '？'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '（'
                | '）'
                | '《'
                | '》'
                | '【'
                | '】'
                | '—'
                | '…'
                | '·'
                | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '('
                | ')'
                | '['
                | ']'
                | '"'
                | '\''
        )
}

/// Where the chunk of `text` that starts at `at` ends: at least `size` bytes on, just after the
/// first [break](is_break) there, or [`LONGEST_RUN`] bytes further at a character boundary when no
/// break comes before. Jieba never joins characters across a break, so cutting chunk by chunk gives
/// exactly the tokens of cutting the whole (the hard cut, only in a run no one writes, may split a
/// word).
pub(crate) fn chunk_end(text: &str, at: usize, size: usize) -> usize {
    if text.len() - at <= size {
        return text.len();
    }
    let from = text.ceil_char_boundary(at + size);
    let limit = text.floor_char_boundary(from.saturating_add(LONGEST_RUN).min(text.len()));
    match text[from..limit].char_indices().find(|&(_, c)| is_break(c)) {
        Some((i, c)) => from + i + c.len_utf8(),
        None if limit > from => limit,
        // A character longer than the room left: take it whole.
        None => text.ceil_char_boundary(from + 1),
    }
}

/// Splits `text` into chunks of at least `size` bytes (the last may be shorter) that
/// [`chunk_end`] cuts, and calls `f` with each and its offset.
fn for_each_chunk<'t>(text: &'t str, size: usize, mut f: impl FnMut(&'t str, usize)) {
    let mut at = 0;
    while at < text.len() {
        let end = chunk_end(text, at, size);
        f(&text[at..end], at);
        at = end;
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}

fn classify(word: &str) -> TokenKind {
    // Lead bytes E4–E9 start exactly the characters U+4000–U+9FFF: CJK ideographs, bar the
    // rare Yijing hexagram block U+4DC0–U+4DFF. Most tokens are decided on this one byte.
    match word.as_bytes() {
        [0xE4, 0xB7, 0x80..=0xBF, ..] => {} // U+4DC0–U+4DFF
        [0xE4..=0xE9, ..] => return TokenKind::Word,
        _ => {}
    }
    let Some(first) = word.chars().next() else {
        return TokenKind::Other;
    };
    // Most tokens of Chinese text start with an ideograph: decide those on the first character.
    if crate::corpus::is_cjk_letter(first) {
        return TokenKind::Word;
    }
    // Then punctuation and white space, before the Unicode-table lookups below: they are most of
    // the rest.
    if is_punct(first) && word.chars().all(is_punct) {
        return TokenKind::Punct;
    }
    if first.is_whitespace() && word.chars().all(char::is_whitespace) {
        return TokenKind::Space;
    }
    if word.chars().any(crate::corpus::is_cjk_letter) {
        return TokenKind::Word;
    }
    if word
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%'))
        && word.chars().any(|c| c.is_ascii_digit())
    {
        return TokenKind::Number;
    }
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '#' | '&'))
        && word.chars().any(|c| c.is_ascii_alphabetic())
    {
        return TokenKind::Latin;
    }
    if word.chars().all(char::is_alphanumeric) {
        // Letters of other scripts (Greek, full-width digits left in unnormalised text …).
        return if first.is_numeric() {
            TokenKind::Number
        } else {
            TokenKind::Latin
        };
    }
    if word.chars().all(is_punct) {
        return TokenKind::Punct;
    }
    TokenKind::Other
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{2010}'..='\u{205E}' // general punctuation: — … “ ” ‘ ’
            | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301F}' // 、。〈〉《》「」『』【】〔〕
            | '\u{FE10}'..='\u{FE6B}' // vertical and small forms
            | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}'
            | '·' | '×' | '÷' | '°' | '±' | '§' | '¥' | '￥')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::segmenter;

    fn words<'t>(tokens: &[Token<'t>]) -> Vec<&'t str> {
        tokens
            .iter()
            .filter(|t| t.kind != TokenKind::Space)
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn political_terms_stay_whole() {
        let s = segmenter();
        let text = "坚持两个确立，落实一岗双责，开好民主生活会，深入学习习近平新时代中国特色社会主义思想。";
        let w = words(&s.segment(text));
        for term in [
            "两个确立",
            "一岗双责",
            "民主生活会",
            "习近平新时代中国特色社会主义思想",
        ] {
            assert!(w.contains(&term), "{term} split in {w:?}");
        }
    }

    #[test]
    fn redactions_are_tokens_of_their_own() {
        let s = segmenter();
        let text = "视察**重要讲话，占县财政支出**%，××同志";
        let t = s.segment(text);
        let r: Vec<_> = t
            .iter()
            .filter(|t| t.kind == TokenKind::Redaction)
            .map(|t| t.text)
            .collect();
        assert_eq!(r, ["**", "**", "××"]);
        assert_eq!(t.iter().map(|t| t.text).collect::<String>(), text);
    }

    #[test]
    fn a_dictionary_loaded_in_the_background_segments_as_one_loaded_at_once() {
        let text = "坚持两个确立，落实一岗双责，开好民主生活会。测试词甲乙丙";
        let user = "测试词甲乙丙 100000 n\n";
        let mut builder = SegmenterBuilder::new();
        builder.dictionary("<test>", user.as_bytes()).unwrap();
        let background = builder.build_in_background().unwrap();
        let clone = background.clone();
        let at_once = builder.build().unwrap();
        let words = |s: &Segmenter| -> Vec<String> {
            s.segment(text).iter().map(|t| t.text.to_string()).collect()
        };
        // Two threads wait for the same loading thread.
        let from_thread = std::thread::spawn(move || words(&clone));
        assert_eq!(words(&background), words(&at_once));
        assert_eq!(from_thread.join().unwrap(), words(&at_once));
        assert!(words(&background).contains(&"测试词甲乙丙".to_string()));
        assert!(words(&background).contains(&"两个确立".to_string()));
    }

    #[test]
    fn a_long_text_in_parallel_parts_gives_the_tokens_of_one_pass() {
        let s = segmenter();
        let paragraph = "坚持两个确立，落实一岗双责。××同志在X月X日的会上指出：GDP增长3.5%；\n\n  \
                         二〇二三年，***等问题依然存在！x86 架构，○○县。\r\n";
        let long_line = "在学习贯彻习近平新时代中国特色社会主义思想主题教育中，".repeat(12_000);
        let text = format!(
            "{}{long_line}\n{}",
            paragraph.repeat(6_000),
            paragraph.repeat(3_000)
        );
        assert!(text.len() > 2 * PARALLEL_MIN);
        let key = |t: &Token| (t.span, t.text.to_string(), t.kind, t.pos);
        let parallel: Vec<_> = s.segment(&text).iter().map(key).collect();
        let serial: Vec<_> = s.segment_part(&text).iter().map(key).collect();
        assert_eq!(parallel.len(), serial.len());
        assert!(parallel == serial, "tokens differ");
        let parallel: Vec<_> = s.tag(&text).iter().map(key).collect();
        let serial: Vec<_> = s.tag_part(&text).iter().map(key).collect();
        assert!(parallel == serial, "tags differ");
    }

    #[test]
    fn chunked_cutting_gives_the_tokens_of_a_whole_cut() {
        let s = segmenter();
        let text = "坚持两个确立，落实一岗双责。\r\n第二行 English words 123.5%；第三句！\n\n最后一行没有换行";
        let whole: Vec<(usize, &str)> = s
            .jieba()
            .cut(text, true)
            .iter()
            .map(|t| (t.byte_start, t.word))
            .collect();
        for size in [1, 3, 7, 20] {
            let mut chunked = Vec::new();
            for_each_chunk(text, size, |chunk, offset| {
                chunked.extend(
                    s.jieba()
                        .cut(chunk, true)
                        .iter()
                        .map(|t| (t.byte_start + offset, t.word)),
                );
            });
            assert_eq!(chunked, whole, "chunks of {size}");
        }
    }

    #[test]
    fn a_run_without_breaks_is_cut_into_bounded_chunks() {
        // 5 MB of one character: chunks stay bounded (jieba's graph with them), tokens cover it.
        let text = "的".repeat((5 << 20) / 3);
        let mut longest = 0;
        for_each_chunk(&text, CHUNK, |chunk, _| longest = longest.max(chunk.len()));
        // Both ends move to a character boundary: a character's bytes more at most.
        assert!(longest <= CHUNK + LONGEST_RUN + 4, "{longest}");
        let tokens = segmenter().segment(&text);
        assert_eq!(tokens.iter().map(|t| t.text).collect::<String>(), text);
        let mut at = 0;
        for t in &tokens {
            assert_eq!(t.span.start, at);
            at = t.span.end;
        }
        // Breaks are found past the first `size` bytes, so chunks end just after one.
        let text = format!("{}，{}", "的".repeat(30), "了".repeat(30));
        assert_eq!(chunk_end(&text, 0, 10), 30 * 3 + "，".len());
        assert_eq!(chunk_end(&text, 0, 1_000), text.len());
    }

    #[test]
    fn kinds() {
        assert_eq!(classify("学习"), TokenKind::Word);
        assert_eq!(classify("2023"), TokenKind::Number);
        assert_eq!(classify("12.5%"), TokenKind::Number);
        assert_eq!(classify("GDP"), TokenKind::Latin);
        assert_eq!(classify("，"), TokenKind::Punct);
        assert_eq!(classify("《"), TokenKind::Punct);
        assert_eq!(classify(" \n"), TokenKind::Space);
        assert_eq!(classify("😀"), TokenKind::Other);
    }

    #[test]
    fn tagging_uses_our_tags() {
        let s = segmenter();
        let t = s.tag("落实一岗双责");
        let t = t.iter().find(|t| t.text == "一岗双责").expect("whole");
        assert!(t.pos.is_some());
    }

    #[test]
    fn user_dictionary_without_frequency_keeps_word_whole() {
        let mut b = SegmenterBuilder::new();
        b.dictionary("user.txt", "滩区迁建群众\n".as_bytes())
            .unwrap();
        let s = b.build().unwrap();
        let w = words(&s.segment("做好滩区迁建群众工作"));
        assert!(w.contains(&"滩区迁建群众"), "{w:?}");
    }

    #[test]
    fn a_user_tag_replaces_the_one_jieba_had_for_a_word_it_knew() {
        // jieba-rs's add_word keeps the tag of a word it knows: 胜利村 stays a common noun.
        let tag_of = |s: &Segmenter| {
            s.tag("在胜利村调研")
                .iter()
                .find(|t| t.text == "胜利村")
                .and_then(|t| t.pos)
        };
        assert_ne!(tag_of(segmenter()), Some(Pos::Ns));
        let mut b = SegmenterBuilder::new();
        b.dictionary("places.txt", "胜利村 ns\n".as_bytes())
            .unwrap();
        assert_eq!(tag_of(&b.build().unwrap()), Some(Pos::Ns));
    }
}
