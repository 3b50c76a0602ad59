//! Files made by real office software (tests/fixtures/real, made by scripts/make_real_fixtures.sh
//! with LibreOffice 7.4, Chromium, wkhtmltopdf, pandoc with XeLaTeX, pandoc's .docx writer and
//! ReportLab; see its README), each read and compared with the text it was made from: similarity
//! without white space ≥ 0.99, every paragraph kept as one line, digits kept, no space between CJK
//! characters, no running header, footer or page number left as a line, footnotes kept as ［注］
//! lines, tracked changes accepted, table cells kept.

use std::path::{Path, PathBuf};

use gongwen::read_file;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real")
}

fn strip(s: &str) -> Vec<char> {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// 2·LCS / (|a| + |b|), the ratio difflib reports without its junk heuristic.
fn similarity(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut prev = vec![0u32; b.len() + 1];
    let mut cur = vec![0u32; b.len() + 1];
    for &x in a {
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    2.0 * f64::from(prev[b.len()]) / (a.len() + b.len()) as f64
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
}

fn check(file: &str) {
    let dir = fixtures();
    let expect: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{file}.expect.json"))).expect("expect.json"),
    )
    .expect("valid expect.json");
    let source = std::fs::read_to_string(dir.join(expect["source"].as_str().expect("source")))
        .expect("source text");
    let doc = read_file(&dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e:#}"));
    assert!(doc.warnings.is_empty(), "{file}: {:?}", doc.warnings);
    let notes: Vec<&str> = doc
        .text
        .lines()
        .filter(|l| l.starts_with("［注］"))
        .collect();
    let body: String = doc
        .text
        .lines()
        .filter(|l| !l.starts_with("［注］"))
        .collect::<Vec<_>>()
        .join("\n");

    let sim = similarity(&strip(&source), &strip(&body));
    assert!(sim >= 0.99, "{file}: similarity {sim:.4}");

    let lines: Vec<Vec<char>> = body.lines().map(strip).collect();
    let lost: Vec<&str> = source
        .lines()
        .filter(|p| !p.trim().is_empty() && !lines.contains(&strip(p)))
        .collect();
    assert!(
        lost.is_empty(),
        "{file}: paragraphs not kept as one line: {lost:#?}"
    );

    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
    let in_cells: usize = strings(&expect, "table_cells")
        .iter()
        .map(|c| digits(c))
        .sum();
    assert_eq!(digits(&body), digits(&source) + in_cells, "{file}: digits");

    let chars: Vec<char> = body.chars().collect();
    let spaced = chars
        .windows(3)
        .filter(|w| is_cjk(w[0]) && w[1] == ' ' && is_cjk(w[2]))
        .count();
    assert!(
        spaced <= source.matches(' ').count(),
        "{file}: {spaced} spaces between CJK characters"
    );

    for furniture in strings(&expect, "header_footer") {
        assert!(
            !body.lines().any(|l| strip(l) == strip(&furniture)),
            "{file}: header/footer {furniture:?} left in the text"
        );
    }
    let footnotes = strings(&expect, "footnotes");
    assert_eq!(notes.len(), footnotes.len(), "{file}: notes {notes:?}");
    for note in &footnotes {
        assert!(
            notes.iter().any(|n| strip(n).ends_with(&strip(note)[..])),
            "{file}: footnote {note:?} not kept"
        );
    }
    for inserted in strings(&expect, "inserted") {
        assert!(
            body.contains(&inserted),
            "{file}: insertion {inserted:?} lost"
        );
    }
    for deleted in strings(&expect, "deleted") {
        assert!(
            !body.contains(&deleted),
            "{file}: deletion {deleted:?} still there"
        );
    }
    for cell in strings(&expect, "table_cells") {
        assert!(
            body.lines().any(|l| l.contains(&cell)),
            "{file}: table cell {cell:?} lost"
        );
    }
}

#[test]
fn libreoffice_pdf_report_with_header_footer_and_digits_in_another_font() {
    check("lo_report.pdf");
}

#[test]
fn libreoffice_pdf_with_a_footnote() {
    check("lo_material.pdf");
}

#[test]
fn libreoffice_docx_with_header_footer_footnote_table_and_tracked_changes() {
    check("lo_material.docx");
}

#[test]
fn chromium_pdf_type3_noto_serif() {
    check("chromium_serif.pdf");
}

#[test]
fn chromium_pdf_zenhei_with_browser_header_and_footer() {
    check("chromium_zenhei.pdf");
}

#[test]
fn chromium_pdf_two_columns() {
    check("chromium_twocol.pdf");
}

#[test]
fn wkhtmltopdf_pdf_whose_tounicode_names_radicals() {
    // Qt's ToUnicode map sends 工 to ⼯ (U+2F2F), 长 to ⻓ (U+2ED3): read as the page shows.
    check("wkhtmltopdf_material.pdf");
}

#[test]
fn xelatex_pdf_with_cff_cid_fonts_header_footer_and_a_footnote() {
    check("xelatex_report.pdf");
}

#[test]
fn pandoc_docx_with_a_footnote_and_a_table() {
    check("pandoc_report.docx");
}

#[test]
fn reportlab_pdf_in_a_non_embedded_cid_font_with_a_predefined_cmap() {
    // STSong-Light, UniGB-UCS2-H, no ToUnicode: codes are UCS-2, widths are keyed by CID.
    check("reportlab_material.pdf");
}

#[test]
fn titles_and_years_are_found_in_real_pdfs() {
    // The old reader lost the digits LibreOffice sets in the Western font: no year was found.
    let doc = read_file(&fixtures().join("lo_report.pdf")).unwrap();
    assert!(doc.text.starts_with("2025年枫溪县人民政府工作报告\n"));
    let doc = read_file(&fixtures().join("chromium_zenhei.pdf")).unwrap();
    assert!(
        doc.text
            .starts_with("县教育局党组成员、副局长何静2024年度述职述廉报告\n")
    );
}

/// Every file of the demo corpus made from a source in corpora/demo/sources (by
/// scripts/make_demo_formats.sh: LibreOffice .docx with and without list numbering, a pandoc .docx
/// with ordered lists, a LibreOffice .pdf, a GBK .txt) reads back to its source, paragraph for
/// paragraph: automatic numbers (一、 （一） 1.) included.
#[test]
fn the_demo_corpus_files_in_other_formats_read_back_to_their_sources() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(demo.join("sources"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "utf8"))
        .collect();
    sources.sort();
    let mut formats = std::collections::BTreeSet::new();
    for source in &sources {
        let stem = source.file_stem().unwrap().to_str().unwrap();
        let made: Vec<PathBuf> = ["docx", "pdf", "txt"]
            .iter()
            .map(|x| demo.join(format!("{stem}.{x}")))
            .filter(|p| p.is_file())
            .collect();
        assert_eq!(
            made.len(),
            1,
            "{stem}: one file made from it, found {made:?}"
        );
        let file = &made[0];
        formats.insert(file.extension().unwrap().to_str().unwrap().to_string());
        let doc = read_file(file).unwrap_or_else(|e| panic!("{}: {e:#}", file.display()));
        assert!(doc.warnings.is_empty(), "{stem}: {:?}", doc.warnings);
        let src = std::fs::read_to_string(source).unwrap();
        let ours: Vec<Vec<char>> = doc
            .text
            .lines()
            .map(strip)
            .filter(|l| !l.is_empty())
            .collect();
        let theirs: Vec<Vec<char>> = src.lines().map(strip).filter(|l| !l.is_empty()).collect();
        assert_eq!(ours, theirs, "{stem}: paragraphs differ from its source");
    }
    assert_eq!(sources.len(), 5, "{sources:?}");
    assert_eq!(
        formats.into_iter().collect::<Vec<_>>(),
        ["docx", "pdf", "txt"]
    );
}
