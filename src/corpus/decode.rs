//! Turning the bytes of a plain-text file into a `String`: BOM sniffing, UTF-16 without a BOM,
//! UTF-8, and GBK/GB18030 detected with chardetng (never assumed), plus the checks that refuse
//! binary data renamed `.txt`.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use super::Warning;

/// Text decoded from bytes, before normalisation.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub warnings: Vec<Warning>,
}

/// Why bytes are not text.
pub(crate) type NotText = String;

/// Well-known binary signatures, checked before anything else.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document (give it the extension .pdf)"),
    (
        b"PK\x03\x04",
        "a zip archive or Office document (a .docx needs the extension .docx)",
    ),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "a legacy Office file (.doc/.xls/.wps): save it as .docx",
    ),
    (b"Rar!\x1A\x07", "a RAR archive"),
    (b"7z\xBC\xAF\x27\x1C", "a 7z archive"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7FELF", "an executable"),
    (b"{\\rtf", "an RTF document: save it as .docx or .txt"),
];

/// Names the binary format `bytes` start with, if any.
pub(crate) fn sniff_binary(bytes: &[u8]) -> Option<&'static str> {
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|&(_, what)| what)
}

/// Decodes a text file's bytes.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..], Vec::new());
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let warnings = vec![Warning::Guessed(format!(
            "{} without a byte-order mark",
            enc.name()
        ))];
        return finish(enc, bytes, warnings);
    }
    if let Some(what) = sniff_binary(bytes) {
        return Err(format!("it is {what}"));
    }
    if bytes.contains(&0) {
        return Err("it contains NUL bytes (binary data)".to_string());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        check_text(s)?;
        return Ok(Decoded {
            text: s.to_string(),
            encoding: UTF_8.name(),
            warnings: Vec::new(),
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // chardetng's verdict settles within the first few hundred KB; feeding 50 MB would only cost time.
    let sample = &bytes[..bytes.len().min(1 << 20)];
    detector.feed(sample, sample.len() == bytes.len());
    let guessed = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    // chardetng answers GBK for GB18030 bytes too; GB18030 is the superset, so decode with it.
    let guessed = if guessed == encoding_rs::GBK {
        GB18030
    } else {
        guessed
    };
    let multi_byte = [
        GB18030,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::EUC_KR,
    ];
    if multi_byte.contains(&guessed) {
        let (text, had_errors) = guessed.decode_without_bom_handling(bytes);
        if !had_errors {
            check_text(&text)?;
            return Ok(Decoded {
                text: text.into_owned(),
                encoding: guessed.name(),
                warnings: Vec::new(),
            });
        }
    }
    // chardetng rules out an encoding at the first invalid sequence, so a GBK file with one bad
    // byte comes back as windows-1252 mojibake, and a UTF-8 file with one bad byte as GBK. Decide
    // between the guess, UTF-8 and GB18030 by what decoding leaves broken: replacement characters
    // and C1 control characters.
    let mut best: Option<(usize, &'static Encoding)> = None;
    for enc in [GB18030, UTF_8, guessed] {
        let (text, _) = enc.decode_without_bom_handling(sample);
        let broken = text
            .chars()
            .filter(|&c| c == '\u{FFFD}' || ('\u{80}'..='\u{9F}').contains(&c))
            .count();
        if best.is_none_or(|(b, _)| broken < b) {
            best = Some((broken, enc));
        }
    }
    let enc = best.map_or(GB18030, |(_, e)| e);
    finish(enc, bytes, Vec::new())
}

fn finish(
    enc: &'static Encoding,
    bytes: &[u8],
    mut warnings: Vec<Warning>,
) -> Result<Decoded, NotText> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        let n = text.matches('\u{FFFD}').count();
        warnings.push(Warning::InvalidBytes {
            encoding: enc.name(),
            replaced: n,
        });
    }
    check_text(&text)?;
    Ok(Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        warnings,
    })
}

/// UTF-16 without a BOM shows as NUL in every other byte of ASCII text (and often of CJK text).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nul * 10 >= pairs * 3 && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 3 && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Refuses decoded text that is mostly control characters or replacement characters: the bytes
/// were not text in the first place.
fn check_text(text: &str) -> Result<(), NotText> {
    let mut total = 0usize;
    let mut bad = 0usize;
    let mut replaced = 0usize;
    for c in text.chars().take(1 << 20) {
        total += 1;
        if c == '\u{FFFD}' {
            replaced += 1;
        } else if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}'))
            || is_private_use(c)
        {
            bad += 1;
        }
    }
    if total == 0 {
        return Ok(());
    }
    if bad * 100 > total {
        return Err(format!(
            "{bad} of its first {total} characters are control characters (binary data)"
        ));
    }
    if replaced * 4 > total {
        return Err(format!(
            "{replaced} of its first {total} characters could not be decoded"
        ));
    }
    Ok(())
}

fn is_private_use(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_detected_and_decoded_as_gb18030() {
        let text = "一、关于个人有关重大事项情况。对照检查存在的主要问题，认真查找、深刻剖析自身存在的问题及其根源。";
        let (bytes, _, _) = GB18030.encode(text);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "gb18030");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "两个确立，两个维护。";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, text);
        assert_eq!(decode(&be).unwrap().text, text);
        let ascii_le: Vec<u8> = "report 2023 abc"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode(&ascii_le).unwrap().text, "report 2023 abc");
    }

    #[test]
    fn invalid_bytes_in_gbk_and_utf8_are_replaced_not_misdetected() {
        let text = "一、关于个人有关重大事项情况。对照检查存在的主要问题，认真查找、深刻剖析自身存在的问题及其根源。";
        let (gbk, _, _) = GB18030.encode(text);
        let mut bad = gbk.to_vec();
        bad.insert(10, 0xFF);
        let d = decode(&bad).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert!(d.text.contains("认真查找、深刻剖析"), "{}", d.text);
        assert!(
            matches!(d.warnings[..], [Warning::InvalidBytes { replaced: 1, .. }]),
            "{:?}",
            d.warnings
        );

        let mut bad = text.as_bytes().to_vec();
        bad.insert(9, 0xFF);
        let d = decode(&bad).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("认真查找、深刻剖析"), "{}", d.text);
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn binary_is_refused() {
        assert!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
                .unwrap_err()
                .contains("PNG")
        );
        assert!(decode(b"abc\x01\x02\x03\x04\x05\x06\x07\x08").is_err());
    }
}
