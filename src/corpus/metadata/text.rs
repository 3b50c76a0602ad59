//! What a document's text tells about it: a title line, the genre, the year of the meeting or
//! session, and the speaker of a government work report. Only the first and last lines are
//! looked at line by line, so a text of any size costs no memory here.

use std::sync::LazyLock;

use regex::Regex;

use super::Metadata;
use super::words::kind_of;
use crate::span::Year;

/// The year of the meeting a material was written for: 2023年度民主生活会, 2023年度…述职.
static MEETING_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年度?[^。\n]{0,30}?(?:民主生活会|组织生活会|述职|述责|述廉|考核|专题生活会)").expect("static regex")
});
/// A dated line: 2026年2月3日在四川省第十四届人民代表大会第五次会议上.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?").expect("static regex")
});
/// The period a material reports on: 2023年上半年, 2023年以来, 2023年1-6月.
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年(?:上半年|下半年|以来|前三季度|第[一二三四]季度|1\s*[-—至到]\s*\d{1,2}\s*月)").expect("static regex")
});
static YEAR_ANY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").expect("static regex"));
static GOV_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\S{2,24}?(?:人民政府|政府|委员会|国务院))?\s*(总理|省长|市长|县长|区长|州长|主席|代省长|代市长|代县长|书记)\s+(\S{2,4})$").expect("static regex")
});

/// Lines of the head that name the genre; characters of the head looked at.
const HEAD_LINES: usize = 30;
const HEAD_CHARS: usize = 1500;

/// The year a title names (2023年度…).
pub(super) fn year_in_title(title: &str) -> Option<Year> {
    YEAR_ANY.captures(title).and_then(|c| Year::parse(&c[1]))
}

/// The non-blank lines of `text`, trimmed, from the start (or from the end).
fn lines(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// What the text tells: a title line, the genre, the year of the meeting or session, and the
/// speaker of a government work report (四川省人民政府省长 施小琳).
pub fn metadata_from_text(text: &str) -> Metadata {
    let mut meta = Metadata::default();
    if let Some(first) = lines(text).next() {
        let n = first.chars().count();
        let ends_sentence = first.ends_with(['。', '；', '：', ':', '，', '！']);
        if (4..=60).contains(&n) && !ends_sentence && !crate::corpus::starts_with_heading(first) {
            meta.title = Some(first.to_string());
        }
    }
    // At most HEAD_CHARS characters of at most 4 bytes each, however long the first lines are.
    let mut head = String::new();
    for line in lines(text).take(HEAD_LINES) {
        if !head.is_empty() {
            head.push('\n');
        }
        let room = (HEAD_CHARS * 4).saturating_sub(head.len());
        head.push_str(&line[..line.floor_char_boundary(room)]);
        if head.len() >= HEAD_CHARS * 4 {
            break;
        }
    }
    let head = &head[..head
        .char_indices()
        .nth(HEAD_CHARS)
        .map_or(head.len(), |(i, _)| i)];
    meta.kind = meta
        .title
        .as_deref()
        .and_then(kind_of)
        .or_else(|| kind_of_text(head, text));
    meta.year = meta
        .title
        .as_deref()
        .and_then(year_in_title)
        .or_else(|| MEETING_YEAR.captures(text).and_then(|c| Year::parse(&c[1])))
        .or_else(|| {
            lines(text)
                .take(8)
                .chain(lines(text).rev().take(5))
                .find_map(|l| DATE.captures(l).and_then(|c| Year::parse(&c[1])))
        })
        .or_else(|| PERIOD.captures(text).and_then(|c| Year::parse(&c[1])));
    for line in lines(text).take(15) {
        if line.chars().count() > 40 {
            continue;
        }
        if let Some(c) = GOV_HEAD.captures(line) {
            meta.author = Some(c[3].to_string());
            meta.post = Some(format!("{}{}", c.get(1).map_or("", |m| m.as_str()), &c[2]));
            if let Some(org) = c.get(1) {
                meta.unit = Some(org.as_str().to_string());
            }
            break;
        }
    }
    meta
}

/// The genre the head of a text names, or that its body shows (a self-examination for a
/// 民主生活会).
fn kind_of_text(head: &str, text: &str) -> Option<String> {
    if (head.contains("民主生活会") || head.contains("组织生活会"))
        && ["对照", "检视", "剖析", "查摆"]
            .iter()
            .any(|w| head.contains(w))
    {
        Some("对照检查材料".to_string())
    } else if head.contains("报告政府工作") || head.contains("政府工作报告") {
        Some("政府工作报告".to_string())
    } else if (text.contains("民主生活会") || text.contains("组织生活会"))
        && [
            "对照检查",
            "检视剖析",
            "查摆问题",
            "对照检视",
            "剖析根源",
            "问题根源",
        ]
        .iter()
        .any(|w| text.contains(w))
    {
        // A material whose head names no meeting (the reference 对照检查材料 names it only in
        // its body): the meeting and the self-examination anywhere in the text.
        Some("对照检查材料".to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_year_is_the_meeting_not_any_year() {
        let t = "关于2023年度民主生活会的对照检查材料\n一、2019年以来的工作\n";
        let m = metadata_from_text(t);
        assert_eq!(m.year.map(Year::get), Some(2023));
        assert_eq!(m.kind.as_deref(), Some("对照检查材料"));
        let t = "各位代表：\n现在，我代表国务院，向大会报告政府工作。\n一、2024年工作回顾\n2024年经济增长5%。\n";
        let m = metadata_from_text(t);
        assert_eq!(m.year, None);
        assert_eq!(m.title, None);
        assert_eq!(m.kind.as_deref(), Some("政府工作报告"));
    }

    #[test]
    fn government_report_header() {
        let t = "2026年四川省人民政府工作报告\n2026年2月3日在四川省第十四届人民代表大会第五次会议上\n四川省人民政府省长 施小琳\n各位代表：\n";
        let m = metadata_from_text(t);
        assert_eq!(m.title.as_deref(), Some("2026年四川省人民政府工作报告"));
        assert_eq!(m.year.map(Year::get), Some(2026));
        assert_eq!(m.author.as_deref(), Some("施小琳"));
        assert_eq!(m.unit.as_deref(), Some("四川省人民政府"));
    }

    #[test]
    fn a_date_in_the_last_lines_gives_the_year() {
        let body = "正文一段，没有年份。\n".repeat(40);
        let t = format!("各位同志：\n{body}中共某县委员会\n2024年1月18日\n\n");
        assert_eq!(metadata_from_text(&t).year.map(Year::get), Some(2024));
    }
}
