//! Segmenter throughput against bare jieba-rs on the same real text, in the same run.
//!
//! The text is the 52 national government work reports of ../shared/data (≈3 MB), or the embedded
//! demo corpus when that folder is absent, cut document by document as the archive does. Report
//! the ratio gongwen / jieba-rs of the two throughputs; the goal is ≥ 0.85. A last entry cuts the
//! whole corpus as one text, which the Segmenter splits into parts segmented in parallel.
//!
//! The ratio to report is printed first: the two alternated, under the same load.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::{Segmenter, SegmenterBuilder};

mod common;

fn corpus() -> Vec<String> {
    common::shared_or_demo_texts(&["gwr_national/by_year"])
}

fn segment(c: &mut Criterion) {
    let docs = corpus();
    let whole = docs.concat();
    let jieba = jieba_rs::Jieba::new();
    let plain = SegmenterBuilder::new()
        .political(false)
        .build()
        .expect("builds");
    let ours = Segmenter::new();
    let count = |cut: &dyn Fn(&str) -> usize| docs.iter().map(|d| cut(black_box(d))).sum::<usize>();
    let jieba_tokens = count(&|d| jieba.cut(d, true).len());
    let our_tokens = count(&|d| ours.segment(d).len());
    let jieba_all = || assert_eq!(count(&|d| jieba.cut(d, true).len()), jieba_tokens);
    let ours_all = || assert_eq!(count(&|d| ours.segment(d).len()), our_tokens);
    common::report(
        "Segmenter vs jieba-rs cut, document by document",
        15,
        common::interleaved(15, jieba_all, ours_all),
    );
    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Bytes(whole.len() as u64));
    group.sample_size(10);
    group.bench_function("jieba-rs cut (baseline)", |b| b.iter(jieba_all));
    group.bench_function("Segmenter without political dictionary", |b| {
        b.iter(|| count(&|d| plain.segment(d).len()))
    });
    group.bench_function("Segmenter (gongwen)", |b| b.iter(ours_all));
    group.bench_function("Segmenter, the corpus as one text (parallel parts)", |b| {
        b.iter(|| black_box(ours.segment(black_box(&whole))).len())
    });
    group.finish();
}

/// The formulaic analyses of one document — the formula dictionary, the outline and the verdicts
/// on its problem items — against segmenting it, on the same documents in the same run. Goal: at
/// least half the segmenter's throughput.
fn formulaic(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(String::len).sum();
    let ours = Segmenter::new();
    let formulas = gongwen::FormulaSet::builtin();
    let segment_all = || {
        black_box(docs.iter().map(|d| ours.segment(d).len()).sum::<usize>());
    };
    let analyse_all = || {
        let mut n = 0;
        for d in &docs {
            n += formulas.find(d).len();
            let outline = gongwen::Outline::parse(d);
            n += gongwen::specificity(d, &outline, &ours, 1).items.len();
        }
        black_box(n);
    };
    common::report(
        "formulas + outline + specificity vs Segmenter, document by document",
        10,
        common::interleaved(10, segment_all, analyse_all),
    );
    let mut group = c.benchmark_group("formulaic");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("Segmenter (baseline)", |b| b.iter(segment_all));
    group.bench_function("formulas + outline + specificity", |b| b.iter(analyse_all));
    group.finish();
}

criterion_group!(benches, segment, formulaic);
criterion_main!(benches);
