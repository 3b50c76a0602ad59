//! Measures Rust PDF text extractors against gongwen's own reader, with `pdftotext` as the oracle.
//!
//! Not part of the gongwen workspace (see Cargo.toml): built by hand, never by CI.
//!
//! ```text
//! pdf_eval list                                    the extractors
//! pdf_eval extract NAME FILE                       one extractor's text of FILE on stdout
//!                                                  (exit 3 and the error on stderr if it refuses)
//! pdf_eval speed [--rounds N] FILE...              pages/s of every extractor, in this process,
//!                                                  and of `pdftotext` as a process, same run
//! pdf_eval fuzz [--cases N] [--seed S] [--timeout SECS] [--only NAMES] FILE...
//!                                                  damaged copies of FILE..., each read by every
//!                                                  extractor in a child process: ok, error,
//!                                                  panic, crash (a signal: abort, stack overflow,
//!                                                  out of memory) or hang (killed after SECS)
//! ```
//!
//! Quality (similarity, paragraphs, digits, CJK spacing, header/footer lines) is measured by
//! `scripts/compare_pdf.py --eval PATH_TO_pdf_eval`, which calls `pdf_eval extract` for each
//! extractor, so one script defines the measures for every extractor.
//!
//! Every extractor runs on a thread with a 2 MiB stack, Rust's default for a spawned thread (what
//! a reading thread of a batch has); gongwen's own tests read on 512 KiB.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

type Extract = fn(&Path, &[u8]) -> Result<String, String>;

/// (name, crate and version, how it is called).
const EXTRACTORS: &[(&str, &str, Extract)] = &[
    ("gongwen", "gongwen (ours, on lopdf 0.47)", gongwen),
    ("lopdf", "lopdf 0.47 Document::extract_text", lopdf),
    ("pdf_oxide", "pdf_oxide 0.3 extract_all_text", pdf_oxide),
    (
        "oxidize",
        "oxidize-pdf 5.5 parser::PdfDocument::extract_text",
        oxidize,
    ),
    (
        "pdf_extract",
        "pdf-extract 0.12 extract_text_from_mem",
        pdf_extract,
    ),
    ("pdfsink", "pdfsink-rs 0.2 Page::extract_text", pdfsink),
    (
        "pdfboss",
        "pdfboss-output 2.16 extract_text, ReadingOrder::Content",
        pdfboss,
    ),
];

fn gongwen(path: &Path, bytes: &[u8]) -> Result<String, String> {
    gongwen::read_bytes(path, bytes, gongwen::Format::Pdf)
        .map(|d| d.text)
        .map_err(|e| format!("{e:#}"))
}

fn lopdf(_: &Path, bytes: &[u8]) -> Result<String, String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).map_err(|e| e.to_string())
}

fn pdf_oxide(_: &Path, bytes: &[u8]) -> Result<String, String> {
    let doc = pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| e.to_string())?;
    doc.extract_all_text().map_err(|e| e.to_string())
}

fn oxidize(_: &Path, bytes: &[u8]) -> Result<String, String> {
    let reader = oxidize_pdf::parser::PdfReader::new(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| e.to_string())?;
    let doc = oxidize_pdf::parser::PdfDocument::new(reader);
    let pages = doc.extract_text().map_err(|e| e.to_string())?;
    Ok(pages
        .into_iter()
        .map(|p| p.text)
        .collect::<Vec<_>>()
        .join("\n"))
}

fn pdf_extract(_: &Path, bytes: &[u8]) -> Result<String, String> {
    pdf_extract::extract_text_from_mem(bytes).map_err(|e| e.to_string())
}

fn pdfsink(path: &Path, _: &[u8]) -> Result<String, String> {
    let doc = pdfsink_rs::PdfDocument::open(path).map_err(|e| e.to_string())?;
    Ok(doc
        .pages()
        .iter()
        .map(|p| p.extract_text())
        .collect::<Vec<_>>()
        .join("\n"))
}

fn pdfboss(_: &Path, bytes: &[u8]) -> Result<String, String> {
    let doc = pdfboss_core::Document::load(bytes.to_vec()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for i in 0..doc.page_count() {
        let page = doc.page(i).map_err(|e| e.to_string())?;
        out.push(
            pdfboss_output::extract_text(&doc, &page, pdfboss_output::ReadingOrder::Content)
                .map_err(|e| e.to_string())?,
        );
    }
    Ok(out.join("\n"))
}

fn extractor(name: &str) -> Option<Extract> {
    EXTRACTORS.iter().find(|e| e.0 == name).map(|e| e.2)
}

/// Runs `f` on a thread with a 2 MiB stack; a panic propagates (exit 101 from `main`).
fn on_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("thread starts")
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

fn pages(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes).map_or(0, |d| d.get_pages().len())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("list") => {
            for (name, what, _) in EXTRACTORS {
                println!("{name}\t{what}");
            }
            ExitCode::SUCCESS
        }
        Some("extract") if args.len() == 3 => cmd_extract(&args[1], Path::new(&args[2])),
        Some("speed") => cmd_speed(&args[1..]),
        Some("fuzz") => cmd_fuzz(&args[1..]),
        _ => {
            eprintln!(
                "usage: pdf_eval list | extract NAME FILE | speed [--rounds N] FILE... | \
                 fuzz [--cases N] [--seed S] [--timeout SECS] [--only A,B] FILE..."
            );
            ExitCode::from(2)
        }
    }
}

fn cmd_extract(name: &str, path: &Path) -> ExitCode {
    let Some(f) = extractor(name) else {
        eprintln!("unknown extractor {name}");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let path = path.to_path_buf();
    match on_thread(move || f(&path, &bytes)) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(3)
        }
    }
}

/// Parses `--key value` options (numbers) and returns them with the remaining arguments.
fn options(args: &[String], keys: &[&str]) -> (Vec<(String, String)>, Vec<PathBuf>) {
    let (mut opts, mut files) = (Vec::new(), Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if keys.contains(&a.as_str()) {
            opts.push((a.clone(), it.next().cloned().unwrap_or_default()));
        } else {
            files.push(PathBuf::from(a));
        }
    }
    (opts, files)
}

fn opt<T: std::str::FromStr>(opts: &[(String, String)], key: &str, default: T) -> T {
    opts.iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(default)
}

fn cmd_speed(args: &[String]) -> ExitCode {
    let (opts, files) = options(args, &["--rounds"]);
    let rounds: usize = opt(&opts, "--rounds", 5);
    let docs: Vec<(PathBuf, Vec<u8>, usize)> = files
        .iter()
        .map(|p| {
            let b = std::fs::read(p).expect("readable file");
            let n = pages(&b);
            (p.clone(), b, n)
        })
        .collect();
    let total_pages: usize = docs.iter().map(|d| d.2).sum();
    // A panic is counted as a failed file; its message would only bury the table.
    std::panic::set_hook(Box::new(|_| {}));
    println!(
        "{} files, {total_pages} pages; {rounds} rounds over all files, best round reported",
        docs.len()
    );
    println!("| extractor | best round s | pages/s | × pdftotext | failed files |");
    println!("|---|---:|---:|---:|---|");
    let mut rows = Vec::new();
    // pdftotext first, as a process per file, as a user runs it.
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        for (p, _, _) in &docs {
            let _ = Command::new("pdftotext")
                .args(["-enc", "UTF-8"])
                .arg(p)
                .arg("-")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    let oracle = total_pages as f64 / best;
    rows.push((
        "pdftotext (process)".to_string(),
        best,
        oracle,
        String::new(),
    ));
    for &(name, _, f) in EXTRACTORS {
        let docs = docs.clone();
        let (best, failed) = on_thread(move || {
            let mut best = f64::MAX;
            let mut failed = Vec::new();
            for round in 0..rounds {
                let t = Instant::now();
                for (p, b, _) in &docs {
                    let r = std::panic::catch_unwind(|| f(p, b));
                    if round == 0 && !matches!(r, Ok(Ok(_))) {
                        failed.push(p.file_name().unwrap().to_string_lossy().into_owned());
                    }
                }
                best = best.min(t.elapsed().as_secs_f64());
            }
            (best, failed)
        });
        rows.push((
            name.to_string(),
            best,
            total_pages as f64 / best,
            failed.join(" "),
        ));
    }
    for (name, s, pps, failed) in rows {
        println!(
            "| {name} | {s:.3} | {pps:.0} | {:.2} | {failed} |",
            pps / oracle
        );
    }
    ExitCode::SUCCESS
}

/// splitmix64: a small, seedable generator, so a case can be reproduced from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The damages of gongwen's tests/fuzz.rs: truncate, flip bytes, duplicate or delete a range,
/// nest an array opening many times.
fn damage(bytes: &[u8], rng: &mut Rng) -> (String, Vec<u8>) {
    let at = |f: f64| ((bytes.len() as f64) * f) as usize;
    let mut out = bytes.to_vec();
    match rng.below(5) {
        0 => {
            let f = rng.unit();
            out.truncate(at(f));
            (format!("truncate {f:.4}"), out)
        }
        1 => {
            let n = 1 + rng.below(31);
            for _ in 0..n {
                let i = at(rng.unit()).min(out.len().saturating_sub(1));
                let b = rng.next() as u8;
                if let Some(x) = out.get_mut(i) {
                    *x ^= b | 1;
                }
            }
            (format!("flip {n} bytes"), out)
        }
        k @ (2 | 3) => {
            let (a, l) = (rng.unit(), rng.unit() * 0.2);
            let (s, e) = (at(a), (at(a) + at(l)).min(bytes.len()));
            if k == 2 {
                out.splice(e..e, bytes[s..e].to_vec());
                (format!("duplicate {a:.4}+{l:.4}"), out)
            } else {
                out.drain(s..e);
                (format!("delete {a:.4}+{l:.4}"), out)
            }
        }
        _ => {
            let (a, n) = (rng.unit(), 100 + rng.below(4900));
            let i = at(a);
            out.splice(i..i, b"[<0102> ".repeat(n));
            (format!("nest {a:.4}×{n}"), out)
        }
    }
}

#[derive(Default, Clone)]
struct Tally {
    ok: usize,
    error: usize,
    panic: usize,
    crash: usize,
    hang: usize,
    slowest: f64,
    examples: Vec<String>,
}

fn cmd_fuzz(args: &[String]) -> ExitCode {
    let (opts, files) = options(args, &["--cases", "--seed", "--timeout", "--only"]);
    let cases: usize = opt(&opts, "--cases", 200);
    let seed: u64 = opt(&opts, "--seed", 1);
    let timeout = Duration::from_secs_f64(opt(&opts, "--timeout", 20.0));
    let only: String = opt(&opts, "--only", String::new());
    let names: Vec<&str> = EXTRACTORS
        .iter()
        .map(|e| e.0)
        .filter(|n| only.is_empty() || only.split(',').any(|o| o == *n))
        .collect();
    let seeds: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(p).expect("readable file"))
        })
        .collect();
    let me = std::env::current_exe().expect("own path");
    let dir = std::env::temp_dir().join(format!("pdf_eval_fuzz_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut tallies = vec![Tally::default(); names.len()];
    let mut rng = Rng(seed);
    for case in 0..cases {
        let (seed_name, bytes) = &seeds[rng.below(seeds.len())];
        let (what, damaged) = damage(bytes, &mut rng);
        let file = dir.join(format!("case{case}.pdf"));
        std::fs::write(&file, &damaged).expect("temp file");
        for (k, name) in names.iter().enumerate() {
            let (outcome, secs, detail) = run_child(&me, name, &file, timeout);
            let t = &mut tallies[k];
            t.slowest = t.slowest.max(secs);
            let slot = match outcome {
                Outcome::Ok => &mut t.ok,
                Outcome::Error => &mut t.error,
                Outcome::Panic => &mut t.panic,
                Outcome::Crash => &mut t.crash,
                Outcome::Hang => &mut t.hang,
            };
            *slot += 1;
            if !matches!(outcome, Outcome::Ok | Outcome::Error) && t.examples.len() < 3 {
                t.examples.push(format!(
                    "case {case} ({seed_name}, {what}): {outcome:?} {}",
                    detail.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
                ));
            }
        }
        let _ = std::fs::remove_file(&file);
        if (case + 1) % 50 == 0 {
            eprintln!("{} cases done", case + 1);
        }
    }
    let _ = std::fs::remove_dir(&dir);
    println!(
        "{cases} damaged files (seed {seed}) from {} fixtures; timeout {:.0} s, 4 GiB address space per child",
        seeds.len(),
        timeout.as_secs_f64()
    );
    println!("| extractor | ok | error | panic | crash | hang | slowest s |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, t) in names.iter().zip(&tallies) {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {:.2} |",
            t.ok, t.error, t.panic, t.crash, t.hang, t.slowest
        );
    }
    for (name, t) in names.iter().zip(&tallies) {
        for e in &t.examples {
            println!("{name}: {e}");
        }
    }
    ExitCode::SUCCESS
}

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Ok,
    Error,
    Panic,
    Crash,
    Hang,
}

/// Reads `file` with extractor `name` in a child process limited to 4 GiB of address space.
fn run_child(me: &Path, name: &str, file: &Path, timeout: Duration) -> (Outcome, f64, String) {
    let t = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4194304; exec \"$0\" extract \"$1\" \"$2\"")
        .arg(me)
        .arg(name)
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("child starts");
    loop {
        match child.try_wait().expect("wait") {
            Some(status) => {
                let mut err = String::new();
                if let Some(mut s) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut s, &mut err);
                }
                let secs = t.elapsed().as_secs_f64();
                let outcome = match status.code() {
                    Some(0) => Outcome::Ok,
                    Some(3) => Outcome::Error,
                    Some(101) => Outcome::Panic,
                    _ => Outcome::Crash,
                };
                let detail = if matches!(outcome, Outcome::Crash) {
                    format!("{status} {}", err.lines().last().unwrap_or(""))
                } else {
                    err.lines()
                        .find(|l| l.contains("panicked"))
                        .unwrap_or("")
                        .to_string()
                };
                return (outcome, secs, detail);
            }
            None if t.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return (Outcome::Hang, t.elapsed().as_secs_f64(), String::new());
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}
