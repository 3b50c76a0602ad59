//! The printable 查重报告 (`check --html`): self-contained (no request of any kind), in Chinese,
//! every document string escaped, the figures the JSON gives, and — when Chromium is installed —
//! rendered by a real browser to an A4 PDF whose text holds the report's figures.

use std::path::Path;
use std::process::Command;

use crate::util::{gongwen, write};

/// Runs gongwen in `dir` and insists it succeeds.
fn run_ok(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = gongwen(dir, args, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The demo corpus added with its manifest to `dir/arch`; returns the corpus's directory.
fn add_demo(dir: &Path) -> std::path::PathBuf {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo");
    run_ok(
        dir,
        &[
            "--archive",
            "arch",
            "add",
            demo.to_str().unwrap(),
            "--manifest",
            demo.join("manifest.csv").to_str().unwrap(),
        ],
    );
    demo
}

fn check_html(dir: &Path, file: &Path) -> String {
    run_ok(
        dir,
        &[
            "--archive",
            "arch",
            "check",
            file.to_str().unwrap(),
            "--html",
            "report.html",
            "--json",
        ],
    );
    std::fs::read_to_string(dir.join("report.html")).unwrap()
}

#[test]
fn the_report_is_self_contained_escaped_and_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let docs = dir.join("docs");
    std::fs::create_dir(&docs).unwrap();
    let body = "一、存在的问题\n一是学习不够深入。比如，2023年5月在石桥镇调研时没有形成具体办法。\n\
        二是作风不够扎实。<script>alert('x')</script> & “引号” <img onerror=alert(1)>\n";
    write(
        &docs,
        "2023_张三_对照检查材料.txt",
        format!("2023年度对照检查材料\n{body}").as_bytes(),
    );
    // The later one is checked: its text is copied from the earlier.
    let a = write(
        &docs,
        "2024_李四_对照检查材料.txt",
        format!("2024年度对照检查材料\n{body}").as_bytes(),
    );
    run_ok(dir, &["--archive", "arch", "add", docs.to_str().unwrap()]);

    let html = check_html(dir, &a);
    // No external request of any kind, and a policy that forbids them.
    for needle in [
        "<script", "<img", "<link", "@import", "url(", "src=", "http://", "https://",
    ] {
        assert!(!html.contains(needle), "{needle} in the report");
    }
    assert!(html.contains("default-src 'none'"));
    // The document's markup is text.
    assert!(html.contains("&lt;script&gt;alert("), "escaped");
    assert!(html.contains("&amp;"));
    // The figures and the parts a printed report needs.
    for label in [
        "文本查重报告",
        "总文字复制比",
        "去除引用文字复制比",
        "去除本人文字复制比",
        "单篇最大文字复制比",
        "原文标注",
        "全文对照",
        "问题清单与具体程度",
        "报告日期",
        "有具体事例",
    ] {
        assert!(html.contains(label), "{label}");
    }
    assert!(html.contains("@page { size: A4"));
    // The copied text is marked and linked to its side-by-side entry, both ways.
    assert!(
        html.contains("class=\"m copied\"")
            && html.contains("href=\"#m1\"")
            && html.contains("id=\"m1\"")
    );
}

/// Skips the browser test loudly, or fails it when CI requires it (GONGWEN_REQUIRE_BROWSER=1).
fn skip_browser_test(missing: &str) {
    crate::util::notice(&format!(
        "skipped: the browser rendering test of the report: no {missing} installed"
    ));
    assert!(
        std::env::var("GONGWEN_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "GONGWEN_REQUIRE_BROWSER=1 but no {missing}"
    );
}

#[test]
fn chromium_prints_the_report_to_a4_pdf() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        return skip_browser_test("chromium");
    };
    if Command::new("pdftotext").arg("-v").output().is_err() {
        return skip_browser_test("pdftotext");
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let demo = add_demo(dir);
    check_html(dir, &demo.join("2024_黄晓峰_镇长_对照检查材料.txt"));
    let pdf = dir.join("report.pdf");
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", dir.join("report.html").display()))
        .output()
        .expect("chromium runs");
    assert!(pdf.exists(), "{}", String::from_utf8_lossy(&status.stderr));
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for label in [
        "文本查重报告",
        "总文字复制比",
        "全文对照",
        "问题清单与具体程度",
        "黄晓峰",
    ] {
        assert!(text.contains(label), "{label} not in the printed PDF");
    }
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("(A4)"), "A4 pages: {info}");
}

#[test]
fn the_dashboard_is_self_contained_with_its_table_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    add_demo(dir);
    let out = run_ok(
        dir,
        &[
            "--archive",
            "arch",
            "analyze",
            "--html",
            "dash.html",
            "--json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let html = std::fs::read_to_string(dir.join("dash.html")).unwrap();
    for needle in ["src=", "http://", "https://", "<link", "url(", "@import"] {
        assert!(!html.contains(needle), "{needle} in the dashboard");
    }
    // One row per document, a chart per author or unit with several years.
    let docs = json["documents"].as_array().unwrap().len();
    assert_eq!(html.matches("<tr data-year=").count(), docs);
    let series = json["series"].as_array().unwrap().len();
    assert!(series > 0);
    assert_eq!(html.matches("<div class=\"chart\">").count(), series);
    assert!(html.contains("<polyline"));
    for label in [
        "逐篇结果",
        "逐年重复",
        "最常见的套话",
        "多篇共有的段落",
        "仅改名称日期",
    ] {
        assert!(html.contains(label), "{label}");
    }
}

#[test]
fn analyze_writes_the_documents_table_as_csv_and_xlsx() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    add_demo(dir);
    let out = run_ok(
        dir,
        &[
            "--archive",
            "arch",
            "analyze",
            "--json",
            "--csv",
            "table.csv",
            "--xlsx",
            "table.xlsx",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = json["documents"].as_array().unwrap();

    // CSV: a BOM for Excel, Chinese headers, one row per document, shares as numbers 0–1.
    let bytes = std::fs::read(dir.join("table.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    for h in [
        "标题",
        "作者",
        "单位",
        "年份",
        "与他人重合",
        "总文字复制比",
        "有具体事例",
        "结论",
    ] {
        assert!(headers.iter().any(|x| x == h), "{h}");
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), docs.len());
    for (row, doc) in rows.iter().zip(docs) {
        let copied: f64 = row[col("与他人重合")].parse().expect("a number");
        assert!((copied - doc["rates"]["copied"].as_f64().unwrap()).abs() < 1e-4);
        assert_eq!(row[col("文档编号")], *doc["doc_id"].as_str().unwrap());
        if let Some(y) = doc["year"].as_u64() {
            assert_eq!(row[col("年份")].parse::<u64>().unwrap(), y);
        }
    }

    // XLSX: a real workbook (a zip of XML parts) with the same headers, numbers as numbers.
    let file = std::fs::File::open(dir.join("table.xlsx")).unwrap();
    let mut book = zip::ZipArchive::new(file).expect("an xlsx is a zip");
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut book.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let strings = part("xl/sharedStrings.xml");
    for h in ["标题", "与他人重合", "总文字复制比", "有具体事例"] {
        assert!(strings.contains(h), "{h}");
    }
    assert!(part("xl/workbook.xml").contains("逐篇结果"));
    let sheet = part("xl/worksheets/sheet1.xml");
    assert_eq!(sheet.matches("<row ").count(), docs.len() + 1);
    // Row 2, column G (与他人重合): a number cell (no t="s"), with the value of the JSON.
    let g2 = sheet.split("<c r=\"G2\"").nth(1).expect("a G2 cell");
    let g2 = &g2[..g2.find("</c>").unwrap()];
    assert!(!g2.contains("t=\"s\""), "G2 is a number: {g2}");
    let v: f64 = g2
        .split("<v>")
        .nth(1)
        .unwrap()
        .split("</v>")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((v - docs[0]["rates"]["copied"].as_f64().unwrap()).abs() < 1e-9);
}

#[test]
fn search_facets_are_written_as_a_timeline_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    add_demo(dir);
    let out = run_ok(
        dir,
        &[
            "--archive",
            "arch",
            "search",
            "东坪村",
            "--facets",
            "--json",
            "--csv",
            "t.csv",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bytes = std::fs::read(dir.join("t.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["检索词", "分类", "值", "文档数", "出现次数"]
    );
    let years: Vec<(String, u64, u64)> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[1] == "年份")
        .map(|r| {
            (
                r[2].to_string(),
                r[3].parse().unwrap(),
                r[4].parse().unwrap(),
            )
        })
        .collect();
    let expected = json["facets"]["year"].as_object().unwrap();
    assert_eq!(years.len(), expected.len());
    for (year, docs, count) in years {
        assert_eq!(expected[&year]["docs"].as_u64(), Some(docs));
        assert_eq!(expected[&year]["count"].as_u64(), Some(count));
    }
    // --csv needs --facets.
    let out = crate::util::gongwen(
        dir,
        &["--archive", "arch", "search", "东坪村", "--csv", "x.csv"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn reports_into_a_missing_or_unwritable_place_exit_2_and_leave_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let demo = add_demo(dir);
    std::fs::write(dir.join("a-file"), "").unwrap();
    let doc = demo.join("2024_黄晓峰_镇长_对照检查材料.txt");
    let before: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    for out in ["missing/dir/report.html", "a-file/report.html", "arch"] {
        for args in [
            vec![
                "--archive",
                "arch",
                "check",
                doc.to_str().unwrap(),
                "--html",
                out,
            ],
            vec!["--archive", "arch", "analyze", "--html", out],
            vec!["--archive", "arch", "analyze", "--csv", out],
            vec!["--archive", "arch", "analyze", "--xlsx", out],
            vec![
                "--archive",
                "arch",
                "search",
                "东坪村",
                "--facets",
                "--csv",
                out,
            ],
        ] {
            let o = crate::util::gongwen(dir, &args, None);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains(out),
                "{args:?}: the reason names the file: {err}"
            );
            assert!(
                err.contains("no directory")
                    || err.contains("is a directory")
                    || err.contains("cannot write"),
                "{args:?}: {err}"
            );
            assert!(
                o.stdout.is_empty(),
                "{args:?}: nothing done before the refusal"
            );
        }
    }
    let after: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "nothing left behind");
    assert!(!dir.join("missing").exists());
}
