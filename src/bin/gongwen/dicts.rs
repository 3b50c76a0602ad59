//! The dictionaries the analyses use — the formula set (套话) and the segmenter's words — built
//! once per command from `--formulas`, `--no-builtin-formulas` and `--dict`.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::Context;
use gongwen::{FormulaSet, FormulaSetBuilder, Segmenter, SegmenterBuilder, SpecificityReport};

use crate::args::DictArgs;

/// The formula set and the segmenter of a command.
pub struct Dictionaries {
    /// The templates found as 套话: the user's, then (unless left out) the shipped ones.
    pub formulas: FormulaSet,
    /// The segmenter of the specificity analysis and of word counts.
    pub segmenter: Segmenter,
}

impl Dictionaries {
    /// The shipped dictionaries only (the demo). The segmenter loads on a thread of its own.
    pub fn builtin() -> Dictionaries {
        Dictionaries {
            formulas: FormulaSet::builtin(),
            segmenter: Segmenter::new_in_background(),
        }
    }

    /// The dictionaries the flags name, added to (or, for formulas, replacing) the shipped ones.
    ///
    /// A file that cannot be opened or read, or a malformed line, is an error naming the file
    /// (and the line): the command stops with exit 2 before any work.
    pub fn from_args(args: &DictArgs) -> anyhow::Result<Dictionaries> {
        let segmenter = segmenter_builder(&args.dict)?.build_in_background()?;
        let mut builder = FormulaSetBuilder::new();
        builder.builtin(!args.no_builtin_formulas);
        for path in &args.formulas {
            let added = builder.add(
                &path.display().to_string(),
                open(path, "formula dictionary")?,
            )?;
            if added == 0 {
                crate::report_notice(&format!(
                    "{}: holds no template (only comments or blank lines)",
                    path.display()
                ));
            }
        }
        Ok(Dictionaries {
            formulas: builder.build()?,
            segmenter,
        })
    }

    /// The verdicts on a text's problem items, and its anchors per 100 words.
    pub fn specificity_of(&self, text: &str) -> SpecificityReport {
        let words = self.words_of(text);
        gongwen::specificity(text, &gongwen::Outline::parse(text), &self.segmenter, words)
    }

    /// Content words of a text.
    pub fn words_of(&self, text: &str) -> usize {
        self.segmenter
            .segment(text)
            .iter()
            .filter(|t| t.kind.is_content())
            .count()
    }
}

/// A segmenter builder with the user dictionaries `paths` (`word [freq] [tag]` per line) added:
/// the one reading of `--dict` for `segment`, `check`, `analyze` and `serve`.
pub fn segmenter_builder(paths: &[PathBuf]) -> anyhow::Result<SegmenterBuilder> {
    let mut builder = SegmenterBuilder::new();
    for path in paths {
        builder.dictionary(&path.display().to_string(), open(path, "dictionary")?)?;
    }
    Ok(builder)
}

/// A dictionary file opened for reading, or an error naming it (`what` it is).
fn open(path: &Path, what: &str) -> anyhow::Result<BufReader<std::fs::File>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("{}: cannot open {what}", path.display()))?;
    Ok(BufReader::new(file))
}
