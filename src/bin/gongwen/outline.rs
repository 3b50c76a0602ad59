//! `gongwen outline FILE [--json]`: sections, kinds, items and examples.

use std::io::{self, Write};

use std::path::Path;

use gongwen::{DocId, MetadataResolver, Outline, Section};

use crate::show::Shown;

struct Doc {
    text: String,
}

use crate::Outcome;
use crate::args::OutlineArgs;

pub fn run(dir: &Path, args: &OutlineArgs) -> anyhow::Result<Outcome> {
    let (doc_id, text) = match crate::show::find(
        crate::show::archive_if_present(dir)?.as_ref(),
        &args.doc,
        &MetadataResolver::default(),
    )? {
        Shown::Archived(record, text) => (record.doc_id, text),
        Shown::File(path, doc, _) => {
            for w in &doc.warnings {
                crate::report_warning(&args.doc, w);
            }
            (DocId::for_path(&path), doc.text)
        }
    };
    let doc = Doc { text };
    let outline = Outline::parse(&doc.text);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(
            &mut out,
            &gongwen::outline_json(&doc_id, &doc.text, &outline),
        )?;
        writeln!(out)?;
    } else {
        write_tree(&mut out, &doc.text, &outline)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// The people's view: one line per section and item, indented by depth.
fn write_tree(out: &mut impl Write, text: &str, outline: &Outline) -> io::Result<()> {
    if let Some(p) = outline.preamble {
        writeln!(out, "〔前言〕{}", crate::archive::clip(p.slice(text), 40))?;
    }
    for s in &outline.sections {
        write_section(out, text, s)?;
    }
    Ok(())
}

fn write_section(out: &mut impl Write, text: &str, s: &Section) -> io::Result<()> {
    let indent = "  ".repeat(s.level - 1);
    let heading = match (s.marker.slice(text), s.heading.slice(text)) {
        ("", "") => "（全文）".to_string(),
        (marker, heading) => format!("{marker}{}", crate::archive::clip(heading, 40)),
    };
    writeln!(out, "{indent}{heading}  〔{}〕", s.kind.label())?;
    for item in &s.items {
        let marker = item.marker.slice(text);
        let marker = if marker.is_empty() { "·" } else { marker };
        write!(
            out,
            "{indent}  {marker} {}",
            crate::archive::clip(item.claim.slice(text), 40)
        )?;
        if let Some(e) = item.examples.first() {
            write!(
                out,
                "  【例】{}",
                crate::archive::clip(e.span.slice(text), 30)
            )?;
        }
        writeln!(out)?;
    }
    for c in &s.sections {
        write_section(out, text, c)?;
    }
    Ok(())
}
