//! Scores segmentation on the SIGHAN 2005 bakeoff (PKU and MSR): plain jieba-rs against gongwen's
//! Segmenter (jieba-rs + the political dictionary), word precision, recall, F1 and OOV recall.
//!
//! ```text
//! cargo run --release --example sighan -- [DATA_DIR]     # default ../shared/data/sighan2005
//! ```

use std::path::{Path, PathBuf};

use gongwen::{SegmentationScore, Segmenter, SegmenterBuilder};

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data/sighan2005"));
    let plain = SegmenterBuilder::new().political(false).build()?;
    let ours = Segmenter::new();
    println!(
        "{:<6} {:<10} {:>9} {:>9} {:>9} {:>10}",
        "corpus", "segmenter", "precision", "recall", "F1", "OOV recall"
    );
    for corpus in ["pku", "msr"] {
        for (name, seg) in [("jieba-rs", &plain), ("gongwen", &ours)] {
            let s = score(&dir, corpus, seg)?;
            println!(
                "{corpus:<6} {name:<10} {:>9.4} {:>9.4} {:>9.4} {:>10.4}",
                s.precision, s.recall, s.f1, s.oov_recall
            );
        }
    }
    Ok(())
}

fn score(dir: &Path, corpus: &str, seg: &Segmenter) -> anyhow::Result<SegmentationScore> {
    let read = |p: PathBuf| {
        std::fs::read_to_string(&p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
    };
    let gold = read(dir.join(format!("gold/{corpus}_test_gold.utf8")))?;
    let words = read(dir.join(format!("gold/{corpus}_training_words.utf8")))?;
    Ok(gongwen::score_gold(&gold, &words, seg))
}
