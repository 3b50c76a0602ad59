//! Writes `dictionaries/political.txt` from the curated source list `dictionaries/src/political.src`
//! (`word tag` per line, grouped by kind). Each word gets the frequency that makes jieba's default
//! dictionary prefer it whole over its parts (jieba's `suggest_freq`), doubled so that a
//! neighbouring character cannot pull it apart, and never less than the default dictionary's own
//! frequency for the word. See dictionaries/README.md.
//!
//! ```text
//! cargo run --release --example dict_freq
//! ```

use std::fmt::Write as _;

fn main() -> anyhow::Result<()> {
    let src = std::fs::read_to_string("dictionaries/src/political.src")?;
    let jieba = jieba_rs::Jieba::new();
    let mut out = String::from(
        "# gongwen political dictionary: word frequency tag. Generated from dictionaries/src/political.src\n\
         # by `cargo run --release --example dict_freq`; edit the source list, not this file.\n",
    );
    let mut n = 0;
    for line in src.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let (Some(word), Some(tag)) = (fields.next(), fields.next()) else {
            anyhow::bail!("malformed source line {line:?}: expected `word tag`");
        };
        let freq = (jieba.suggest_freq(word) * 2).max(10);
        writeln!(out, "{word} {freq} {tag}")?;
        n += 1;
    }
    std::fs::write("dictionaries/political.txt", out)?;
    eprintln!("wrote {n} entries to dictionaries/political.txt");
    Ok(())
}
