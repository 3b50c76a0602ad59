//! The metadata people write down: a manifest for many files (CSV with a header row, or JSON
//! Lines) and a sidecar `FILE.meta.json` for one.
//!
//! Both are read strictly and reported precisely. A CSV row must have exactly the header's
//! fields (the csv crate's flexible mode is off) and be quoted as RFC 4180 says, on one line; a
//! JSON value must have the right type. A row that breaks a rule is a [`RejectedRow`] naming the
//! manifest, the line and the reason, and the other rows are still used: one bad row never takes
//! the manifest down. Only a manifest that cannot be read at all, or whose header row names no
//! `path` column, is an error as a whole.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

use super::Metadata;
use crate::error::{Error, Result};
use crate::span::Year;

/// The fields of a manifest row or sidecar, as written by people: the year may be a number or a
/// string, empty values mean "not given".
#[derive(Debug, Default, Deserialize)]
struct Record {
    path: Option<String>,
    title: Option<String>,
    author: Option<String>,
    unit: Option<String>,
    post: Option<String>,
    #[serde(default, deserialize_with = "json_year")]
    year: Option<Year>,
    kind: Option<String>,
    #[serde(default, deserialize_with = "json_mandated")]
    mandated: Option<bool>,
}

impl Record {
    fn into_metadata(self) -> (Option<String>, Metadata) {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        (
            clean(self.path),
            Metadata {
                title: clean(self.title),
                author: clean(self.author),
                unit: clean(self.unit),
                post: clean(self.post),
                year: self.year,
                kind: clean(self.kind),
                mandated: self.mandated,
            },
        )
    }
}

/// A year as people write it: `2023`, `2023年`, `2023年度`; empty means none.
fn parse_year(s: &str) -> std::result::Result<Option<Year>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    Year::parse(s)
        .map(Some)
        .ok_or_else(|| format!("year {s:?} is not a year between 1900 and 2100"))
}

/// Whether a source is mandated, as people write it: true/false, yes/no, 1/0, 是/否; empty means
/// not given.
fn parse_mandated(s: &str) -> std::result::Result<Option<bool>, String> {
    match s.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "1" | "true" | "yes" | "y" | "是" => Ok(Some(true)),
        "0" | "false" | "no" | "n" | "否" => Ok(Some(false)),
        _ => Err(format!("mandated {s:?} is not true or false")),
    }
}

/// `year` in JSON: a number, a string or null. Its errors are raised while serde_json stands
/// just after the value, so they carry the value's line and column.
fn json_year<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Year>, D::Error> {
    struct YearValue;
    impl Visitor<'_> for YearValue {
        type Value = Option<Year>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a year (2023 or \"2023年\")")
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<Self::Value, E> {
            u32::try_from(n)
                .ok()
                .and_then(Year::new)
                .map(Some)
                .ok_or_else(|| E::custom(format!("year {n} is not a year between 1900 and 2100")))
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<Self::Value, E> {
            Err(E::custom(format!(
                "year {n} is not a year between 1900 and 2100"
            )))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Self::Value, E> {
            parse_year(s).map_err(E::custom)
        }
        fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(YearValue)
}

/// `mandated` in JSON: a boolean, 0 or 1, a string as [`parse_mandated`] reads, or null; errors
/// with the value's line and column, as for [`json_year`].
fn json_mandated<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<bool>, D::Error> {
    struct Mandated;
    impl Visitor<'_> for Mandated {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("true or false")
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> std::result::Result<Self::Value, E> {
            Ok(Some(b))
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<Self::Value, E> {
            match n {
                0 => Ok(Some(false)),
                1 => Ok(Some(true)),
                _ => Err(E::custom(format!("mandated {n} is not true or false"))),
            }
        }
        fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Self::Value, E> {
            parse_mandated(s).map_err(E::custom)
        }
        fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Mandated)
}

/// What a JSON error is about, in gongwen's words; serde_json's own message is the source.
fn json_reason(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Data => "a field has the wrong type or value",
        serde_json::error::Category::Eof => "the JSON ends too early",
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => "not valid JSON",
    }
}

/// A manifest row that could not be used; the others were.
#[derive(Debug)]
pub struct RejectedRow {
    /// The file the row names, when it could be read from the row and the file is left out
    /// because of it (not for a second row of a file, which is added with its first).
    pub file: Option<PathBuf>,
    /// Why, naming the manifest and the line: `manifest.csv:7: year "去年" is not a year …`.
    pub error: Error,
}

/// A manifest: metadata for many files, from CSV (with a header row) or JSON Lines, with columns
/// `path,author,unit,year,kind,title` (and optionally `post`, `mandated`). Paths are relative to
/// the manifest's directory. Rows that break a rule are kept aside as [`RejectedRow`]s.
#[derive(Debug, Default)]
pub struct Manifest {
    entries: HashMap<PathBuf, Metadata>,
    rejected: Vec<RejectedRow>,
}

/// A row as read, before its path is resolved.
struct Row {
    line: usize,
    record: Record,
}

impl Manifest {
    /// Reads a manifest file. JSON Lines if the extension is .jsonl/.ndjson/.json or the first
    /// non-blank character is `{`, CSV otherwise; UTF-8, or GB18030 as Excel saves it in China.
    ///
    /// # Errors
    ///
    /// The file cannot be read, is not text, or (CSV) its header row is malformed or names no
    /// `path` column. Bad rows are not errors: see [`Manifest::rejected`].
    pub fn load(path: &Path) -> Result<Manifest> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let (text, _, bad) = encoding_rs::GB18030.decode(e.as_bytes());
                if bad {
                    return Err(Error::metadata(
                        path,
                        (0, 0),
                        "not UTF-8 or GB18030 text",
                        Some(Box::new(e.utf8_error())),
                    ));
                }
                text.into_owned()
            }
        };
        Manifest::parse(path, &text)
    }

    /// Parses the text of a manifest read from `path` (which names it in errors and is the base of
    /// its relative paths; it need not exist).
    ///
    /// # Errors
    ///
    /// As [`Manifest::load`], for a text already read.
    pub fn parse(path: &Path, text: &str) -> Result<Manifest> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let jsonl = matches!(ext.as_str(), "jsonl" | "ndjson" | "json")
            || text.trim_start().starts_with('{');
        let mut manifest = Manifest::default();
        let rows = if jsonl {
            parse_jsonl(path, text, &mut manifest.rejected)
        } else {
            parse_csv(path, text, &mut manifest.rejected)?
        };
        let base = path.parent().unwrap_or(Path::new("."));
        let mut first_line: HashMap<PathBuf, usize> = HashMap::new();
        for Row { line, record } in rows {
            let (file, meta) = record.into_metadata();
            let Some(file) = file else {
                manifest.rejected.push(RejectedRow {
                    file: None,
                    error: Error::metadata(path, (line, 0), "the row has no path", None),
                });
                continue;
            };
            let key = resolve(base, &file);
            if let Some(&first) = first_line.get(&key) {
                // The file is not the row's to name: it is added with its first row.
                manifest.rejected.push(RejectedRow {
                    file: None,
                    error: Error::metadata(
                        path,
                        (line, 0),
                        format!("{file} already has a row (line {first}); this one is ignored"),
                        None,
                    ),
                });
                continue;
            }
            first_line.insert(key.clone(), line);
            manifest.entries.insert(key, meta);
        }
        manifest
            .rejected
            .sort_by_key(|r| error_line(&r.error).unwrap_or(0));
        Ok(manifest)
    }

    /// The files the manifest lists (resolved against its directory, canonical where they
    /// exist), in order of path; the files of rejected rows are not among them.
    pub fn paths(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.entries.keys().cloned().collect();
        v.sort();
        v
    }

    /// The rows that could not be used, in the order of their lines.
    pub fn rejected(&self) -> &[RejectedRow] {
        &self.rejected
    }

    /// The metadata for `file`, matched on its canonical path.
    pub fn get(&self, file: &Path) -> Option<&Metadata> {
        let canonical = file.canonicalize().ok();
        canonical
            .as_deref()
            .and_then(|c| self.entries.get(c))
            .or_else(|| self.entries.get(file))
    }

    /// Number of rows used.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no row was used.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// `file` of a row, against the manifest's directory, canonical when it exists.
fn resolve(base: &Path, file: &str) -> PathBuf {
    let joined = base.join(file.trim());
    joined.canonicalize().unwrap_or(joined)
}

fn error_line(e: &Error) -> Option<usize> {
    match e {
        Error::Metadata { line, .. } => Some(*line),
        _ => None,
    }
}

/// One record per non-blank line; a line that is not a record is rejected with serde_json's line
/// and column.
fn parse_jsonl(path: &Path, text: &str, rejected: &mut Vec<RejectedRow>) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(line) {
            Ok(record) => rows.push(Row {
                line: i + 1,
                record,
            }),
            Err(e) => {
                // The path, if the line is JSON with a `path` string, to say which file lost its row.
                let file = serde_json::from_str::<serde_json::Value>(line)
                    .ok()
                    .and_then(|v| v.get("path")?.as_str().map(str::to_string))
                    .map(|f| resolve(path.parent().unwrap_or(Path::new(".")), &f));
                rejected.push(RejectedRow {
                    file,
                    error: Error::metadata(
                        path,
                        (i + 1, e.column()),
                        json_reason(&e),
                        Some(Box::new(e)),
                    ),
                });
            }
        }
    }
    rows
}

/// Why a CSV line is not quoted as RFC 4180 says, if it is not: a field is either unquoted and
/// holds no quote, or quoted from its first character to a closing quote followed only by spaces
/// before the next comma, with quotes inside doubled. A manifest row is one line, so a quote left
/// open at the end of the line is an error rather than the start of a field spanning lines (which
/// would swallow every row after it).
fn quoting_problem(line: &str) -> Option<&'static str> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// Just after a quote inside a quoted field: the closing one, or the first of a pair.
        QuoteInQuoted,
        AfterClosingQuote,
    }
    let mut state = State::FieldStart;
    for c in line.chars() {
        state = match (state, c) {
            (State::Quoted, '"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, '"') => State::Quoted,
            (
                State::FieldStart
                | State::Unquoted
                | State::QuoteInQuoted
                | State::AfterClosingQuote,
                ',',
            ) => State::FieldStart,
            (State::FieldStart, '"') => State::Quoted,
            (State::FieldStart | State::Unquoted, _) if c != '"' => State::Unquoted,
            (State::Unquoted | State::FieldStart, _) => {
                return Some(
                    "a quote inside a field that does not start with one (quote the whole field and double the quote: \"a\"\"b\")",
                );
            }
            (State::QuoteInQuoted | State::AfterClosingQuote, ' ' | '\t' | '\r') => {
                State::AfterClosingQuote
            }
            (State::QuoteInQuoted | State::AfterClosingQuote, _) => {
                return Some("text after the closing quote of a field");
            }
        };
    }
    (state == State::Quoted).then_some("a quote is not closed on its line (a row is one line)")
}

/// The rows of a CSV manifest with a header row. Lines quoted wrongly are rejected before the
/// csv crate sees them; the csv crate, not flexible, rejects a row with more or fewer fields than
/// the header. Each line it sees is one record (no quoted field spans lines), so a record's number
/// gives its line.
fn parse_csv(path: &Path, text: &str, rejected: &mut Vec<RejectedRow>) -> Result<Vec<Row>> {
    let mut clean = String::with_capacity(text.len());
    // The line of each record the csv crate sees, the header first.
    let mut lines: Vec<usize> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match quoting_problem(line) {
            Some(reason) if lines.is_empty() => {
                return Err(Error::metadata(
                    path,
                    (i + 1, 0),
                    format!("the header row is malformed: {reason}"),
                    None,
                ));
            }
            Some(reason) => rejected.push(RejectedRow {
                file: None,
                error: Error::metadata(path, (i + 1, 0), reason, None),
            }),
            None => {
                lines.push(i + 1);
                clean.push_str(line);
                clean.push('\n');
            }
        }
    }
    let line_of = |position: Option<&csv::Position>| {
        position
            .and_then(|p| lines.get(p.record() as usize))
            .copied()
            .unwrap_or(0)
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(clean.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            Error::metadata(
                path,
                (line_of(e.position()), 0),
                "the header row cannot be read",
                Some(Box::new(e)),
            )
        })?
        .iter()
        .map(str::to_lowercase)
        .collect();
    if !headers.iter().any(|h| h == "path") {
        return Err(Error::metadata(
            path,
            (lines.first().copied().unwrap_or(1), 0),
            format!(
                "the header row has no `path` column (it has: {}); gongwen reads path, author, \
                 unit, post, year, kind, title, mandated",
                headers.join(", ")
            ),
            None,
        ));
    }
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = line_of(e.position());
                let error = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => Error::metadata(
                        path,
                        (line, 0),
                        format!("the row has {len} fields where the header row has {expected_len}"),
                        None,
                    ),
                    _ => Error::metadata(
                        path,
                        (line, 0),
                        "the row cannot be read",
                        Some(Box::new(e)),
                    ),
                };
                rejected.push(RejectedRow { file: None, error });
                continue;
            }
        };
        let line = line_of(row.position());
        let mut record = Record::default();
        let mut problems = Vec::new();
        for (h, v) in headers.iter().zip(row.iter()) {
            let text = Some(v.to_string());
            match h.as_str() {
                "path" => record.path = text,
                "title" => record.title = text,
                "author" => record.author = text,
                "unit" => record.unit = text,
                "post" => record.post = text,
                "kind" => record.kind = text,
                "year" => match parse_year(v) {
                    Ok(y) => record.year = y,
                    Err(e) => problems.push(e),
                },
                "mandated" => match parse_mandated(v) {
                    Ok(m) => record.mandated = m,
                    Err(e) => problems.push(e),
                },
                _ => {}
            }
        }
        if problems.is_empty() {
            rows.push(Row { line, record });
        } else {
            let file = record
                .path
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .map(|p| resolve(path.parent().unwrap_or(Path::new(".")), p));
            rejected.push(RejectedRow {
                file,
                error: Error::metadata(path, (line, 0), problems.join("; "), None),
            });
        }
    }
    Ok(rows)
}

/// The path of `file`'s sidecar: `FILE.meta.json`.
fn sidecar_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_os_string();
    name.push(".meta.json");
    PathBuf::from(name)
}

/// The metadata of `file`'s sidecar, if it has one.
///
/// # Errors
///
/// The sidecar exists but cannot be read, or is not a JSON object with fields of the right types
/// (the error gives its line and column).
pub(super) fn read_sidecar(file: &Path) -> Result<Option<Metadata>> {
    let path = sidecar_path(file);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let record: Record = serde_json::from_str(text).map_err(|e| {
        Error::metadata(
            &path,
            (e.line(), e.column()),
            json_reason(&e),
            Some(Box::new(e)),
        )
    })?;
    Ok(Some(record.into_metadata().1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(m: &Manifest) -> Vec<String> {
        m.rejected()
            .iter()
            .map(|r| r.error.chain().to_string())
            .collect()
    }

    #[test]
    fn quoting_as_rfc_4180_says() {
        for good in [
            "a.txt,张三,2023",
            "\"a,b.txt\",\"张\"\"三\",2023",
            "\"a.txt\" ,x",
            "",
            ",,",
            "a.txt,\"\"",
        ] {
            assert_eq!(quoting_problem(good), None, "{good}");
        }
        for bad in [
            "a.txt,张\"三,2023",
            "a.txt,\"张三\"x,2023",
            "a.txt,\"张三,2023",
            "a.txt, \"张三\",2023",
        ] {
            assert!(quoting_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn bad_rows_are_rejected_one_by_one_and_the_rest_is_kept() {
        let csv = "path,author,year\n\
                   a.txt,张三,2023\n\
                   b.txt,李四\n\
                   c.txt,王五,2023,多余\n\
                   d.txt,\"赵六,2023\n\
                   e.txt,钱七,去年\n\
                   f.txt,孙八,2024\n\
                   a.txt,张三,2022\n";
        let m = Manifest::parse(Path::new("/m/manifest.csv"), csv).unwrap();
        let kept: Vec<String> = m
            .paths()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(kept, ["a.txt", "f.txt"]);
        let r = reasons(&m);
        assert_eq!(r.len(), 5, "{r:#?}");
        for (reason, (line, what)) in r.iter().zip([
            (3, "2 fields where the header row has 3"),
            (4, "4 fields where the header row has 3"),
            (5, "not closed"),
            (6, "\"去年\" is not a year"),
            (8, "already has a row (line 2)"),
        ]) {
            assert!(
                reason.starts_with(&format!("/m/manifest.csv:{line}: ")) && reason.contains(what),
                "{reason}"
            );
        }
        assert_eq!(
            m.rejected()[3].file.as_deref(),
            Some(Path::new("/m/e.txt")),
            "a row whose values are wrong still names its file"
        );
        assert_eq!(
            m.get(Path::new("/m/a.txt")).and_then(|m| m.year),
            Year::new(2023),
            "the first row of a file is kept"
        );
    }

    #[test]
    fn json_lines_are_rejected_with_line_and_column() {
        let jsonl = "{\"path\": \"a.txt\", \"year\": 2023}\n\
                     {\"path\": \"b.txt\", \"author\": 5}\n\
                     \n\
                     {\"path\": \"c.txt\", \"year\": \"明年\"}\n\
                     {\"path\": \"d.txt\",\n\
                     {\"path\": \"e.txt\", \"mandated\": \"是\"}\n";
        let m = Manifest::parse(Path::new("m.jsonl"), jsonl).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(
            m.get(Path::new("e.txt")).and_then(|m| m.mandated),
            Some(true)
        );
        let r = reasons(&m);
        assert!(
            r[0].starts_with("m.jsonl:2:29: a field has the wrong type"),
            "{}",
            r[0]
        );
        assert!(r[0].contains("expected a string"), "{}", r[0]);
        assert!(
            r[1].starts_with("m.jsonl:4:") && r[1].contains("明年"),
            "{}",
            r[1]
        );
        assert!(r[2].starts_with("m.jsonl:5:"), "{}", r[2]);
        assert_eq!(r.len(), 3);
        assert_eq!(m.rejected()[0].file.as_deref(), Some(Path::new("b.txt")));
    }

    #[test]
    fn a_header_without_path_or_quoted_wrongly_fails_the_manifest() {
        let e = Manifest::parse(Path::new("m.csv"), "file,year\na.txt,2023\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("m.csv:1: the header row has no `path`"),
            "{e}"
        );
        let e = Manifest::parse(Path::new("m.csv"), "path,\"year\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("m.csv:1: the header row is malformed"),
            "{e}"
        );
    }
}
