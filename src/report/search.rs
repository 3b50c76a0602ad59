//! `gongwen search` JSON: hits with snippets, KWIC lines, facets. Character offsets throughout.

use serde::Serialize;

use crate::index::{DocRecord, Facets, Hit, SearchResults};
use crate::span::{ByteSpan, CharIndex, DocId, Year};

/// One search's JSON.
#[derive(Debug, Serialize)]
pub struct SearchJson<'a> {
    /// The query as given.
    pub query: &'a str,
    /// Matching documents.
    pub total: usize,
    /// The best hits.
    pub hits: Vec<HitJson<'a>>,
    /// Counts by year, unit and kind, with `--facets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<&'a Facets>,
}

/// A hit.
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    /// Document id.
    pub doc_id: &'a DocId,
    /// Path added from.
    pub path: &'a str,
    /// Title.
    pub title: Option<&'a str>,
    /// Author.
    pub author: Option<&'a str>,
    /// Unit.
    pub unit: Option<&'a str>,
    /// Year.
    pub year: Option<Year>,
    /// Kind.
    pub kind: Option<&'a str>,
    /// Relevance.
    pub score: f32,
    /// Occurrences in this document.
    pub count: usize,
    /// Passages around the first occurrences.
    pub snippets: Vec<Snippet>,
}

/// A passage with its highlighted occurrences, in characters of `text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The passage; line breaks shown as spaces.
    pub text: String,
    /// `[start, end)` of each occurrence in `text`, in characters.
    pub highlights: Vec<[usize; 2]>,
}

/// A KWIC line.
#[derive(Debug, Serialize)]
pub struct KwicLine<'a> {
    /// Document id.
    pub doc_id: &'a DocId,
    /// Path added from.
    pub path: &'a str,
    /// Year.
    pub year: Option<Year>,
    /// Author (this version adds it, and `unit`: who wrote the line, for people reading it).
    pub author: Option<&'a str>,
    /// Unit.
    pub unit: Option<&'a str>,
    /// Context before, line breaks as spaces.
    pub left: String,
    /// The occurrence as it stands in the text.
    #[serde(rename = "match")]
    pub matched: &'a str,
    /// Context after.
    pub right: String,
    /// The occurrence's `[start, end)` in the document's stored text, in characters.
    pub span: [usize; 2],
}

/// Characters of context on each side of an occurrence in snippets and KWIC.
pub const CONTEXT: usize = 24;
/// Snippets per hit.
pub const SNIPPETS: usize = 3;

/// The JSON of a search.
pub fn search_json<'a>(
    query: &'a str,
    results: &'a SearchResults,
    facets: Option<&'a Facets>,
) -> SearchJson<'a> {
    SearchJson {
        query,
        total: results.total,
        hits: results.hits.iter().map(hit_json).collect(),
        facets,
    }
}

fn hit_json(hit: &Hit) -> HitJson<'_> {
    let m = &hit.doc.metadata;
    HitJson {
        doc_id: &hit.doc.doc_id,
        path: &hit.doc.path,
        title: m.title.as_deref(),
        author: m.author.as_deref(),
        unit: m.unit.as_deref(),
        year: m.year,
        kind: m.kind.as_deref(),
        score: (hit.score * 1000.0).round() / 1000.0,
        count: hit.occurrences.len(),
        snippets: snippets(&hit.text, &hit.occurrences, SNIPPETS, CONTEXT),
    }
}

/// Up to `max` passages of `text` around `occurrences`, each within its paragraph and `context`
/// characters either side; occurrences close together share a passage.
pub fn snippets(text: &str, occurrences: &[ByteSpan], max: usize, context: usize) -> Vec<Snippet> {
    let mut out: Vec<Snippet> = Vec::new();
    let mut covered_to = 0usize;
    for occ in occurrences {
        if occ.start < covered_to {
            continue;
        }
        if out.len() == max {
            break;
        }
        let line_start = text[..occ.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[occ.end..]
            .find('\n')
            .map_or(text.len(), |i| occ.end + i);
        let start = back_chars(text, occ.start, context).max(line_start);
        let mut end = forward_chars(text, occ.end, context).min(line_end);
        // Take in later occurrences that fall inside the window.
        let mut highlights = Vec::new();
        for o in occurrences.iter().skip_while(|o| o.start < occ.start) {
            if o.start >= end {
                break;
            }
            end = end.max(o.end);
            highlights.push(*o);
        }
        covered_to = end;
        let passage = &text[start..end];
        let ix = CharIndex::new(passage);
        out.push(Snippet {
            text: passage.replace('\n', " "),
            highlights: highlights
                .iter()
                .map(|h| ix.char_span(ByteSpan::new(h.start - start, h.end - start)))
                .collect(),
        });
    }
    out
}

fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

/// The KWIC lines of one document, one per occurrence (`occurrences` in order, not overlapping).
/// Lazy, and character offsets are counted as the occurrences go: a document with millions of
/// occurrences costs one line at a time, not a table of its characters.
pub fn kwic_lines<'a>(
    doc: &'a DocRecord,
    text: &'a str,
    occurrences: &'a [ByteSpan],
    context: usize,
) -> impl Iterator<Item = KwicLine<'a>> + 'a {
    // Characters before `counted`, a byte offset at or before the next occurrence.
    let (mut counted, mut chars) = (0usize, 0usize);
    occurrences.iter().map(move |o| {
        chars += text[counted..o.start].chars().count();
        let start = chars;
        chars += o.slice(text).chars().count();
        counted = o.end;
        KwicLine {
            doc_id: &doc.doc_id,
            path: &doc.path,
            year: doc.metadata.year,
            author: doc.metadata.author.as_deref(),
            unit: doc.metadata.unit.as_deref(),
            left: text[back_chars(text, o.start, context)..o.start].replace('\n', " "),
            matched: o.slice(text),
            right: text[o.end..forward_chars(text, o.end, context)].replace('\n', " "),
            span: [start, chars],
        }
    })
}

/// One search's JSON written as its results come, `{"query":…,"<list>":[…],"total":n}`: `total`
/// comes last, once counted, so that `--kwic --json` over every occurrence of 的 holds one line at
/// a time rather than all of them (INTERFACE.md names the fields; their order is free in JSON).
pub struct StreamedResults<W: std::io::Write> {
    out: W,
    count: usize,
}

impl<W: std::io::Write> StreamedResults<W> {
    /// Writes the head: the query and the opening of the list named `list` (`lines`,
    /// `documents`).
    ///
    /// # Errors
    ///
    /// Writing fails.
    pub fn begin(mut out: W, query: &str, list: &str) -> std::io::Result<StreamedResults<W>> {
        out.write_all(b"{\"query\":")?;
        serde_json::to_writer(&mut out, query)?;
        write!(out, ",")?;
        serde_json::to_writer(&mut out, list)?;
        out.write_all(b":[")?;
        Ok(StreamedResults { out, count: 0 })
    }

    /// Writes one result.
    ///
    /// # Errors
    ///
    /// Writing fails.
    pub fn push(&mut self, item: &impl Serialize) -> std::io::Result<()> {
        if self.count > 0 {
            self.out.write_all(b",")?;
        }
        serde_json::to_writer(&mut self.out, item)?;
        self.count += 1;
        Ok(())
    }

    /// Closes the list and the object with `"total"`, the number of results pushed, and a line
    /// break; gives the writer back.
    ///
    /// # Errors
    ///
    /// Writing fails.
    pub fn finish(mut self) -> std::io::Result<W> {
        writeln!(self.out, "],\"total\":{}}}", self.count)?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_spans_are_characters_counted_as_the_lines_go() {
        let text = "两个确立，\n坚持两个确立😀两个确立";
        let occ: Vec<ByteSpan> = text
            .match_indices("两个确立")
            .map(|(i, m)| ByteSpan::new(i, i + m.len()))
            .collect();
        let doc = DocRecord {
            doc_id: DocId::for_path(std::path::Path::new("/a.txt")),
            path: "/a.txt".into(),
            os_path: "/a.txt".into(),
            metadata: Default::default(),
            chars: text.chars().count(),
            format: "txt".into(),
            key: String::new(),
            text_len: text.len() as u64,
            text_hash: 0,
        };
        let ix = CharIndex::new(text);
        let lines: Vec<KwicLine> = kwic_lines(&doc, text, &occ, 3).collect();
        assert_eq!(lines.len(), 3);
        for (l, o) in lines.iter().zip(&occ) {
            assert_eq!(l.span, ix.char_span(*o));
            assert_eq!(l.matched, "两个确立");
        }
        assert_eq!(
            (lines[1].left.as_str(), lines[1].right.as_str()),
            (" 坚持", "😀两个")
        );
    }

    #[test]
    fn streamed_results_are_one_json_document() {
        for n in [0, 1, 3] {
            let mut s = StreamedResults::begin(Vec::new(), "两个\"确立", "lines").unwrap();
            for i in 0..n {
                s.push(&serde_json::json!({ "i": i })).unwrap();
            }
            let bytes = s.finish().unwrap();
            assert!(bytes.ends_with(b"\n"));
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(v["query"], "两个\"确立");
            assert_eq!(v["total"], n);
            assert_eq!(v["lines"].as_array().unwrap().len(), n);
        }
    }

    #[test]
    fn snippets_stay_in_their_paragraph_and_merge_close_occurrences() {
        let text = "第一段。\n坚持两个确立，做到两个维护，两个确立是根本。\n第三段";
        let occ: Vec<ByteSpan> = text
            .match_indices("两个确立")
            .map(|(i, m)| ByteSpan::new(i, i + m.len()))
            .collect();
        let s = snippets(text, &occ, 3, 4);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "坚持两个确立，做到两");
        assert_eq!(s[0].highlights, vec![[2, 6]]);
        let s = snippets(text, &occ, 3, 30);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].text, "坚持两个确立，做到两个维护，两个确立是根本。");
        assert_eq!(s[0].highlights, vec![[2, 6], [14, 18]]);
    }
}
