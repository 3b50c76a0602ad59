//! Tests on the real documents and gold standards of ../shared/data: skipped with a notice when the
//! folder is absent, failing when GONGWEN_REQUIRE_SHARED=1.

use std::collections::HashSet;
use std::path::Path;

use gongwen::{MetadataResolver, SegmentationScore, Segmenter, TokenKind, read_file};

use crate::util::{plain_segmenter, segmenter, shared_data};

fn sighan(dir: &Path, corpus: &str, seg: &Segmenter) -> SegmentationScore {
    let read =
        |name: String| std::fs::read_to_string(dir.join("sighan2005/gold").join(name)).unwrap();
    gongwen::score_gold(
        &read(format!("{corpus}_test_gold.utf8")),
        &read(format!("{corpus}_training_words.utf8")),
        seg,
    )
}

#[test]
fn political_dictionary_costs_at_most_three_tenths_of_a_point_of_pku_f1() {
    let Some(dir) = shared_data() else { return };
    for corpus in ["pku", "msr"] {
        let plain = sighan(&dir, corpus, plain_segmenter());
        let ours = sighan(&dir, corpus, segmenter());
        eprintln!("{corpus}: jieba-rs {plain:?}\n{corpus}: gongwen  {ours:?}");
        assert_eq!(ours.mismatched_lines, 0);
        assert!(
            plain.f1 > 0.75 && ours.f1 > 0.75,
            "the scorer is wired wrong: {plain:?} {ours:?}"
        );
        if corpus == "pku" {
            assert!(
                (plain.f1 - ours.f1) * 100.0 <= 0.3,
                "PKU F1 fell from {:.4} to {:.4}",
                plain.f1,
                ours.f1
            );
        }
    }
}

#[test]
fn the_seed_material_reads_whole_with_its_year_terms_and_redactions() {
    let Some(dir) = shared_data() else { return };
    let path = dir.join("seed/000_10c424be91a3d583.txt");
    let doc = read_file(&path).unwrap();
    assert!(doc.warnings.is_empty());
    assert!(doc.text.starts_with("围绕通知要求"));
    assert!(
        doc.text
            .contains("二、对照检查存在的主要问题\n（一）在“理论学习”方面。")
    );
    let meta = MetadataResolver::default()
        .resolve(&path, &doc.text, &doc.declared)
        .unwrap()
        .metadata;
    assert_eq!(meta.year.map(|y| y.get()), Some(2023));

    let tokens = segmenter().segment(&doc.text);
    let words: HashSet<&str> = tokens.iter().map(|t| t.text).collect();
    for term in [
        "习近平新时代中国特色社会主义思想",
        "以案促改",
        "第一议题",
        "民主生活会",
        "八项规定",
    ] {
        assert!(words.contains(term), "{term} is not whole in the seed");
    }
    let redactions = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Redaction)
        .count();
    assert_eq!(
        redactions,
        doc.text.matches("**").count(),
        "every ** is one redaction token"
    );
    assert!(redactions > 0);
}

#[test]
fn every_real_document_reads_cleanly() {
    let Some(dir) = shared_data() else { return };
    let mut n = 0;
    for sub in [
        "gwr_national/by_year",
        "gwr_national/resolutions",
        "cpc_congress",
        "gwr_provincial_2026/txt",
        "seed",
    ] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let doc = read_file(&path).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                !doc.text.contains('\u{FFFD}') && !doc.text.contains('\r'),
                "{}",
                path.display()
            );
            assert!(
                !doc.text.contains('\u{FF10}'),
                "full-width digits left in {}",
                path.display()
            );
            n += 1;
        }
    }
    assert!(n >= 52 + 20 + 15 + 31, "read {n} documents");
}

#[test]
fn years_of_real_documents_come_from_name_or_dated_session() {
    let Some(dir) = shared_data() else { return };
    let resolver = MetadataResolver::default();
    for entry in std::fs::read_dir(dir.join("gwr_provincial_2026/txt")).unwrap() {
        let path = entry.unwrap().path();
        let doc = read_file(&path).unwrap();
        let meta = resolver
            .resolve(&path, &doc.text, &doc.declared)
            .unwrap()
            .metadata;
        assert_eq!(meta.year.map(|y| y.get()), Some(2026), "{}", path.display());
        assert_eq!(
            meta.kind.as_deref(),
            Some("政府工作报告"),
            "{}",
            path.display()
        );
        let province = path
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap()
            .split('_')
            .nth(1)
            .unwrap()
            .to_string();
        assert_eq!(meta.unit.as_deref(), Some(province.as_str()));
    }
    // The national reports name no year of their own session in the text: only the file name does,
    // and the text's own years (2024年工作回顾 in the 2025 report) must not be taken.
    let path = dir.join("gwr_national/by_year/2025_国务院政府工作报告.txt");
    let doc = read_file(&path).unwrap();
    assert_eq!(gongwen::metadata_from_text(&doc.text).year, None);
    assert_eq!(
        resolver
            .resolve(&path, &doc.text, &doc.declared)
            .unwrap()
            .metadata
            .year
            .map(|y| y.get()),
        Some(2025)
    );
}
