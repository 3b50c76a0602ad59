//! Segmenter throughput against bare jieba-rs on the same real text, in the same run.
//!
//! The text is the 52 national government work reports of ../shared/data (≈3 MB), or the embedded
//! demo corpus when that folder is absent. Report the ratio gongwen / jieba-rs of the two
//! throughputs; the goal is ≥ 0.85.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::{Segmenter, SegmenterBuilder};

fn corpus() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/gwr_national/by_year");
    let mut text = String::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            text.push_str(&gongwen::read_file(&p).expect("real report reads").text);
        }
    }
    if text.is_empty() {
        eprintln!(
            "{} is absent: benchmarking on the demo corpus",
            dir.display()
        );
        for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo"))
            .expect("demo corpus")
        {
            let p = entry.expect("entry").path();
            if p.extension().is_some_and(|e| e == "txt") {
                text.push_str(&std::fs::read_to_string(p).expect("demo text"));
            }
        }
    }
    text
}

fn segment(c: &mut Criterion) {
    let text = corpus();
    let jieba = jieba_rs::Jieba::new();
    let plain = SegmenterBuilder::new()
        .political(false)
        .build()
        .expect("builds");
    let ours = Segmenter::new();
    let jieba_tokens = jieba.cut(&text, true).len();
    let our_tokens = ours.segment(&text).len();

    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("jieba-rs cut (baseline)", |b| {
        b.iter(|| {
            assert_eq!(
                black_box(jieba.cut(black_box(&text), true)).len(),
                jieba_tokens
            )
        })
    });
    group.bench_function("Segmenter without political dictionary", |b| {
        b.iter(|| black_box(plain.segment(black_box(&text))).len())
    });
    group.bench_function("Segmenter (gongwen)", |b| {
        b.iter(|| assert_eq!(black_box(ours.segment(black_box(&text))).len(), our_tokens))
    });
    group.finish();
}

criterion_group!(benches, segment);
criterion_main!(benches);
