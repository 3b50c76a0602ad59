//! The archive: add/list/show/remove/search through the real binary, exact substring recall on
//! the real corpus, incremental adds, a killed add, and bad input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use gongwen::{Archive, MetadataResolver, SearchOptions, SearchQuery, collect_files};
use serde::Deserialize;

use crate::util::{docx, gbk, gongwen, paragraphs, segmenter, shared_data, write};

#[derive(Debug, Deserialize)]
struct AddOut {
    added: usize,
    updated: usize,
    unchanged: usize,
    failed: usize,
    files: Vec<AddFile>,
}

#[derive(Debug, Deserialize)]
struct AddFile {
    path: String,
    doc_id: Option<String>,
    status: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ListOut {
    documents: Vec<ListDoc>,
}

#[derive(Debug, Deserialize)]
struct ListDoc {
    doc_id: String,
    path: String,
    title: Option<String>,
    author: Option<String>,
    unit: Option<String>,
    year: Option<u16>,
    kind: Option<String>,
    chars: usize,
    mandated: bool,
}

#[derive(Debug, Deserialize)]
struct SearchOut {
    query: String,
    total: usize,
    hits: Vec<HitOut>,
    facets: Option<BTreeMap<String, BTreeMap<String, FacetOut>>>,
}

#[derive(Debug, Deserialize)]
struct HitOut {
    doc_id: String,
    path: String,
    year: Option<u16>,
    score: f64,
    count: usize,
    snippets: Vec<SnippetOut>,
}

#[derive(Debug, Deserialize)]
struct SnippetOut {
    text: String,
    highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Deserialize)]
struct FacetOut {
    docs: usize,
    count: usize,
}

#[derive(Debug, Deserialize)]
struct KwicOut {
    total: usize,
    lines: Vec<KwicLineOut>,
}

#[derive(Debug, Deserialize)]
struct KwicLineOut {
    doc_id: String,
    left: String,
    #[serde(rename = "match")]
    matched: String,
    right: String,
    span: [usize; 2],
}

#[derive(Debug, Deserialize)]
struct ShowOut {
    doc_id: String,
    text: String,
    year: Option<u16>,
    author: Option<String>,
}

fn json<T: serde::de::DeserializeOwned>(out: &std::process::Output) -> T {
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "gongwen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// A small corpus in every format, with a manifest.
fn corpus(dir: &Path) {
    std::fs::create_dir_all(dir.join("docs/sub")).unwrap();
    write(
        &dir.join("docs"),
        "2023_张三_县委书记_对照检查材料.docx",
        &docx(&paragraphs(&[
            "一、存在的问题",
            "坚持两个确立，落实一岗双责。",
            "比如，滩区迁建工作推进缓慢。",
        ])),
    );
    write(
        &dir.join("docs"),
        "2024_张三_县委书记_对照检查材料.txt",
        "一、存在的问题\n坚持两个确立，做到两个维护。\n以案促改不够深入。\n".as_bytes(),
    );
    write(
        &dir.join("docs/sub"),
        "2023_李四_县长_对照检查材料.txt",
        &gbk("一、存在的问题\n两个\n确立的认识不深。以案促改，以案促治。\n"),
    );
    write(&dir.join("docs"), "notes.xlsx", b"ignored in directories");
    // Every file has a row (a manifest is the input; PATHs narrow it); empty cells give nothing.
    write(
        dir,
        "manifest.csv",
        "path,author,unit,year,kind,title\n\
         docs/sub/2023_李四_县长_对照检查材料.txt,李四,某县人民政府,2023,对照检查材料,李四的材料\n\
         docs/2023_张三_县委书记_对照检查材料.docx,,,,,\n\
         docs/2024_张三_县委书记_对照检查材料.txt,,,,,\n"
            .as_bytes(),
    );
}

/// Runs `gongwen --archive arch ARGS --json` in `dir` and parses what it prints.
fn arch_json<T: serde::de::DeserializeOwned>(dir: &Path, args: &[&str]) -> T {
    let mut full = vec!["--archive", "arch"];
    full.extend_from_slice(args);
    full.push("--json");
    json(&gongwen(dir, &full, None))
}

/// Adds the corpus's documents with its manifest.
const ADD_DOCS: &[&str] = &[
    "--archive",
    "arch",
    "add",
    "docs",
    "--manifest",
    "manifest.csv",
    "--json",
];

#[test]
fn add_list_show_search_remove() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    corpus(dir);
    let added: AddOut = json(&gongwen(dir, ADD_DOCS, None));
    assert_eq!(
        (added.added, added.updated, added.unchanged, added.failed),
        (3, 0, 0, 0),
        "{added:?}"
    );
    assert!(
        added
            .files
            .iter()
            .all(|f| f.status == "added" && f.doc_id.is_some() && f.error.is_none())
    );

    // Re-adding is a no-op; the same files by another path are the same documents.
    let again: AddOut = arch_json(
        dir,
        &[
            "add",
            "docs",
            "./docs/sub/../sub",
            "--manifest",
            "manifest.csv",
        ],
    );
    assert_eq!((again.added, again.unchanged), (0, 3), "{again:?}");

    let list: ListOut = arch_json(dir, &["list"]);
    assert_eq!(list.documents.len(), 3);
    let lisi = list
        .documents
        .iter()
        .find(|d| d.author.as_deref() == Some("李四"))
        .unwrap();
    assert_eq!(
        (lisi.unit.as_deref(), lisi.year, lisi.title.as_deref()),
        (Some("某县人民政府"), Some(2023), Some("李四的材料"))
    );
    assert!(!lisi.mandated && lisi.chars > 10 && lisi.kind.as_deref() == Some("对照检查材料"));
    let filtered: ListOut = arch_json(dir, &["list", "--author", "张三", "--year", "2024.."]);
    assert_eq!(filtered.documents.len(), 1);
    assert!(
        filtered.documents[0]
            .path
            .ends_with("2024_张三_县委书记_对照检查材料.txt")
    );

    // show by doc_id and by path.
    let by_id: ShowOut = arch_json(dir, &["show", &lisi.doc_id]);
    assert_eq!(
        by_id.text,
        "一、存在的问题\n两个\n确立的认识不深。以案促改，以案促治。\n"
    );
    let by_path: ShowOut = json(&gongwen(
        &dir.join("docs"),
        &[
            "--archive",
            "../arch",
            "show",
            "sub/2023_李四_县长_对照检查材料.txt",
            "--json",
        ],
        None,
    ));
    assert_eq!(by_path.doc_id, lisi.doc_id);
    assert_eq!(
        (by_path.year, by_path.author.as_deref()),
        (Some(2023), Some("李四"))
    );

    // Substrings inside dictionary words, across a line break, one character.
    let s: SearchOut = arch_json(dir, &["search", "两个确立"]);
    assert_eq!(s.total, 3, "the break in 两个\\n确立 does not hide it");
    assert!(
        s.hits.windows(2).all(|w| w[0].score >= w[1].score),
        "ranked by score"
    );
    assert!(
        s.hits
            .iter()
            .all(|h| h.path.starts_with('/') && matches!(h.year, Some(2023 | 2024)))
    );
    let s: SearchOut = arch_json(dir, &["search", "确立"]);
    assert_eq!(s.total, 3);
    let s: SearchOut = arch_json(dir, &["search", "治"]);
    assert_eq!(s.total, 1);
    assert_eq!(s.hits[0].count, 1);
    let s: SearchOut = arch_json(dir, &["search", "以案促改 OR 滩区"]);
    assert_eq!((s.query.as_str(), s.total), ("以案促改 OR 滩区", 3));
    let s: SearchOut = arch_json(dir, &["search", "以案促改 两个确立 -维护"]);
    assert_eq!(s.total, 1, "{s:?}");
    assert_eq!(s.hits[0].doc_id, lisi.doc_id);
    assert_eq!(
        s.hits[0].count, 2,
        "以案促改 once, 两个确立 once across the break: {s:?}"
    );
    let snippet = &s.hits[0].snippets[0];
    let chars: Vec<char> = snippet.text.chars().collect();
    for [a, b] in &snippet.highlights {
        let h: String = chars[*a..*b].iter().collect();
        assert!(h == "以案促改" || h.replace(' ', "") == "两个确立", "{h}");
    }

    let s: SearchOut = arch_json(dir, &["search", "两个确立", "--facets"]);
    let facets = s.facets.unwrap();
    assert_eq!(facets["year"]["2023"].docs, 2);
    assert_eq!(facets["year"]["2024"].count, 1);
    assert_eq!(facets["kind"]["对照检查材料"].docs, 3);

    // -l lists exactly the documents search counts, without snippets; -c adds the counts.
    let l: serde_json::Value = arch_json(dir, &["search", "两个确立", "-l"]);
    assert_eq!(l["total"], 3);
    let listed: BTreeSet<&str> = l["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    let s: SearchOut = arch_json(dir, &["search", "两个确立"]);
    assert_eq!(listed, s.hits.iter().map(|h| h.path.as_str()).collect());
    let c: serde_json::Value = arch_json(dir, &["search", "以案促改 两个确立 -维护", "-c"]);
    assert_eq!(
        c["documents"][0]["doc_id"].as_str(),
        Some(lisi.doc_id.as_str())
    );
    assert_eq!(c["documents"][0]["count"], 2);
    let out = gongwen(dir, &["--archive", "arch", "search", "治", "-c"], None);
    let plain = String::from_utf8(out.stdout).unwrap();
    assert!(
        plain.trim_end().ends_with(":1") && plain.lines().count() == 1,
        "{plain}"
    );

    let k: KwicOut = arch_json(dir, &["search", "以案", "--kwic"]);
    assert_eq!(k.total, 3);
    assert_eq!(k.lines.len(), 3);
    for l in &k.lines {
        let show: ShowOut = arch_json(dir, &["show", &l.doc_id]);
        let text: Vec<char> = show.text.chars().collect();
        assert_eq!(
            text[l.span[0]..l.span[1]].iter().collect::<String>(),
            l.matched
        );
        assert_eq!(l.matched, "以案");
        assert!(
            show.text
                .replace('\n', " ")
                .contains(&format!("{}{}{}", l.left, l.matched, l.right))
        );
    }

    // --queries: JSON Lines in input order.
    write(dir, "q.txt", "两个确立\n\n以案促改\n滩区迁建\n".as_bytes());
    let out = gongwen(
        dir,
        &[
            "--archive",
            "arch",
            "search",
            "--queries",
            "q.txt",
            "--json",
        ],
        None,
    );
    assert!(out.status.success());
    let lines: Vec<SearchOut> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let totals: Vec<(&str, usize)> = lines.iter().map(|l| (l.query.as_str(), l.total)).collect();
    assert_eq!(totals, [("两个确立", 3), ("以案促改", 2), ("滩区迁建", 1)]);

    // A changed file replaces its earlier version under the same doc_id.
    let zhang = dir.join("docs/2024_张三_县委书记_对照检查材料.txt");
    std::fs::write(&zhang, "一、存在的问题\n四风问题仍有反弹。\n").unwrap();
    let upd: AddOut = json(&gongwen(dir, ADD_DOCS, None));
    assert_eq!((upd.added, upd.updated, upd.unchanged), (0, 1, 2));
    let s: SearchOut = arch_json(dir, &["search", "四风"]);
    assert_eq!(s.total, 1);
    let s: SearchOut = arch_json(dir, &["search", "两个维护"]);
    assert_eq!(s.total, 0, "the old version is gone");

    // remove by path; a name that is not there is reported, exit 1.
    let out = gongwen(
        dir,
        &[
            "--archive",
            "arch",
            "remove",
            zhang.to_str().unwrap(),
            "nothere.txt",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let list: ListOut = arch_json(dir, &["list"]);
    assert_eq!(list.documents.len(), 2);
    assert!(
        !list
            .documents
            .iter()
            .any(|d| d.path == zhang.canonicalize().unwrap().display().to_string())
    );
    let _ = (lisi.doc_id.len(), list.documents[0].title.as_ref());

    // The update and the remove dropped the stored texts of the replaced and removed versions
    // (no reader was open); the next add writes the removed file's text again.
    let count_texts = || walk(&dir.join("arch/texts")).len();
    assert_eq!(count_texts(), 2, "the two documents left");
    let again: AddOut = json(&gongwen(dir, ADD_DOCS, None));
    assert_eq!(
        (again.added, again.unchanged),
        (1, 2),
        "the removed file is still in docs/"
    );
    assert_eq!(count_texts(), 3);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn add_reports_bad_files_and_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "good.txt", "以案促改\n".as_bytes());
    write(dir, "empty.txt", b"");
    write(dir, "cut.docx", &docx(&paragraphs(&["好"]))[..30]);
    let out = gongwen(
        dir,
        &[
            "--archive",
            "arch",
            "add",
            "good.txt",
            "empty.txt",
            "cut.docx",
            "missing.pdf",
            "--json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "partial failure");
    let add: AddOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((add.added, add.failed), (1, 3));
    let failed: Vec<&AddFile> = add.files.iter().filter(|f| f.status == "failed").collect();
    assert!(
        failed.iter().all(|f| {
            f.error.as_deref().is_some_and(|e| {
                e.contains(Path::new(&f.path).file_name().unwrap().to_str().unwrap())
            })
        }),
        "{failed:?}"
    );
}

#[test]
fn bad_archives_and_queries_are_usage_errors_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.txt", "两个确立\n".as_bytes());
    // A foreign directory is not taken over.
    std::fs::create_dir(dir.join("photos")).unwrap();
    write(&dir.join("photos"), "cat.jpg", b"\xFF\xD8\xFF");
    let out = gongwen(dir, &["--archive", "photos", "add", "a.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a gongwen archive"));
    assert_eq!(
        std::fs::read_dir(dir.join("photos")).unwrap().count(),
        1,
        "nothing written"
    );
    for cmd in [&["list"][..], &["search", "两个"]] {
        let mut args = vec!["--archive", "photos"];
        args.extend_from_slice(cmd);
        assert_eq!(gongwen(dir, &args, None).status.code(), Some(2));
    }
    // No archive at all.
    let out = gongwen(dir, &["--archive", "none", "search", "两个"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("none").exists());
    // A damaged archive.
    assert!(
        gongwen(dir, &["--archive", "arch", "add", "a.txt"], None)
            .status
            .success()
    );
    for f in std::fs::read_dir(dir.join("arch/index")).unwrap() {
        let f = f.unwrap().path();
        if f.file_name().unwrap() == "meta.json" {
            std::fs::write(&f, b"{broken").unwrap();
        }
    }
    let out = gongwen(dir, &["--archive", "arch", "search", "两个"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("damaged"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Bad queries and filters, against a good archive.
    assert!(
        gongwen(dir, &["--archive", "good", "add", "a.txt"], None)
            .status
            .success()
    );
    for args in [
        &["search", ""][..],
        &["search", "  "],
        &["search", "，。！"],
        &["search", "两个", "--year", "2025..2019"],
        &["search", "-两个"],
    ] {
        let mut full = vec!["--archive", "good"];
        full.extend_from_slice(args);
        let out = gongwen(dir, &full, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    }
}

#[test]
fn a_killed_add_leaves_an_archive_that_opens_and_a_rerun_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("many")).unwrap();
    let n = 600;
    for i in 0..n {
        let text = format!(
            "第{i}号材料\n一、存在的问题\n编号{i:05}的问题，坚持两个确立。\n{}\n",
            "以案促改，深化整改。".repeat(50)
        );
        write(&dir.join("many"), &format!("{i:04}.txt"), text.as_bytes());
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["--archive", "arch", "add", "many"])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Searching while the add runs works (it sees the last commit, or no archive yet).
    std::thread::sleep(std::time::Duration::from_millis(300));
    let during = gongwen(
        dir,
        &["--archive", "arch", "search", "两个确立", "--json"],
        None,
    );
    assert!(
        during.status.code().is_some_and(|c| c == 0 || c == 2),
        "{}",
        String::from_utf8_lossy(&during.stderr)
    );
    child.kill().unwrap();
    child.wait().unwrap();
    if dir.join("arch/gongwen-archive.json").exists() && dir.join("arch/index/meta.json").exists() {
        let list: ListOut = arch_json(dir, &["list"]);
        assert!(list.documents.len() <= n);
    }
    let rerun: AddOut = arch_json(dir, &["add", "many"]);
    assert_eq!(rerun.added + rerun.unchanged, n);
    let list: ListOut = arch_json(dir, &["list"]);
    assert_eq!(list.documents.len(), n);
    let ids: BTreeSet<&str> = list.documents.iter().map(|d| d.doc_id.as_str()).collect();
    assert_eq!(ids.len(), n, "no duplicates");
    let s: SearchOut = arch_json(dir, &["search", "编号00599"]);
    assert_eq!(s.total, 1);
}

/// The real corpus in one archive, built once for the recall tests.
struct Real {
    _tmp: tempfile::TempDir,
    archive: Archive,
    /// doc_id → text without white space.
    compact: BTreeMap<String, Vec<char>>,
    texts: Vec<(String, String)>,
}

static REAL: LazyLock<Option<Real>> = LazyLock::new(|| {
    let data = shared_data()?;
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::open_or_create(&tmp.path().join("arch"), segmenter()).unwrap();
    let roots: Vec<PathBuf> = [
        "seed",
        "gwr_national",
        "cpc_congress",
        "gwr_provincial_2026/txt",
    ]
    .iter()
    .map(|d| data.join(d))
    .collect();
    let found = collect_files(&roots);
    assert!(found.errors.is_empty() && found.skipped.is_empty());
    let files = found.files;
    let report = archive
        .add(&files, &MetadataResolver::default(), &|_| {})
        .unwrap();
    assert_eq!(report.failed, 0);
    let mut compact = BTreeMap::new();
    let mut texts = Vec::new();
    for d in archive.list(&Default::default()).unwrap() {
        let (_, text) = archive.get(d.doc_id.as_str()).unwrap().unwrap();
        compact.insert(
            d.doc_id.to_string(),
            text.chars().filter(|c| !c.is_whitespace()).collect(),
        );
        texts.push((d.doc_id.to_string(), text));
    }
    Some(Real {
        _tmp: tmp,
        archive,
        compact,
        texts,
    })
});

/// A fixed xorshift: the same sample every run. Returns a number below `n`.
fn xorshift(mut x: u64) -> impl FnMut(usize) -> usize {
    move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    }
}

/// Non-overlapping occurrences of `needle` in `hay`, by brute force.
fn brute_count(hay: &[char], needle: &[char]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()] == *needle {
            n += 1;
            i += needle.len();
        } else {
            i += 1;
        }
    }
    n
}

#[test]
fn search_finds_exactly_the_documents_containing_each_of_500_sampled_substrings() {
    let Some(real) = REAL.as_ref() else { return };
    let mut rand = xorshift(0x2545_F491_4F6C_DD1D);
    let mut queries: Vec<String> = Vec::new();
    while queries.len() < 470 {
        let (_, text) = &real.texts[rand(real.texts.len())];
        let chars: Vec<char> = text.chars().collect();
        let len = 2 + rand(11);
        let start = rand(chars.len().saturating_sub(len).max(1));
        let q: String = chars[start..(start + len).min(chars.len())]
            .iter()
            .filter(|c| !c.is_whitespace())
            .collect();
        if SearchQuery::parse(&q).is_ok() {
            queries.push(q);
        }
    }
    // Inside dictionary words (确立 in 两个确立), single characters, and across line breaks.
    queries.extend(
        [
            "确立",
            "两个",
            "个确",
            "一岗",
            "双责",
            "习近平新时代",
            "特色社会主义思想",
            "民主生",
            "活会",
            "治党",
        ]
        .map(String::from),
    );
    queries.extend(["的", "党", "滩"].map(String::from));
    let mut across = 0;
    for (_, text) in &real.texts {
        if let Some(i) = text.find("。\n") {
            let before: String = text[..i]
                .chars()
                .rev()
                .take(3)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = text[i + "。\n".len()..].chars().take(3).collect();
            if after.chars().count() == 3 && !after.contains(char::is_whitespace) {
                queries.push(format!("{before}。{after}"));
                across += 1;
            }
        }
        if across >= 40 {
            break;
        }
    }
    assert!(queries.len() >= 500, "{} queries", queries.len());
    let options = SearchOptions {
        limit: 10_000,
        ..Default::default()
    };
    for q in &queries {
        let query = SearchQuery::parse(q).unwrap();
        let needle: Vec<char> = q.chars().filter(|c| !c.is_whitespace()).collect();
        let expected: BTreeMap<&str, usize> = real
            .compact
            .iter()
            .map(|(id, hay)| (id.as_str(), brute_count(hay, &needle)))
            .filter(|&(_, n)| n > 0)
            .collect();
        let results = real.archive.search(&query, &options).unwrap();
        assert_eq!(results.total, expected.len(), "{q:?}: total");
        let found: BTreeMap<&str, usize> = results
            .hits
            .iter()
            .map(|h| (h.doc.doc_id.as_str(), h.occurrences.len()))
            .collect();
        assert_eq!(found, expected, "{q:?}: documents and counts");
        let mut from_texts = gongwen::Facets::default();
        for h in &results.hits {
            bump(&mut from_texts, &h.doc.metadata, h.occurrences.len());
        }
        assert_eq!(
            real.archive.facets(&query, &Default::default()).unwrap(),
            from_texts,
            "{q:?}: facets from the index's positions"
        );
        let mut kwic = 0;
        let passed_over = real
            .archive
            .for_each_match(&query, &Default::default(), |_, text, occ| {
                for o in occ {
                    assert_eq!(
                        o.slice(text)
                            .chars()
                            .filter(|c| !c.is_whitespace())
                            .collect::<Vec<_>>(),
                        needle
                    );
                }
                kwic += occ.len();
            })
            .unwrap();
        assert!(passed_over.0.is_empty(), "{passed_over:?}");
        assert_eq!(
            kwic,
            expected.values().sum::<usize>(),
            "{q:?}: KWIC occurrences"
        );
    }
}

#[test]
fn filters_and_facets_on_the_real_corpus() {
    let Some(real) = REAL.as_ref() else { return };
    let query = SearchQuery::parse("两个确立").unwrap();
    let filter = gongwen::Filter {
        years: Some((gongwen::Year::new(2026), gongwen::Year::new(2026))),
        ..Default::default()
    };
    let results = real
        .archive
        .search(
            &query,
            &SearchOptions {
                filter: filter.clone(),
                limit: 100,
            },
        )
        .unwrap();
    assert!(
        results.total >= 20,
        "most 2026 provincial reports say 两个确立: {}",
        results.total
    );
    assert!(
        results
            .hits
            .iter()
            .all(|h| h.doc.metadata.year.map(|y| y.get()) == Some(2026))
    );
    let facets = real.archive.facets(&query, &Default::default()).unwrap();
    let years: Vec<&String> = facets.year.keys().collect();
    assert!(
        years.first().is_some_and(|y| y.as_str() >= "2021"),
        "两个确立 appears from 2021 on: {years:?}"
    );
    let docs: usize = facets.year.values().map(|c| c.docs).sum();
    assert!(
        docs <= real
            .archive
            .search(&query, &Default::default())
            .unwrap()
            .total
    );
    let sichuan = gongwen::Filter {
        unit: Some("四川省".into()),
        ..Default::default()
    };
    let r = real
        .archive
        .search(
            &SearchQuery::parse("天府").unwrap(),
            &SearchOptions {
                filter: sichuan,
                limit: 10,
            },
        )
        .unwrap();
    assert_eq!(r.total, 1);
}

/// Counts one document with `n` occurrences in every facet it has a value for.
fn bump(facets: &mut gongwen::Facets, m: &gongwen::Metadata, n: usize) {
    for (map, key) in [
        (&mut facets.year, m.year.map(|y| y.to_string())),
        (&mut facets.unit, m.unit.clone()),
        (&mut facets.kind, m.kind.clone()),
        (&mut facets.author, m.author.clone()),
    ] {
        if let Some(k) = key {
            let e = map.entry(k).or_default();
            e.docs += 1;
            e.count += n;
        }
    }
}

/// The facets count occurrences from the index's character positions, without reading the
/// texts: the same numbers as the occurrences found in each stored text, for repeated and
/// overlapping characters, white space inside an occurrence, case, several terms (overlaps
/// between them counted once), exclusions and filters, across segments.
#[test]
fn facets_from_positions_equal_the_occurrences_in_the_texts() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = Archive::open_or_create(&tmp.path().join("arch"), segmenter()).unwrap();
    let pieces = [
        "哈", "哈", "好", "学", "习", "。", " ", "\n", "A", "a", "好学",
    ];
    let mut rand = xorshift(0x9E37_79B9_7F4A_7C15);
    // Two adds: two segments at least.
    for batch in 0..2 {
        let dir = tmp.path().join(format!("docs{batch}"));
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..20 {
            let len = rand(60);
            let text: String = (0..len).map(|_| pieces[rand(pieces.len())]).collect();
            let name = format!(
                "{}_{}_局长_对照检查材料_{batch}{i}.txt",
                2020 + rand(4),
                ["张三", "李四", "王五"][rand(3)]
            );
            write(&dir, &name, format!("一、存在的问题\n{text}\n").as_bytes());
        }
        let files = collect_files(&[dir]).files;
        let report = archive
            .add(&files, &MetadataResolver::default(), &|_| {})
            .unwrap();
        assert_eq!((report.added, report.failed), (20, 0));
    }
    let years = gongwen::Filter {
        years: Some((gongwen::Year::new(2021), gongwen::Year::new(2022))),
        ..Default::default()
    };
    let mut queries: Vec<String> = Vec::new();
    for a in ["哈", "好", "学", "。", "A"] {
        queries.push(a.to_string());
        for b in ["哈", "好", "学", "习", "。", "a"] {
            queries.push(format!("{a}{b}"));
        }
    }
    queries.extend(
        [
            "哈哈哈",
            "好学习",
            "\"。 好\"",
            "哈哈 OR 哈",
            "好学 学习",
            "学 OR 习 OR 学习",
            "哈 -好",
            "存在",
            "问题。",
        ]
        .map(String::from),
    );
    let mut counted = 0;
    for q in &queries {
        let Ok(query) = SearchQuery::parse(q) else {
            assert!(!q.contains(char::is_alphanumeric), "{q}");
            continue;
        };
        for filter in [&Default::default(), &years] {
            let mut from_texts = gongwen::Facets::default();
            let passed = archive
                .for_each_match(&query, filter, |doc, _, occ| {
                    bump(&mut from_texts, &doc.metadata, occ.len());
                    counted += occ.len();
                })
                .unwrap();
            assert!(passed.0.is_empty());
            assert_eq!(archive.facets(&query, filter).unwrap(), from_texts, "{q:?}");
        }
    }
    assert!(counted > 1000, "{counted} occurrences compared");
}

/// The search page's single pass (`search_with_facets`) gives what `search` and `facets` give
/// apart: the same hits in the same order with the same scores and occurrences, the same total
/// and the same facets, on the demo corpus for every kind of query.
#[test]
fn search_with_facets_equals_search_and_facets_apart_on_the_demo_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo/manifest.csv");
    let m = manifest.to_string_lossy().into_owned();
    let out = gongwen(
        tmp.path(),
        &["--archive", "arch", "add", "--manifest", &m],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let archive = Archive::open_or_create(&tmp.path().join("arch"), segmenter()).unwrap();
    let filters = [
        gongwen::Filter::default(),
        gongwen::Filter {
            years: Some((gongwen::Year::new(2024), gongwen::Year::new(2024))),
            ..Default::default()
        },
    ];
    let queries = [
        "问题",
        "的",
        "党",
        "理论学习 问题",
        "形式主义 OR 官僚主义",
        "学 OR 习 OR 学习",
        "问题 -形式主义",
        "民主生活会 -王明",
        "\"民主 生活会\"",
        "\"批评与自我批评\" 整改",
        "王明",
        "甲乙丙丁戊己庚",
        "问题 甲乙丙丁戊己庚",
    ];
    let (mut matched, mut empty) = (0, 0);
    for q in queries {
        let query = SearchQuery::parse(q).unwrap();
        for filter in &filters {
            for limit in [3, 1000] {
                let options = SearchOptions {
                    filter: filter.clone(),
                    limit,
                };
                let apart = archive.search(&query, &options).unwrap();
                let apart_facets = archive.facets(&query, filter).unwrap();
                let (once, once_facets) = archive.search_with_facets(&query, &options).unwrap();
                let hits = |r: &gongwen::SearchResults| {
                    r.hits
                        .iter()
                        .map(|h| {
                            (
                                h.doc.clone(),
                                h.score.to_bits(),
                                h.occurrences.clone(),
                                h.text.clone(),
                            )
                        })
                        .collect::<Vec<_>>()
                };
                assert_eq!(once.total, apart.total, "{q:?} {filter:?}");
                assert_eq!(hits(&once), hits(&apart), "{q:?} {filter:?} {limit}");
                assert!(once.passed_over.0.is_empty() && apart.passed_over.0.is_empty());
                assert_eq!(once_facets, apart_facets, "{q:?} {filter:?}");
                let by_kind: usize = once_facets.kind.values().map(|c| c.docs).sum();
                assert_eq!(by_kind, once.total, "every demo document has a kind: {q:?}");
                if once.total == 0 {
                    empty += 1;
                    assert_eq!(once_facets, gongwen::Facets::default());
                } else {
                    matched += 1;
                }
            }
        }
    }
    assert!(
        matched >= 30 && empty >= 4,
        "{matched} matched, {empty} empty"
    );
}

#[test]
fn repeated_characters_match_only_where_they_stand_in_a_row() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    std::fs::create_dir_all(&dir).unwrap();
    write(&dir, "a.txt", "哈哈哈哈哈。好好学习。\n".as_bytes());
    write(&dir, "b.txt", "哈哈，哈。好学好习。".as_bytes());
    write(&dir, "c.txt", "好\n好 学习".as_bytes());
    let archive = Archive::open_or_create(&tmp.path().join("arch"), segmenter()).unwrap();
    let files = collect_files(&[dir]).files;
    archive
        .add(&files, &MetadataResolver::default(), &|_| {})
        .unwrap();
    let found = |q: &str| -> Vec<(String, usize)> {
        let results = archive
            .search(&SearchQuery::parse(q).unwrap(), &SearchOptions::default())
            .unwrap();
        let mut hits: Vec<(String, usize)> = results
            .hits
            .iter()
            .map(|h| {
                let name = h.doc.path.rsplit('/').next().unwrap().to_string();
                (name, h.occurrences.len())
            })
            .collect();
        hits.sort();
        assert_eq!(results.total, hits.len(), "{q}");
        hits
    };
    let hit = |name: &str, n: usize| (name.to_string(), n);
    assert_eq!(found("哈哈"), [hit("a.txt", 2), hit("b.txt", 1)]);
    assert_eq!(found("哈哈哈"), [hit("a.txt", 1)]);
    assert_eq!(found("哈哈哈哈哈哈"), []);
    assert_eq!(found("哈，哈"), [hit("b.txt", 1)]);
    assert_eq!(found("好好学习"), [hit("a.txt", 1), hit("c.txt", 1)]);
    assert_eq!(
        found("好学"),
        [hit("a.txt", 1), hit("b.txt", 1), hit("c.txt", 1)]
    );
    assert_eq!(found("习好"), []);
    assert_eq!(found("。好"), [hit("a.txt", 1), hit("b.txt", 1)]);
    assert_eq!(found("\"。 好\""), [hit("a.txt", 1), hit("b.txt", 1)]);
}

/// `add` once met an archive without its index by creating a new one, and its clean-up then
/// deleted every stored text: a damaged archive is refused (exit 2) and nothing is deleted.
#[test]
fn add_refuses_an_archive_with_a_missing_or_damaged_marker_or_index_and_deletes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.txt", "两个确立\n".as_bytes());
    write(dir, "b.txt", "两个维护\n".as_bytes());
    let cases: [(&str, &str, Option<&[u8]>, &str); 4] = [
        ("index/meta.json", "missing index", None, "index is missing"),
        (
            "index/meta.json",
            "damaged index",
            Some(b"{broken"),
            "damaged",
        ),
        (
            "gongwen-archive.json",
            "damaged marker",
            Some(b"{"),
            "damaged",
        ),
        (
            "gongwen-archive.json",
            "missing marker",
            None,
            "not a gongwen archive",
        ),
    ];
    for (i, (file, what, damage, message)) in cases.into_iter().enumerate() {
        let arch = format!("arch{i}");
        assert!(
            gongwen(dir, &["--archive", &arch, "add", "a.txt"], None)
                .status
                .success()
        );
        let target = dir.join(&arch).join(file);
        match damage {
            Some(bytes) => std::fs::write(&target, bytes).unwrap(),
            None => std::fs::remove_file(&target).unwrap(),
        }
        let mut before = walk(&dir.join(&arch));
        before.sort();
        let out = gongwen(dir, &["--archive", &arch, "add", "b.txt"], None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.contains(message), "{what}: {stderr}");
        let mut after = walk(&dir.join(&arch));
        after.sort();
        assert_eq!(after, before, "{what}: nothing written or deleted");
        assert_eq!(
            walk(&dir.join(&arch).join("texts")).len(),
            1,
            "{what}: the stored text is kept"
        );
    }
}

/// Readers once took tantivy's meta lock, a file opened for writing, and failed on a read-only
/// archive with "Failed to acquire Lockfile: Permission denied".
#[test]
fn readers_open_a_read_only_archive_without_taking_a_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.txt", "坚持两个确立。\n".as_bytes());
    let added: AddOut = arch_json(dir, &["add", "a.txt"]);
    let doc_id = added.files[0].doc_id.clone().unwrap();
    // Tests run as root, whom `chmod a-w` does not stop: a lock file that is a directory cannot
    // be opened for writing by anyone, so a reader that tries to take a lock fails here too.
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let path = dir.join("arch/index").join(lock);
        let _ = std::fs::remove_file(&path);
        std::fs::create_dir(&path).unwrap();
    }
    let chmod = |mode: &str| {
        let status = std::process::Command::new("chmod")
            .args(["-R", mode, "arch"])
            .current_dir(dir)
            .status()
            .unwrap();
        assert!(status.success());
    };
    chmod("a-w");
    let list: ListOut = arch_json(dir, &["list"]);
    let search: SearchOut = arch_json(dir, &["search", "两个确立"]);
    let show: ShowOut = arch_json(dir, &["show", &doc_id]);
    let removed = gongwen(dir, &["--archive", "arch", "remove", &doc_id], None);
    chmod("u+w");
    assert_eq!(list.documents.len(), 1);
    assert_eq!(search.total, 1);
    assert_eq!(show.text, "坚持两个确立。\n");
    let stderr = String::from_utf8_lossy(&removed.stderr);
    assert_eq!(removed.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write to the archive") && !stderr.contains("another gongwen add"),
        "a writer still takes its lock, and says why it cannot: {stderr}"
    );
}

/// A FIFO named `.txt` once reached the reader, which blocked on it forever, and a symbolic link
/// back up the tree (`d/x/l1 -> ..`) was walked until the path grew too long.
#[test]
fn the_walker_keeps_regular_files_and_walks_each_real_directory_once() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for sub in ["d/x", "other"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    write(&dir.join("d"), "a.txt", "两个确立\n".as_bytes());
    write(&dir.join("d/x"), "b.txt", "两个维护\n".as_bytes());
    write(&dir.join("other"), "c.txt", "以案促改\n".as_bytes());
    symlink("..", dir.join("d/x/l1")).unwrap();
    symlink("../other", dir.join("d/link")).unwrap();
    for fifo in ["d/pipe.txt", "named.txt"] {
        let status = std::process::Command::new("mkfifo")
            .arg(dir.join(fifo))
            .status()
            .unwrap();
        assert!(status.success());
    }
    let found = collect_files(&[dir.join("d"), dir.join("named.txt")]);
    let rel = |p: &Path| p.strip_prefix(dir).unwrap().display().to_string();
    let files: Vec<String> = found.files.iter().map(|p| rel(p)).collect();
    assert_eq!(files, ["d/a.txt", "d/link/c.txt", "d/x/b.txt"]);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    let skipped: Vec<(String, gongwen::SkipReason)> = found
        .skipped
        .iter()
        .map(|s| (rel(&s.path), s.reason))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                "d/pipe.txt".to_string(),
                gongwen::SkipReason::NotRegular("FIFO")
            ),
            ("d/x/l1".to_string(), gongwen::SkipReason::AlreadyWalked),
            (
                "named.txt".to_string(),
                gongwen::SkipReason::NotRegular("FIFO")
            ),
        ]
    );
    // The binary names each skipped path in a notice and adds the rest.
    let out = gongwen(
        dir,
        &["--archive", "arch", "add", "d", "named.txt", "--json"],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let add: AddOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(add.added, 3);
    for name in ["pipe.txt", "named.txt", "l1"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains("notice") && l.contains(name)),
            "{name}: {stderr}"
        );
    }
}

/// The same bytes are two texts when read in two formats (markup kept in a.txt, read as HTML in
/// a.html): each keeps its own stored text, and re-adding changes nothing. They once shared one,
/// and each re-add "restored" one and damaged the other.
#[test]
fn the_same_bytes_in_two_formats_keep_two_texts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let html = "<html><head><title>对照检查材料</title></head><body><p>坚持以习近平新时代中国特色社会主义思想为指导。</p></body></html>\n";
    write(dir, "a.html", html.as_bytes());
    write(dir, "a.txt", html.as_bytes());
    let run = |args: &[&str]| crate::util::archive_json(dir, args);
    run(&["add", "a.html", "a.txt"]);
    let text = |name: &str| run(&["show", name])["text"].as_str().unwrap().to_string();
    assert!(!text("a.html").contains("<p>"));
    assert!(text("a.txt").contains("<p>"));
    for _ in 0..2 {
        let again = run(&["add", "a.html", "a.txt"]);
        let statuses: Vec<&str> = again["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["unchanged", "unchanged"], "{again}");
    }
    let hits = run(&["search", "坚持以习近平"]);
    assert_eq!(hits["total"], 2, "{hits}");
}
