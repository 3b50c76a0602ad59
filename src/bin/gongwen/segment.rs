//! `gongwen segment [FILE|-] [--pos] [--json]`: one output line per input line, tokens separated by
//! one space; JSON tokens with character spans into the whole text.

use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use anyhow::Context;
use gongwen::{Format, Segmenter, Token, TokenKind};
use serde::Serialize;

use crate::Outcome;
use crate::args::SegmentArgs;

#[derive(Serialize)]
struct TokenJson<'a> {
    text: &'a str,
    span: [usize; 2],
    pos: &'static str,
    kind: TokenKind,
}

pub fn run(args: &SegmentArgs) -> anyhow::Result<Outcome> {
    let segmenter = crate::dicts::segmenter_builder(&args.dict)?
        .political(!args.no_political)
        .build_in_background()?;
    let text = match args.input.as_deref() {
        None => read_stdin()?,
        Some(p) if p == Path::new("-") => read_stdin()?,
        Some(p) => {
            let doc = gongwen::read_file(p)?;
            for w in &doc.warnings {
                crate::report_warning(p, w);
            }
            doc.text
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        write_json(&mut out, &segmenter, &text)?;
    } else {
        write_lines(&mut out, &segmenter, &text, args.pos)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn read_stdin() -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    if bytes.is_empty() {
        return Ok(String::new());
    }
    Ok(gongwen::read_bytes(Path::new("<stdin>"), &bytes, Format::Txt)?.text)
}

/// Text lines, each segmented on its own so memory stays bounded by the longest line.
fn write_lines(
    out: &mut impl Write,
    segmenter: &Segmenter,
    text: &str,
    pos: bool,
) -> io::Result<()> {
    for line in text.lines() {
        let tokens = if pos {
            segmenter.tag(line)
        } else {
            segmenter.segment(line)
        };
        let mut first = true;
        for t in tokens.iter().filter(|t| t.kind != TokenKind::Space) {
            if !first {
                out.write_all(b" ")?;
            }
            first = false;
            out.write_all(t.text.as_bytes())?;
            if let (true, Some(p)) = (pos, t.pos) {
                write!(out, "/{p}")?;
            }
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn write_json(out: &mut impl Write, segmenter: &Segmenter, text: &str) -> io::Result<()> {
    out.write_all(b"{\"tokens\":[")?;
    let mut first = true;
    let mut chars_before = 0usize;
    for line in text.split_inclusive('\n') {
        let tokens = segmenter.tag(line);
        let mut chars = chars_before;
        for t in &tokens {
            let n = t.text.chars().count();
            if t.kind != TokenKind::Space {
                if !first {
                    out.write_all(b",")?;
                }
                first = false;
                serde_json::to_writer(&mut *out, &token_json(t, chars, n))?;
            }
            chars += n;
        }
        chars_before += line.chars().count();
    }
    out.write_all(b"]}\n")
}

fn token_json<'a>(t: &Token<'a>, start: usize, len: usize) -> TokenJson<'a> {
    TokenJson {
        text: t.text,
        span: [start, start + len],
        pos: t.pos.map_or("x", |p| p.as_str()),
        kind: t.kind,
    }
}
