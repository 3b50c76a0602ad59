//! What a file name tells: `2023_张三_县委书记_对照检查材料.docx`, `2026_四川省_政府工作报告.txt`.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::Metadata;
use super::words::{is_person_name, is_post, is_unit, is_unit_or_suffix, kind_pattern};
use crate::span::Year;

static YEAR_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:19|20)\d{2})(?:年度?)?[_\-\s]*(.*)$").expect("static regex")
});

/// What a file name tells: the stem split on `_`, `-` and spaces; a 4-digit year, a genre (a part
/// that names one, e.g. 对照检查材料), a unit (四川省, 国务院 before 政府工作报告), a post
/// (县委书记), a person's name (张三). Hex hashes and serial numbers are ignored.
pub fn metadata_from_file_name(path: &Path) -> Metadata {
    let mut meta = Metadata::default();
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return meta;
    };
    let stem = stem.strip_suffix(".meta").unwrap_or(stem);
    let mut leftovers = Vec::new();
    for part in stem
        .split(['_', '-', ' ', '　', '—', '－'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let mut part = part;
        if let Some(c) = YEAR_PREFIX.captures(part) {
            if meta.year.is_none() {
                meta.year = Year::parse(&c[1]);
            }
            part = c.get(2).map_or("", |m| m.as_str());
            if part.is_empty() {
                continue;
            }
        }
        if part.chars().all(|c| c.is_ascii_hexdigit()) {
            continue; // a serial number or a content hash
        }
        if let Some((pattern, kind)) = kind_pattern(part) {
            // 国务院政府工作报告: what stands before the genre is the unit.
            let before = part
                .split(pattern)
                .next()
                .unwrap_or("")
                .trim_end_matches(['的', '在']);
            let unit_before = is_unit_or_suffix(before) && !before.ends_with("会议");
            if meta.unit.is_none() && unit_before {
                meta.unit = Some(before.to_string());
            }
            meta.kind.get_or_insert_with(|| kind.to_string());
            // A part that is only a unit and a genre (国务院政府工作报告) names no title.
            let unit_len = if unit_before {
                before.chars().count()
            } else {
                0
            };
            let rest: usize = part
                .split(pattern)
                .map(|p| p.chars().count())
                .sum::<usize>()
                - unit_len;
            if rest >= 4 {
                leftovers.push(part);
            }
        } else if meta.post.is_none() && is_post(part) {
            meta.post = Some(part.to_string());
        } else if meta.author.is_none() && is_person_name(part) {
            meta.author = Some(part.trim_end_matches("同志").to_string());
        } else if meta.unit.is_none() && is_unit(part) {
            meta.unit = Some(part.to_string());
        } else {
            leftovers.push(part);
        }
    }
    // Long descriptive parts make the title (高举…伟大旗帜_为…而团结奋斗 → two halves of one title).
    let title: Vec<&str> = leftovers
        .into_iter()
        .filter(|p| p.chars().count() >= 6)
        .collect();
    if !title.is_empty() {
        meta.title = Some(title.join(" "));
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_of_a_material() {
        let m = metadata_from_file_name(Path::new("/x/2023_张三_县委书记_对照检查材料.docx"));
        assert_eq!(m.year.map(Year::get), Some(2023));
        assert_eq!(m.author.as_deref(), Some("张三"));
        assert_eq!(m.post.as_deref(), Some("县委书记"));
        assert_eq!(m.unit, None);
        assert_eq!(m.kind.as_deref(), Some("对照检查材料"));
    }

    #[test]
    fn file_name_of_reports() {
        let m = metadata_from_file_name(Path::new("2026_四川省_政府工作报告.txt"));
        assert_eq!(
            (m.year.map(Year::get), m.unit.as_deref(), m.kind.as_deref()),
            (Some(2026), Some("四川省"), Some("政府工作报告"))
        );
        let m = metadata_from_file_name(Path::new("1954_国务院政府工作报告.txt"));
        assert_eq!(
            (m.year.map(Year::get), m.unit.as_deref(), m.kind.as_deref()),
            (Some(1954), Some("国务院"), Some("政府工作报告"))
        );
        assert_eq!(m.title, None);
        let m = metadata_from_file_name(Path::new("000_10c424be91a3d583.txt"));
        assert!(m.is_empty(), "{m:?}");
        let m = metadata_from_file_name(Path::new(
            "20_高举中国特色社会主义伟大旗帜_为全面建设社会主义现代化国家而团结奋斗_二十大.txt",
        ));
        assert_eq!(
            m.title.as_deref(),
            Some("高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗")
        );
        let m = metadata_from_file_name(Path::new(
            "第十一届全国人民代表大会第一次会议关于政府工作报告的决议.txt",
        ));
        assert_eq!(m.kind.as_deref(), Some("决议"));
        assert!(m.title.is_some());
    }
}
