//! Bad input never panics and never loses data: each case is a clear error naming the file and
//! the reason, or a documented recovery; in a batch the other files go on.

use std::path::PathBuf;

use gongwen::{Error, Warning, read_file};
use lopdf::dictionary;

use crate::util::{PdfLine, cjk_pdf, docx, gbk, imageonly_pdf, paragraphs, write, zip_of};

fn error_of(name: &str, bytes: &[u8]) -> (PathBuf, Error) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), name, bytes);
    let err = read_file(&path).expect_err(name);
    assert!(
        err.to_string().contains(name),
        "the error names the file: {err}"
    );
    (path, err)
}

#[test]
fn empty_file() {
    let (_, err) = error_of("empty.txt", b"");
    assert!(matches!(err, Error::Empty { .. }), "{err}");
    let (_, err) = error_of("blank.txt", b" \r\n\t\n");
    assert!(matches!(err, Error::Empty { .. }), "{err}");
}

#[test]
fn png_renamed_txt() {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10".to_vec();
    png.extend(std::iter::repeat_n(0u8, 64));
    let (_, err) = error_of("photo.txt", &png);
    assert!(matches!(err, Error::NotText { .. }), "{err}");
    assert!(err.to_string().contains("PNG"), "{err}");
}

#[test]
fn random_bytes() {
    // A fixed xorshift stream: the same "random" file on every run.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let (_, err) = error_of("noise.txt", &bytes);
    assert!(matches!(err, Error::NotText { .. }), "{err}");
    for ext in ["docx", "pdf", "html"] {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), &format!("noise.{ext}"), &bytes);
        assert!(
            read_file(&path).is_err(),
            "random bytes as .{ext} must not read as text"
        );
    }
}

#[test]
fn truncated_docx() {
    let good = docx(&paragraphs(&["一、关于个人有关重大事项情况"; 50]));
    let (_, err) = error_of("cut.docx", &good[..good.len() / 2]);
    assert!(matches!(err, Error::Docx { .. }), "{err}");
}

#[test]
fn docx_zip_bomb() {
    // 64 MB of spaces in one run deflate to about 64 KB: a 1,000× ratio no real document has.
    let xml = format!(
        "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>",
        " ".repeat(64 << 20)
    );
    let bomb = zip_of(&[("word/document.xml", xml.as_bytes())]);
    assert!(bomb.len() < 1 << 20);
    let (_, err) = error_of("bomb.docx", &bomb);
    assert!(err.to_string().contains("zip bomb"), "{err}");
}

#[test]
fn legacy_doc_renamed_docx() {
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend([0u8; 512]);
    let (_, err) = error_of("old.docx", &ole);
    assert!(err.to_string().contains("legacy Office"), "{err}");
}

#[test]
fn pdf_without_text_layer() {
    let (_, err) = error_of("scan.pdf", &imageonly_pdf());
    assert!(matches!(err, Error::NoTextLayer { pages: 1, .. }), "{err}");
    assert!(err.to_string().contains("scan"), "{err}");
}

#[test]
fn garbled_and_truncated_pdf() {
    let good = cjk_pdf(&[vec![PdfLine {
        x: 72.0,
        y: 700.0,
        text: "对照检查材料",
    }]]);
    let (_, err) = error_of("cut.pdf", &good[..good.len() / 3]);
    assert!(
        matches!(err, Error::Pdf { .. } | Error::NoTextLayer { .. }),
        "{err}"
    );
    let mut garbled = b"%PDF-1.7\n".to_vec();
    garbled.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let (_, err) = error_of("garbled.pdf", &garbled);
    assert!(
        matches!(err, Error::Pdf { .. } | Error::NoTextLayer { .. }),
        "{err}"
    );
    let (_, err) = error_of("notpdf.pdf", b"hello, this is plain text");
    assert!(err.to_string().contains("not a PDF"), "{err}");
}

#[test]
fn encrypted_pdf() {
    // A document whose trailer declares standard security with a user password we do not have.
    let mut doc = lopdf::Document::load_mem(&cjk_pdf(&[vec![PdfLine {
        x: 72.0,
        y: 700.0,
        text: "机密",
    }]]))
    .unwrap();
    let encrypt = doc.add_object(dictionary! {
        "Filter" => "Standard",
        "V" => 1,
        "R" => 2,
        "O" => lopdf::Object::string_literal(vec![0x11u8; 32]),
        "U" => lopdf::Object::string_literal(vec![0x22u8; 32]),
        "P" => -4,
    });
    doc.trailer.set("Encrypt", encrypt);
    doc.trailer.set(
        "ID",
        vec![
            lopdf::Object::string_literal(vec![1u8; 16]),
            lopdf::Object::string_literal(vec![1u8; 16]),
        ],
    );
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let (_, err) = error_of("locked.pdf", &bytes);
    assert!(matches!(err, Error::Pdf { .. }), "{err}");
    assert!(
        err.to_string().contains("encrypt") || err.to_string().contains("password"),
        "{err}"
    );
}

#[test]
fn fifty_megabyte_single_line() {
    let dir = tempfile::tempdir().unwrap();
    let unit = "坚持两个确立，做到两个维护，";
    let n = (50 << 20) / unit.len();
    let text = unit.repeat(n);
    let path = write(dir.path(), "long.txt", text.as_bytes());
    let doc = read_file(&path).unwrap();
    assert_eq!(doc.text.len(), text.len());
    assert!(!doc.text.contains('\n'));
}

#[test]
fn invalid_bytes_in_gbk_are_replaced_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes =
        gbk("一、对照检查存在的主要问题。认真查找、深刻剖析自身存在的问题及其根源，明确努力方向。");
    bytes.insert(6, 0xFF);
    bytes.extend([0x81, 0x20]);
    let doc = read_file(&write(dir.path(), "bad.txt", &bytes)).unwrap();
    assert_eq!(doc.encoding, Some("gb18030"));
    assert!(
        doc.text.contains("认真查找、深刻剖析自身存在的问题"),
        "{}",
        doc.text
    );
    assert_eq!(doc.text.matches('\u{FFFD}').count(), 2);
    assert!(
        matches!(
            doc.warnings[..],
            [Warning::InvalidBytes { replaced: 2, .. }]
        ),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn unsupported_extension_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    // A PowerPoint package: a zip without word/, and an extension gongwen does not read.
    let pptx = zip_of(&[("ppt/slides/slide1.xml", b"<p:sld/>".as_slice())]);
    let err = read_file(&write(dir.path(), "slides.pptx", &pptx)).unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
    // An extension that names nothing: the content decides, as ripgrep reads a file it is named.
    let doc = read_file(&write(
        dir.path(),
        "pku_test.utf8",
        "共同 创造 美好 的 新世纪\n".as_bytes(),
    ))
    .unwrap();
    assert_eq!(doc.text, "共同 创造 美好 的 新世纪\n");
    let pdf = cjk_pdf(&[vec![PdfLine {
        x: 72.0,
        y: 700.0,
        text: "正文一行",
    }]]);
    let doc = read_file(&write(dir.path(), "材料（无扩展名）", &pdf)).unwrap();
    assert_eq!(doc.format, gongwen::Format::Pdf);
    let err = read_file(&write(dir.path(), "blob.bin", &[0u8, 1, 2, 3, 0, 0])).unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
    let err = read_file(&dir.path().join("missing.txt")).unwrap_err();
    assert!(
        matches!(err, Error::Io { .. }) && err.to_string().contains("missing.txt"),
        "{err}"
    );
}

#[test]
fn a_batch_goes_on_past_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(dir.path(), "good1.txt", "一、对照检查材料\n".as_bytes()),
        write(dir.path(), "empty.txt", b""),
        write(dir.path(), "cut.docx", &docx(&paragraphs(&["好"]))[..40]),
        write(
            dir.path(),
            "good2.docx",
            &docx(&paragraphs(&["二、存在的主要问题"])),
        ),
        write(dir.path(), "scan.pdf", &imageonly_pdf()),
    ];
    let results: Vec<_> = files.iter().map(|p| read_file(p)).collect();
    let ok: Vec<&str> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|d| d.text.as_str())
        .collect();
    assert_eq!(ok, ["一、对照检查材料\n", "二、存在的主要问题\n"]);
    let failed: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| e.path().unwrap().display().to_string())
        .collect();
    assert_eq!(failed.len(), 3);
    assert!(
        failed[0].ends_with("empty.txt")
            && failed[1].ends_with("cut.docx")
            && failed[2].ends_with("scan.pdf")
    );
}

/// Runs `f` on a thread with a small stack, as a reading thread of a batch might have: input
/// nesting must not become recursion depth.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(f)
        .expect("thread starts")
        .join()
        .expect("no stack overflow, no panic")
}

#[test]
fn deeply_nested_html_is_read_without_recursion() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 20_000;
    let html = format!(
        "<html><body>{}<p>最里层的正文。</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let path = write(dir.path(), "nested.html", html.as_bytes());
    let doc = on_small_stack(move || read_file(&path)).unwrap();
    assert!(doc.text.contains("最里层的正文。"), "{}", doc.text);
}

#[test]
fn deeply_nested_pdf_arrays_are_an_error_or_text_never_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let page = vec![PdfLine {
        x: 72.0,
        y: 700.0,
        text: "正文",
    }];
    let pdf = cjk_pdf(&[page]);
    // The content stream is stored plain: nest the shown string 20,000 arrays deep.
    let at = pdf
        .windows(3)
        .position(|w| w == b"Tj\n")
        .expect("a Tj operator");
    let start = pdf[..at]
        .iter()
        .rposition(|&b| b == b'<')
        .expect("its operand");
    let depth = 20_000;
    let mut nested = pdf[..start].to_vec();
    nested.extend("[".repeat(depth).bytes());
    nested.extend(&pdf[start..at]);
    nested.extend("]".repeat(depth).bytes());
    nested.extend(b"TJ\n");
    nested.extend(&pdf[at + 3..]);
    let path = write(dir.path(), "nested.pdf", &nested);
    // A stale /Length may make it unreadable: an error is fine, an abort is not.
    let outcome = on_small_stack(move || read_file(&path).map(|d| d.text));
    if let Err(e) = outcome {
        assert!(e.to_string().contains("nested.pdf"), "{e}");
    }
}

/// The error of the library underneath (zip, quick-xml, lopdf, io) stays the cause of ours, named
/// once with the file: `{}` prints the file and the reason, `chain()` (and anyhow's `{:#}`) adds
/// the cause.
#[test]
fn errors_keep_the_cause_of_the_library_underneath() {
    fn cause_of(err: &Error) -> String {
        let display = err.to_string();
        let chain = err.chain().to_string();
        let source = std::error::Error::source(err).unwrap_or_else(|| panic!("no cause: {err}"));
        assert_eq!(chain, format!("{display}: {}", err_chain(source)));
        assert_eq!(chain.matches(&display).count(), 1, "said once: {chain}");
        source.to_string()
    }
    fn err_chain(e: &dyn std::error::Error) -> String {
        match e.source() {
            Some(s) => format!("{e}: {}", err_chain(s)),
            None => e.to_string(),
        }
    }
    let good = docx(&paragraphs(&["一、关于个人有关重大事项情况"; 50]));
    let (_, err) = error_of("cut.docx", &good[..good.len() / 2]);
    assert!(matches!(err, Error::Docx { .. }), "{err}");
    cause_of(&err);
    let bytes = zip_of(&[(
        "word/document.xml",
        b"<w:document><w:body></w:p>".as_slice(),
    )]);
    let (_, err) = error_of("bad.docx", &bytes);
    assert!(
        err.to_string().contains("word/document.xml is malformed"),
        "{err}"
    );
    assert!(!cause_of(&err).is_empty());
    let (_, err) = error_of("junk.pdf", b"%PDF-1.7\nthis is no PDF body at all\n");
    assert!(err.to_string().contains("damaged or not a PDF"), "{err}");
    cause_of(&err);
    let dir = tempfile::tempdir().unwrap();
    let err = read_file(&dir.path().join("missing.txt")).unwrap_err();
    assert!(err.to_string().ends_with("missing.txt"), "{err}");
    assert!(cause_of(&err).contains("No such file"));
}
