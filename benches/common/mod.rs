//! What both benches share.

use std::time::{Duration, Instant};

/// Runs `baseline` and `ours` alternately, `rounds` times each, and returns the median time of
/// each. criterion measures one function after the other, and on a shared machine the load can
/// change between the two by more than the difference measured; alternating puts both under the
/// same load.
pub fn interleaved(
    rounds: usize,
    mut baseline: impl FnMut(),
    mut ours: impl FnMut(),
) -> (Duration, Duration) {
    let mut a = Vec::with_capacity(rounds);
    let mut b = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        baseline();
        a.push(t.elapsed());
        let t = Instant::now();
        ours();
        b.push(t.elapsed());
    }
    a.sort();
    b.sort();
    (a[rounds / 2], b[rounds / 2])
}

/// Prints the medians of [`interleaved`] and their ratio as throughputs (baseline time / ours).
pub fn report(what: &str, rounds: usize, (baseline, ours): (Duration, Duration)) {
    eprintln!(
        "{what}, alternating, median of {rounds}: baseline {baseline:.1?}, gongwen {ours:.1?}: \
         throughput ratio {:.2}",
        baseline.as_secs_f64() / ours.as_secs_f64()
    );
}

/// The texts of the files in these folders of ../shared/data (not recursive, in name order), or,
/// when none is there, of the embedded demo corpus, said on stderr.
#[allow(dead_code)] // not every bench reads the shared documents
pub fn shared_or_demo_texts(dirs: &[&str]) -> Vec<String> {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let mut docs = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(data.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            docs.push(gongwen::read_file(&p).expect("real report reads").text);
        }
    }
    if docs.is_empty() {
        eprintln!(
            "{} holds none of {dirs:?}: benchmarking on the demo corpus",
            data.display()
        );
        docs = demo_texts();
    }
    docs
}

/// The texts of the embedded demo corpus (corpora/demo), for when ../shared/data is absent.
#[allow(dead_code)] // used only through `shared_or_demo_texts`
fn demo_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("demo corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read_to_string(p).expect("demo text"))
        .collect()
}
