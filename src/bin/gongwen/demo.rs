//! `gongwen demo`: the main job on the embedded demo corpus. For now it reads each document,
//! resolves its metadata, and shows its segmentation with the political terms it uses.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use gongwen::{
    Archive, Format, Manifest, Metadata, MetadataResolver, Outline, SearchOptions, SearchQuery,
    SectionKind, Segmenter, TokenKind,
};

use crate::Outcome;
use crate::args::DemoArgs;

/// The demo corpus, embedded: (file name, contents).
const DOCS: &[(&str, &str)] = &[
    (
        "2023_王明_县委书记_对照检查材料.txt",
        include_str!("../../../corpora/demo/2023_王明_县委书记_对照检查材料.txt"),
    ),
    (
        "2024_王明_县委书记_对照检查材料.txt",
        include_str!("../../../corpora/demo/2024_王明_县委书记_对照检查材料.txt"),
    ),
    (
        "2023_李华_县长_对照检查材料.txt",
        include_str!("../../../corpora/demo/2023_李华_县长_对照检查材料.txt"),
    ),
];
const MANIFEST: &str = include_str!("../../../corpora/demo/manifest.csv");

/// Archives the demo corpus (in DIR/archive with --out, else in a temporary directory) and
/// searches a sentence that 王明 reused and 李华 copied.
fn search_demo(
    out: &mut impl Write,
    base: &Path,
    temporary: bool,
    segmenter: &Segmenter,
) -> anyhow::Result<()> {
    let root = if temporary {
        std::env::temp_dir().join(format!("gongwen-demo-{}", std::process::id()))
    } else {
        base.to_path_buf()
    };
    let files_dir = root.join("files");
    std::fs::create_dir_all(&files_dir)
        .with_context(|| format!("{}: cannot create directory", files_dir.display()))?;
    let mut files = Vec::new();
    for (name, text) in DOCS {
        let p = files_dir.join(name);
        std::fs::write(&p, text).with_context(|| format!("{}: cannot write", p.display()))?;
        files.push(p);
    }
    let manifest = Manifest::parse(&files_dir.join("manifest.csv"), MANIFEST)?;
    let resolver = MetadataResolver::new(Metadata::default(), Some(manifest));
    let archive = Archive::open_or_create(&root.join("archive"), segmenter)?;
    archive.add(&files, &resolver, &|_| {})?;
    let phrase = "满足于读原文、记要点";
    let results = archive.search(&SearchQuery::parse(phrase)?, &SearchOptions::default())?;
    writeln!(out, "\n检索“{phrase}”：{} 篇", results.total)?;
    for hit in &results.hits {
        let m = &hit.doc.metadata;
        writeln!(
            out,
            "    {} {} {}  （{} 处）",
            m.year.map_or("—".into(), |y| y.to_string()),
            m.author.as_deref().unwrap_or("—"),
            m.title.as_deref().unwrap_or(&hit.doc.path),
            hit.occurrences.len()
        )?;
    }
    if temporary {
        let _ = std::fs::remove_dir_all(&root);
    } else {
        writeln!(
            out,
            "文档库在 {}：可用 gongwen --archive {} search … 检索。",
            root.join("archive").display(),
            root.join("archive").display()
        )?;
    }
    Ok(())
}

pub fn run(args: &DemoArgs) -> anyhow::Result<Outcome> {
    let base = match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create directory", dir.display()))?;
            for (name, text) in DOCS {
                let p = dir.join(name);
                std::fs::write(&p, text)
                    .with_context(|| format!("{}: cannot write", p.display()))?;
            }
            std::fs::write(dir.join("manifest.csv"), MANIFEST)?;
            dir.canonicalize()?
        }
        None => PathBuf::from("corpora/demo"),
    };
    let manifest = Manifest::parse(&base.join("manifest.csv"), MANIFEST)?;
    let resolver = MetadataResolver::new(Metadata::default(), Some(manifest));
    let segmenter = Segmenter::new_in_background();
    let political: HashSet<String> =
        gongwen::parse_dictionary("<political.txt>", gongwen::POLITICAL.as_bytes())?
            .into_iter()
            .map(|e| e.word)
            .collect();

    let mut out = io::stdout().lock();
    writeln!(
        out,
        "gongwen 演示语料：{} 份对照检查材料（虚构的某县）",
        DOCS.len()
    )?;
    for (i, (name, text)) in DOCS.iter().enumerate() {
        let path = base.join(name);
        let doc = gongwen::read_bytes(Path::new(name), text.as_bytes(), Format::Txt)?;
        let meta = resolver
            .resolve(&path, &doc.text, &Default::default())?
            .metadata;
        let tokens = segmenter.segment(&doc.text);
        let mut terms: BTreeMap<&str, usize> = BTreeMap::new();
        for t in tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word && political.contains(t.text))
        {
            *terms.entry(t.text).or_default() += 1;
        }
        let mut terms: Vec<(&str, usize)> = terms.into_iter().collect();
        terms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let words = tokens.iter().filter(|t| t.kind.is_content()).count();
        let redactions = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Redaction)
            .count();

        writeln!(out)?;
        writeln!(out, "[{}] {}", i + 1, meta.title.as_deref().unwrap_or(name))?;
        writeln!(
            out,
            "    作者 {} · 单位 {} · 年份 {} · 类型 {}",
            meta.author.as_deref().unwrap_or("—"),
            meta.unit.as_deref().unwrap_or("—"),
            meta.year.map_or("—".into(), |y| y.to_string()),
            meta.kind.as_deref().unwrap_or("—"),
        )?;
        writeln!(
            out,
            "    字数 {} · 词数 {} · 脱敏处 {}",
            doc.text.chars().count(),
            words,
            redactions
        )?;
        let shown: Vec<String> = terms
            .iter()
            .take(12)
            .map(|(t, n)| format!("{t}×{n}"))
            .collect();
        writeln!(out, "    提法 {}", shown.join(" "))?;
        let first_item = doc.text.lines().find(|l| l.contains("一是")).unwrap_or("");
        let seg: Vec<&str> = segmenter
            .segment(first_item)
            .into_iter()
            .filter(|t| t.kind != TokenKind::Space)
            .map(|t| t.text)
            .take(40)
            .collect();
        writeln!(out, "    分词 {} …", seg.join(" "))?;
        let outline = Outline::parse(&doc.text);
        let problems: Vec<&gongwen::Item> = outline
            .walk()
            .into_iter()
            .filter(|s| s.kind == SectionKind::Problems)
            .flat_map(|s| &s.items)
            .collect();
        let with_example = problems.iter().filter(|i| !i.examples.is_empty()).count();
        writeln!(
            out,
            "    结构 {} 个部分，问题 {} 条，其中举例 {} 条",
            outline.sections.len(),
            problems.len(),
            with_example
        )?;
    }
    search_demo(&mut out, &base, args.out.is_none(), &segmenter)?;
    if let Some(dir) = &args.out {
        writeln!(
            out,
            "\n演示文件已写入 {}；可用 gongwen show 或 gongwen segment 查看。",
            dir.display()
        )?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
