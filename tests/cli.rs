//! The real binary, run in a temp dir, its --json parsed into typed structs.

use serde::Deserialize;

use crate::util::{docx, gongwen, imageonly_pdf, paragraphs, write};

#[derive(Debug, Deserialize)]
struct Show {
    doc_id: String,
    path: String,
    title: Option<String>,
    author: Option<String>,
    unit: Option<String>,
    year: Option<u16>,
    kind: Option<String>,
    text: String,
    chars: usize,
    warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ShowMany {
    documents: Vec<Show>,
    failed: Vec<Failed>,
}

#[derive(Debug, Deserialize)]
struct Failed {
    path: String,
    error: String,
}

#[derive(Debug, Deserialize)]
struct Segmented {
    tokens: Vec<JsonToken>,
}

#[derive(Debug, Deserialize)]
struct JsonToken {
    text: String,
    span: [usize; 2],
    pos: String,
}

#[test]
fn show_json_of_a_file_outside_any_archive() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "2023_张三_县委书记_对照检查材料.docx",
        &docx(&paragraphs(&["一、个人有关事项", "比如，滩区迁建"])),
    );
    let out = gongwen(
        dir.path(),
        &["show", "2023_张三_县委书记_对照检查材料.docx", "--json"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let show: Show = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(show.text, "一、个人有关事项\n比如，滩区迁建\n");
    assert_eq!(show.chars, show.text.chars().count());
    assert_eq!(
        (show.author.as_deref(), show.year, show.kind.as_deref()),
        (Some("张三"), Some(2023), Some("对照检查材料"))
    );
    assert_eq!(show.unit, None);
    assert_eq!(show.doc_id.len(), 16);
    assert!(
        show.path.ends_with("2023_张三_县委书记_对照检查材料.docx") && show.path.starts_with('/')
    );
    assert!(show.warnings.is_empty() && show.title.is_none());

    let out = gongwen(
        dir.path(),
        &[
            "show",
            "2023_张三_县委书记_对照检查材料.docx",
            "--year",
            "2024",
            "--unit",
            "某县县委",
        ],
        None,
    );
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(
        human.contains("年份  2024")
            && human.contains("单位  某县县委")
            && human.contains("比如，滩区迁建"),
        "{human}"
    );
}

#[test]
fn show_several_files_goes_on_past_failures_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", "两个确立\n".as_bytes());
    write(dir.path(), "scan.pdf", &imageonly_pdf());
    let out = gongwen(
        dir.path(),
        &["show", "good.txt", "scan.pdf", "missing.txt", "--json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let many: ShowMany = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(many.documents.len(), 1);
    assert_eq!(many.documents[0].text, "两个确立\n");
    assert_eq!(many.failed.len(), 2);
    assert!(
        many.failed[0].path.ends_with("scan.pdf") && many.failed[0].error.contains("no text layer")
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("scan.pdf") && stderr.contains("missing.txt"),
        "{stderr}"
    );
}

#[test]
fn exit_code_2_for_usage_errors_and_total_failure() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        gongwen(dir.path(), &["show", "missing.txt"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(gongwen(dir.path(), &["show"], None).status.code(), Some(2));
    assert_eq!(
        gongwen(dir.path(), &["frobnicate"], None).status.code(),
        Some(2)
    );
    write(dir.path(), "a.txt", "两个确立\n".as_bytes());
    let out = gongwen(dir.path(), &["show", "a.txt", "--year", "去年"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--year"));
}

#[test]
fn segment_lines_pos_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = "坚持两个确立，落实一岗双责。\n\n视察**重要讲话\n";
    let out = gongwen(dir.path(), &["segment"], Some(input.as_bytes()));
    assert!(out.status.success());
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), 3, "one output line per input line");
    assert_eq!(lines[0], "坚持 两个确立 ， 落实 一岗双责 。");
    assert_eq!(lines[1], "");
    assert!(lines[2].contains(" ** "), "{}", lines[2]);

    let out = gongwen(
        dir.path(),
        &["segment", "-", "--pos"],
        Some(input.as_bytes()),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("坚持/v 两个确立/j ，/x"), "{text}");
    assert!(text.contains("**/redacted"), "{text}");

    let out = gongwen(dir.path(), &["segment", "--json"], Some(input.as_bytes()));
    let seg: Segmented = serde_json::from_slice(&out.stdout).unwrap();
    let chars: Vec<char> = input.chars().collect();
    for t in &seg.tokens {
        assert_eq!(
            chars[t.span[0]..t.span[1]].iter().collect::<String>(),
            t.text,
            "spans are character offsets"
        );
    }
    assert!(
        seg.tokens
            .iter()
            .any(|t| t.text == "一岗双责" && t.pos == "l")
    );
}

#[test]
fn segment_a_file_with_a_user_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.docx",
        &docx(&paragraphs(&["推进城南农贸市场改造"])),
    );
    write(dir.path(), "mine.txt", "城南农贸市场\n".as_bytes());
    let out = gongwen(
        dir.path(),
        &["segment", "a.docx", "--dict", "mine.txt"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "推进 城南农贸市场 改造\n"
    );
    write(dir.path(), "bad.txt", "好 0\n".as_bytes());
    let out = gongwen(
        dir.path(),
        &["segment", "a.docx", "--dict", "bad.txt"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.txt:1"));
}

#[test]
fn demo_runs_on_the_embedded_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let out = gongwen(dir.path(), &["demo", "--out", "demo"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("建库：44 篇"), "{text}");
    // What corpora/demo/README.md says is planted, in the summary table.
    let row = |who: &str| {
        text.lines()
            .find(|l| l.contains(who))
            .unwrap_or_else(|| panic!("no row for {who}: {text}"))
            .to_string()
    };
    for resubmitted in ["2024 王明", "2024 赵德明"] {
        assert!(
            row(resubmitted).contains("仅改名称日期"),
            "{}",
            row(resubmitted)
        );
    }
    assert!(!row("2023 赵德明").contains("仅改名称日期"));
    assert!(
        row("2024 周建国").contains("12/13"),
        "{}",
        row("2024 周建国")
    );
    assert!(
        row("2024 杨秀英").contains("0/15"),
        "{}",
        row("2024 杨秀英")
    );
    assert!(text.contains("检索“东坪村等山区村”：2 篇"), "{text}");
    // The next commands offer the web UI over the demo's archive.
    let archive = dir.path().join("demo/archive").canonicalize().unwrap();
    assert!(
        text.contains(&format!("gongwen --archive {} serve", archive.display())),
        "{text}"
    );
    // One printable report per document, and the files and manifest to try the other commands on.
    let reports = std::fs::read_dir(dir.path().join("demo/reports"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "html")
        })
        .count();
    assert_eq!(reports, 44);
    assert!(dir.path().join("demo/dashboard.html").is_file());
    assert!(
        dir.path()
            .join("demo/archive/gongwen-archive.json")
            .is_file()
    );
    let out = gongwen(
        dir.path(),
        &[
            "show",
            "demo/2023_李华_县长_对照检查材料.txt",
            "--manifest",
            "demo/manifest.csv",
            "--json",
        ],
        None,
    );
    let show: Show = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(show.unit.as_deref(), Some("某县人民政府"));
}

#[derive(Debug, Deserialize)]
struct OutlineOut {
    doc_id: String,
    sections: Vec<SectionOut>,
}

#[derive(Debug, Deserialize)]
struct SectionOut {
    level: usize,
    marker: String,
    heading: String,
    kind: String,
    span: [usize; 2],
    text: String,
    sections: Vec<SectionOut>,
    items: Vec<ItemOut>,
}

#[derive(Debug, Deserialize)]
struct ItemOut {
    marker: String,
    claim: String,
    span: [usize; 2],
    text: String,
    example: Option<ExampleOut>,
}

#[derive(Debug, Deserialize)]
struct ExampleOut {
    marker: String,
    span: [usize; 2],
    text: String,
}

#[test]
fn outline_json_spans_are_characters_of_the_stored_text() {
    let dir = tempfile::tempdir().unwrap();
    let material = "一、存在的问题\n（一）在学习方面。能够坚持学习。但从严对照，还有不足。一是学得不深。二是用得不实。比如，在滩区迁建中凭经验决策。\n二、整改措施\n一是加强学习。\n";
    write(
        dir.path(),
        "m.docx",
        &docx(&paragraphs(&material.lines().collect::<Vec<_>>())),
    );
    let show: Show =
        serde_json::from_slice(&gongwen(dir.path(), &["show", "m.docx", "--json"], None).stdout)
            .unwrap();
    let out = gongwen(dir.path(), &["outline", "m.docx", "--json"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outline: OutlineOut = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(outline.doc_id, show.doc_id);
    let chars: Vec<char> = show.text.chars().collect();
    let cut = |s: [usize; 2]| chars[s[0]..s[1]].iter().collect::<String>();
    assert_eq!(outline.sections.len(), 2);
    let problems = &outline.sections[0];
    assert_eq!(
        (
            problems.level,
            problems.marker.as_str(),
            problems.heading.as_str(),
            problems.kind.as_str()
        ),
        (1, "一、", "存在的问题", "problems")
    );
    assert_eq!(cut(problems.span), problems.text);
    let aspect = &problems.sections[0];
    assert_eq!(
        (
            aspect.marker.as_str(),
            aspect.heading.as_str(),
            aspect.kind.as_str()
        ),
        ("（一）", "在学习方面", "problems")
    );
    assert_eq!(aspect.items.len(), 2);
    let item = &aspect.items[1];
    assert_eq!(
        (item.marker.as_str(), item.claim.as_str()),
        ("二是", "用得不实")
    );
    assert_eq!(cut(item.span), item.text);
    let example = item.example.as_ref().unwrap();
    assert_eq!(example.marker, "比如");
    assert_eq!(cut(example.span), example.text);
    assert_eq!(example.text, "比如，在滩区迁建中凭经验决策。");
    assert!(aspect.items[0].example.is_none());
    assert_eq!(outline.sections[1].kind, "measures");

    let human =
        String::from_utf8(gongwen(dir.path(), &["outline", "m.docx"], None).stdout).unwrap();
    assert!(
        human.contains("（一）在学习方面  〔问题〕") && human.contains("二是 用得不实  【例】比如"),
        "{human}"
    );
}

/// The README's two set-up commands are what a newcomer runs and what CI runs: the demo (run by
/// `demo_runs_on_the_embedded_corpus` above) and the very test command .ci/run calls.
#[test]
fn the_readme_set_up_commands_are_the_ones_ci_runs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Set up on a fresh machine"))
        .expect("README has a 'Set up on a fresh machine' section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a sh block in the set-up section");
    let commands: Vec<String> = block
        .lines()
        .map(|l| l.split('#').next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        commands,
        ["cargo run --release -- demo", "cargo test --release"]
    );
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .filter(|w| *w != "--locked")
            .map(str::to_string)
            .collect()
    };
    let test_command = words(&commands[1]);
    assert!(
        ci.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .any(|l| l.split(';').any(|part| words(part.trim()) == test_command)),
        ".ci/run does not call the README's test command `{}`",
        commands[1]
    );
}
