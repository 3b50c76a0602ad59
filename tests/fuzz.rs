//! Mutation fuzzing of the readers, from real files: each case takes a fixture made by real
//! software (tests/fixtures/real: LibreOffice and Chromium PDFs, a LibreOffice docx; the demo
//! corpus's text; an HTML page) and damages it — truncates it, flips bytes, duplicates or deletes
//! a range, nests markup — then reads it as its format would be. A reader must return the text or
//! a clear error naming the file; it must never panic, hang or overflow its stack, and text it
//! returns holds no NUL and no U+FFFD beyond what a warning reports.
//!
//! `PROPTEST_CASES` sets the number of cases per format (default 500: 2,000 in all in CI);
//! run longer locally with `PROPTEST_CASES=20000 cargo test --release fuzz`.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use gongwen::{Format, read_bytes};
use proptest::prelude::*;

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

static SEEDS: LazyLock<Vec<(Format, &'static str, Vec<u8>)>> = LazyLock::new(|| {
    let html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>2023年度对照检查材料</title>\
        <style>p{}</style></head><body><h1>对照检查材料</h1><div><p>一、存在的问题</p><ul><li>一是学习不够深入。\
        比如2023年5月……</li></ul><table><tr><td>项目</td><td>完成</td></tr></table></div></body></html>";
    vec![
        (
            Format::Pdf,
            "lo_report.pdf",
            fixture("tests/fixtures/real/lo_report.pdf"),
        ),
        (
            Format::Pdf,
            "chromium_zenhei.pdf",
            fixture("tests/fixtures/real/chromium_zenhei.pdf"),
        ),
        (
            Format::Docx,
            "lo_material.docx",
            fixture("tests/fixtures/real/lo_material.docx"),
        ),
        (Format::Html, "page.html", html.as_bytes().to_vec()),
        (
            Format::Txt,
            "material.txt",
            fixture("corpora/demo/2024_周建国_县委书记_对照检查材料.txt"),
        ),
    ]
});

/// A damage to apply to a file's bytes.
#[derive(Clone, Debug)]
enum Damage {
    Truncate(f64),
    Flip(Vec<(f64, u8)>),
    Duplicate(f64, f64),
    Delete(f64, f64),
    /// Repeats an opening markup fragment many times (deep nesting).
    Nest(f64, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (0.0..1.0f64).prop_map(Damage::Truncate),
        prop::collection::vec((0.0..1.0f64, any::<u8>()), 1..32).prop_map(Damage::Flip),
        (0.0..1.0f64, 0.0..0.2f64).prop_map(|(a, l)| Damage::Duplicate(a, l)),
        (0.0..1.0f64, 0.0..0.2f64).prop_map(|(a, l)| Damage::Delete(a, l)),
        (0.0..1.0f64, 100..5000usize).prop_map(|(a, n)| Damage::Nest(a, n)),
    ]
}

fn apply(bytes: &[u8], d: &Damage, format: Format) -> Vec<u8> {
    let at = |f: f64| ((bytes.len() as f64) * f) as usize;
    let mut out = bytes.to_vec();
    match d {
        Damage::Truncate(f) => out.truncate(at(*f)),
        Damage::Flip(flips) => {
            for &(f, b) in flips {
                let i = at(f).min(out.len().saturating_sub(1));
                if let Some(x) = out.get_mut(i) {
                    *x ^= b | 1;
                }
            }
        }
        Damage::Duplicate(a, l) => {
            let (s, e) = (at(*a), (at(*a) + at(*l)).min(bytes.len()));
            let piece = bytes[s..e].to_vec();
            out.splice(e..e, piece);
        }
        Damage::Delete(a, l) => {
            let (s, e) = (at(*a), (at(*a) + at(*l)).min(bytes.len()));
            out.drain(s..e);
        }
        Damage::Nest(a, n) => {
            let open: &[u8] = match format {
                Format::Html => b"<div><span>",
                Format::Pdf => b"[<0102> ",
                Format::Docx | Format::Txt => b"<w:p><w:r>",
            };
            let i = at(*a);
            out.splice(i..i, open.repeat(*n));
        }
    }
    out
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
}

fn read_damaged(seed: usize, d: &Damage) -> Result<(), TestCaseError> {
    let (format, name, bytes) = &SEEDS[seed];
    let damaged = apply(bytes, d, *format);
    if std::env::var_os("GONGWEN_FUZZ_TRACE").is_some() {
        eprintln!("case {name} {d:?}");
    }
    let path = PathBuf::from(format!("/fuzz/{name}"));
    // On a small stack, as a reading thread of a batch: nesting must not become recursion.
    let outcome = std::thread::Builder::new()
        .stack_size(512 << 10)
        .spawn(move || read_bytes(&path, &damaged, *format).map(|x| (x.text, x.warnings.len())))
        .expect("thread starts")
        .join();
    let outcome = outcome.map_err(|_| TestCaseError::fail(format!("{name}: panicked on {d:?}")))?;
    match outcome {
        Ok((text, warnings)) => {
            prop_assert!(!text.contains('\0'), "{}: NUL in the text", name);
            prop_assert!(
                !text.contains('\u{FFFD}') || warnings > 0,
                "{}: U+FFFD without a warning",
                name
            );
        }
        Err(e) => prop_assert!(
            e.to_string().contains(name),
            "{}: error without the file: {}",
            name,
            e
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_pdfs_never_take_a_reader_down(seed in 0..2usize, d in damage()) {
        read_damaged(seed, &d)?;
    }

    #[test]
    fn damaged_docx_never_takes_a_reader_down(d in damage()) {
        read_damaged(2, &d)?;
    }

    #[test]
    fn damaged_html_never_takes_a_reader_down(d in damage()) {
        read_damaged(3, &d)?;
    }

    #[test]
    fn damaged_text_never_takes_a_reader_down(d in damage()) {
        read_damaged(4, &d)?;
    }
}
