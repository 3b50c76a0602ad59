//! Proper names before a suffix: is 云溪镇 a town, and 结合镇情 none? The characters before
//! 镇/乡/村/社区 (or 县/区 before a project, or 水库/老街 after a name) are a name only when they
//! are no word of the language that names a category or an action.
//!
//! Two checks, the second only when a [`Segmenter`] is at hand:
//!
//! - **characters**: the two characters before the suffix hold no function word (对, 在, 的 …)
//!   and no category (城乡, 偏远, 行政, 重点 …, [`NOT_A_NAME`]);
//! - **dictionary**: the clause around the candidate is tagged with jieba. The suffix must end a
//!   word (结合|镇情, 深入|村组, 驻|村干部 are no places); a word that holds the suffix must be a
//!   proper name (东坪村/ns, 云溪镇/nr), not a common one (农村, 乡镇, 全镇); the words before it
//!   that make the name must not be verbs, adjectives, adverbs or function words of two
//!   characters or more (加快|片区, 结合|镇). A name may then grow to whole words (白鹭|湾|村 is
//!   白鹭湾村, not 鹭湾村).

use crate::segment::{Pos, Segmenter, Token};
use crate::span::ByteSpan;

/// Words before 镇/乡/村… that make a category, not a name (城乡, 偏远乡镇, 行政村).
pub(super) const NOT_A_NAME: &[&str] = &[
    "城", "乡", "农", "本", "各", "全", "该", "我", "贫困", "行政", "自然", "重点", "中心", "美丽",
    "示范", "偏远", "所在", "部分", "一些", "有的", "个别", "少数", "联系", "分管", "城市", "城镇",
    "乡镇", "小城", "特色", "文明", "和美", "宜居", "薄弱", "软弱", "涣散", "基层", "边远", "山区",
    "民族", "集体", "试点", "先进", "相关", "所属", "辖区", "包联", "驻", "到", "下", "进", "在",
    "入", "深入", "走", "的", "和", "与", "及", "或", "等", "个", "名", "新农", "空心", "老",
    "社区", "城中", "城郊", "近郊", "远郊", "农村", "乡村", "村", "指导", "兄弟", "周边", "邻近",
    "其他", "相邻", "本地", "外地", "当地", "帮扶", "结对", "挂点", "驻点", "蹲点", "所辖", "加强",
    "推进", "促进", "实施", "开展", "建设", "发展", "振兴", "深化", "完善", "落实", "抓好", "提升",
    "数字", "智慧", "统筹", "推动", "服务", "治理", "管理", "工作",
];

/// Characters that are no part of a place name: function words, numerals of time.
const STOP_CHARS: &str = "对在到被向从为与和的了经及或等把将让给由于是有中未年当各每该本全这那其个些到去来下上进入走赴往";

/// Whether the characters before a suffix can be a name, by themselves.
pub(super) fn is_name(name: &str) -> bool {
    !name.is_empty()
        && !name.chars().any(|c| STOP_CHARS.contains(c))
        && !NOT_A_NAME.iter().any(|w| name.contains(w))
}

/// Tags of words that can be (part of) a proper name.
fn is_proper_tag(pos: Option<Pos>) -> bool {
    matches!(
        pos,
        Some(
            Pos::Ns
                | Pos::Nr
                | Pos::Nrt
                | Pos::Nrfg
                | Pos::Nz
                | Pos::Nt
                | Pos::X
                | Pos::Zg
                | Pos::J
        )
    )
}

/// Tags of words that can stand in a name when they stand before the suffix: proper names,
/// nouns (桃源, 杏林) and morphemes.
fn is_name_part_tag(pos: Option<Pos>) -> bool {
    is_proper_tag(pos) || matches!(pos, Some(Pos::N | Pos::Ng | Pos::S | Pos::B))
}

/// Tags no character of a name has, even a single one: function words, pronouns, numerals.
fn is_function_tag(pos: Option<Pos>) -> bool {
    matches!(
        pos,
        Some(
            Pos::P
                | Pos::C
                | Pos::U
                | Pos::Uj
                | Pos::Ul
                | Pos::Uz
                | Pos::Ud
                | Pos::Ug
                | Pos::Uv
                | Pos::R
                | Pos::Rg
                | Pos::Rr
                | Pos::Rz
                | Pos::D
                | Pos::M
                | Pos::Q
                | Pos::F
                | Pos::Y
                | Pos::E
                | Pos::Redacted
        )
    )
}

/// Confirms names with the segmenter's dictionary, one clause at a time.
pub(super) struct Names<'s> {
    segmenter: Option<&'s Segmenter>,
}

impl<'s> Names<'s> {
    /// Names checked by their characters only (for the facts of the reuse check, which has no
    /// segmenter), or with the dictionary too.
    pub(super) fn new(segmenter: Option<&'s Segmenter>) -> Names<'s> {
        Names { segmenter }
    }

    /// The name that ends in the suffix `suffix` of `text`, whose two characters before the
    /// suffix start at `start`: its span from the name's first character to the suffix's end,
    /// or `None` when no name stands there.
    pub(super) fn name_before(
        &self,
        text: &str,
        start: usize,
        suffix: ByteSpan,
    ) -> Option<ByteSpan> {
        if !is_name(&text[start..suffix.start]) {
            return None;
        }
        let Some(segmenter) = self.segmenter else {
            return Some(ByteSpan::new(start, suffix.end));
        };
        let clause = clause_around(text, ByteSpan::new(start, suffix.end));
        let tokens: Vec<Token<'_>> = segmenter
            .tag(clause.slice(text))
            .into_iter()
            .map(|t| Token {
                span: ByteSpan::new(t.span.start + clause.start, t.span.end + clause.start),
                ..t
            })
            .collect();
        let in_dictionary = |w: &str| segmenter.jieba().has_word(w);
        let name_start = name_start(&tokens, suffix, in_dictionary)?;
        is_name(&text[name_start..suffix.start]).then_some(ByteSpan::new(name_start, suffix.end))
    }
}

/// Where the name before `suffix` starts, by the words of its clause: see the module's doc.
/// `in_dictionary` says whether a word is one of the dictionary's rather than a guess of jieba's
/// HMM.
fn name_start(
    tokens: &[Token<'_>],
    suffix: ByteSpan,
    in_dictionary: impl Fn(&str) -> bool,
) -> Option<usize> {
    // The suffix ends a word (结合|镇情 is no town), unless the word that runs past it is only a
    // guess of the HMM (杉木|村因) or a proper name stands before it (新圩/ns|村集体经济).
    let last = tokens.iter().position(|t| t.span.end >= suffix.end)?;
    let runs_past = tokens[last].span.end != suffix.end;
    let proper_before = tokens
        .iter()
        .rfind(|t| t.span.end <= suffix.start)
        .is_some_and(|t| {
            t.span.end == suffix.start
                && t.text.chars().count() >= 2
                && is_proper_tag(t.pos)
                && t.pos != Some(Pos::X)
        });
    if runs_past && in_dictionary(tokens[last].text) && !proper_before {
        return None;
    }
    let first = tokens.iter().position(|t| t.span.end > suffix.start)?;
    let holder = &tokens[first];
    let mut start = suffix.start;
    let mut chars = 0;
    if holder.span.start < suffix.start {
        // A word that holds the suffix is a name (东坪村/ns), not a common word (农村, 全镇).
        if !is_proper_tag(holder.pos) {
            return None;
        }
        start = holder.span.start;
        chars = holder.text[..suffix.start - holder.span.start]
            .chars()
            .count();
    }
    for (words, t) in tokens[..first].iter().rev().enumerate() {
        if chars >= 2 || words == 2 {
            break;
        }
        let n = t.text.chars().count();
        let fits = if n == 1 {
            !is_function_tag(t.pos)
        } else {
            is_name_part_tag(t.pos)
        };
        if !fits || t.span.end != start {
            break;
        }
        start = t.span.start;
        chars += n;
    }
    (2..=5).contains(&chars).then_some(start)
}

/// The clause around `span`: from the punctuation before it to the punctuation after it, at most
/// 30 characters either way.
fn clause_around(text: &str, span: ByteSpan) -> ByteSpan {
    let is_stop = |c: char| c.is_whitespace() || "。；：！？，、“”‘’（）()《》".contains(c);
    let mut start = span.start;
    for (n, (i, c)) in text[..span.start].char_indices().rev().enumerate() {
        if is_stop(c) || n == 30 {
            break;
        }
        start = i;
    }
    let mut end = span.end;
    for (n, (i, c)) in text[span.end..].char_indices().enumerate() {
        if is_stop(c) || n == 30 {
            break;
        }
        end = span.end + i + c.len_utf8();
    }
    ByteSpan::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::segmenter;

    /// The name ending in the first `suffix` of `text`, by the characters and the dictionary.
    fn name(text: &str, suffix: &str) -> Option<String> {
        let at = text.find(suffix).unwrap();
        let start = text[..at].char_indices().rev().nth(1)?.0;
        let names = Names::new(Some(segmenter()));
        names
            .name_before(text, start, ByteSpan::new(at, at + suffix.len()))
            .map(|s| s.slice(text).to_string())
    }

    #[test]
    fn towns_and_villages_by_name() {
        assert_eq!(
            name("在分管的云溪镇招商引资", "镇").as_deref(),
            Some("云溪镇")
        );
        assert_eq!(name("东坪村千亩茶园", "村").as_deref(), Some("东坪村"));
        assert_eq!(name("白鹭湾村200亩蓝莓", "村").as_deref(), Some("白鹭湾村"));
        assert_eq!(
            name("2024年7月杏林社区居民", "社区").as_deref(),
            Some("杏林社区")
        );
    }

    #[test]
    fn verbs_and_categories_before_the_suffix_are_no_names() {
        assert_eq!(name("结合镇情研究转化不够", "镇"), None);
        assert_eq!(name("带动村集体经济发展", "村"), None);
        assert_eq!(name("深入村组走访不够", "村"), None);
        assert_eq!(name("到偏远乡镇调研少", "乡"), None);
        assert_eq!(name("加快片区开发", "区"), None);
    }
}
