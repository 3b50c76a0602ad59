//! `add --manifest` as a user runs it: bad rows reported one by one as `file:line: reason` while
//! the rest is added (exit 1), PATHs that narrow the manifest, and `show` of a doc_id the archive
//! does not hold.

use std::path::Path;

use serde::Deserialize;

use crate::util::{gongwen, write};

#[derive(Debug, Deserialize)]
struct AddOut {
    added: usize,
    failed: usize,
    files: Vec<FileOut>,
}

#[derive(Debug, Deserialize)]
struct FileOut {
    path: String,
    status: String,
    error: Option<String>,
}

const TEXT: &str = "一、存在的问题\n坚持两个确立，落实一岗双责。\n";

fn files(dir: &Path, names: &[&str]) {
    for name in names {
        write(dir, name, TEXT.as_bytes());
    }
}

fn add(dir: &Path, args: &[&str]) -> (Option<i32>, AddOut, String) {
    let mut full = vec!["--archive", "arch", "add"];
    full.extend_from_slice(args);
    full.push("--json");
    let out = gongwen(dir, &full, None);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), json, stderr)
}

/// The failed entries' errors, in order.
fn errors(out: &AddOut) -> Vec<&str> {
    out.files
        .iter()
        .filter(|f| f.status == "failed")
        .filter_map(|f| f.error.as_deref())
        .collect()
}

#[test]
fn each_bad_csv_row_is_reported_with_its_line_and_the_rest_is_added() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    files(dir, &["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"]);
    write(
        dir,
        "m.csv",
        "path,author,year\n\
         a.txt,张三,2023\n\
         b.txt,李四\n\
         c.txt,王五,2023,多余\n\
         d.txt,\"赵六,2023\n\
         e.txt,钱七,去年\n\
         f.txt,孙八,2024\n"
            .as_bytes(),
    );
    let (code, out, stderr) = add(dir, &["--manifest", "m.csv"]);
    assert_eq!(code, Some(1), "partial failure: {stderr}");
    assert_eq!((out.added, out.failed), (2, 4), "{out:#?}");
    let errors = errors(&out);
    for (line, what) in [
        (3, "2 fields where the header row has 3"),
        (4, "4 fields where the header row has 3"),
        (5, "quote is not closed"),
        (6, "year \"去年\" is not a year"),
    ] {
        let prefix = format!("m.csv:{line}: ");
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&prefix) && e.contains(what)),
            "no {prefix}{what} in {errors:#?}"
        );
        assert!(
            stderr.contains(&prefix),
            "{prefix} not said on stderr: {stderr}"
        );
    }
    // A row whose values are wrong names its file, which is not added with half its metadata.
    let e = out
        .files
        .iter()
        .find(|f| f.error.as_deref().is_some_and(|e| e.contains("去年")))
        .unwrap();
    assert!(e.path.ends_with("e.txt"), "{e:?}");
    // The rows read well gave their metadata.
    let list = gongwen(
        dir,
        &["--archive", "arch", "list", "--author", "孙八"],
        None,
    );
    assert!(String::from_utf8_lossy(&list.stdout).contains("f.txt"));
}

#[test]
fn each_bad_json_line_is_reported_with_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    files(dir, &["a.txt", "b.txt", "c.txt"]);
    write(
        dir,
        "m.jsonl",
        "{\"path\": \"a.txt\", \"year\": 2023}\n\
         {\"path\": \"b.txt\", \"author\": [\"李四\"]}\n\
         {\"path\": \"c.txt\", \"year\": 2023\n"
            .as_bytes(),
    );
    let (code, out, stderr) = add(dir, &["--manifest", "m.jsonl"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!((out.added, out.failed), (1, 2), "{out:#?}");
    let errors = errors(&out);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("m.jsonl:2:28: a field has the wrong type")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("m.jsonl:3:")),
        "{errors:#?}"
    );
}

#[test]
fn paths_narrow_the_manifest_and_unlisted_files_are_said() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("2023")).unwrap();
    std::fs::create_dir_all(dir.join("2024")).unwrap();
    files(&dir.join("2023"), &["a.txt", "b.txt", "unlisted.txt"]);
    files(&dir.join("2024"), &["c.txt"]);
    write(
        dir,
        "m.csv",
        "path,year\n2023/a.txt,2023\n2023/b.txt,2023\n2024/c.txt,2024\n".as_bytes(),
    );
    let (code, out, stderr) = add(dir, &["--manifest", "m.csv", "2023"]);
    assert_eq!(code, Some(0), "{stderr}");
    let mut added: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    added.sort();
    assert_eq!(added.len(), 2, "{added:?}");
    assert!(added[0].ends_with("2023/a.txt") && added[1].ends_with("2023/b.txt"));
    assert!(
        stderr.contains("1 file(s) under the PATHs have no row in the manifest"),
        "{stderr}"
    );
    // A PATH with none of the manifest's files in it is said too; a missing one fails.
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let (code, out, stderr) = add(dir, &["--manifest", "m.csv", "empty", "missing"]);
    assert_eq!(code, Some(2), "nothing could be added: {stderr}");
    assert_eq!((out.added, out.failed), (0, 1), "{out:#?}");
    assert!(
        stderr.contains("none of the manifest's files is there"),
        "{stderr}"
    );
    assert!(stderr.contains("missing: No such file"), "{stderr}");
    // Without PATHs, the whole manifest.
    let (code, out, stderr) = add(dir, &["--manifest", "m.csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out.added, 1, "{out:#?}");
}

#[test]
fn show_of_a_doc_id_the_archive_lacks_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    files(dir, &["a.txt"]);
    let (code, _, stderr) = add(dir, &["a.txt"]);
    assert_eq!(code, Some(0), "{stderr}");
    let out = gongwen(
        dir,
        &["--archive", "arch", "show", "0123456789abcdef"],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("0123456789abcdef: no document of the archive")
            && stderr.contains("has this doc_id"),
        "{stderr}"
    );
    assert!(!stderr.contains("unsupported"), "{stderr}");
    // Without an archive, the doc_id cannot be looked up, and the message says why.
    let out = gongwen(
        dir,
        &["--archive", "none", "show", "0123456789abcdef"],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no archive here"), "{stderr}");
}
