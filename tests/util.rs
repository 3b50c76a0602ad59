//! Helpers: the shared data folder, one Segmenter for all tests, the binary, and generators of
//! real files (.docx zips, .pdf documents with CJK fonts, GBK and UTF-16 text).

#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;

use gongwen::{Segmenter, SegmenterBuilder};

static OURS: LazyLock<Segmenter> = LazyLock::new(Segmenter::new);
static PLAIN: LazyLock<Segmenter> = LazyLock::new(|| {
    SegmenterBuilder::new()
        .political(false)
        .build()
        .expect("plain jieba builds")
});

/// gongwen's Segmenter, built once for all tests.
pub fn segmenter() -> &'static Segmenter {
    &OURS
}

/// jieba-rs without our dictionary, built once.
pub fn plain_segmenter() -> &'static Segmenter {
    &PLAIN
}

/// `../shared/data`, or `None` with a printed notice when it is absent. Panics instead when
/// `GONGWEN_REQUIRE_SHARED=1` (CI), so that a missing folder cannot turn tests green.
pub fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("GONGWEN_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("GONGWEN_REQUIRE_SHARED=1 but {} is missing", dir.display());
    }
    notice(&format!(
        "skipped: the tests that read {} (it is absent; set GONGWEN_REQUIRE_SHARED=1 to fail \
         instead)",
        dir.display()
    ));
    None
}

/// Says on the terminal, once per message and test binary, that something was skipped. Written to
/// stderr directly: the test harness captures `eprintln!`, and shows it only for failing tests,
/// so a skip would pass unseen.
pub fn notice(message: &str) {
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut said = SAID
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !said.iter().any(|m| m == message) {
        said.push(message.to_string());
        let _ = std::io::stderr().write_all(format!("notice: {message}\n").as_bytes());
    }
}

/// Runs the gongwen binary with `args` in `dir`, with `stdin` as standard input.
pub fn gongwen(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongwen"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GONGWEN_ARCHIVE");
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("gongwen runs");
    {
        let mut input = child.stdin.take().expect("stdin piped");
        if let Some(bytes) = stdin {
            input.write_all(bytes).expect("write stdin");
        }
    }
    child.wait_with_output().expect("gongwen finishes")
}

/// Runs `gongwen --archive arch ARGS` in `dir`, asserts it succeeds, and returns what it printed.
pub fn archive_ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let mut full = vec!["--archive", "arch"];
    full.extend_from_slice(args);
    let out = gongwen(dir, &full, None);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs `gongwen --archive arch ARGS --json` in `dir`, asserts it succeeds, and parses the one
/// JSON document it prints.
pub fn archive_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut full = args.to_vec();
    full.push("--json");
    serde_json::from_slice(&archive_ok(dir, &full)).expect("one JSON document")
}

/// The text encoded as UTF-16 with a BOM.
pub fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend(if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

/// The text encoded as GB18030 (GBK for these characters).
pub fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

/// A minimal but real .docx: [Content_Types].xml, _rels/.rels and word/document.xml holding
/// `body` (WordprocessingML inside w:body).
pub fn docx(body: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    zip_of(&[
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.as_slice(),
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.as_slice(),
        ),
        ("word/document.xml", xml.as_bytes()),
    ])
}

/// WordprocessingML paragraphs, one per string, each a single run.
pub fn paragraphs(texts: &[&str]) -> String {
    texts
        .iter()
        .map(|t| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                xml_escape(t)
            )
        })
        .collect()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A zip archive of the given entries, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// One positioned line of a generated PDF page.
pub struct PdfLine<'a> {
    pub x: f32,
    pub y: f32,
    pub text: &'a str,
}

/// A PDF whose pages show `pages` in the non-embedded Chinese font STSong-Light with the
/// predefined CMap UniGB-UCS2-H (strings are UCS-2 big-endian), as Chinese office software writes.
pub fn cjk_pdf(pages: &[Vec<PdfLine>]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, StringFormat, dictionary};

    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let cid_font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType0",
        "BaseFont" => "STSong-Light",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("GB1"),
            "Supplement" => 4,
        },
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "STSong-Light-UniGB-UCS2-H",
        "Encoding" => "UniGB-UCS2-H",
        "DescendantFonts" => vec![cid_font.into()],
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for page in pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 16.into()]),
        ];
        for line in page {
            ops.push(Operation::new(
                "Tm",
                vec![
                    1.into(),
                    0.into(),
                    0.into(),
                    1.into(),
                    line.x.into(),
                    line.y.into(),
                ],
            ));
            let bytes: Vec<u8> = line
                .text
                .encode_utf16()
                .flat_map(|u| u.to_be_bytes())
                .collect();
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(bytes, StringFormat::Hexadecimal)],
            ));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops }
            .encode()
            .expect("content encodes");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("pdf saves");
    out
}

/// A PDF of one page that only paints a rectangle: what a scan without OCR looks like to a text
/// extractor (no text operators at all).
pub fn imageonly_pdf() -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        b"q 0.5 g 72 72 451 698 re f Q".to_vec(),
    ));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("pdf saves");
    out
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write test file");
    p
}
