//! Users' own dictionaries on `check`, `analyze` and `serve`: `--formulas FILE` (本地套话, added
//! to the shipped templates or, with `--no-builtin-formulas`, instead of them) and `--dict FILE`
//! (names of places, units and projects for the specificity analysis).

use std::path::Path;

use serde_json::Value;

use crate::util::{archive_json as run_json, gongwen, write};

/// A local stock phrase that no shipped template matches.
const LOCAL: &str = "部署时热、落实中冷";
/// The user's formula file: a comment, a blank line and two templates (the second for a phrase
/// the texts do not hold).
const USER_FORMULAS: &str =
    "# 本地套话\n\n部署时{热|紧}{、|，}落实中{冷|松}\t本地\n争当全市{X}排头兵\t本地\n";

/// 张三's material holds the local phrase once; 李四's is unrelated text.
fn archive(dir: &Path) {
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    let own = format!(
        "今年以来，我对全镇人居环境整治工作抓得不够紧，{LOCAL}，有的村清理过的沟渠不久又堆满垃圾。\n\
         对照检查中，我把原因归结为自己统筹不够，没有建立长效机制，也没有定期回头看。\n"
    );
    write(dir, "docs/2024_张三_镇长_对照检查材料.txt", own.as_bytes());
    write(
        dir,
        "docs/2024_李四_局长_对照检查材料.txt",
        "本局今年完成了办公楼维修，采购流程按规定公开，账目已交审计部门核对，没有发现违规问题。\n"
            .as_bytes(),
    );
    write(dir, "本地套话.txt", USER_FORMULAS.as_bytes());
    let out = gongwen(dir, &["--archive", "arch", "add", "docs"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The matches whose formulas include `template`, with their kind and text.
fn matches_of<'v>(check: &'v Value, template: &str) -> Vec<(&'v str, &'v str)> {
    check["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["formulas"]
                .as_array()
                .is_some_and(|f| f.iter().any(|t| t == template))
        })
        .map(|m| (m["kind"].as_str().unwrap(), m["text"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_user_template_is_found_as_boilerplate_by_check_and_counted_by_analyze() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    archive(dir);
    let doc = "docs/2024_张三_镇长_对照检查材料.txt";
    let template = "部署时{热|紧}{、|，}落实中{冷|松}";

    let plain = run_json(dir, &["check", doc]);
    // No shipped template covers the local phrase.
    for m in plain["matches"].as_array().unwrap() {
        assert!(
            !m["text"].as_str().unwrap().contains("部署时热"),
            "a shipped template already covers it: {m}"
        );
    }
    let own = run_json(dir, &["check", doc, "--formulas", "本地套话.txt"]);
    assert_eq!(matches_of(&own, template), [("boilerplate", LOCAL)]);
    // The phrase's 8 countable characters of the document's are now 套话.
    let countable = own["doc"]["chars"].as_f64().unwrap();
    let gained = own["rates"]["boilerplate"].as_f64().unwrap()
        - plain["rates"]["boilerplate"].as_f64().unwrap();
    assert!(
        (gained - 8.0 / countable).abs() < 2e-3,
        "boilerplate rose by {gained}, expected 8/{countable}"
    );

    // analyze counts it among the formulas, with its document and author.
    let all = run_json(dir, &["analyze", "--formulas", "本地套话.txt"]);
    let row = all["formulas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == template)
        .unwrap_or_else(|| panic!("{template} not in {}", all["formulas"]));
    assert_eq!(
        (row["docs"].as_u64(), row["authors"].as_u64()),
        (Some(1), Some(1))
    );

    // Without the shipped dictionary, the user's template is the only formula found.
    let only = run_json(
        dir,
        &[
            "analyze",
            "--formulas",
            "本地套话.txt",
            "--no-builtin-formulas",
        ],
    );
    let texts: Vec<&str> = only["formulas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, [template]);
    assert!(!plain["matches"].as_array().unwrap().is_empty());
    let none = run_json(dir, &["check", doc, "--no-builtin-formulas"]);
    assert!(
        none["matches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["formulas"].as_array().is_none_or(|f| f.is_empty())),
        "{}",
        none["matches"]
    );
}

#[test]
fn a_bad_dictionary_is_a_usage_error_naming_the_file_and_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    archive(dir);
    let doc = "docs/2024_张三_镇长_对照检查材料.txt";
    write(
        dir,
        "bad.txt",
        "# 本地套话\n部署时热、落实中冷\t本地\n有待{提高\t本地\n".as_bytes(),
    );
    write(dir, "bad_dict.txt", "胜利村 ns\n光明村 0 ns\n".as_bytes());
    // 胜利村 ns in GBK, as an old editor saves it.
    write(dir, "gbk.txt", &crate::util::gbk("# 地名\n胜利村 ns\n"));
    let cases: [(&[&str], &str); 8] = [
        (
            &["check", doc, "--formulas", "bad.txt"],
            "bad.txt:3: 有待{提高: a '{' is not closed",
        ),
        (&["analyze", "--formulas", "bad.txt"], "bad.txt:3:"),
        // An archive that does not exist: were the dictionary not read first, serve would stop
        // on the archive (with another message), never hang listening.
        (
            &["serve", "--addr", "127.0.0.1:0", "--formulas", "bad.txt"],
            "bad.txt:3:",
        ),
        (
            &["check", doc, "--formulas", "missing.txt"],
            "missing.txt: cannot open formula dictionary",
        ),
        (
            &["check", doc, "--dict", "bad_dict.txt"],
            "bad_dict.txt:2: frequency 0",
        ),
        (
            &["analyze", "--dict", "missing.txt"],
            "missing.txt: cannot open dictionary",
        ),
        (
            &["check", doc, "--dict", "gbk.txt"],
            "gbk.txt:1: not UTF-8 text",
        ),
        (
            &["check", doc, "--formulas", "gbk.txt"],
            "gbk.txt:1: not UTF-8 text",
        ),
    ];
    for (args, expected) in cases {
        let archive = if args[0] == "serve" {
            "nowhere"
        } else {
            "arch"
        };
        let mut full = vec!["--archive", archive];
        full.extend_from_slice(args);
        let out = gongwen(dir, &full, None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: work was done before the error"
        );
    }
    // A file of comments only is read, and said to hold nothing.
    write(dir, "empty.txt", "# 还没有写\n\n".as_bytes());
    let out = gongwen(
        dir,
        &["--archive", "arch", "check", doc, "--formulas", "empty.txt"],
        None,
    );
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("empty.txt: holds no template"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_user_place_name_makes_an_example_naming_it_concrete() {
    // 胜利村 is a common village name that jieba knows only as a common noun (胜利村/n): the
    // example below names no place the analysis can see, until the user's dictionary tags it ns.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    archive(dir);
    write(
        dir,
        "材料.txt",
        "个人对照检查材料\n\n二、存在的问题\n（一）在联系服务群众方面。\n\
         1.调查研究不够深入。比如，在胜利村调研时，只听了村干部汇报，没有到农户家中了解情况。\n\
         2.解决群众急难愁盼问题不够及时。对群众反映的问题跟踪不够，满足于转交办理。\n\
         三、产生问题的原因\n宗旨意识有所淡化。\n"
            .as_bytes(),
    );
    write(dir, "地名.txt", "# 本县的村\n胜利村 ns\n".as_bytes());
    let verdicts = |v: &Value| -> Vec<(String, Vec<String>)> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let places = i["evidence"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|e| e["kind"] == "place")
                    .map(|e| e["text"].as_str().unwrap().to_string())
                    .collect();
                (i["verdict"].as_str().unwrap().to_string(), places)
            })
            .collect()
    };
    let plain = verdicts(&run_json(dir, &["check", "材料.txt"]));
    let own = verdicts(&run_json(dir, &["check", "材料.txt", "--dict", "地名.txt"]));
    assert_eq!(plain.len(), 2);
    assert_eq!(plain[0], ("generic".to_string(), vec![]));
    assert_eq!(own[0], ("concrete".to_string(), vec!["胜利村".to_string()]));
    // The other item does not change.
    assert_eq!(plain[1], own[1]);
}

/// The README's example formula file, on the demo document its section checks: the local phrase
/// it shows becomes 套话, found by the README's template.
#[test]
fn the_readme_formula_example_finds_what_it_shows_on_the_demo() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Your own dictionary and formulas"))
        .expect("README has a 'Your own dictionary and formulas' section");
    let file = section
        .split("```\n")
        .nth(1)
        .expect("the example file, in the section's first plain block");
    assert!(
        file.lines().filter(|l| l.contains('\t')).count() >= 3,
        "{file}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "本地套话.txt", file.as_bytes());
    let out = gongwen(dir, &["demo", "--out", "d"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = |extra: &[&str]| -> Value {
        let mut args = vec![
            "--archive",
            "d/archive",
            "check",
            "d/2022_刘文涛_局长_对照检查材料.txt",
            "--json",
        ];
        args.extend_from_slice(extra);
        let out = gongwen(dir, &args, None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let plain = check(&[]);
    let own = check(&["--formulas", "本地套话.txt"]);
    let found = matches_of(&own, "部署时热{、|，}落实中冷");
    assert!(
        found
            .iter()
            .any(|(kind, text)| *kind == "boilerplate" && text.contains("部署时热、落实中冷")),
        "{found:?}"
    );
    assert!(
        own["rates"]["boilerplate"].as_f64().unwrap()
            > plain["rates"]["boilerplate"].as_f64().unwrap(),
        "{} vs {}",
        own["rates"],
        plain["rates"]
    );
}
