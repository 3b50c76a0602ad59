//! Dictionary files: one entry per line, `word [freq] [tag]`, separated by white space, the format
//! of jieba's own `dict.txt`. Blank lines and lines starting with `#` are skipped. A line without
//! a frequency gets one suggested from the loaded dictionaries (high enough for the word to come
//! out whole), never 0: jieba would load such a word with frequency 0 and split it even where the
//! default dictionary had it whole (一岗双责 → 一岗/双责).

use std::io::BufRead;

use crate::error::{Error, Result};
use crate::segment::Pos;

/// The political dictionary shipped with gongwen (see `dictionaries/README.md`).
pub const POLITICAL: &str = include_str!("../../dictionaries/political.txt");

/// One dictionary line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DictEntry {
    /// The word.
    pub word: String,
    /// Its frequency, if the line gives one.
    pub freq: Option<usize>,
    /// Its part-of-speech tag, if the line gives one.
    pub pos: Option<Pos>,
}

/// Parses a dictionary. `name` names it in errors (a file name, or `<political.txt>`).
///
/// # Errors
///
/// A line cannot be read, has a frequency that is not a positive integer, or an unknown tag; the
/// error gives the line number.
pub fn parse_dictionary<R: BufRead>(name: &str, reader: R) -> Result<Vec<DictEntry>> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let err = |reason: String| Error::Dictionary {
            source_name: name.to_string(),
            line: i + 1,
            reason,
        };
        let line = line.map_err(|e| Error::dictionary_read(name, i + 1, &e))?;
        let line = line.trim_start_matches('\u{FEFF}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let word = fields
            .next()
            .expect("non-empty line has a field")
            .to_string();
        let (mut freq, mut pos) = (None, None);
        for field in fields {
            if freq.is_none() && pos.is_none() && field.bytes().all(|b| b.is_ascii_digit()) {
                let f: usize = field
                    .parse()
                    .map_err(|e| err(format!("frequency {field:?}: {e}")))?;
                if f == 0 {
                    return Err(err(format!(
                        "frequency 0 for {word:?} would make the word never chosen; omit the frequency to get a suggested one"
                    )));
                }
                freq = Some(f);
            } else if pos.is_none() {
                let p = Pos::from_tag(field);
                if p == Pos::X && field != "x" {
                    return Err(err(format!(
                        "unknown part-of-speech tag {field:?} for {word:?}"
                    )));
                }
                pos = Some(p);
            } else {
                return Err(err(format!(
                    "unexpected field {field:?}: expected `word [freq] [tag]`"
                )));
            }
        }
        out.push(DictEntry { word, freq, pos });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_and_without_frequency() {
        let d = parse_dictionary(
            "t",
            "# c\n一岗双责 3000 l\n以案促改\n滩区迁建 n\n\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(d.len(), 3);
        assert_eq!((d[0].freq, d[0].pos), (Some(3000), Some(Pos::L)));
        assert_eq!((d[1].freq, d[1].pos), (None, None));
        assert_eq!((d[2].freq, d[2].pos), (None, Some(Pos::N)));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_dictionary("my.txt", "好\n坏 0 n\n".as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("my.txt:2:"), "{e}");
        let e = parse_dictionary("my.txt", "好 10 zz\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("zz"), "{e}");
    }

    #[test]
    fn the_political_dictionary_parses_with_frequencies_and_tags() {
        let d = parse_dictionary("<political.txt>", POLITICAL.as_bytes()).unwrap();
        assert!(d.len() >= 600, "{} entries", d.len());
        assert!(d.iter().all(|e| e.freq.is_some() && e.pos.is_some()));
    }
}
