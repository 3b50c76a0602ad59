//! The archive, measured against baselines in the same run:
//!
//! - `index/*`: adding the real corpus (52 national reports, 31 provincial, congress reports, the
//!   seed; ≈ 6 MB of text) to a fresh archive, against bare segmentation of the same text. Goal:
//!   ≥ 0.5 of the segmentation throughput. The ratio to report is printed first, from the two
//!   alternated under the same load; criterion then measures each on its own.
//! - `search/*`: 1,000 sampled substring queries (2–12 characters) on an archive of ≥ 100 MB
//!   built from that corpus (each copy rotated and labelled, so no two documents are equal),
//!   against a brute-force scan of all texts (memchr's memmem). p50 and p99 latencies are printed;
//!   goal p50 ≤ 5 ms.
//!
//! Without ../shared/data the benches use the demo corpus (and a much smaller archive).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::{Archive, MetadataResolver, SearchOptions, SearchQuery, Segmenter, collect_files};

mod common;

fn sources() -> Vec<PathBuf> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let roots: Vec<PathBuf> = if data.is_dir() {
        [
            "seed",
            "gwr_national/by_year",
            "cpc_congress",
            "gwr_provincial_2026/txt",
        ]
        .iter()
        .map(|d| data.join(d))
        .collect()
    } else {
        eprintln!(
            "{} is absent: benchmarking on the demo corpus",
            data.display()
        );
        vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo")]
    };
    collect_files(&roots).files
}

fn texts(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .map(|f| gongwen::read_file(f).expect("real document reads").text)
        .collect()
}

fn index(c: &mut Criterion) {
    let files = sources();
    let all = texts(&files);
    let bytes: usize = all.iter().map(String::len).sum();
    let segmenter = Segmenter::new();
    let tokens: usize = all.iter().map(|t| segmenter.segment(t).len()).sum();
    let segment_all = || {
        assert_eq!(
            all.iter()
                .map(|t| black_box(segmenter.segment(t)).len())
                .sum::<usize>(),
            tokens
        )
    };
    let add_to = |dir: &Path| {
        let archive = Archive::open_or_create(dir, &segmenter).expect("archive");
        let report = archive
            .add(&files, &MetadataResolver::default(), &|_| {})
            .expect("add");
        assert_eq!(report.added, files.len());
    };
    let archives = tempfile::tempdir().expect("temp dir");
    let mut round = 0;
    common::report(
        "gongwen add to a new archive vs bare segmentation",
        21,
        common::interleaved(21, segment_all, || {
            round += 1;
            add_to(&archives.path().join(round.to_string()));
        }),
    );
    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("bare segmentation (baseline)", |b| b.iter(segment_all));
    group.bench_function("gongwen add to a new archive", |b| {
        b.iter_with_setup(
            || tempfile::tempdir().expect("temp dir"),
            |tmp| add_to(tmp.path()),
        )
    });
    group.finish();
}

/// Writes `copies` rotated, labelled copies of every text into `dir`.
fn big_corpus(dir: &Path, all: &[String], target_bytes: usize) -> Vec<PathBuf> {
    let per_copy: usize = all.iter().map(String::len).sum();
    let copies = target_bytes.div_ceil(per_copy.max(1)).max(1);
    let mut out = Vec::new();
    for k in 0..copies {
        for (i, t) in all.iter().enumerate() {
            let paras: Vec<&str> = t.lines().collect();
            let r = k % paras.len().max(1);
            let rotated = [&paras[r..], &paras[..r]].concat().join("\n");
            let p = dir.join(format!("{k:03}_{i:03}.txt"));
            std::fs::write(&p, format!("副本{k}之{i}\n{rotated}\n")).expect("write copy");
            out.push(p);
        }
    }
    out
}

fn sample_queries(all: &[String], n: usize) -> Vec<String> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rand = move |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m.max(1) as u64) as usize
    };
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let chars: Vec<char> = all[rand(all.len())]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let len = 2 + rand(11);
        let start = rand(chars.len().saturating_sub(len));
        let q: String = chars[start..(start + len).min(chars.len())]
            .iter()
            .collect();
        if SearchQuery::parse(&q).is_ok() {
            out.push(q);
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn search(c: &mut Criterion) {
    let all = texts(&sources());
    let tmp = tempfile::tempdir().expect("temp dir");
    let files = big_corpus(&tmp.path().join("corpus").tap_mkdir(), &all, 100 << 20);
    let segmenter = Segmenter::new();
    let archive =
        Archive::open_or_create(&tmp.path().join("archive"), &segmenter).expect("archive");
    let started = Instant::now();
    archive
        .add(&files, &MetadataResolver::default(), &|_| {})
        .expect("add");
    let corpus_bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    eprintln!(
        "built an archive of {} documents, {:.1} MB of text, in {:.1} s",
        files.len(),
        corpus_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let stored: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("copy"))
        .collect();
    let queries = sample_queries(&all, 1000);
    let parsed: Vec<SearchQuery> = queries
        .iter()
        .map(|q| SearchQuery::parse(q).expect("valid"))
        .collect();
    let options = SearchOptions::default();

    let mut ours = Vec::with_capacity(parsed.len());
    for q in &parsed {
        let t = Instant::now();
        black_box(archive.search(q, &options).expect("search"));
        ours.push(t.elapsed());
    }
    ours.sort();
    let mut brute = Vec::with_capacity(100);
    for q in queries.iter().take(100) {
        let t = Instant::now();
        let finder = memchr::memmem::Finder::new(q.as_bytes());
        black_box(
            stored
                .iter()
                .filter(|s| finder.find(s.as_bytes()).is_some())
                .count(),
        );
        brute.push(t.elapsed());
    }
    brute.sort();
    eprintln!(
        "search latency over {} queries: p50 {:?}, p99 {:?}; brute-force scan over 100 queries: p50 {:?}, p99 {:?}",
        ours.len(),
        percentile(&ours, 0.5),
        percentile(&ours, 0.99),
        percentile(&brute, 0.5),
        percentile(&brute, 0.99)
    );

    let mut group = c.benchmark_group("search");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("gongwen search, 100 sampled queries", |b| {
        b.iter(|| {
            parsed
                .iter()
                .take(100)
                .map(|q| archive.search(q, &options).expect("search").total)
                .sum::<usize>()
        })
    });
    group.bench_function(
        "brute-force memmem scan, same 100 queries (baseline)",
        |b| {
            b.iter(|| {
                queries
                    .iter()
                    .take(100)
                    .map(|q| {
                        let finder = memchr::memmem::Finder::new(q.as_bytes());
                        stored
                            .iter()
                            .filter(|s| finder.find(s.as_bytes()).is_some())
                            .count()
                    })
                    .sum::<usize>()
            })
        },
    );
    group.finish();
}

trait TapMkdir {
    fn tap_mkdir(self) -> Self;
}

impl TapMkdir for PathBuf {
    fn tap_mkdir(self) -> PathBuf {
        std::fs::create_dir_all(&self).expect("mkdir");
        self
    }
}

criterion_group!(benches, index, search);
criterion_main!(benches);
