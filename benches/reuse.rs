//! Alignment throughput on real text, against a baseline in the same run.
//!
//! - `align/pairs`: each national government work report aligned with the next year's (51 pairs,
//!   ≈ 6 MB of text read; consecutive reports share 11% of their text, median): the work of
//!   `analyze`, which aligns each candidate pair once.
//! - `align/one against all`: the 2025 report indexed once and every report scanned against it:
//!   the work of `check`.
//! - `candidates/fingerprints`: the signatures of all reports, the work of `add` and of the
//!   candidate stage.
//!
//! The baseline is the floor any aligner of countable characters pays: projecting both texts
//! (reading every character, keeping the countable ones with their offsets). The ratio printed
//! first (baseline time / alignment time, the two alternated under the same load) says how close
//! alignment comes to reading. Without ../shared/data the demo corpus is used.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::{AlignConfig, Aligner, Projection};

mod common;

fn reports() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/gwr_national/by_year");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    if paths.is_empty() {
        eprintln!(
            "{} is absent: benchmarking on the demo corpus",
            dir.display()
        );
        paths = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo"))
            .expect("demo corpus")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
    }
    paths.sort();
    paths
        .iter()
        .map(|p| gongwen::read_file(p).expect("real report reads").text)
        .collect()
}

fn align(c: &mut Criterion) {
    let docs = reports();
    let config = AlignConfig::default();
    let pair_bytes: usize = docs.windows(2).map(|w| w[0].len() + w[1].len()).sum();
    let project_pairs = || {
        docs.windows(2)
            .map(|w| {
                black_box(Projection::new(&w[0])).len() + black_box(Projection::new(&w[1])).len()
            })
            .sum::<usize>()
    };
    let align_pairs = || {
        docs.windows(2)
            .map(|w| Aligner::new(&w[0], config.clone()).align(&w[1]).len())
            .sum::<usize>()
    };
    let projected = project_pairs();
    let passages = align_pairs();
    assert!(passages > 0, "consecutive reports share passages");
    common::report(
        "alignment of consecutive national reports vs projecting them",
        11,
        common::interleaved(
            11,
            || assert_eq!(project_pairs(), projected),
            || assert_eq!(align_pairs(), passages),
        ),
    );
    let last = docs.last().expect("a report").clone();
    let all_bytes: usize = docs.iter().map(String::len).sum::<usize>() + last.len();
    let one_against_all = || {
        let aligner = Aligner::new(&last, config.clone());
        docs.iter()
            .map(|d| aligner.align(black_box(d)).len())
            .sum::<usize>()
    };
    let against = one_against_all();

    let mut group = c.benchmark_group("align");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(pair_bytes as u64));
    group.bench_function("pairs: projection only (baseline)", |b| {
        b.iter(|| assert_eq!(project_pairs(), projected))
    });
    group.bench_function("pairs", |b| b.iter(|| assert_eq!(align_pairs(), passages)));
    group.throughput(Throughput::Bytes(all_bytes as u64));
    group.bench_function("one against all", |b| {
        b.iter(|| assert_eq!(one_against_all(), against))
    });
    group.finish();

    let bytes: usize = docs.iter().map(String::len).sum();
    let fingerprints: usize = docs.iter().map(|d| gongwen::fingerprints(d).len()).sum();
    let mut group = c.benchmark_group("candidates");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("fingerprints", |b| {
        b.iter(|| {
            assert_eq!(
                docs.iter()
                    .map(|d| gongwen::fingerprints(black_box(d)).len())
                    .sum::<usize>(),
                fingerprints
            )
        })
    });
    group.finish();
}

criterion_group!(benches, align);
criterion_main!(benches);
