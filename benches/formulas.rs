//! The formula matcher (`FormulaSet::find`) against the automaton it replaced
//! (`find_with_automaton`) and against bare segmentation, on the same real text in the same run.
//!
//! The text is the 31 provincial government work reports of 2026 and the seed material of
//! ../shared/data (≈1.8 MB), or the demo corpus when that folder is absent, matched document by
//! document. "Cold" gives the former automaton a fresh cache for every document, as a new process
//! or a new thread (a request of `gongwen serve`, a document of `check`) sees it; "warm" lets it
//! keep the states it built on the documents before. The ratios to report are printed first:
//! each pair alternated, under the same load.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::{FormulaSet, Segmenter};

mod common;

fn corpus() -> Vec<String> {
    common::shared_or_demo_texts(&["gwr_provincial_2026/txt", "seed"])
}

fn formulas(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(String::len).sum();
    let t = std::time::Instant::now();
    let set = FormulaSet::builtin();
    eprintln!("FormulaSet::builtin() built in {:.1?}", t.elapsed());
    let segmenter = Segmenter::new();
    let count = |f: &dyn Fn(&str) -> usize| docs.iter().map(|d| f(black_box(d))).sum::<usize>();
    let found = count(&|d| set.find(d).len());
    assert_eq!(found, count(&|d| set.find_with_automaton(d, true).len()));
    let new = || assert_eq!(count(&|d| set.find(d).len()), found);
    let cold = || assert_eq!(count(&|d| set.find_with_automaton(d, true).len()), found);
    let warm = || assert_eq!(count(&|d| set.find_with_automaton(d, false).len()), found);
    let segment = || {
        black_box(count(&|d| segmenter.segment(d).len()));
    };
    eprintln!(
        "{} documents, {:.2} MB, {found} formulas",
        docs.len(),
        bytes as f64 / 1e6
    );
    let mb_s = |d: std::time::Duration| bytes as f64 / 1e6 / d.as_secs_f64();
    for (what, rounds, baseline, ours) in [
        (
            "find vs the former automaton, cold",
            5,
            &cold as &dyn Fn(),
            &new as &dyn Fn(),
        ),
        ("find vs the former automaton, warm", 5, &warm, &new),
        ("find vs bare segmentation", 10, &segment, &new),
    ] {
        let (b, o) = common::interleaved(rounds, baseline, ours);
        eprintln!("  baseline {:.1} MB/s, find {:.1} MB/s", mb_s(b), mb_s(o));
        common::report(what, rounds, (b, o));
    }
    let mut group = c.benchmark_group("formulas");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("Segmenter (baseline)", |b| b.iter(segment));
    group.bench_function("former automaton, cold (baseline)", |b| b.iter(cold));
    group.bench_function("former automaton, warm", |b| b.iter(warm));
    group.bench_function("find", |b| b.iter(new));
    group.finish();
}

criterion_group!(benches, formulas);
criterion_main!(benches);
