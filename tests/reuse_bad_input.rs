//! The analyzer battery of STYLE.md §7 for the 查重 (alignment, signatures, `ReuseCheck`, `check`,
//! `analyze`): empty, white space only, one sentence, random text and random bytes, a 5 MB
//! document — no panic, valid spans, rates that are numbers; and the bad input: a file
//! that cannot be read, an empty archive, 0 or 1 documents to analyze.

use std::path::Path;

use gongwen::{
    AlignConfig, Aligner, ByteSpan, ReuseCheck, ReuseConfig, SourceInfo, Year, located_fingerprints,
};
use serde_json::Value;

use crate::util::{gongwen, write};

const SENTENCE: &str = "以钉钉子精神抓好整改落实，确保各项措施落地见效，切实把问题整改到位。";

/// A deterministic mix of what real files hold: ideographs, Latin, digits, full-width and CJK
/// punctuation, white space of every kind, CRLF, emoji, combining marks, replacement characters.
fn random_text(len: usize, mut x: u64) -> String {
    const POOL: &[&str] = &[
        "党", "建", "工", "作", "整", "改", "落", "实", "，", "。", "、", "“", "”", "a", "Z", "7",
        "０", "\r\n", "\n", " ", "\u{3000}", "\t", "😀", "e\u{301}", "\u{FFFD}", "〇", "㐀", "𠀀",
        "——", "……", "（", "）",
    ];
    let mut s = String::new();
    for _ in 0..len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_str(POOL[(x % POOL.len() as u64) as usize]);
    }
    s
}

/// The demo corpus's materials, concatenated to `bytes`: each copy has a character of its own
/// after every sixth, so that copies share no seed (a text repeated more often than
/// `max_repeats` is a repetition, not a passage, and would share nothing).
fn big_text(bytes: usize) -> String {
    const MARKS: &str = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东南西北";
    let marks: Vec<char> = MARKS.chars().collect();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo");
    let mut texts: Vec<String> = std::fs::read_dir(&demo)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    texts.sort();
    let mut out = String::with_capacity(bytes + 100_000);
    let mut k = 0;
    while out.len() < bytes {
        for t in &texts {
            let mark = marks[k % marks.len()];
            for (i, c) in t.chars().enumerate() {
                out.push(c);
                if i % 6 == 5 {
                    out.push(mark);
                }
            }
            out.push('\n');
            k += 1;
        }
    }
    out
}

fn valid(span: ByteSpan, text: &str) -> bool {
    span.start <= span.end && span.get(text).is_some()
}

fn info(author: &str, year: u32) -> SourceInfo {
    SourceInfo {
        author: Some(author.into()),
        unit: None,
        year: Year::new(year),
        mandated: false,
    }
}

#[test]
fn the_library_battery_never_panics_and_every_span_is_valid() {
    let big = big_text(5 << 20);
    let texts: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("white space", " \n\t\u{3000}\r\n  ".into()),
        ("one sentence", SENTENCE.into()),
        ("random", random_text(20_000, 0x9E37_79B9_7F4A_7C15)),
        ("5 MB", big.clone()),
    ];
    let sources: Vec<String> = vec![
        String::new(),
        SENTENCE.into(),
        random_text(5_000, 42),
        format!("{SENTENCE}{}", big.get(..200_000).unwrap_or(&big)),
    ];
    for (name, text) in &texts {
        for f in located_fingerprints(text) {
            assert!(valid(f.seed, text), "{name}: {f:?}");
        }
        let mut check = ReuseCheck::new(text, info("甲", 2024), ReuseConfig::default());
        check.add_stock(&[ByteSpan::new(0, text.len())]);
        for (k, s) in sources.iter().enumerate() {
            check.add_source(s, info(&format!("作者{k}"), 2023), format!("作者{k}"));
        }
        let r = check.finish();
        for x in [
            r.rates.copied,
            r.rates.self_reuse,
            r.rates.mandated,
            r.rates.boilerplate,
            r.cnki.total,
        ] {
            assert!(
                x.is_finite() && (0.0..=1.0).contains(&x),
                "{name}: {:?}",
                r.rates
            );
        }
        for m in &r.matches {
            assert!(valid(m.span, text), "{name}: {m:?}");
            for p in &m.sources {
                assert!(valid(p.passage.b, &sources[p.source]), "{name}: {p:?}");
                assert!(valid(p.passage.a, text), "{name}: {p:?}");
            }
        }
        for f in &r.flags {
            assert!(valid(f.span, text), "{name}: {f:?}");
        }
        // And each text as the source of the others.
        let aligner = Aligner::new(text, AlignConfig::default());
        for s in &sources {
            for p in aligner.align(s) {
                assert!(valid(p.a, text) && valid(p.b, s), "{name}: {p:?}");
            }
        }
    }
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut full = vec!["--archive", "arch"];
    full.extend_from_slice(args);
    gongwen(dir, &full, None)
}

/// Every match's span is the character span of its text in the checked document; every rate is
/// a number between 0 and 1.
fn assert_valid_check(text: &str, r: &Value) {
    let chars: Vec<char> = text.chars().collect();
    for m in r["matches"].as_array().unwrap() {
        let (s, e) = (
            m["span"][0].as_u64().unwrap() as usize,
            m["span"][1].as_u64().unwrap() as usize,
        );
        assert!(s <= e && e <= chars.len(), "{m}");
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            m["text"].as_str().unwrap()
        );
    }
    for (_, v) in r["rates"].as_object().unwrap() {
        let x = v.as_f64().expect("a rate is a number, never NaN");
        assert!((0.0..=1.0).contains(&x), "{r}");
    }
    // The CNKI figures come from the same runs: each between 0 and the total, the total at least
    // every rate of shared text.
    let cnki = &r["cnki"];
    let total = cnki["total"].as_f64().expect("a number");
    assert!((0.0..=1.0).contains(&total), "{cnki}");
    for f in ["excluding_mandated", "excluding_self"] {
        let x = cnki[f].as_f64().expect("a number");
        assert!((0.0..=total + 1e-9).contains(&x), "{f}: {cnki}");
    }
    if let Some(x) = cnki["largest_source"]["share"].as_f64() {
        assert!((0.0..=total + 1e-9).contains(&x), "{cnki}");
    }
    for k in ["mandated", "copied", "self_reuse"] {
        assert!(r["rates"][k].as_f64().unwrap() <= total + 1e-9, "{k}: {r}");
    }
}

/// A mandated (or the author's own earlier) sentence followed at once by a short formula: the
/// formula joins the run before it, and the CNKI figures once subtracted more than they counted
/// (excluding_mandated came out as 3e17).
#[test]
fn a_formula_after_a_shared_sentence_keeps_the_cnki_figures_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let p = "全面贯彻落实党中央关于加强基层治理体系和治理能力现代化建设的决策部署";
    write(
        dir,
        "m.txt",
        format!("会议强调，{p}，其他内容在这里写成不同的句子以免重复。\n").as_bytes(),
    );
    write(
        dir,
        "d.txt",
        format!("本人认真反思，{p}久久为功。今后我将改正自身的问题和不足之处。\n").as_bytes(),
    );
    for (mandated, author) in [(true, "中央"), (false, "张三")] {
        let arch = format!("arch-{author}");
        let mut add = vec![
            "--archive",
            &arch,
            "add",
            "m.txt",
            "--year",
            "2019",
            "--author",
            author,
        ];
        if mandated {
            add.push("--mandated");
        }
        assert!(gongwen(dir, &add, None).status.success());
        let add = [
            "--archive",
            &arch,
            "add",
            "d.txt",
            "--year",
            "2020",
            "--author",
            "张三",
        ];
        assert!(gongwen(dir, &add, None).status.success());
        let out = gongwen(dir, &["--archive", &arch, "check", "d.txt", "--json"], None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        let text = std::fs::read_to_string(dir.join("d.txt")).unwrap();
        assert_valid_check(&text, &r);
        let kind = if mandated { "mandated" } else { "self_reuse" };
        assert!(r["rates"][kind].as_f64().unwrap() > 0.5, "{}", r["rates"]);
    }
}

#[test]
fn check_and_analyze_on_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    // An archive with no document: check gives rates 0 and a notice; analyze says why.
    let out = run(dir, &["add", "empty"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    write(dir, "one.txt", SENTENCE.as_bytes());
    let out = run(dir, &["check", "one.txt", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no other document"));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["rates"]["copied"], 0.0);
    assert_eq!(r["compared"], 0);
    for docs in [0, 1] {
        if docs == 1 {
            assert!(run(dir, &["add", "one.txt"]).status.success());
        }
        let out = run(dir, &["analyze", "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("{docs} document(s) to analyze")),
            "{err}"
        );
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["documents"].as_array().unwrap().len(), docs);
        assert!(r["clusters"].as_array().unwrap().is_empty());
    }

    // A file that cannot be read: exit 2, the file and the reason.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend([0u8; 64]);
    write(dir, "image.txt", &png);
    let out = run(dir, &["check", "image.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("image.txt") && err.len() > "image.txt".len() + 20,
        "{err}"
    );

    // White space only, one sentence, random text, random bytes, 5 MB: no panic, valid spans.
    let big = big_text(5 << 20);
    write(dir, "big.txt", big.as_bytes());
    assert!(run(dir, &["add", "big.txt"]).status.success());
    let mut bytes = Vec::new();
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.push((x >> 24) as u8);
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("space.txt", " \n\u{3000}\t\r\n".as_bytes().to_vec()),
        ("sentence.txt", SENTENCE.as_bytes().to_vec()),
        ("random.txt", random_text(30_000, 7).into_bytes()),
        ("bytes.txt", bytes),
        // The same head, so the same year: a copy, not a later document.
        ("big_copy.txt", format!("{big}\n后记。").into_bytes()),
    ];
    let mut copy_total = None;
    for (name, content) in &cases {
        write(dir, name, content);
        let out = run(dir, &["check", name, "--json"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{name}: {err}");
        match out.status.code() {
            Some(0) => {
                let r: Value = serde_json::from_slice(&out.stdout).unwrap();
                let shown = run(dir, &["show", name, "--json"]);
                let text: Value = serde_json::from_slice(&shown.stdout).unwrap();
                assert_valid_check(text["text"].as_str().unwrap(), &r);
                if *name == "big_copy.txt" {
                    copy_total = r["cnki"]["total"].as_f64();
                }
            }
            // Refused as unreadable: said so, with the file's name.
            Some(2) => assert!(err.contains(name), "{name}: {err}"),
            other => panic!("{name}: exit {other:?}: {err}"),
        }
    }
    // The 5 MB copy is found as such.
    assert!(copy_total.is_some_and(|t| t > 0.9), "{copy_total:?}");

    // The battery in the archive (with the 5 MB document): analyze gives each document a row.
    let names: Vec<&str> = cases
        .iter()
        .map(|c| c.0)
        .filter(|n| *n != "big_copy.txt")
        .collect();
    let mut add = vec!["add"];
    add.extend(&names);
    let out = run(dir, &add);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    let out = run(dir, &["analyze", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    for d in r["documents"].as_array().unwrap() {
        for (_, v) in d["rates"].as_object().unwrap() {
            assert!(v.as_f64().is_some_and(|x| (0.0..=1.0).contains(&x)), "{d}");
        }
    }
}
