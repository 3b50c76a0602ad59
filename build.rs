//! Embeds the demo corpus in the binary: every file corpora/demo/manifest.csv lists, so that
//! `gongwen demo` needs no files.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo");
    let manifest_path = dir.join("manifest.csv");
    println!("cargo::rerun-if-changed={}", manifest_path.display());
    let manifest = std::fs::read_to_string(&manifest_path).expect("corpora/demo/manifest.csv");
    let mut out = String::from("/// The demo corpus: (file name, bytes), in manifest order.\n");
    out.push_str("pub const DEMO_FILES: &[(&str, &[u8])] = &[\n");
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let name = line.split(',').next().expect("a path column");
        let path = dir.join(name);
        assert!(
            path.is_file(),
            "{}: listed in the manifest but missing",
            path.display()
        );
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    writeln!(
        out,
        "/// The demo corpus's manifest.\npub const DEMO_MANIFEST: &str = include_str!({:?});",
        manifest_path.display().to_string()
    )
    .unwrap();
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("demo_corpus.rs");
    std::fs::write(dest, out).expect("write demo_corpus.rs");
}
