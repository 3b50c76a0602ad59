//! Formulas: the genre's stock phrasing, written as templates and matched all at once.
//!
//! Template language (one template a line, `TEMPLATE<TAB>CATEGORY`, `#` comments; see
//! dictionaries/formulas.md):
//! - literal text: Chinese characters and punctuation other than 。！？ and line breaks;
//! - `{a|b|c}`: one of the alternatives, each literal; an empty alternative makes it optional;
//! - `{X}` (any name in capitals): a slot, 1–6 characters that are not punctuation or white space.
//!
//! The templates are parsed once into a [`FormulaSet`]: one Aho-Corasick automaton over a literal
//! piece of every template (its anchor) finds, in one scan of the text, where each template can
//! stand; only there is the template tried, piece by piece. The matches are exactly those of one
//! leftmost-first regular expression over all the templates (the matcher gongwen had before,
//! kept as [`FormulaSet::find_with_automaton`] to test against): leftmost first; at one start the
//! template on the earlier line; within a template, alternatives in the order written and slots
//! as short as possible; matches never overlap. The regular expression's lazy DFA was slow on
//! text it had not seen (it built its states as it went: 60–300 ms for a document), the anchors
//! are not. A match whose text holds an ASCII digit is a fact (a date, a number), not stock
//! phrasing, and is not reported (it still takes its place: no other formula is sought inside).

use std::sync::{LazyLock, OnceLock};

use aho_corasick::AhoCorasick;
use regex_automata::meta::Regex;

use crate::error::{Error, Result};
use crate::span::ByteSpan;

/// The formula dictionary gongwen ships (dictionaries/formulas.txt).
pub const FORMULAS: &str = include_str!("../../dictionaries/formulas.txt");

/// What a slot holds: CJK characters, Latin letters and digits (never punctuation or white space).
/// A narrow class: the full "not punctuation" class made the automaton 200× slower. The matcher
/// reads the very same class (see [`SlotClass`]), so the two cannot drift apart.
const NOT_IN_SLOT: &str = r"[\p{Han}A-Za-z0-9]";

/// Fewest and most characters in a slot.
const SLOT_CHARS: (usize, usize) = (1, 6);

/// One template of the dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formula {
    /// As written.
    pub template: String,
    /// Its category (自我评价, 转折, 原因, 措施, 表态, 开头, 结尾, 报告), or what the user wrote
    /// after the tab (possibly nothing).
    pub category: String,
    /// The dictionary it comes from: `formulas.txt` for the shipped one, else the name a user
    /// dictionary was added under (its path).
    pub source: String,
    /// Its line in that dictionary.
    pub line: usize,
}

/// A formula found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormulaMatch {
    /// Which formula (index into [`FormulaSet::formulas`]).
    pub formula: usize,
    /// Where it stands.
    pub span: ByteSpan,
}

/// One piece of a parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    /// Characters that stand as written.
    Literal(String),
    /// One of these, tried in this order (one may be empty).
    OneOf(Vec<String>),
    /// 1–6 characters of [`NOT_IN_SLOT`], as few as will do.
    Slot,
}

/// Where a template can stand: one of `needles` occurs at its anchor piece, which `before`
/// (fewest, most) characters precede in any match.
#[derive(Clone, Copy, Debug)]
struct Anchored {
    template: u32,
    before: (u8, u8),
}

/// Templates compiled for matching.
#[derive(Clone, Debug)]
pub struct FormulaSet {
    formulas: Vec<Formula>,
    templates: Vec<Vec<Piece>>,
    /// Every anchor's literal text, deduplicated.
    anchors: AhoCorasick,
    /// For each anchor text, the templates anchored on it.
    anchored: Vec<Vec<Anchored>>,
    /// The former matcher, built when first asked for.
    automaton: OnceLock<Regex>,
}

/// Parses one template into its pieces, or says why it is malformed.
fn parse_template(template: &str) -> std::result::Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = 0usize;
    let mut slots = 0usize;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if c == '{' {
            let end = rest.find('}').ok_or("a '{' is not closed")?;
            let inner = &rest[1..end];
            if inner.contains('{') {
                return Err("groups do not nest".into());
            }
            if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_uppercase()) {
                slots += 1;
                pieces.push(Piece::Slot);
            } else {
                literal += inner
                    .split('|')
                    .map(|a| a.chars().filter(|c| !c.is_whitespace()).count())
                    .min()
                    .unwrap_or(0);
                pieces.push(Piece::OneOf(inner.split('|').map(String::from).collect()));
            }
            rest = &rest[end + 1..];
        } else if c == '}' {
            return Err("a '}' is not opened".into());
        } else {
            if matches!(c, '。' | '！' | '？' | '\n' | '\r') {
                return Err(format!(
                    "{c:?} ends a sentence: a formula never crosses one"
                ));
            }
            if !c.is_whitespace() {
                literal += 1;
            }
            match pieces.last_mut() {
                Some(Piece::Literal(s)) => s.push(c),
                _ => pieces.push(Piece::Literal(c.to_string())),
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    if literal < 4 {
        return Err("a template needs at least 4 characters outside its slots".into());
    }
    if slots > 2 {
        return Err("a template has at most 2 slots".into());
    }
    Ok(pieces)
}

/// The regular expression of a parsed template, for the former matcher.
fn regex_of(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Literal(s) => out.push_str(&regex::escape(s)),
            Piece::OneOf(alts) => {
                out.push_str("(?:");
                let alts: Vec<String> = alts.iter().map(|a| regex::escape(a)).collect();
                out.push_str(&alts.join("|"));
                out.push(')');
            }
            Piece::Slot => {
                out.push_str(NOT_IN_SLOT);
                out.push_str(&format!("{{{},{}}}?", SLOT_CHARS.0, SLOT_CHARS.1));
            }
        }
    }
    out
}

/// The piece a template is found by, its literal texts, and the fewest and most characters
/// before it. Every template has one: its 4 characters outside slots stand in literal text or in
/// groups without an empty alternative. The longest shortest text wins (fewer false starts), then
/// the fewest texts.
fn anchor(pieces: &[Piece]) -> (Vec<&str>, (usize, usize)) {
    let (i, needles) = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, piece)| match piece {
            Piece::Literal(s) => Some((i, vec![s.as_str()])),
            Piece::OneOf(alts) if alts.iter().all(|a| !a.is_empty()) => {
                Some((i, alts.iter().map(String::as_str).collect()))
            }
            _ => None,
        })
        .max_by_key(|(_, needles)| {
            let shortest = needles.iter().map(|n| n.len()).min();
            (shortest, std::cmp::Reverse(needles.len()))
        })
        .expect("a parsed template has a literal piece or a group without an empty alternative");
    let mut before = (0, 0);
    for piece in &pieces[..i] {
        let (lo, hi) = match piece {
            Piece::Literal(s) => (s.chars().count(), s.chars().count()),
            Piece::OneOf(alts) => {
                let lens = alts.iter().map(|a| a.chars().count());
                (lens.clone().min().unwrap_or(0), lens.max().unwrap_or(0))
            }
            Piece::Slot => SLOT_CHARS,
        };
        before = (before.0 + lo, before.1 + hi);
    }
    (needles, before)
}

/// [`NOT_IN_SLOT`] as a table: a bit per character of the Basic Multilingual Plane, ranges above.
struct SlotClass {
    bmp: Vec<u64>,
    astral: Vec<(char, char)>,
}

impl SlotClass {
    fn new() -> SlotClass {
        let hir = regex_syntax::parse(NOT_IN_SLOT).expect("the slot class parses");
        let regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) =
            hir.kind()
        else {
            unreachable!("the slot class is a Unicode class")
        };
        let mut bmp = vec![0u64; 0x10000 / 64];
        let mut astral = Vec::new();
        for r in class.ranges() {
            let (start, end) = (u32::from(r.start()), u32::from(r.end()));
            for c in start..=end.min(0xFFFF) {
                bmp[c as usize / 64] |= 1 << (c % 64);
            }
            if end > 0xFFFF {
                let from = char::from_u32(start.max(0x10000)).expect("a scalar value");
                astral.push((from, r.end()));
            }
        }
        SlotClass { bmp, astral }
    }

    fn contains(&self, c: char) -> bool {
        let n = u32::from(c);
        if n <= 0xFFFF {
            self.bmp[n as usize / 64] & (1 << (n % 64)) != 0
        } else {
            self.astral.iter().any(|&(a, b)| (a..=b).contains(&c))
        }
    }
}

static SLOT: LazyLock<SlotClass> = LazyLock::new(SlotClass::new);

/// Where `pieces` matches when started at byte `at` of `text`, as a backtracking matcher would
/// find it: alternatives in order, each slot as short as the rest allows.
fn match_at(pieces: &[Piece], text: &str, at: usize) -> Option<usize> {
    let Some((piece, rest)) = pieces.split_first() else {
        return Some(at);
    };
    let tail = &text[at..];
    match piece {
        Piece::Literal(s) => {
            if tail.starts_with(s.as_str()) {
                match_at(rest, text, at + s.len())
            } else {
                None
            }
        }
        Piece::OneOf(alts) => alts
            .iter()
            .filter(|a| tail.starts_with(a.as_str()))
            .find_map(|a| match_at(rest, text, at + a.len())),
        Piece::Slot => {
            let mut end = at;
            for (n, c) in tail.chars().take(SLOT_CHARS.1).enumerate() {
                if !SLOT.contains(c) {
                    return None;
                }
                end += c.len_utf8();
                if n + 1 >= SLOT_CHARS.0
                    && let Some(found) = match_at(rest, text, end)
                {
                    return Some(found);
                }
            }
            None
        }
    }
}

/// Builds a [`FormulaSet`] from the shipped dictionary and the user's own (`gongwen check
/// --formulas FILE`): the templates of every dictionary added, in one automaton.
///
/// Order matters where two templates match at one start: the user's dictionaries come first, in
/// the order added, then the shipped one, so that a user's longer template is not shadowed by a
/// shorter shipped one starting the same way.
#[derive(Clone, Debug)]
pub struct FormulaSetBuilder {
    builtin: bool,
    user: Vec<(Formula, Vec<Piece>)>,
}

impl Default for FormulaSetBuilder {
    fn default() -> Self {
        FormulaSetBuilder::new()
    }
}

impl FormulaSetBuilder {
    /// A builder with the shipped dictionary and no other.
    pub fn new() -> FormulaSetBuilder {
        FormulaSetBuilder {
            builtin: true,
            user: Vec::new(),
        }
    }

    /// Whether to use the shipped dictionary (default: yes).
    pub fn builtin(&mut self, yes: bool) -> &mut FormulaSetBuilder {
        self.builtin = yes;
        self
    }

    /// Adds a dictionary in the syntax of dictionaries/formulas.txt; `name` names it in errors
    /// and in [`Formula::source`]. Returns the number of templates it holds (comments and blank
    /// lines aside).
    ///
    /// # Errors
    ///
    /// A malformed line or a line that cannot be read (not UTF-8): [`Error::Dictionary`] naming
    /// `name`, the line and what is wrong. Nothing of that dictionary is added.
    pub fn add<R: std::io::BufRead>(&mut self, name: &str, reader: R) -> Result<usize> {
        let parsed = parse_lines(reader, name)?;
        let n = parsed.len();
        self.user.extend(parsed);
        Ok(n)
    }

    /// Compiles the templates.
    ///
    /// # Errors
    ///
    /// Only if the automaton cannot be built (too many templates for its state identifiers).
    pub fn build(&self) -> Result<FormulaSet> {
        let mut all = self.user.clone();
        if self.builtin {
            all.extend(parse_lines(FORMULAS.as_bytes(), BUILTIN_NAME)?);
        }
        compile(all, BUILTIN_NAME)
    }
}

/// How the shipped dictionary is named in [`Formula::source`] and in errors.
const BUILTIN_NAME: &str = "formulas.txt";

/// The templates of one dictionary, parsed.
fn parse_lines<R: std::io::BufRead>(reader: R, name: &str) -> Result<Vec<(Formula, Vec<Piece>)>> {
    let mut out = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::dictionary_read(name, n + 1, &e))?;
        // Notepad writes UTF-8 with a byte-order mark.
        let line = line.trim_start_matches('\u{FEFF}').trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (template, category) = line.split_once('\t').unwrap_or((line, ""));
        let template = template.trim();
        let pieces = parse_template(template)
            .map_err(|why| Error::dictionary(name, n + 1, format!("{template}: {why}")))?;
        out.push((
            Formula {
                template: template.to_string(),
                category: category.trim().to_string(),
                source: name.to_string(),
                line: n + 1,
            },
            pieces,
        ));
    }
    Ok(out)
}

/// The automaton over the anchors of `parsed`, in this order; `name` names the set in errors.
fn compile(parsed: Vec<(Formula, Vec<Piece>)>, name: &str) -> Result<FormulaSet> {
    let (formulas, templates): (Vec<Formula>, Vec<Vec<Piece>>) = parsed.into_iter().unzip();
    let mut needles: Vec<&str> = Vec::new();
    let mut anchored: Vec<Vec<Anchored>> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (t, pieces) in templates.iter().enumerate() {
        let (texts, (lo, hi)) = anchor(pieces);
        let small = |n: usize| u8::try_from(n).expect("at most 2 slots of 6 and short groups");
        for text in texts {
            let k = *index.entry(text).or_insert_with(|| {
                needles.push(text);
                anchored.push(Vec::new());
                needles.len() - 1
            });
            anchored[k].push(Anchored {
                template: u32::try_from(t).expect("fewer than 4 billion templates"),
                before: (small(lo), small(hi)),
            });
        }
    }
    let anchors = AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(&needles)
        .map_err(|e| Error::dictionary(name, 0, format!("cannot compile the templates: {e}")))?;
    Ok(FormulaSet {
        formulas,
        templates,
        anchors,
        anchored,
        automaton: OnceLock::new(),
    })
}

impl FormulaSet {
    /// The formulas gongwen ships.
    pub fn builtin() -> FormulaSet {
        FormulaSetBuilder::new()
            .build()
            .expect("the shipped formula dictionary is valid (tested)")
    }

    /// Parses one dictionary alone (without the shipped one); `name` names it in errors.
    ///
    /// # Errors
    ///
    /// A malformed line ([`Error::Dictionary`] with its line), or a read error.
    pub fn parse<R: std::io::BufRead>(reader: R, name: &str) -> Result<FormulaSet> {
        compile(parse_lines(reader, name)?, name)
    }

    /// The formulas, in dictionary order.
    pub fn formulas(&self) -> &[Formula] {
        &self.formulas
    }

    /// Every formula in `text`, in text order, not overlapping: leftmost first; at one start the
    /// template on the earliest line; within a template, alternatives in the order written and
    /// slots as short as possible. Matches holding an ASCII digit are left out.
    pub fn find(&self, text: &str) -> Vec<FormulaMatch> {
        // Every (start, template) that an anchor allows, in order; then the first that matches
        // from each place the previous match left off.
        let mut starts: Vec<(usize, u32)> = Vec::new();
        for m in self.anchors.find_overlapping_iter(text) {
            for a in &self.anchored[m.pattern().as_usize()] {
                let (lo, hi) = (usize::from(a.before.0), usize::from(a.before.1));
                let mut at = m.start();
                if lo == 0 {
                    starts.push((at, a.template));
                }
                for n in 1..=hi {
                    let Some(c) = text[..at].chars().next_back() else {
                        break;
                    };
                    at -= c.len_utf8();
                    if n >= lo {
                        starts.push((at, a.template));
                    }
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let mut out = Vec::new();
        let mut from = 0;
        for (start, t) in starts {
            if start < from {
                continue;
            }
            if let Some(end) = match_at(&self.templates[t as usize], text, start) {
                from = end;
                if !text.as_bytes()[start..end].iter().any(u8::is_ascii_digit) {
                    out.push(FormulaMatch {
                        formula: t as usize,
                        span: ByteSpan::new(start, end),
                    });
                }
            }
        }
        out
    }

    /// The matcher [`find`](FormulaSet::find) replaced, kept to test and measure it against: one
    /// leftmost-first regular expression over all the templates (regex-automata's meta engine,
    /// a 64 MB lazy-DFA cache), built on first use. `cold` gives the search a new cache, as a new
    /// process or thread has; otherwise the caches of earlier calls are reused. Same result as
    /// `find`, far slower on text not seen before.
    ///
    /// # Panics
    ///
    /// If the templates do not compile (they all did in the dictionaries tested).
    #[doc(hidden)]
    pub fn find_with_automaton(&self, text: &str, cold: bool) -> Vec<FormulaMatch> {
        let regex = self.automaton.get_or_init(|| {
            let patterns: Vec<String> = self.templates.iter().map(|p| regex_of(p)).collect();
            // Hundreds of templates make a large automaton: with the default 2 MB lazy-DFA cache
            // the search gives up on the DFA and runs 100× slower; 64 MB keeps it on the DFA.
            Regex::builder()
                .configure(Regex::config().hybrid_cache_capacity(64 << 20))
                .build_many(&patterns)
                .expect("the templates compile")
        });
        let matches: Vec<regex_automata::Match> = if cold {
            let mut cache = regex.create_cache();
            let mut it =
                regex_automata::util::iter::Searcher::new(regex_automata::Input::new(text));
            std::iter::from_fn(|| it.advance(|input| Ok(regex.search_with(&mut cache, input))))
                .collect()
        } else {
            regex.find_iter(text).collect()
        };
        matches
            .into_iter()
            .filter(|m| !text[m.range()].bytes().any(|b| b.is_ascii_digit()))
            .map(|m| FormulaMatch {
                formula: m.pattern().as_usize(),
                span: ByteSpan::new(m.start(), m.end()),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(lines: &str) -> FormulaSet {
        FormulaSet::parse(lines.as_bytes(), "test").unwrap()
    }

    fn found<'t>(s: &FormulaSet, text: &'t str) -> Vec<(usize, &'t str)> {
        s.find(text)
            .iter()
            .map(|m| (m.formula, m.span.slice(text)))
            .collect()
    }

    #[test]
    fn slots_alternatives_and_literals_match_as_written() {
        let s = set(
            "{X}得还不够{Y}\t自我评价\n还存在{一些|以下}{不足|短板|问题}\t转折\n有待进一步{提高|加强}\t自我评价\n",
        );
        let text = "学得还不够深、悟得还不够透。但从严对照，还存在一些不足，能力有待进一步提高。";
        assert_eq!(
            found(&s, text),
            [
                (0, "学得还不够深"),
                (0, "悟得还不够透"),
                (1, "还存在一些不足"),
                (2, "有待进一步提高")
            ]
        );
    }

    #[test]
    fn a_slot_holding_a_digit_is_a_fact_not_a_formula() {
        let s = set("完成{X}项目\t报告\n");
        assert!(s.find("完成12个项目").is_empty());
        assert_eq!(s.find("完成重点项目").len(), 1);
    }

    #[test]
    fn the_earlier_line_wins_at_one_start_and_a_digit_match_still_takes_its_place() {
        // Leftmost-first, not longest: the shorter template on the earlier line wins.
        let s = set("还存在一些\t转折\n还存在一些不足\t转折\n一些不足之处\t转折\n");
        let text = "还存在一些不足之处";
        assert_eq!(found(&s, text), [(0, "还存在一些")]);
        // A slot is as short as will do; a match holding a digit is dropped, and no other
        // formula is sought inside it.
        let s = set("完成{X}项目\t报告\n重点项目建设\t报告\n");
        assert!(s.find("完成3个重点项目建设").is_empty());
        let text = "完成重点项目建设";
        assert_eq!(s.find(text)[0].span.slice(text), "完成重点项目");
    }

    #[test]
    fn a_slot_never_crosses_punctuation() {
        let s = set("{X}得还不够{Y}\t自我评价\n");
        assert!(s.find("学，得还不够，深").is_empty());
    }

    #[test]
    fn malformed_templates_are_errors_with_their_line() {
        for bad in [
            "还存在{一些",
            "一些}不足",
            "还不够。深入",
            "{X}得{Y}",
            "{A}{B}{C}还不够",
        ] {
            let err =
                FormulaSet::parse(format!("# c\n{bad}\t转折\n").as_bytes(), "f.txt").unwrap_err();
            assert!(err.to_string().contains("f.txt:2"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_shipped_dictionary_parses_and_has_its_200_templates() {
        let s = FormulaSet::builtin();
        assert!(s.formulas().len() >= 200, "{}", s.formulas().len());
        assert!(s.formulas().iter().all(|f| !f.category.is_empty()));
    }

    #[test]
    fn user_templates_are_added_before_the_shipped_ones() {
        let mut b = FormulaSetBuilder::new();
        let n = b
            .add(
                "本地.txt",
                "\u{FEFF}# 本地套话\n{X}要当好排头兵\t表态\r\n存在一些不足之处的问题\n".as_bytes(),
            )
            .unwrap();
        assert_eq!(n, 2);
        let s = b.build().unwrap();
        assert_eq!(
            s.formulas().len(),
            FormulaSet::builtin().formulas().len() + 2
        );
        let f = &s.formulas()[0];
        assert_eq!(
            (f.source.as_str(), f.line, f.category.as_str()),
            ("本地.txt", 2, "表态")
        );
        let text = "全县各级要当好排头兵。还存在一些不足之处的问题。";
        let found: Vec<(&str, &str)> = s
            .find(text)
            .iter()
            .map(|m| (s.formulas()[m.formula].source.as_str(), m.span.slice(text)))
            .collect();
        // The user's longer template wins over the shipped 存在一些{不足|…} at the same start.
        assert_eq!(
            found,
            [
                ("本地.txt", "全县各级要当好排头兵"),
                ("本地.txt", "存在一些不足之处的问题")
            ]
        );
        // Alone, the shipped dictionary finds a shorter formula at that start.
        let start = text.find("存在").unwrap();
        let shipped = FormulaSet::builtin().find(text);
        let at = shipped.iter().find(|m| m.span.start == start).unwrap();
        assert_eq!(at.span.slice(text), "存在一些不足");
        // Without the shipped dictionary only the user's templates remain; with none, none.
        let mut b = FormulaSetBuilder::new();
        b.builtin(false);
        assert!(b.build().unwrap().find(text).is_empty());
        b.add("本地.txt", "{X}要当好排头兵\n".as_bytes()).unwrap();
        assert_eq!(b.build().unwrap().formulas().len(), 1);
    }

    #[test]
    fn a_bad_user_dictionary_names_itself_and_its_line() {
        let mut b = FormulaSetBuilder::new();
        let err = b
            .add(
                "my.txt",
                "还存在一些不足之处\n\n有待{提高\t措施\n".as_bytes(),
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "my.txt:3: 有待{提高: a '{' is not closed");
        let err = b
            .add("gbk.txt", &b"\xbb\xb9\xb4\xe6\xd4\xda\n"[..])
            .unwrap_err();
        assert!(err.to_string().starts_with("gbk.txt:1: not UTF-8"), "{err}");
        // Nothing of a bad dictionary was added.
        assert_eq!(
            b.build().unwrap().formulas().len(),
            FormulaSet::builtin().formulas().len()
        );
    }
}
