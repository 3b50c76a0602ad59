//! Formulas: the genre's stock phrasing, written as templates and matched all at once.
//!
//! Template language (one template a line, `TEMPLATE<TAB>CATEGORY`, `#` comments; see
//! dictionaries/formulas.md):
//! - literal text: Chinese characters and punctuation other than 。！？ and line breaks;
//! - `{a|b|c}`: one of the alternatives, each literal; an empty alternative makes it optional;
//! - `{X}` (any name in capitals): a slot, 1–6 characters that are not punctuation or white space.
//!
//! The templates are parsed once and compiled into one multi-pattern automaton
//! ([`FormulaSet`]), so a text is scanned once whatever their number, and each match says which
//! template it is. A match whose slot holds a digit is a fact (a date, a number), not stock
//! phrasing, and is not reported.

use regex_automata::meta::Regex;

use crate::error::{Error, Result};
use crate::span::ByteSpan;

/// The formula dictionary gongwen ships (dictionaries/formulas.txt).
pub const FORMULAS: &str = include_str!("../../dictionaries/formulas.txt");

/// What a slot holds: CJK characters, Latin letters and digits (never punctuation or white space).
/// A narrow class: the full "not punctuation" class made the automaton 200× slower.
const NOT_IN_SLOT: &str = r"[\p{Han}A-Za-z0-9]";

/// One template of the dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formula {
    /// As written.
    pub template: String,
    /// Its category (自我评价, 转折, 原因, 措施, 表态, 开头, 结尾, 报告).
    pub category: String,
    /// Its line in the dictionary.
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

/// Templates compiled into one automaton.
#[derive(Clone, Debug)]
pub struct FormulaSet {
    formulas: Vec<Formula>,
    regex: Regex,
}

/// The regular expression of one template, or why it is malformed.
fn compile(template: &str) -> std::result::Result<String, String> {
    let mut out = String::new();
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
                out.push_str(NOT_IN_SLOT);
                out.push_str("{1,6}?");
            } else {
                out.push_str("(?:");
                literal += inner
                    .split('|')
                    .map(|a| a.chars().filter(|c| !c.is_whitespace()).count())
                    .min()
                    .unwrap_or(0);
                let alts: Vec<String> = inner.split('|').map(regex::escape).collect();
                out.push_str(&alts.join("|"));
                out.push(')');
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
            out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
            rest = &rest[c.len_utf8()..];
        }
    }
    if literal < 4 {
        return Err("a template needs at least 4 characters outside its slots".into());
    }
    if slots > 2 {
        return Err("a template has at most 2 slots".into());
    }
    Ok(out)
}

impl FormulaSet {
    /// The formulas gongwen ships.
    pub fn builtin() -> FormulaSet {
        FormulaSet::parse(FORMULAS.as_bytes(), "formulas.txt")
            .expect("the shipped formula dictionary is valid (tested)")
    }

    /// Parses a dictionary; `name` names it in errors.
    ///
    /// # Errors
    ///
    /// A malformed line ([`Error::Dictionary`] with its line), or a read error.
    pub fn parse<R: std::io::BufRead>(reader: R, name: &str) -> Result<FormulaSet> {
        let mut formulas = Vec::new();
        let mut patterns = Vec::new();
        for (n, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| Error::dictionary(name, n + 1, e.to_string()))?;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (template, category) = line.split_once('\t').unwrap_or((line, ""));
            let template = template.trim();
            let pattern = compile(template)
                .map_err(|why| Error::dictionary(name, n + 1, format!("{template}: {why}")))?;
            patterns.push(pattern);
            formulas.push(Formula {
                template: template.to_string(),
                category: category.trim().to_string(),
                line: n + 1,
            });
        }
        // Hundreds of templates make a large automaton: with the default 2 MB lazy-DFA cache the
        // search gives up on the DFA and runs 100× slower; 64 MB keeps it on the fast path.
        let regex = Regex::builder()
            .configure(Regex::config().hybrid_cache_capacity(64 << 20))
            .build_many(&patterns)
            .map_err(|e| {
                Error::dictionary(name, 0, format!("cannot compile the templates: {e}"))
            })?;
        Ok(FormulaSet { formulas, regex })
    }

    /// The formulas, in dictionary order.
    pub fn formulas(&self) -> &[Formula] {
        &self.formulas
    }

    /// Every formula in `text`, leftmost-longest first, not overlapping, in text order.
    pub fn find(&self, text: &str) -> Vec<FormulaMatch> {
        self.regex
            .find_iter(text)
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

    #[test]
    fn slots_alternatives_and_literals_match_as_written() {
        let s = set(
            "{X}得还不够{Y}\t自我评价\n还存在{一些|以下}{不足|短板|问题}\t转折\n有待进一步{提高|加强}\t自我评价\n",
        );
        let text = "学得还不够深、悟得还不够透。但从严对照，还存在一些不足，能力有待进一步提高。";
        let found: Vec<(usize, &str)> = s
            .find(text)
            .iter()
            .map(|m| (m.formula, m.span.slice(text)))
            .collect();
        assert_eq!(
            found,
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
}
