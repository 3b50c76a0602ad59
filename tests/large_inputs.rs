//! Inputs that once cost memory or time in proportion to their size, or worse: a large .txt, a
//! run of one character, an element with a hundred thousand attributes, and search output with
//! hundreds of thousands of lines. What can be checked without timing: they read, they index whole,
//! and streamed output is exactly one JSON document. (Their peak memory and time are measured in
//! the issue notes, not asserted here.)

use serde_json::Value;

use crate::util::archive_ok as run;
use crate::util::write;

#[test]
fn a_large_txt_with_a_run_of_one_character_indexes_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // 12 MB: ordinary paragraphs, a line of 1 MB with no break at all (one character repeated,
    // cut where it stands by the segmenter), a marker at the start, the middle and the end.
    let paragraph = "坚持两个确立，做到两个维护，落实全面从严治党主体责任。\n";
    let half = paragraph.repeat((6 << 20) / paragraph.len());
    let repeated = "的".repeat((1 << 20) / 3);
    let text = format!("开头标记甲乙\n{half}中间标记丙丁\n{repeated}\n{half}结尾标记戊己\n");
    write(dir, "large.txt", text.as_bytes());
    let added: Value = serde_json::from_slice(&run(dir, &["add", "large.txt", "--json"])).unwrap();
    assert_eq!(added["added"], 1, "{added}");
    let listed: Value = serde_json::from_slice(&run(dir, &["list", "--json"])).unwrap();
    assert_eq!(
        listed["documents"][0]["chars"].as_u64(),
        Some(text.chars().count() as u64)
    );
    for marker in ["开头标记甲乙", "中间标记丙丁", "结尾标记戊己"] {
        let found = String::from_utf8(run(dir, &["search", marker, "-c"])).unwrap();
        assert!(
            found.trim_end().ends_with("large.txt:1"),
            "{marker}: {found}"
        );
    }
    // Across the run's edges, and inside it.
    let found = String::from_utf8(run(dir, &["search", "丙丁的的", "-c"])).unwrap();
    assert!(found.trim_end().ends_with(":1"), "{found}");
    let found: Value =
        serde_json::from_slice(&run(dir, &["search", "的的的的", "--json"])).unwrap();
    assert_eq!(found["total"], 1);
    assert_eq!(
        found["hits"][0]["count"].as_u64(),
        Some(repeated.chars().count() as u64 / 4)
    );
}

#[test]
fn kwic_and_lists_stream_as_exactly_one_json_document() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (name, n) in [("a.txt", 3), ("b.txt", 500), ("c.txt", 0)] {
        let text = format!("正文开始。\n{}正文结束。\n", "坚持两个确立，\n".repeat(n));
        write(dir, name, text.as_bytes());
    }
    run(dir, &["add", "a.txt", "b.txt", "c.txt"]);
    // serde_json::from_slice refuses anything after the one document.
    let kwic: Value =
        serde_json::from_slice(&run(dir, &["search", "两个确立", "--kwic", "--json"])).unwrap();
    assert_eq!(kwic["query"], "两个确立");
    assert_eq!(kwic["total"], 503);
    assert_eq!(kwic["lines"].as_array().unwrap().len(), 503);
    assert_eq!(kwic["lines"][0]["match"], "两个确立");
    let none: Value =
        serde_json::from_slice(&run(dir, &["search", "滩区迁建", "--kwic", "--json"])).unwrap();
    assert_eq!(
        (
            none["total"].as_u64(),
            none["lines"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );
    let counted: Value =
        serde_json::from_slice(&run(dir, &["search", "两个确立", "-c", "--json"])).unwrap();
    assert_eq!(counted["total"], 2);
    let counts: Vec<u64> = counted["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [3, 500]);
    let listed: Value =
        serde_json::from_slice(&run(dir, &["search", "正文", "-l", "--json"])).unwrap();
    assert_eq!(listed["total"], 3);
    assert!(listed["documents"][0].get("count").is_none());
    // --queries: one document per line, in input order.
    write(dir, "q.txt", "两个确立\n滩区迁建\n正文\n".as_bytes());
    let out = String::from_utf8(run(
        dir,
        &["search", "--queries", "q.txt", "--kwic", "--json"],
    ))
    .unwrap();
    let totals: Vec<(String, u64)> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["query"].as_str().unwrap().to_string(),
                v["total"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        totals,
        [
            ("两个确立".to_string(), 503),
            ("滩区迁建".to_string(), 0),
            ("正文".to_string(), 6)
        ]
    );
}

#[test]
fn an_element_with_a_hundred_thousand_attributes_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let attributes: String = (0..100_000)
        .map(|i| format!(" data-attribute-{i}=\"value{i}\""))
        .collect();
    let html = format!(
        "<html><head><title>属性很多的页面</title></head><body><div{attributes}>两个确立的重要意义</div>\
         <p>正文第二段。</p></body></html>"
    );
    let path = write(tmp.path(), "crowded.html", html.as_bytes());
    let doc = gongwen::read_file(&path).unwrap();
    assert_eq!(doc.text, "两个确立的重要意义\n正文第二段。\n");
    assert_eq!(doc.declared.title.as_deref(), Some("属性很多的页面"));
    assert_eq!(doc.warnings.len(), 1, "the dropped attributes are said");
}
