//! Every format users have, generated here as real files, read back into the expected text.

use gongwen::{Format, Warning, read_file};

use crate::util::{PdfLine, cjk_pdf, docx, gbk, paragraphs, utf16, write, zip_of};

const MATERIAL: &str = "一、关于个人有关重大事项情况\n多年来，本人始终严格按照规定填报个人有关重大事项。\n二、对照检查存在的主要问题\n（一）在“理论学习”方面。一是“学”得还不够深。\n";

#[test]
fn txt_in_every_encoding_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(MATERIAL.as_bytes());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf8.txt", MATERIAL.as_bytes().to_vec(), "UTF-8"),
        ("utf8bom.txt", bom, "UTF-8"),
        ("le.txt", utf16(MATERIAL, true), "UTF-16LE"),
        ("be.txt", utf16(MATERIAL, false), "UTF-16BE"),
        ("gbk.txt", gbk(MATERIAL), "gb18030"),
        (
            "crlf.txt",
            MATERIAL.replace('\n', "\r\n").into_bytes(),
            "UTF-8",
        ),
    ];
    for (name, bytes, encoding) in cases {
        let doc =
            read_file(&write(dir.path(), name, &bytes)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.text, MATERIAL, "{name}");
        assert_eq!(doc.encoding, Some(encoding), "{name}");
        assert_eq!(doc.format, Format::Txt);
        assert!(doc.warnings.is_empty(), "{name}: {:?}", doc.warnings);
    }
}

#[test]
fn gb18030_four_byte_characters_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    // 𠀀 (U+20000) and 䶮 need GB18030's four-byte sequences: GBK cannot hold them.
    let text = "刘䶮与𠀀是生僻字，对照检查材料中的人名。民主生活会对照检查材料，认真查找问题。";
    let doc = read_file(&write(dir.path(), "gb18030.txt", &gbk(text))).unwrap();
    assert_eq!(doc.text, text);
}

#[test]
fn docx_paragraphs_tables_and_no_xml_residue() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{}<w:tbl><w:tr><w:tc><w:p><w:r><w:t>问题</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>整改时限</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
         <w:p><w:r><w:t>比如</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>，在推进</w:t></w:r><w:ins><w:r><w:t>滩区迁建</w:t></w:r></w:ins><w:del><w:r><w:delText>旧文字</w:delText></w:r></w:del><w:r><w:t>中</w:t></w:r></w:p>",
        paragraphs(&[
            "一、关于个人有关重大事项情况",
            "多年来，本人始终严格按照规定填报。A&B <C>"
        ])
    );
    let doc = read_file(&write(dir.path(), "材料.docx", &docx(&body))).unwrap();
    assert_eq!(
        doc.text,
        "一、关于个人有关重大事项情况\n多年来，本人始终严格按照规定填报。A&B <C>\n问题\n整改时限\n比如，在推进滩区迁建中\n"
    );
    assert!(!doc.text.contains('<') || doc.text.contains("<C>"));
    assert_eq!(doc.format, Format::Docx);
}

#[test]
fn pdf_text_layer_lines_rejoin_into_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let line = |x, y, text| PdfLine { x, y, text };
    let page1 = vec![
        line(72.0, 760.0, "一、关于个人有关重大事项情况"),
        line(
            104.0,
            736.0,
            "多年来，本人始终严格按照规定填报个人有关重大事",
        ),
        line(
            72.0,
            712.0,
            "项，不存在漏报瞒报的情况。自己一直以来都对家人、",
        ),
        line(72.0, 688.0, "亲属和身边工作人员严格教育管理。"),
        line(72.0, 664.0, "二、对照检查存在的主要问题"),
        line(280.0, 60.0, "- 1 -"),
    ];
    let page2 = vec![
        line(
            104.0,
            760.0,
            "（一）在“理论学习”方面。能够坚持用党的创新理论",
        ),
        line(72.0, 736.0, "统一思想，但从严对照，发现还存在一些不足。"),
    ];
    let doc = read_file(&write(dir.path(), "材料.pdf", &cjk_pdf(&[page1, page2]))).unwrap();
    assert_eq!(
        doc.text,
        "一、关于个人有关重大事项情况\n\
         多年来，本人始终严格按照规定填报个人有关重大事项，不存在漏报瞒报的情况。自己一直以来都对家人、亲属和身边工作人员严格教育管理。\n\
         二、对照检查存在的主要问题\n\
         （一）在“理论学习”方面。能够坚持用党的创新理论统一思想，但从严对照，发现还存在一些不足。\n"
    );
    assert_eq!(doc.format, Format::Pdf);
}

#[test]
fn html_visible_text_by_block_in_declared_gbk() {
    let dir = tempfile::tempdir().unwrap();
    let html = "<!DOCTYPE html><html><head><meta charset=\"gb2312\"><title>2023年度民主生活会对照检查材料</title>\
        <script>document.write('脚本');</script><style>.a{color:red}</style></head><body>\
        <div class=\"nav\">首页 &gt; 正文</div><h2>一、关于个人有关重大事项情况</h2>\
        <p>多年来，本人始终\n严格按照规定填报。</p><ul><li>一是学得不深</li><li>二是悟得不透</li></ul></body></html>";
    let doc = read_file(&write(dir.path(), "page.htm", &gbk(html))).unwrap();
    assert_eq!(
        doc.text,
        "首页 > 正文\n一、关于个人有关重大事项情况\n多年来，本人始终严格按照规定填报。\n一是学得不深\n二是悟得不透\n"
    );
    assert_eq!(
        doc.declared.title.as_deref(),
        Some("2023年度民主生活会对照检查材料")
    );
    assert_eq!(doc.encoding, Some("gb18030"));
}

#[test]
fn normalisation_is_applied_to_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let raw = "\u{FEFF}２０２３年度ＡＢ\u{200B}Ｃ　报告\r\n";
    let want = "2023年度ABC 报告\n";
    let doc = read_file(&write(dir.path(), "a.txt", raw.as_bytes())).unwrap();
    assert_eq!(doc.text, want);
    let doc = read_file(&write(
        dir.path(),
        "a.docx",
        &docx(&paragraphs(&[raw.trim_end()])),
    ))
    .unwrap();
    assert_eq!(doc.text, want);
}

#[test]
fn docx_inside_a_zip_without_document_xml_is_an_error_not_empty_text() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = zip_of(&[("word/styles.xml", b"<w:styles/>".as_slice())]);
    let err = read_file(&write(dir.path(), "x.docx", &bytes)).unwrap_err();
    assert!(err.to_string().contains("word/document.xml"), "{err}");
}

#[test]
fn utf16_without_bom_is_read_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Report 2023: 两个确立";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let doc = read_file(&write(dir.path(), "nobom.txt", &bytes)).unwrap();
    assert_eq!(doc.text, text);
    assert!(matches!(doc.warnings[..], [Warning::Guessed(_)]));
}

/// A folder of materials often holds .doc and .wps files beside the .docx ones: a walk once passed
/// over them in silence, and a user believed they were in the archive.
#[test]
fn files_of_other_formats_in_a_folder_are_reported_not_passed_over_in_silence() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("材料")).unwrap();
    write(&dir.join("材料"), "a.txt", MATERIAL.as_bytes());
    let ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1legacy";
    write(&dir.join("材料"), "张三.doc", ole);
    write(&dir.join("材料"), "李四.WPS", ole);
    write(&dir.join("材料"), "封面.jpg", b"\xff\xd8\xff");
    write(&dir.join("材料"), "台账.xlsx", b"PK\x03\x04");
    let out = crate::util::gongwen(dir, &["--archive", "arch", "add", "材料"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for name in ["张三.doc", "李四.WPS"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(name) && l.contains("另存为 .docx")),
            "{name}: {stderr}"
        );
    }
    assert!(
        stderr.contains("passed over 2 other files") && stderr.contains(".jpg 1"),
        "{stderr}"
    );
    // Named explicitly, a .doc is a failure with the same advice.
    let out = crate::util::gongwen(dir, &["--archive", "arch", "add", "材料/张三.doc"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("张三.doc") && stderr.contains("另存为 .docx"),
        "{stderr}"
    );
}
