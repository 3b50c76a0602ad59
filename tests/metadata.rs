//! Metadata resolution: flags, manifest (CSV and JSON Lines), sidecar, file name, text, in that
//! order of precedence, with the source of each field recorded.

use std::path::Path;

use gongwen::{Field, Manifest, Metadata, MetadataResolver, MetadataSource, Year};

use crate::util::write;

const TEXT: &str = "关于2023年度民主生活会的个人对照检查材料\n一、个人有关事项\n2019年以来，……\n";

#[test]
fn precedence_flags_manifest_sidecar_name_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "2022_张三_县委书记_对照检查材料.txt",
        TEXT.as_bytes(),
    );
    let text = std::fs::read_to_string(&file).unwrap();

    // Text and file name only: the file name wins for the year.
    let r = MetadataResolver::default()
        .resolve(&file, &text, &Metadata::default())
        .unwrap();
    assert_eq!(r.metadata.year, Year::new(2022));
    assert_eq!(r.sources[&Field::Year], MetadataSource::FileName);
    assert_eq!(
        r.metadata.title.as_deref(),
        Some("关于2023年度民主生活会的个人对照检查材料")
    );
    assert_eq!(r.sources[&Field::Title], MetadataSource::Text);
    assert_eq!(r.metadata.author.as_deref(), Some("张三"));
    assert_eq!(r.metadata.post.as_deref(), Some("县委书记"));

    // A sidecar beats the file name.
    write(
        dir.path(),
        "2022_张三_县委书记_对照检查材料.txt.meta.json",
        r#"{"year": 2021, "unit": "某县县委"}"#.as_bytes(),
    );
    let r = MetadataResolver::default()
        .resolve(&file, &text, &Metadata::default())
        .unwrap();
    assert_eq!(
        (r.metadata.year, r.metadata.unit.as_deref()),
        (Year::new(2021), Some("某县县委"))
    );
    assert_eq!(r.sources[&Field::Unit], MetadataSource::Sidecar);

    // A manifest beats the sidecar; flags beat the manifest.
    let manifest = write(dir.path(), "manifest.csv", "path,author,unit,year,kind,title\n2022_张三_县委书记_对照检查材料.txt,张三,某县委办,2020,述职报告,\n".as_bytes());
    let m = || Manifest::load(&manifest).unwrap();
    let r = MetadataResolver::new(Metadata::default(), Some(m()))
        .resolve(&file, &text, &Metadata::default())
        .unwrap();
    assert_eq!(
        (
            r.metadata.year,
            r.metadata.unit.as_deref(),
            r.metadata.kind.as_deref()
        ),
        (Year::new(2020), Some("某县委办"), Some("述职报告"))
    );
    assert_eq!(r.sources[&Field::Year], MetadataSource::Manifest);
    let flags = Metadata {
        year: Year::new(2019),
        ..Metadata::default()
    };
    let r = MetadataResolver::new(flags, Some(m()))
        .resolve(&file, &text, &Metadata::default())
        .unwrap();
    assert_eq!(r.metadata.year, Year::new(2019));
    assert_eq!(r.sources[&Field::Year], MetadataSource::Flags);
    assert_eq!(
        r.metadata.unit.as_deref(),
        Some("某县委办"),
        "fields the flags leave out still come from the manifest"
    );
}

#[test]
fn json_lines_manifest_with_relative_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let file = write(&dir.path().join("sub"), "a.txt", TEXT.as_bytes());
    let manifest = write(
        dir.path(),
        "m.jsonl",
        "{\"path\": \"sub/a.txt\", \"author\": \"李四\", \"year\": \"2024年\", \"mandated\": true}\n\n".as_bytes(),
    );
    let m = Manifest::load(&manifest).unwrap();
    assert_eq!(m.len(), 1);
    let r = MetadataResolver::new(Metadata::default(), Some(m))
        .resolve(&file, TEXT, &Metadata::default())
        .unwrap();
    assert_eq!(
        (
            r.metadata.author.as_deref(),
            r.metadata.year,
            r.metadata.mandated
        ),
        (Some("李四"), Year::new(2024), Some(true))
    );
}

#[test]
fn malformed_manifest_rows_and_sidecars_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write(
        dir.path(),
        "m.csv",
        "path,year\na.txt,2023\nb.txt,去年\n".as_bytes(),
    );
    let m = Manifest::load(&manifest).unwrap();
    assert_eq!(m.len(), 1, "the good row is kept");
    let err = &m.rejected()[0].error;
    assert!(err.to_string().contains("m.csv:3: "), "{err}");
    let manifest = write(
        dir.path(),
        "nopath.csv",
        "file,year\na.txt,2023\n".as_bytes(),
    );
    assert!(
        Manifest::load(&manifest)
            .unwrap_err()
            .to_string()
            .contains("path")
    );
    let file = write(dir.path(), "x.txt", TEXT.as_bytes());
    write(dir.path(), "x.txt.meta.json", b"{not json");
    let err = MetadataResolver::default()
        .resolve(&file, TEXT, &Metadata::default())
        .unwrap_err();
    assert!(err.to_string().contains("x.txt.meta.json:1:2: "), "{err}");
    // A field of the wrong type: its line and column, and serde_json's words as the cause.
    write(
        dir.path(),
        "x.txt.meta.json",
        "{\n  \"author\": \"李四\",\n  \"year\": [2023]\n}".as_bytes(),
    );
    let err = MetadataResolver::default()
        .resolve(&file, TEXT, &Metadata::default())
        .unwrap_err();
    let chain = err.chain().to_string();
    assert!(
        chain.contains("x.txt.meta.json:3:11: a field has the wrong type or value"),
        "{chain}"
    );
    assert!(
        chain.contains("invalid type: sequence, expected a year"),
        "{chain}"
    );
    assert!(
        std::error::Error::source(&err).is_some(),
        "the JSON error is kept as the cause"
    );
}

#[test]
fn html_title_is_used_when_nothing_better() {
    let r = MetadataResolver::default()
        .resolve(
            Path::new("page.html"),
            "正文第一段很长很长，不是标题。\n",
            &Metadata {
                title: Some("2024年度述职述廉报告".into()),
                ..Metadata::default()
            },
        )
        .unwrap();
    assert_eq!(r.metadata.title.as_deref(), Some("2024年度述职述廉报告"));
    assert_eq!(r.sources[&Field::Title], MetadataSource::Declared);
    assert_eq!(r.metadata.kind.as_deref(), Some("述职述廉报告"));
    assert_eq!(r.metadata.year, Year::new(2024));
}

#[test]
fn a_title_line_beats_a_file_name_that_matched_no_pattern() {
    let text =
        "关于2023年度民主生活会个人对照检查材料\n根据县委通知要求，现将对照检查情况报告如下。\n";
    let r = MetadataResolver::default()
        .resolve(
            Path::new("seed_hf_footnote.docx"),
            text,
            &Metadata::default(),
        )
        .unwrap();
    assert_eq!(
        r.metadata.title.as_deref(),
        Some("关于2023年度民主生活会个人对照检查材料")
    );
    assert_eq!(r.sources[&Field::Title], MetadataSource::Text);
}

#[test]
fn docx_core_properties_feed_title_and_author_but_not_an_account_name() {
    let text = "正文第一段很长很长，不是标题，只是一段叙述的文字而已。\n";
    let declared = |author: &str| Metadata {
        title: Some("2023年度述职述廉报告".into()),
        author: Some(author.into()),
        year: Year::new(2024),
        ..Metadata::default()
    };
    let r = MetadataResolver::default()
        .resolve(Path::new("x.docx"), text, &declared("林海燕"))
        .unwrap();
    assert_eq!(r.metadata.author.as_deref(), Some("林海燕"));
    assert_eq!(r.sources[&Field::Author], MetadataSource::Declared);
    // The year of the title, not the year the file was created.
    assert_eq!(r.metadata.year, Year::new(2023));
    let r = MetadataResolver::default()
        .resolve(Path::new("x.docx"), text, &declared("Administrator"))
        .unwrap();
    assert_eq!(r.metadata.author, None);
}
