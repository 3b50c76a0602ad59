//! `gongwen serve`: the pages over a small archive, bad requests answered with clean 4xx, Host
//! headers of other sites refused, commits of a concurrent `add` seen; and, when Chromium is
//! installed, the pages and the printable report in a real browser (tests/cdp.rs drives it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cdp::{self, Browser};
use crate::util::{gongwen, write};

/// A document whose text is markup that must show as text.
const HOSTILE: &str = "2024年度对照检查材料\n一、存在的问题\n\
    一是学习不够深入。<script>alert(1)</script>和<img src=x onerror=alert(1)>都应原样显示。\n\
    二是作风不够扎实。比如，2024年3月在石桥镇调研时没有形成具体办法。\n";

/// A running `gongwen serve`, stopped when dropped.
struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
}

impl Served {
    fn start(dir: &Path, archive: &str) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["--archive", archive, "serve", "--addr", "127.0.0.1:0"])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("gongwen serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("serve prints its address");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Served { child, addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// GET `target` with the right Host.
    fn get(&self, target: &str) -> Answer {
        self.request(&format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// Sends a raw request and reads the whole answer (the server may answer and close before
    /// it has read a huge request: a failed write is not an error here).
    fn request(&self, raw: &str) -> Answer {
        let mut s = TcpStream::connect(&self.addr).expect("the server accepts");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let _ = s.write_all(raw.as_bytes());
        let mut bytes = Vec::new();
        let _ = s.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {:?}", &text[..text.len().min(200)]));
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        Answer {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Answer {
    status: u16,
    /// The status line and headers, lower-cased.
    head: String,
    body: String,
}

/// An archive `arch` in `dir` with the demo corpus and the hostile document; returns the
/// hostile document's doc_id.
fn archive(dir: &Path) -> String {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo");
    let docs = dir.join("docs");
    std::fs::create_dir(&docs).unwrap();
    let hostile = write(&docs, "2024_王五_对照检查材料.txt", HOSTILE.as_bytes());
    let out = gongwen(
        dir,
        &[
            "--archive",
            "arch",
            "add",
            demo.to_str().unwrap(),
            "--manifest",
            demo.join("manifest.csv").to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = gongwen(
        dir,
        &[
            "--archive",
            "arch",
            "add",
            hostile.to_str().unwrap(),
            "--json",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["files"][0]["doc_id"].as_str().unwrap().to_string()
}

#[test]
fn serve_shows_search_documents_and_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let hostile = archive(tmp.path());
    let s = Served::start(tmp.path(), "arch");

    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.head
            .contains("content-security-policy: default-src 'none'")
    );
    assert!(home.head.contains("x-content-type-options: nosniff"));
    assert!(home.body.contains("gongwen 公文检索") && home.body.contains("共 45 篇"));

    // 东坪村 is in several documents of several years: hits, snippets, facets, the chart.
    let q = gongwen::percent_encode("东坪村");
    let page = s.get(&format!("/?q={q}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<mark>东坪村</mark>"));
    for label in [
        "年份",
        "作者",
        "单位",
        "类型",
        "逐年出现次数",
        "按文档",
        "KWIC",
    ] {
        assert!(page.body.contains(label), "{label}");
    }
    assert!(page.body.contains("<rect class=\"bar\""));
    let kwic = s.get(&format!("/?q={q}&view=kwic"));
    assert_eq!(kwic.status, 200);
    assert!(kwic.body.contains("<table class=\"kwic\">"));
    // Pages are kept per commit by their parameters as parsed: the same search, however spelt,
    // is the same page byte for byte; another view, filter or page is not.
    let spaced = format!("/?q=%20{q}%20&page=1&year_from=&view=hits");
    for again in [format!("/?q={q}"), spaced] {
        let answer = s.get(&again);
        assert_eq!(answer.status, 200);
        assert!(
            answer.body == page.body,
            "{again} differs from the first answer"
        );
    }
    assert!(s.get(&format!("/?q={q}&view=kwic")).body == kwic.body);
    for other in [
        format!("/?q={q}&year_from=2024"),
        format!("/?q={q}%E4%B8%9C"),
        format!("/?q={q}&author=x"),
    ] {
        let answer = s.get(&other);
        assert!(
            answer.body != page.body && answer.body != kwic.body,
            "{other}"
        );
    }
    // A filter narrows the hits and says so.
    let filtered = s.get(&format!("/?q={q}&year_from=2024&year_to=2024"));
    assert_eq!(filtered.status, 200);
    assert!(filtered.body.contains("取消年份筛选"));

    // The document page: its outline, its findings, the query highlighted, markup as text.
    let doc = s.get(&format!(
        "/doc/{hostile}?q={}",
        gongwen::percent_encode("石桥镇")
    ));
    assert_eq!(doc.status, 200);
    assert!(doc.body.contains("文档结构"));
    assert!(
        doc.body.contains("<span class=\"q"),
        "the query is highlighted"
    );
    assert!(
        doc.body
            .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
    );
    assert!(!doc.body.contains("<script>alert(1)"));
    assert!(!doc.body.contains("<img src=x"));

    // The 查重 page is the report `check --html` writes.
    let report = s.get(&format!("/doc/{hostile}/check"));
    assert_eq!(report.status, 200);
    for label in [
        "文本查重报告",
        "总文字复制比",
        "全文对照",
        "问题清单与具体程度",
    ] {
        assert!(report.body.contains(label), "{label}");
    }
    assert!(!report.body.contains("<script>alert(1)"));
}

#[test]
fn serve_answers_bad_requests_with_clean_4xx() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "root:x:0:0 SECRET").unwrap();
    archive(tmp.path());
    let s = Served::start(tmp.path(), "arch");

    for (target, status) in [
        ("/doc/0123456789abcdef", 404),
        ("/doc/not-an-id", 404),
        ("/doc/0123456789abcdef/check", 404),
        ("/doc/..%2F..%2Fsecret.txt", 404),
        ("/doc/%2e%2e/%2e%2e/secret.txt", 404),
        ("/../../secret.txt", 404),
        ("/doc/../../secret.txt", 404),
        ("/%2e%2e/secret.txt", 404),
        ("/secret.txt", 404),
        ("/arch/gongwen-archive.json", 404),
        ("/?q=a&q=b", 400),
        ("/?q=-only", 400),
        ("/?page=abc", 400),
        ("/?page=0", 400),
        ("/?year_from=abc", 400),
        ("/?year_from=2025&year_to=2019", 400),
        ("/doc/0123456789abcdef?q=%", 404),
    ] {
        let a = s.get(target);
        assert_eq!(a.status, status, "{target}: {}", a.body);
        assert!(a.head.contains("content-type: text/html"), "{target}");
        assert!(!a.body.contains("SECRET"), "{target}");
    }
    // Invalid UTF-8 in the query string: read leniently or refused, never a crash.
    let a = s.get("/?q=%FF%FE");
    assert!(a.status == 200 || a.status == 400, "{}", a.status);

    // A 1 MB query, and one just over the page's own limit.
    let huge = format!("/?q={}", "a".repeat(1 << 20));
    let a = s.get(&huge);
    assert!((400..500).contains(&a.status), "1 MB query: {}", a.status);
    let long = format!("/?q={}", "两".repeat(1001));
    let a = s.get(&long);
    assert_eq!(a.status, 400, "{}", a.body);
    assert!(a.body.contains("检索词过长"));

    // Host headers of other sites (DNS rebinding), none, and an absolute URI elsewhere.
    for host in [
        "evil.example",
        "evil.example:80",
        "127.0.0.1.evil.example",
        "localhost:1",
    ] {
        let a = s.request(&format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(a.status, 403, "{host}");
        assert!(!a.body.contains("共 45 篇"), "{host}");
    }
    let port = s.addr.rsplit(':').next().unwrap();
    let a = s.request(&format!(
        "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(a.status, 200);
    let a = s.request("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(a.status, 400);
    let a = s.request(&format!(
        "GET http://evil.example/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        s.addr
    ));
    assert_eq!(a.status, 403);

    // Read-only: no method but GET and HEAD.
    let a = s.request(&format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        s.addr
    ));
    assert_eq!(a.status, 405);

    // After all that, it still serves.
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn serve_sees_what_an_add_commits_while_it_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    archive(dir);
    let s = Served::start(dir, "arch");
    let q = gongwen::percent_encode("滨江新区智慧路灯");
    // Asked twice, so that the page is kept, and the list of all documents too.
    for _ in 0..2 {
        assert!(s.get(&format!("/?q={q}")).body.contains("共 0 篇文档"));
        assert!(s.get("/").body.contains("共 45 篇"));
    }

    let later = dir.join("later");
    std::fs::create_dir(&later).unwrap();
    write(
        &later,
        "2025_赵六_对照检查材料.txt",
        "2025年度对照检查材料\n一、存在的问题\n一是推进滨江新区智慧路灯项目不力。\n".as_bytes(),
    );
    // The server holds no lock that keeps add from writing.
    let out = gongwen(
        dir,
        &["--archive", "arch", "add", later.to_str().unwrap()],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = s.get(&format!("/?q={q}"));
        if page.body.contains("共 1 篇文档") {
            assert!(page.body.contains("<mark>滨江新区智慧路灯</mark>"));
            assert!(s.get("/").body.contains("共 46 篇"));
            break;
        }
        assert!(Instant::now() < deadline, "the new commit was never seen");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Skips a browser test loudly, or fails it when CI requires it (GONGWEN_REQUIRE_BROWSER=1).
fn skip_browser_test(missing: &str) {
    crate::util::notice(&format!(
        "skipped: the browser test of serve: no {missing} installed"
    ));
    assert!(
        std::env::var("GONGWEN_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "GONGWEN_REQUIRE_BROWSER=1 but no {missing}"
    );
}

/// Where the screenshots go: under the target directory, beside the tests' scratch space.
fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn chromium_uses_serve_and_the_reports() {
    let Some(chromium) = cdp::chromium() else {
        return skip_browser_test("chromium");
    };
    if Command::new("pdftotext").arg("-v").output().is_err() {
        return skip_browser_test("pdftotext");
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let hostile = archive(dir);
    let s = Served::start(dir, "arch");
    let shots = screenshots();
    let mut browser = Browser::launch(chromium, &dir.join("profile"));
    let tab = browser.tab();
    browser.viewport(&tab, 1200, 900);

    // Search, as a person would: type into the box and submit.
    browser.goto(&tab, &s.url("/"));
    browser.drain(&tab, "Page.loadEventFired", Duration::ZERO);
    browser.eval(
        &tab,
        "document.querySelector('header input[name=q]').value = '东坪村'; \
         document.querySelector('header form').submit(); true",
    );
    browser
        .event(&tab, "Page.loadEventFired", Duration::from_secs(30))
        .expect("the results load");
    let marks = browser.eval(&tab, "document.querySelectorAll('.hit mark').length");
    assert!(
        marks.as_u64().unwrap() >= 2,
        "highlighted snippets: {marks}"
    );
    assert_eq!(
        browser.eval(&tab, "document.querySelector('.hit mark').textContent"),
        "东坪村"
    );
    std::fs::write(shots.join("search.png"), browser.screenshot(&tab, false)).unwrap();

    // Open the first hit: the occurrences are highlighted spans in its text.
    let href = browser.eval(&tab, "document.querySelector('a.hit-link').href");
    browser.goto(&tab, href.as_str().unwrap());
    let spans = browser.eval(&tab, "document.querySelectorAll('.text span.q').length");
    assert!(spans.as_u64().unwrap() >= 1, "highlighted spans: {spans}");
    assert_eq!(
        browser.eval(&tab, "document.querySelector('.text span.q').textContent"),
        "东坪村"
    );
    assert!(
        browser
            .eval(
                &tab,
                "document.querySelectorAll('aside a[href^=\"#s\"]').length"
            )
            .as_u64()
            .unwrap()
            > 0,
        "the outline sidebar links to the sections"
    );
    std::fs::write(shots.join("document.png"), browser.screenshot(&tab, false)).unwrap();

    // The hostile document: its markup shows as text, nothing runs, no dialog opens.
    browser.goto(&tab, &s.url(&format!("/doc/{hostile}")));
    let shown = browser.eval(&tab, "document.querySelector('.text').textContent");
    let shown = shown.as_str().unwrap();
    assert!(shown.contains("<script>alert(1)</script>"), "{shown}");
    assert!(shown.contains("<img src=x onerror=alert(1)>"), "{shown}");
    assert_eq!(browser.eval(&tab, "document.scripts.length"), 0);
    assert_eq!(browser.eval(&tab, "document.images.length"), 0);
    let report_page = s.url(&format!("/doc/{hostile}/check"));
    browser.goto(&tab, &report_page);
    assert_eq!(browser.eval(&tab, "document.images.length"), 0);
    assert!(
        browser
            .drain(
                &tab,
                "Page.javascriptDialogOpening",
                Duration::from_millis(500)
            )
            .is_empty(),
        "a dialog opened"
    );

    // The printable report as a file: rendered with no request but its own.
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo");
    let out = gongwen(
        dir,
        &[
            "--archive",
            "arch",
            "check",
            demo.join("2024_黄晓峰_镇长_对照检查材料.txt")
                .to_str()
                .unwrap(),
            "--html",
            "report.html",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = format!("file://{}", dir.join("report.html").display());
    browser.drain(&tab, "Network.requestWillBeSent", Duration::ZERO);
    let took = browser.goto(&tab, &file);
    let requests: Vec<String> = browser
        .drain(
            &tab,
            "Network.requestWillBeSent",
            Duration::from_millis(500),
        )
        .iter()
        .map(|e| {
            e["params"]["request"]["url"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .filter(|u| *u != file)
        .collect();
    assert!(
        requests.is_empty(),
        "the report made requests: {requests:?}"
    );
    assert_eq!(
        browser.eval(&tab, "performance.getEntriesByType('resource').length"),
        0
    );
    eprintln!("report: loaded in Chromium in {} ms", took.as_millis());
    std::fs::write(shots.join("report.png"), browser.screenshot(&tab, false)).unwrap();

    // Printed: A4 pages, the parts in order, each from a new page.
    let pdf = dir.join("report.pdf");
    std::fs::write(&pdf, browser.pdf(&tab)).unwrap();
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("(A4)"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    let page_of = |label: &str| {
        (1..=pages).find(|p| {
            let t = Command::new("pdftotext")
                .args(["-f", &p.to_string(), "-l", &p.to_string()])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8_lossy(&t.stdout).contains(label)
        })
    };
    let first = page_of("检测结果").expect("the results");
    let text = page_of("原文标注").expect("the marked text");
    let items = page_of("问题清单与具体程度").expect("the items");
    assert_eq!(first, 1);
    assert!(
        1 < text && text < items && items <= pages,
        "{first} {text} {items} of {pages}"
    );
    assert!(pages >= 4, "{pages} pages");

    // The dashboard.
    let out = gongwen(
        dir,
        &["--archive", "arch", "analyze", "--html", "dash.html"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    browser.goto(&tab, &format!("file://{}", dir.join("dash.html").display()));
    assert!(
        browser
            .eval(&tab, "document.querySelectorAll('tr[data-year]').length")
            .as_u64()
            .unwrap()
            >= 45
    );
    std::fs::write(shots.join("dashboard.png"), browser.screenshot(&tab, false)).unwrap();
    eprintln!("screenshots: {}", shots.display());
}

/// Deterministic "random" CJK text: no two stretches alike, no formula in it.
fn noise(seed: &mut u64, chars: usize) -> String {
    (0..chars)
        .map(|_| {
            *seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            char::from_u32(0x4E00 + ((*seed >> 33) % 0x51A5) as u32).unwrap()
        })
        .collect()
}

/// The report of a 20,000-character document with 200 copied passages: its size (goal < 2 MB)
/// and, with Chromium, the time to render it (goal < 1 s; printed, not asserted).
#[test]
fn the_report_of_200_matches_stays_small() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let docs = dir.join("docs");
    std::fs::create_dir(&docs).unwrap();
    let mut seed = 7;
    // 20 sources of 3,000 characters; the checked text takes 10 passages of 40 from each,
    // between stretches of its own.
    let sources: Vec<Vec<char>> = (0..20)
        .map(|_| noise(&mut seed, 3000).chars().collect())
        .collect();
    for (k, s) in sources.iter().enumerate() {
        let text: String = s.iter().collect();
        write(
            &docs,
            &format!("2023_来源{k:02}_工作报告.txt"),
            text.as_bytes(),
        );
    }
    let mut checked = String::new();
    for i in 0..200 {
        let s = &sources[i % 20];
        let at = (i / 20) * 290;
        checked.extend(&s[at..at + 40]);
        checked.push_str(&noise(&mut seed, 60));
        if i % 5 == 4 {
            checked.push('\n');
        }
    }
    assert_eq!(checked.chars().filter(|c| *c != '\n').count(), 20_000);
    let file = write(dir, "2024_被查_对照检查材料.txt", checked.as_bytes());
    let out = gongwen(
        dir,
        &["--archive", "arch", "add", docs.to_str().unwrap()],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = gongwen(
        dir,
        &[
            "--archive",
            "arch",
            "check",
            file.to_str().unwrap(),
            "--json",
            "--html",
            "big.html",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let matches = json["matches"].as_array().unwrap().len();
    assert!(matches >= 190, "{matches} matches");
    let size = std::fs::metadata(dir.join("big.html")).unwrap().len();
    eprintln!("report of 20,000 characters with {matches} matches: {size} bytes");
    assert!(size < 2_000_000, "{size} bytes");

    let Some(chromium) = cdp::chromium() else {
        return skip_browser_test("chromium");
    };
    let mut browser = Browser::launch(chromium, &dir.join("profile"));
    let tab = browser.tab();
    let url = format!("file://{}", dir.join("big.html").display());
    let mut times = Vec::new();
    for _ in 0..3 {
        times.push(browser.goto(&tab, &url).as_millis());
    }
    let dom = browser.eval(&tab, "document.querySelectorAll('.m').length");
    assert!(dom.as_u64().unwrap() >= matches as u64, "{dom}");
    eprintln!("rendered in Chromium (navigation to load event) in {times:?} ms");
}
