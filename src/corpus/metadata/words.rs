//! The word lists the file-name and text heuristics use: genres, endings of unit names and of
//! posts, surnames. Each is a file of `dictionaries/` embedded at build time; the README there says
//! how each was made and what its columns mean.

use std::sync::LazyLock;

/// `dictionaries/kinds.txt`: `pattern<TAB>kind`, most specific first.
const KINDS_TXT: &str = include_str!("../../../dictionaries/kinds.txt");
/// `dictionaries/unit_suffixes.txt`: one ending per line.
const UNIT_SUFFIXES_TXT: &str = include_str!("../../../dictionaries/unit_suffixes.txt");
/// `dictionaries/post_suffixes.txt`: one ending per line.
const POST_SUFFIXES_TXT: &str = include_str!("../../../dictionaries/post_suffixes.txt");
/// `dictionaries/surnames.txt`: one surname per line, single and compound.
const SURNAMES_TXT: &str = include_str!("../../../dictionaries/surnames.txt");

/// The entries of a list: its lines, trimmed, without blank lines and `#` comments.
fn entries(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Genres, most specific first: (what a name or title contains, the kind recorded).
static KINDS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    entries(KINDS_TXT)
        .map(|l| {
            l.split_once('\t')
                .map(|(pattern, kind)| (pattern.trim(), kind.trim()))
                .expect("every line of kinds.txt has two columns (tested)")
        })
        .collect()
});
static UNIT_SUFFIXES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| entries(UNIT_SUFFIXES_TXT).collect());
static POST_SUFFIXES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| entries(POST_SUFFIXES_TXT).collect());
static SURNAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| entries(SURNAMES_TXT).collect());

/// The first genre pattern `s` contains, with the kind it records.
pub(super) fn kind_pattern(s: &str) -> Option<(&'static str, &'static str)> {
    KINDS
        .iter()
        .find(|(pattern, _)| s.contains(pattern))
        .copied()
}

/// The genre a name or title names, if any.
pub(super) fn kind_of(s: &str) -> Option<String> {
    kind_pattern(s).map(|(_, kind)| kind.to_string())
}

/// Whether `s` is a unit's name: longer than an ending of unit names it ends with.
pub(super) fn is_unit(s: &str) -> bool {
    ends_with_any(s, &UNIT_SUFFIXES)
}

/// Whether `s` is a unit's name or an ending of one by itself (国务院, 省).
pub(super) fn is_unit_or_suffix(s: &str) -> bool {
    ends_with_any_or_is(s, &UNIT_SUFFIXES)
}

/// Whether `s` is a post (县委书记) or a post's ending by itself (书记).
pub(super) fn is_post(s: &str) -> bool {
    ends_with_any_or_is(s, &POST_SUFFIXES)
}

/// Whether `s` looks like a person's name: 2–4 CJK characters (or redaction marks) starting with
/// a surname, and neither a unit, a post nor a genre.
pub(super) fn is_person_name(s: &str) -> bool {
    let n = s.chars().count();
    if !(2..=4).contains(&n)
        || !s
            .chars()
            .all(|c| crate::corpus::is_cjk(c) || matches!(c, '*' | '＊' | '×' | 'X' | '某'))
    {
        return false;
    }
    SURNAMES.iter().any(|surname| s.starts_with(surname))
        && !ends_with_any(s, &UNIT_SUFFIXES)
        && !ends_with_any(s, &POST_SUFFIXES)
        && kind_of(s).is_none()
}

fn ends_with_any(s: &str, suffixes: &[&str]) -> bool {
    suffixes
        .iter()
        .any(|x| s.ends_with(x) && s.chars().count() > x.chars().count())
}

fn ends_with_any_or_is(s: &str, suffixes: &[&str]) -> bool {
    !s.is_empty() && (suffixes.contains(&s) || ends_with_any(s, suffixes))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_list_parses_without_duplicates() {
        for line in entries(KINDS_TXT) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 2, "kinds.txt: {line:?} needs two columns");
            assert!(fields.iter().all(|f| !f.trim().is_empty()), "{line:?}");
        }
        assert!(KINDS.len() >= 20);
        for (name, list) in [
            ("kinds", KINDS.iter().map(|k| k.0).collect::<Vec<_>>()),
            ("unit_suffixes", UNIT_SUFFIXES.clone()),
            ("post_suffixes", POST_SUFFIXES.clone()),
            ("surnames", SURNAMES.clone()),
        ] {
            let mut seen = HashSet::new();
            for entry in &list {
                assert!(seen.insert(entry), "{name}.txt lists {entry:?} twice");
                assert!(
                    entry.chars().all(crate::corpus::is_cjk_letter),
                    "{name}.txt: {entry:?} is not all Chinese characters"
                );
            }
        }
        assert!(SURNAMES.len() > 400, "single and compound surnames");
    }

    #[test]
    fn a_more_specific_genre_wins() {
        assert_eq!(
            kind_of("第十一届全国人民代表大会第一次会议关于政府工作报告的决议").as_deref(),
            Some("决议")
        );
        assert_eq!(
            kind_of("2024年政府工作报告").as_deref(),
            Some("政府工作报告")
        );
        assert_eq!(kind_of("2024年工作报告").as_deref(), Some("工作报告"));
    }

    #[test]
    fn names_units_and_posts() {
        assert!(is_person_name("张三"));
        assert!(is_person_name("欧阳修"));
        assert!(is_person_name("王**"));
        assert!(!is_person_name("四川省"), "no surname 四");
        assert!(!is_person_name("王家村"), "a unit");
        assert!(!is_person_name("张书记"), "a post");
        assert!(is_unit("某县纪委") && !is_unit("省"));
        assert!(is_unit_or_suffix("国务院") && is_unit_or_suffix("省"));
        assert!(is_post("县委书记") && is_post("书记") && !is_post("张三"));
    }
}
