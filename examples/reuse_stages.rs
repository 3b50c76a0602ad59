//! gongwen's 查重 stages on their own, for scripts/compare_minhash.py to time against Python's
//! MinHash LSH libraries and difflib:
//!
//! ```text
//! cargo run --release --example reuse_stages -- candidates DIR...   # every paragraph of every .txt
//! cargo run --release --example reuse_stages -- align PAIRS          # PAIRS: lines "a.txt<TAB>b.txt"
//! ```
//!
//! `candidates`: each non-empty line of each file is a paragraph; its signature
//! (`gongwen::fingerprints`) is computed on every core, the paragraphs' shared fingerprints are
//! gathered in one sort, and every paragraph's candidates are listed (paragraphs sharing a
//! fingerprint; fingerprints in more than 256 paragraphs pair none). `align`: each pair of files
//! aligned as `check` aligns a document with a source. Each prints one JSON object on stdout.

use std::path::{Path, PathBuf};
use std::time::Instant;

use gongwen::{AlignConfig, Aligner, CandidateConfig, CandidateIndexBuilder, Projection};
use rayon::prelude::*;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("candidates") if args.len() > 1 => candidates(&args[1..]),
        Some("align") if args.len() == 2 => align(Path::new(&args[1])),
        _ => {
            eprintln!("usage: reuse_stages candidates DIR... | reuse_stages align PAIRS");
            std::process::exit(2);
        }
    }
}

fn files(roots: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = roots.iter().map(PathBuf::from).collect();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&p) {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn candidates(roots: &[String]) -> anyhow::Result<()> {
    let start = Instant::now();
    let files = files(roots);
    // Read and fingerprint on every core, one file at a time per thread.
    let per_file: Vec<(usize, usize, Vec<Vec<u32>>)> = files
        .par_iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let signatures: Vec<Vec<u32>> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(gongwen::fingerprints)
                .collect();
            (text.len(), signatures.len(), signatures)
        })
        .collect();
    let bytes: usize = per_file.iter().map(|f| f.0).sum();
    let mut builder = CandidateIndexBuilder::new(CandidateConfig::default());
    let mut fingerprints = 0;
    for (_, _, signatures) in &per_file {
        for s in signatures {
            fingerprints += s.len();
            builder.add(s);
        }
    }
    drop(per_file);
    let index = builder.build();
    let paragraphs = index.len();
    let (pairs, with_candidates) = (0..paragraphs)
        .into_par_iter()
        .map(|p| {
            let n = index.candidates(p).ranked.len();
            (n, usize::from(n > 0))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "{}",
        serde_json::json!({
            "files": files.len(),
            "paragraphs": paragraphs,
            "bytes": bytes,
            "fingerprints": fingerprints,
            "shared_fingerprints": index.shared(),
            "frequent_fingerprints": index.frequent(),
            "candidate_pairs": pairs / 2,
            "paragraphs_with_candidates": with_candidates,
            "seconds": start.elapsed().as_secs_f64(),
        })
    );
    Ok(())
}

fn align(list: &Path) -> anyhow::Result<()> {
    let start = Instant::now();
    let pairs: Vec<(String, String)> = std::fs::read_to_string(list)?
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let config = AlignConfig::default();
    let (mut bytes, mut passages, mut covered) = (0, 0, 0);
    for (a, b) in &pairs {
        let (a, b) = (std::fs::read_to_string(a)?, std::fs::read_to_string(b)?);
        bytes += a.len() + b.len();
        let found = Aligner::new(&a, config.clone()).align(&b);
        passages += found.len();
        // Countable characters of the second text covered by a passage.
        let p = Projection::new(&b);
        let mut spans: Vec<(usize, usize)> = found
            .iter()
            .map(|x| (p.index_of(x.b.start), p.end_index_of(x.b.end)))
            .collect();
        spans.sort_unstable();
        let mut reach = 0;
        for (s, e) in spans {
            let s = s.max(reach);
            if e > s {
                covered += e - s;
                reach = e;
            }
        }
    }
    println!(
        "{}",
        serde_json::json!({
            "pairs": pairs.len(),
            "bytes": bytes,
            "passages": passages,
            "covered_chars": covered,
            "seconds": start.elapsed().as_secs_f64(),
        })
    );
    Ok(())
}
