//! The PDF reader's throughput in pages per second on the real-producer fixtures
//! (tests/fixtures/real: LibreOffice, Chromium, wkhtmltopdf, XeLaTeX, ReportLab), against
//! `pdftotext` (poppler-utils, the tool a user would pick) on the same files in the same run.
//! `pdftotext` runs as a process, as users run it, so its figure includes its start-up; gongwen's
//! is the library call. Without pdftotext the baseline is skipped with a notice.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::{Format, read_bytes};

/// (name, path, bytes, pages).
fn fixtures() -> Vec<(String, PathBuf, Vec<u8>, u64)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    let mut out = Vec::new();
    for (name, pages) in [
        ("lo_report.pdf", 5),
        ("lo_material.pdf", 5),
        ("chromium_serif.pdf", 6),
        ("chromium_zenhei.pdf", 3),
        ("chromium_twocol.pdf", 2),
        ("wkhtmltopdf_material.pdf", 3),
        ("xelatex_report.pdf", 3),
        ("reportlab_material.pdf", 5),
    ] {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).expect("fixture");
        out.push((name.to_string(), path, bytes, pages));
    }
    out
}

fn bench(c: &mut Criterion) {
    let fixtures = fixtures();
    let pages: u64 = fixtures.iter().map(|f| f.3).sum();
    let mut group = c.benchmark_group("pdf");
    group.throughput(Throughput::Elements(pages));
    group.sample_size(20);
    group.bench_function("gongwen read_bytes (all fixtures)", |b| {
        b.iter(|| {
            for (_, path, bytes, _) in &fixtures {
                black_box(read_bytes(path, bytes, Format::Pdf).expect("reads"));
            }
        })
    });
    if Command::new("pdftotext").arg("-v").output().is_ok() {
        group.bench_function("pdftotext process (all fixtures)", |b| {
            b.iter(|| {
                for (_, path, _, _) in &fixtures {
                    let out = Command::new("pdftotext")
                        .arg(path)
                        .arg("-")
                        .output()
                        .expect("runs");
                    black_box(out.stdout.len());
                }
            })
        });
    } else {
        eprintln!("notice: pdftotext is not installed; its baseline is skipped");
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
