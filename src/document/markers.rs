//! Recognising the numbering people write: heading markers at the start of a line (一、 （一）
//! (一) 1. 1、 （1） ① 第一部分) and item markers at the start of a clause (一是 二是, 首先 其次
//! 再次 最后, 第一， 第二，), in full or half width, and example markers (比如, 例如, 譬如, 如：,
//! 以…为例; weaker: 特别是, 像…这样).

use std::sync::LazyLock;

use regex::Regex;

use crate::span::ByteSpan;

/// A family of heading markers: siblings share a family, and a family nested in another is one
/// level deeper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum HeadingFamily {
    /// 第一部分
    Part,
    /// 一、
    ChineseDun,
    /// （一）
    ParenChinese,
    /// 1. 1、 1．
    Arabic,
    /// （1）
    ParenArabic,
    /// ①
    Circled,
}

/// A family of item markers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ItemFamily {
    /// 一是 二是 …
    Shi,
    /// 首先 其次 再次 最后
    Sequence,
    /// 第一， 第二，
    Ordinal,
}

/// A heading marker found at the start of a line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HeadingMarker {
    pub family: HeadingFamily,
    /// The marker as written, e.g. `（一）`.
    pub span: ByteSpan,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        r"(?P<part>第[一二三四五六七八九十]{1,3}部分)",
        r"|(?P<dun>[一二三四五六七八九十]{1,3}\s*[、．.])",
        r"|(?P<pcn>[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)][、．.]?)",
        r"|(?P<par>[（(]\s*\d{1,2}\s*[）)][、．.]?)",
        r"|(?P<ara>\d{1,2}\s*[.．、])",
        r"|(?P<cir>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])",
        r")"
    ))
    .expect("static regex")
});

/// The heading marker at the start of `line` (leading white space allowed), if any. `offset` is
/// the line's byte offset in the text.
pub(crate) fn heading_marker(line: &str, offset: usize) -> Option<HeadingMarker> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let caps = HEADING.captures(trimmed)?;
    let m = caps.get(0).expect("group 0");
    let rest = &trimmed[m.end()..];
    let family = if caps.name("part").is_some() {
        HeadingFamily::Part
    } else if caps.name("dun").is_some() {
        HeadingFamily::ChineseDun
    } else if caps.name("pcn").is_some() {
        HeadingFamily::ParenChinese
    } else if caps.name("par").is_some() {
        HeadingFamily::ParenArabic
    } else if caps.name("ara").is_some() {
        // 1.5亿元, 2.3% are numbers, not headings; 1、2、3 in a row is a list of numbers. An
        // item may still start with a number: 2、2024年全镇完成…
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            let dun = m.as_str().trim_end().ends_with('、');
            if !dun || after.is_empty() || after.starts_with(['、', '，', ',', '.', '．', ' ']) {
                return None;
            }
        }
        HeadingFamily::Arabic
    } else {
        HeadingFamily::Circled
    };
    // A marker alone on a line with nothing after it, or followed by more numbering (一、二、三),
    // is not a heading.
    let rest_trim = rest.trim();
    if rest_trim.is_empty() || (family == HeadingFamily::ChineseDun && HEADING.is_match(rest_trim))
    {
        return None;
    }
    let start = offset + lead;
    Some(HeadingMarker {
        family,
        span: ByteSpan::new(start, start + m.end()),
    })
}

/// An item marker found in a text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ItemMarker {
    pub family: ItemFamily,
    /// The marker as written, e.g. `一是`, `首先`, `第二`.
    pub span: ByteSpan,
}

static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<shi>[一二三四五六七八九十]{1,2}是)",
        r"|(?P<seq>首先|其次|再次|再者|最后)[，,：:]",
        r"|(?P<ord>第[一二三四五六七八九十]{1,2})[，,、：:是]",
    ))
    .expect("static regex")
});

/// Whether an item marker may start right after `c`: at a clause boundary.
fn clause_boundary(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c.is_whitespace() || "。；：！？，、）)”\"".contains(c),
    }
}

/// Item markers in `text[range]`, at clause boundaries, in order.
pub(crate) fn item_markers(text: &str, range: ByteSpan) -> Vec<ItemMarker> {
    let body = &text[range.range()];
    let mut out = Vec::new();
    for caps in ITEM.captures_iter(body) {
        let (family, m) = if let Some(m) = caps.name("shi") {
            // 一是 must not be the tail of a word (统一是, 唯一是).
            (ItemFamily::Shi, m)
        } else if let Some(m) = caps.name("seq") {
            (ItemFamily::Sequence, m)
        } else {
            (
                ItemFamily::Ordinal,
                caps.name("ord").expect("one group matched"),
            )
        };
        let before = text[..range.start + m.start()].chars().next_back();
        if !clause_boundary(before) {
            continue;
        }
        out.push(ItemMarker {
            family,
            span: ByteSpan::new(range.start + m.start(), range.start + m.end()),
        });
    }
    out
}

/// How strongly a phrase announces an example.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ExampleStrength {
    /// 特别是, 像…这样: often emphasis rather than an instance; taken only after the item's turn.
    Weak,
    /// 比如, 例如, 譬如, 如：, 以…为例.
    Strong,
}

static EXAMPLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<strong>比如|例如|譬如|诸如|如：|如:|以[^，。；]{1,20}为例)",
        r"|(?P<weak>特别是|尤其是|像[^，。；]{1,30}?(?:这样|那样|一样|这种|这类))",
    ))
    .expect("static regex")
});

/// An example marker.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExampleMarker {
    pub strength: ExampleStrength,
    /// The whole marker phrase as matched.
    pub span: ByteSpan,
    /// The marker word to report (比如, 像, 以…为例 as `以`…).
    pub word: ByteSpan,
}

/// Example markers in `text[range]`, at clause starts, in order.
pub(crate) fn example_markers(text: &str, range: ByteSpan) -> Vec<ExampleMarker> {
    let body = &text[range.range()];
    let mut out = Vec::new();
    for caps in EXAMPLE.captures_iter(body) {
        let (strength, m) = match caps.name("strong") {
            Some(m) => (ExampleStrength::Strong, m),
            None => (
                ExampleStrength::Weak,
                caps.name("weak").expect("one group matched"),
            ),
        };
        let before = text[..range.start + m.start()].chars().next_back();
        // 比如 and 例如 start a clause; 如： needs one too (不如：, 比如： are other words).
        if !clause_boundary(before) {
            continue;
        }
        let span = ByteSpan::new(range.start + m.start(), range.start + m.end());
        let word_len = if m.as_str().starts_with('以') || m.as_str().starts_with('像') {
            m.as_str().chars().next().expect("non-empty").len_utf8()
        } else {
            m.len()
        };
        out.push(ExampleMarker {
            strength,
            span,
            word: ByteSpan::new(span.start, span.start + word_len),
        });
    }
    out
}

/// Turns from praise to problems: 但, 但是, 但从严对照, 然而, 不过, 对照发现 at a clause start.
static TURN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:但从严对照检查|但从严对照|但对照检查发现|但对照检查|但对照要求|但对照来看|但对照|但是|但|然而|不过",
        r"|对照检查发现|对照发现|对照要求|对照来看)[，,]?"
    ))
    .expect("static regex")
});

/// The span of the last turn in `text[range]` (at a clause start), if any.
pub(crate) fn last_turn(text: &str, range: ByteSpan) -> Option<usize> {
    turns(text, range).last().map(|t| t.start)
}

/// The span of the first turn in `text[range]` (with a comma that follows it), if any.
pub(crate) fn first_turn(text: &str, range: ByteSpan) -> Option<ByteSpan> {
    turns(text, range).first().copied()
}

/// Every turn in `text[range]` at a clause start, in order.
pub(crate) fn turns(text: &str, range: ByteSpan) -> Vec<ByteSpan> {
    TURN.find_iter(&text[range.range()])
        .map(|m| ByteSpan::new(range.start + m.start(), range.start + m.end()))
        .filter(|t| clause_boundary(text[..t.start].chars().next_back()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(line: &str) -> Option<(HeadingFamily, &str)> {
        heading_marker(line, 0).map(|m| (m.family, m.span.slice(line)))
    }

    #[test]
    fn headings_in_both_widths() {
        assert_eq!(
            heading("一、关于个人"),
            Some((HeadingFamily::ChineseDun, "一、"))
        );
        assert_eq!(
            heading("（三）在“能力本领”方面"),
            Some((HeadingFamily::ParenChinese, "（三）"))
        );
        assert_eq!(
            heading("(三) 在方面"),
            Some((HeadingFamily::ParenChinese, "(三)"))
        );
        assert_eq!(heading("  2. 工作"), Some((HeadingFamily::Arabic, "2.")));
        assert_eq!(heading("12、工作"), Some((HeadingFamily::Arabic, "12、")));
        assert_eq!(
            heading("（1）理论"),
            Some((HeadingFamily::ParenArabic, "（1）"))
        );
        assert_eq!(heading("③学习"), Some((HeadingFamily::Circled, "③")));
        assert_eq!(
            heading("第二部分 工作"),
            Some((HeadingFamily::Part, "第二部分"))
        );
        assert_eq!(heading("1.5亿元"), None);
        assert_eq!(heading("1、2、3"), None);
        assert_eq!(
            heading("2、2024年全镇完成投资"),
            Some((HeadingFamily::Arabic, "2、"))
        );
        assert_eq!(heading("一是学得不深"), None);
        assert_eq!(heading("一、"), None);
    }

    #[test]
    fn items_at_clause_starts_only() {
        let t = "存在以下问题：一是学得不深。二是悟得不透；三是用得不实。统一是前提，唯一是";
        let m: Vec<&str> = item_markers(t, ByteSpan::new(0, t.len()))
            .iter()
            .map(|m| m.span.slice(t))
            .collect();
        assert_eq!(m, ["一是", "二是", "三是"]);
        let t = "首先，要学。其次，要用。最后，要改。第一，坚持；第二，落实";
        let m: Vec<_> = item_markers(t, ByteSpan::new(0, t.len()))
            .iter()
            .map(|m| (m.family, m.span.slice(t)))
            .collect();
        assert_eq!(m[0], (ItemFamily::Sequence, "首先"));
        assert_eq!(m[3], (ItemFamily::Ordinal, "第一"));
    }

    #[test]
    fn examples() {
        let t = "工作不实。比如，在推进中。不如：那样。特别是近年来。以滩区迁建为例，";
        let m: Vec<_> = example_markers(t, ByteSpan::new(0, t.len()))
            .iter()
            .map(|m| (m.strength, m.word.slice(t)))
            .collect();
        assert_eq!(
            m,
            [
                (ExampleStrength::Strong, "比如"),
                (ExampleStrength::Weak, "特别是"),
                (ExampleStrength::Strong, "以")
            ]
        );
    }
}
