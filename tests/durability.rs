//! The archive never loses a document: kills during add, update and remove; readers during
//! clean-up; missing and damaged stored texts; names that are not UTF-8; a full disk.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use gongwen::{Archive, MetadataResolver};
use serde_json::Value;

use crate::util::{gongwen, segmenter, write};

/// `gongwen --archive arch ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut full = vec!["--archive", "arch"];
    full.extend_from_slice(args);
    gongwen(dir, &full, None)
}

/// `gongwen --archive arch ARGS --json` in `dir`, which must exit with `code`; its JSON.
fn json(dir: &Path, args: &[&str], code: i32) -> Value {
    let mut full = args.to_vec();
    full.push("--json");
    let out = run(dir, &full);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn count(v: &Value, field: &str) -> usize {
    v[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} in {v}")) as usize
}

fn listed(dir: &Path) -> Vec<Value> {
    json(dir, &["list"], 0)["documents"]
        .as_array()
        .unwrap()
        .clone()
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["--archive", "arch"])
        .args(args)
        .current_dir(dir)
        .env_remove("GONGWEN_ARCHIVE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A small random generator, seeded from the clock and printed, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn new(what: &str) -> Rng {
        let seed = std::env::var("GONGWEN_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos() as u64
            });
        eprintln!("{what}: seed {seed} (GONGWEN_TEST_SEED replays it)");
        Rng(seed | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// `chars` characters of varied Chinese text (common characters in random order, in sentences
/// and paragraphs), so that segmenting and indexing take real work.
fn text(rng: &mut Rng, label: &str, chars: usize) -> String {
    let mut out = format!("{label}\n");
    for i in 0..chars {
        out.push(char::from_u32(0x4E00 + rng.below(2500) as u32).unwrap());
        if i % 23 == 22 {
            out.push('。');
        }
        if i % 400 == 399 {
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// The documents of the commit tantivy names in `meta.json`.
fn committed_documents(arch: &Path) -> Option<u64> {
    let meta: Value =
        serde_json::from_slice(&std::fs::read(arch.join("index/meta.json")).ok()?).ok()?;
    let segments = meta["segments"].as_array()?;
    Some(
        segments
            .iter()
            .map(|s| {
                s["max_doc"].as_u64().unwrap_or(0)
                    - s["deletes"]["num_deleted_docs"].as_u64().unwrap_or(0)
            })
            .sum(),
    )
}

/// Every file under `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Killed at 3, 5, 8 or 9.5 s into an add of 1,500 files, the archive once held 0 documents:
/// the only commit came at the end. Now a kill after the first commit keeps what was
/// committed, and the re-run adds only the rest.
#[test]
fn a_kill_after_the_first_commit_keeps_it_and_a_rerun_adds_only_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut rng = Rng::new("kill during add");
    std::fs::create_dir(dir.join("many")).unwrap();
    // 30 MB of text: the first commit comes after about 8 MB, and the rest takes seconds more.
    let n = 500;
    for i in 0..n {
        let t = text(&mut rng, &format!("第{i}号材料"), 20_000);
        write(&dir.join("many"), &format!("{i:04}.txt"), t.as_bytes());
    }
    let mut child = spawn(dir, &["add", "many"]);
    let start = Instant::now();
    let first = loop {
        if let Some(docs) = committed_documents(&dir.join("arch")).filter(|&d| d > 0) {
            break docs;
        }
        assert!(child.try_wait().unwrap().is_none(), "the add ended");
        assert!(start.elapsed() < Duration::from_secs(300));
        std::thread::sleep(Duration::from_millis(10));
    };
    // The first commit comes early, not when everything is indexed.
    assert!(
        first < n as u64 / 2,
        "the first commit holds {first} of {n}"
    );
    std::thread::sleep(Duration::from_millis(rng.below(1500)));
    let finished = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    let committed = listed(dir).len();
    eprintln!(
        "killed {:.1} s in{}: {committed} of {n} documents committed",
        start.elapsed().as_secs_f64(),
        if finished { " (after it ended)" } else { "" }
    );
    assert!(committed > 0, "the first commit is kept");
    let rerun = json(dir, &["add", "many"], 0);
    assert_eq!(
        count(&rerun, "unchanged"),
        committed,
        "committed documents are kept"
    );
    assert_eq!(
        count(&rerun, "added"),
        n - committed,
        "only the rest is added"
    );
    let docs = listed(dir);
    assert_eq!(docs.len(), n);
    let ids: std::collections::BTreeSet<&str> =
        docs.iter().map(|d| d["doc_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), n, "no duplicates");
}

/// A kill during `remove` or during an updating add could leave `<segment>.<opstamp>.del`
/// behind, and every later remove or add then failed with `FileAlreadyExists`.
#[test]
fn a_kill_during_remove_or_update_leaves_an_archive_the_next_writer_uses() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut rng = Rng::new("kill during remove and update");
    std::fs::create_dir(dir.join("docs")).unwrap();
    let n = 40;
    let version = |rng: &mut Rng, v: usize| {
        for i in 0..n {
            let t = text(rng, &format!("第{i}号材料 版本{v}"), 3_000);
            write(&dir.join("docs"), &format!("{i:03}.txt"), t.as_bytes());
        }
    };
    version(&mut rng, 1);
    assert_eq!(count(&json(dir, &["add", "docs"], 0), "added"), n);
    let ids: Vec<String> = listed(dir)
        .iter()
        .map(|d| d["doc_id"].as_str().unwrap().to_string())
        .collect();

    // The leftover itself: the deletion file a remove writes, without the commit naming it.
    let copy = dir.join("copy");
    std::fs::create_dir(&copy).unwrap();
    let status = Command::new("cp")
        .args(["-a", "arch", "copy/arch"])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success());
    let before = files_under(&dir.join("arch/index"));
    json(&copy, &["remove", &ids[0]], 0);
    let mut strays = 0;
    for f in files_under(&copy.join("arch/index")) {
        if f.extension().is_some_and(|e| e == "del") {
            let target = dir.join("arch/index").join(f.file_name().unwrap());
            if !before.contains(&target) {
                std::fs::copy(&f, &target).unwrap();
                strays += 1;
            }
        }
    }
    assert!(strays > 0, "a remove writes a deletion file");
    let removed = json(dir, &["remove", &ids[0]], 0);
    assert_eq!(removed["removed"].as_array().unwrap().len(), 1);

    // Kills at random moments of removes and of an updating add.
    for round in 0..4 {
        let victims: Vec<&str> = ids[1 + round * 5..6 + round * 5]
            .iter()
            .map(String::as_str)
            .collect();
        let mut args = vec!["remove"];
        args.extend(&victims);
        let mut child = spawn(dir, &args);
        std::thread::sleep(Duration::from_millis(rng.below(60)));
        let _ = child.kill();
        child.wait().unwrap();
    }
    version(&mut rng, 2);
    let mut child = spawn(dir, &["add", "docs"]);
    std::thread::sleep(Duration::from_millis(rng.below(800)));
    let _ = child.kill();
    child.wait().unwrap();

    // The next writers work, and everything ends as the files are now.
    let last = json(dir, &["remove", &ids[n - 1]], 0);
    assert_eq!(last["removed"].as_array().unwrap().len(), 1);
    let add = json(dir, &["add", "docs"], 0);
    assert_eq!(
        count(&add, "added") + count(&add, "updated") + count(&add, "unchanged"),
        n
    );
    let docs = listed(dir);
    assert_eq!(docs.len(), n);
    let found = json(dir, &["search", "版本2", "--limit", "100"], 0);
    assert_eq!(
        count(&found, "total"),
        n,
        "every document is the new version"
    );
    assert_eq!(count(&json(dir, &["search", "版本1"], 0), "total"), 0);
}

/// `x\xff.txt` and `x\xfe.txt` once collapsed to one path and one doc_id: two documents stored
/// under one id, re-adds reporting 更新 forever, and a search finding neither.
#[test]
fn names_that_are_not_utf8_stay_two_documents() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("d")).unwrap();
    for (byte, text) in [(0xffu8, "两个确立，甲。\n"), (0xfe, "两个确立，乙。\n")] {
        let name = [b'x', byte, b'.', b't', b'x', b't'];
        let name = std::ffi::OsStr::from_bytes(&name);
        std::fs::write(dir.join("d").join(name), text).unwrap();
    }
    let first = json(dir, &["add", "d"], 0);
    assert_eq!(count(&first, "added"), 2, "{first}");
    let ids: std::collections::BTreeSet<&str> = first["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["doc_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "two ids: {first}");
    let again = json(dir, &["add", "d"], 0);
    assert_eq!(count(&again, "unchanged"), 2, "{again}");
    let found = json(dir, &["search", "两个确立"], 0);
    assert_eq!(count(&found, "total"), 2);
    let texts: Vec<&str> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["snippets"][0]["text"].as_str().unwrap())
        .collect();
    assert!(texts.iter().any(|t| t.contains('甲')) && texts.iter().any(|t| t.contains('乙')));
    // Shown lossily, named by id.
    let docs = listed(dir);
    assert!(
        docs.iter()
            .all(|d| d["path"].as_str().unwrap().contains('\u{FFFD}'))
    );
    let id = docs[0]["doc_id"].as_str().unwrap().to_string();
    json(dir, &["remove", &id], 0);
    assert_eq!(listed(dir).len(), 1);
}

/// One missing stored text once failed every search touching it (exit 2, no results), a
/// re-add said 未变 and did not restore it, and a truncated one gave wrong KWIC counts silently.
#[test]
fn a_missing_or_damaged_stored_text_is_reported_for_its_document_and_a_readd_restores_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("d")).unwrap();
    // Each file holds 两个确立 as many times as its number.
    let names = ["missing", "truncated", "flipped", "intact"];
    for (i, name) in names.iter().enumerate() {
        let body = format!(
            "{name}材料\n{}",
            "坚持两个确立，深化整改落实。\n".repeat(i + 1)
        );
        write(&dir.join("d"), &format!("{name}.txt"), body.as_bytes());
    }
    assert_eq!(count(&json(dir, &["add", "d"], 0), "added"), 4);
    let stored = |name: &str| {
        files_under(&dir.join("arch/texts"))
            .into_iter()
            .find(|p| {
                std::fs::read_to_string(p).is_ok_and(|t| t.starts_with(&format!("{name}材料")))
            })
            .unwrap()
    };
    std::fs::remove_file(stored("missing")).unwrap();
    let truncated = stored("truncated");
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() - 20]).unwrap();
    // The same length, one character changed: 立 → 丽, three bytes each.
    let flipped = stored("flipped");
    let t = std::fs::read_to_string(&flipped).unwrap();
    std::fs::write(&flipped, t.replacen("两个确立", "两个确丽", 1)).unwrap();

    let warned = |out: &Output| {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        for name in &names[..3] {
            assert!(
                stderr.lines().any(|l| l.contains("warning")
                    && l.contains(&format!("{name}.txt"))
                    && l.contains("re-add")),
                "{name}: {stderr}"
            );
        }
        assert!(!stderr.contains("intact.txt"), "{stderr}");
        assert!(!stderr.contains("texts/"), "no internal path: {stderr}");
    };
    let kwic = run(dir, &["search", "两个确立", "--kwic", "--json"]);
    assert_eq!(kwic.status.code(), Some(1), "a partial result");
    warned(&kwic);
    let lines: Value = serde_json::from_slice(&kwic.stdout).unwrap();
    assert_eq!(count(&lines, "total"), 4, "only the intact document's four");
    let hits = run(dir, &["search", "两个确立", "--json"]);
    assert_eq!(hits.status.code(), Some(1));
    warned(&hits);
    let hits: Value = serde_json::from_slice(&hits.stdout).unwrap();
    let counts: Vec<u64> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [4]);
    let c = run(dir, &["search", "两个确立", "-c"]);
    assert_eq!(c.status.code(), Some(1));
    warned(&c);
    assert!(
        String::from_utf8_lossy(&c.stdout)
            .trim()
            .ends_with("intact.txt:4")
    );

    // A 查重 against them says which sources it could not read, in the JSON and in the report.
    write(
        dir,
        "probe.txt",
        "对照材料\n坚持两个确立，深化整改落实。\n"
            .repeat(3)
            .as_bytes(),
    );
    let check = run(
        dir,
        &["check", "probe.txt", "--json", "--html", "probe.html"],
    );
    assert_eq!(check.status.code(), Some(1), "a partial result");
    warned(&check);
    let r: Value = serde_json::from_slice(&check.stdout).unwrap();
    let unread = r["unread"].as_array().expect("unread sources listed");
    for name in &names[..3] {
        assert!(
            unread
                .iter()
                .any(|u| u.as_str().unwrap().contains(&format!("{name}.txt"))),
            "{name}: {unread:?}"
        );
    }
    let html = std::fs::read_to_string(dir.join("probe.html")).unwrap();
    assert_eq!(
        html.matches("未计入").count(),
        3,
        "one line per unread source"
    );

    let readd = json(dir, &["add", "d"], 0);
    assert_eq!(count(&readd, "restored"), 3, "{readd}");
    assert_eq!(count(&readd, "unchanged"), 1, "{readd}");
    let kwic = json(dir, &["search", "两个确立", "--kwic"], 0);
    assert_eq!(count(&kwic, "total"), 1 + 2 + 3 + 4);
    assert_eq!(
        count(&json(dir, &["add", "d"], 0), "unchanged"),
        4,
        "restored for good"
    );
}

/// Clean-up once deleted the stored texts of replaced documents at the next add, while a search
/// that had opened the commit before still needed them ("stored text of … is missing").
#[test]
fn clean_up_keeps_what_an_open_reader_of_an_older_commit_needs() {
    let tmp = tempfile::tempdir().unwrap();
    let arch = tmp.path().join("arch");
    let file = tmp.path().join("a.txt");
    let add = |archive: &Archive| {
        archive
            .add(
                std::slice::from_ref(&file),
                &MetadataResolver::default(),
                &|_| {},
            )
            .unwrap()
    };
    let stored_texts = || files_under(&arch.join("texts")).len();
    let writer = Archive::open_or_create(&arch, segmenter()).unwrap();
    std::fs::write(&file, "第一版：两个确立。\n").unwrap();
    add(&writer);
    let reader = Archive::open(&arch).unwrap();
    let old = reader.list(&Default::default()).unwrap().remove(0);
    for (v, text) in [(2, "第二版：两个维护。\n"), (3, "第三版：以案促改。\n")] {
        std::fs::write(&file, text).unwrap();
        assert_eq!(add(&writer).updated, 1, "version {v}");
    }
    assert_eq!(
        reader.text(&old).unwrap(),
        "第一版：两个确立。\n",
        "the reader of the first commit still reads its text"
    );
    assert_eq!(stored_texts(), 3, "kept while that reader is open");
    // Moved to the last commit, the reader no longer needs them, and the next writer deletes them.
    reader.reload().unwrap();
    let now = reader.list(&Default::default()).unwrap().remove(0);
    assert_eq!(reader.text(&now).unwrap(), "第三版：以案促改。\n");
    add(&writer);
    assert_eq!(stored_texts(), 1);
    drop(reader);
    drop(writer);
    assert!(
        files_under(&arch.join("readers")).is_empty(),
        "each handle removes its registration"
    );
}

/// `search --queries … --kwic` once failed when two adds ran during it, and the output of its
/// remaining queries was lost.
#[test]
fn a_search_loop_runs_through_ten_adds_without_a_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let mut rng = Rng::new("search loop");
    std::fs::create_dir(dir.join("d")).unwrap();
    let n = 30;
    let version = |rng: &mut Rng, v: usize| {
        for i in (0..n).filter(|i| v == 0 || i % 3 == v % 3) {
            let t = text(rng, &format!("两个确立 第{i}号 版本{v}"), 2_000);
            write(&dir.join("d"), &format!("{i:02}.txt"), t.as_bytes());
        }
    };
    version(&mut rng, 0);
    json(&dir, &["add", "d"], 0);
    // Many queries, so that one search spans several adds.
    let queries: String = (0..1500)
        .map(|i| format!("第{}号\n两个确立\n", i % n))
        .collect();
    write(&dir, "queries.txt", queries.as_bytes());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let searches = {
        let (dir, stop) = (dir.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut outs = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                outs.push(run(&dir, &["search", "--queries", "queries.txt", "--kwic"]));
            }
            outs
        })
    };
    for v in 1..=10 {
        version(&mut rng, v);
        let add = json(&dir, &["add", "d"], 0);
        assert_eq!(count(&add, "updated"), n / 3, "add {v}");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let outs = searches.join().unwrap();
    eprintln!("{} searches ran through the 10 adds", outs.len());
    for out in &outs {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(stdout.matches("== ").count(), 3000, "every query answered");
    }
}

/// A full disk once gave tantivy's "An index writer was killed.. or panicked", errors naming
/// internal `texts/xx/KEY.txt` paths, and up to 94 temporary files left behind. Tested on a
/// real full disk: a small tmpfs, mounted in a mount namespace of its own (`unshare`).
#[test]
fn a_full_disk_names_the_input_file_keeps_what_was_committed_and_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut rng = Rng::new("disk full");
    for (sub, files) in [("first", 5), ("more", 60)] {
        std::fs::create_dir(dir.join(sub)).unwrap();
        for i in 0..files {
            let t = text(&mut rng, &format!("{sub}第{i}号"), 20_000);
            write(&dir.join(sub), &format!("{sub}{i:02}.txt"), t.as_bytes());
        }
    }
    // Inside the namespace: an archive on a 4 MB tmpfs; a first add that fits; a second that
    // does not; what is left; then space freed and the second add again.
    let script = r#"
        set -u
        mkdir -p disk
        mount -t tmpfs -o size=4m tmpfs disk || exit 99
        G="$0"
        "$G" --archive disk/arch add first --json > first.json; echo "first=$?"
        "$G" --archive disk/arch add more --json > more.json 2> more.err; echo "more=$?"
        find disk/arch -name '*.tmp*' -o -name '.tmp*' -o -name '.*.tmp*' | sed 's/^/leftover /'
        "$G" --archive disk/arch list --json > list.json; echo "list=$?"
        mount -o remount,size=40m disk
        "$G" --archive disk/arch add more --json > again.json; echo "again=$?"
        "$G" --archive disk/arch list --json > final.json
    "#;
    let out = Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", script])
        .arg(env!("CARGO_BIN_EXE_gongwen"))
        .current_dir(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() == Some(99) || !stdout.contains("first=") {
        let why = String::from_utf8_lossy(&out.stderr);
        if std::env::var("GONGWEN_REQUIRE_TMPFS").as_deref() == Ok("1") {
            panic!("GONGWEN_REQUIRE_TMPFS=1 but no tmpfs could be mounted: {why}");
        }
        crate::util::notice(&format!(
            "skipped: the full-disk test: no tmpfs could be mounted in a namespace ({why})"
        ));
        return;
    }
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    assert!(stdout.contains("first=0"), "{stdout}");
    assert!(stdout.contains("more=2"), "a full disk is fatal: {stdout}");
    let err = read("more.err");
    assert!(
        err.contains("磁盘已满") && err.contains("free space and re-run"),
        "{err}"
    );
    assert!(
        err.contains("/more/more") && err.contains(".txt"),
        "names the input file: {err}"
    );
    assert!(
        !err.contains("killed") && !err.contains("texts/"),
        "no tantivy wording, no internal path: {err}"
    );
    assert!(!stdout.contains("leftover"), "{stdout}");
    assert!(stdout.contains("list=0"), "{stdout}");
    let list: Value = serde_json::from_str(&read("list.json")).unwrap();
    let kept = list["documents"].as_array().unwrap().len();
    assert!(kept >= 5, "nothing committed was lost: {kept}");
    assert!(stdout.contains("again=0"), "{stdout}");
    let again: Value = serde_json::from_str(&read("again.json")).unwrap();
    assert_eq!(count(&again, "added") + count(&again, "unchanged"), 60);
    let last: Value = serde_json::from_str(&read("final.json")).unwrap();
    assert_eq!(last["documents"].as_array().unwrap().len(), 65);
}
