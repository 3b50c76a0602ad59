//! Section kinds, from heading words (and, failing those, from the parent section).

use std::fmt;

use serde::Serialize;

/// What a section of a document is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// 个人有关事项: the personal matters a material must report.
    Matters,
    /// 存在的问题, 差距和不足, 查摆问题: the problems.
    Problems,
    /// 原因, 根源, 剖析: the causes of the problems.
    Causes,
    /// 整改措施, 努力方向, 下一步: the measures.
    Measures,
    /// 工作回顾, 主要成绩: the achievements.
    Achievements,
    /// Anything else.
    Other,
}

impl SectionKind {
    /// The kind as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Matters => "matters",
            SectionKind::Problems => "problems",
            SectionKind::Causes => "causes",
            SectionKind::Measures => "measures",
            SectionKind::Achievements => "achievements",
            SectionKind::Other => "other",
        }
    }

    /// The kind's Chinese label, for people.
    pub fn label(self) -> &'static str {
        match self {
            SectionKind::Matters => "个人事项",
            SectionKind::Problems => "问题",
            SectionKind::Causes => "原因",
            SectionKind::Measures => "措施",
            SectionKind::Achievements => "成绩",
            SectionKind::Other => "其他",
        }
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Heading words, checked in this order: 产生问题的原因 names problems but is about causes, and
/// 整改措施 names 整改 but is about measures.
const RULES: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::Matters,
        &[
            "个人有关事项",
            "个人有关重大事项",
            "个人重大事项",
            "有关事项报告",
            "重大事项情况",
            "个人事项",
        ],
    ),
    (
        SectionKind::Causes,
        &["原因", "根源", "剖析", "根子", "症结"],
    ),
    (
        SectionKind::Achievements,
        &[
            "整改落实情况",
            "整改情况",
            "落实情况",
            "工作回顾",
            "回顾",
            "主要成绩",
            "成绩",
            "成效",
            "履职情况",
            "工作情况",
            "主要工作",
            "取得的",
        ],
    ),
    (
        SectionKind::Measures,
        &[
            "整改措施",
            "努力方向",
            "改进措施",
            "整改方向",
            "下一步",
            "下步",
            "今后",
            "打算",
            "措施",
            "工作任务",
            "主要任务",
            "工作安排",
            "工作思路",
            "总体要求",
            "目标任务",
        ],
    ),
    (
        SectionKind::Problems,
        &[
            "问题",
            "不足",
            "差距",
            "短板",
            "弱项",
            "查摆",
            "检视",
            "对照检查",
            "缺点",
            "困难和挑战",
        ],
    ),
];

/// The kind a heading names, if it names one.
pub(crate) fn kind_of_heading(heading: &str) -> Option<SectionKind> {
    RULES
        .iter()
        .find(|(_, words)| words.iter().any(|w| heading.contains(w)))
        .map(|(kind, _)| *kind)
}

/// Phrases that, ending a subsection's heading, name its kind whatever its parent's: a topic
/// (…存在的问题和不足, …原因分析), not an object (解决关系群众切身利益的突出问题).
const END_RULES: &[(SectionKind, &[&str])] = &[
    (SectionKind::Matters, &["有关事项", "重大事项"]),
    (
        SectionKind::Causes,
        &["原因", "根源", "剖析", "原因分析", "根源剖析"],
    ),
    (
        SectionKind::Measures,
        &[
            "整改措施",
            "努力方向",
            "改进措施",
            "整改方向",
            "下一步打算",
            "下步打算",
            "今后打算",
            "工作打算",
            "下一步工作",
            "工作思路",
        ],
    ),
    (
        SectionKind::Achievements,
        &[
            "工作回顾",
            "主要成绩",
            "落实情况",
            "履职情况",
            "工作情况",
            "主要工作",
        ],
    ),
    (
        SectionKind::Problems,
        &[
            "存在的问题",
            "存在问题",
            "主要问题",
            "问题和不足",
            "不足和问题",
            "不足之处",
            "差距和不足",
            "差距不足",
            "存在的不足",
            "短板弱项",
            "问题清单",
            "查摆问题",
            "问题和差距",
            "差距和问题",
            "查摆的问题",
            "检视的问题",
            "剖析的问题",
            "查找的问题",
            "检视问题",
        ],
    ),
];

/// The kind a subsection's heading names at its end, if any: a stronger signal than a word in
/// the middle (带头梳理问题，切实抓好落实整改).
pub(crate) fn kind_named_at_end(heading: &str) -> Option<SectionKind> {
    let h = heading.trim_end_matches(|c: char| !c.is_alphanumeric());
    let h = ["情况", "方面", "等"]
        .iter()
        .fold(h, |h, suffix| h.strip_suffix(suffix).unwrap_or(h));
    END_RULES
        .iter()
        .find(|(_, words)| words.iter().any(|w| h.ends_with(w)))
        .map(|(kind, _)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_headings() {
        assert_eq!(
            kind_of_heading("关于个人有关重大事项情况"),
            Some(SectionKind::Matters)
        );
        assert_eq!(
            kind_of_heading("对照检查存在的主要问题"),
            Some(SectionKind::Problems)
        );
        assert_eq!(
            kind_of_heading("产生问题的原因分析"),
            Some(SectionKind::Causes)
        );
        assert_eq!(
            kind_of_heading("今后的努力方向和改进措施"),
            Some(SectionKind::Measures)
        );
        assert_eq!(
            kind_of_heading("2024年工作回顾"),
            Some(SectionKind::Achievements)
        );
        assert_eq!(kind_of_heading("在“理论学习”方面"), None);
        assert_eq!(
            kind_of_heading("上年度民主生活会整改落实情况"),
            Some(SectionKind::Achievements)
        );
        assert_eq!(kind_named_at_end("带头梳理问题，切实抓好落实整改"), None);
        assert_eq!(
            kind_named_at_end("努力改善人民生活，重视解决关系群众切身利益的突出问题"),
            None
        );
        assert_eq!(
            kind_named_at_end("以案促改“七查”内容方面存在的问题"),
            Some(SectionKind::Problems)
        );
        assert_eq!(
            kind_named_at_end("存在的问题和不足"),
            Some(SectionKind::Problems)
        );
    }
}
