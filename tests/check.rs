//! `gongwen check`: the 查重 of one document against the archive, through the real binary.

use std::path::Path;

use serde_json::Value;

use crate::util::{archive_json as json, gongwen, write};

const MANDATED: &str = "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，深刻领悟两个确立的决定性意义。";
const STOCK: &str = "对照党章党规和上级要求，认真查摆自身存在的突出问题，深刻剖析思想根源。";
const OWN_A: &str = "2023年5月，在推进石桥镇污水处理厂建设中，对群众反映的管网入户问题调研不深，项目拖期一年才完工。";
const OWN_A2: &str = "调研工作浮于表面，到东坪村走访农户只有3次，对困难群众的实际诉求掌握不全面，帮扶措施针对性不强。";
const OWN_C: &str =
    "柳塘镇农贸市场改造项目推进缓慢，摊位分配方案三易其稿，商户意见较大，至今仍有十二户没有入场。";

/// A small archive: 张三's 2023 material and its 2024 resubmission with the dates changed, 李四's
/// material that copies one of 张三's sentences, three other authors sharing one stock sentence,
/// and a mandated notice every material quotes.
fn archive(dir: &Path) {
    for sub in ["docs", "notice", "elsewhere"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let a = format!("{MANDATED}\n{OWN_A}\n{OWN_A2}\n{STOCK}\n");
    write(dir, "docs/2023_张三_镇长_对照检查材料.txt", a.as_bytes());
    let b = a.replace("2023年5月", "2024年6月").replace("3次", "4次");
    write(dir, "docs/2024_张三_镇长_对照检查材料.txt", b.as_bytes());
    let c = format!("{MANDATED}\n{OWN_C}\n{OWN_A2}\n");
    write(dir, "docs/2024_李四_镇长_对照检查材料.txt", c.as_bytes());
    for (n, who) in ["王五", "赵六", "钱七"].iter().enumerate() {
        let own = format!(
            "这是{who}自己写的第{n}段内容，谈的是本单位的具体工作安排，与他人材料并不相同。"
        );
        let text = format!("{own}\n{STOCK}\n");
        write(
            dir,
            &format!("docs/2024_{who}_局长_对照检查材料.txt"),
            text.as_bytes(),
        );
    }
    write(
        dir,
        "notice/2024_县委办_通知.txt",
        format!("各单位：{MANDATED}请认真准备。\n").as_bytes(),
    );
    let out = gongwen(dir, &["--archive", "arch", "add", "docs"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = gongwen(
        dir,
        &["--archive", "arch", "add", "notice", "--mandated"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn chars(s: &str, span: &Value) -> String {
    let (a, b) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    s.chars().skip(a).take(b - a).collect()
}

#[test]
fn check_types_every_shared_passage_and_flags_a_resubmission() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    archive(dir);
    let doc = "docs/2024_张三_镇长_对照检查材料.txt";
    let r = json(dir, &["check", doc]);
    let shown = json(dir, &["show", doc]);
    let text = shown["text"].as_str().unwrap();

    // Each kind where it was planted.
    let kinds: Vec<(&str, String)> = r["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap(),
                m["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let kind_of = |needle: &str| {
        kinds
            .iter()
            .find(|(_, t)| t.contains(needle))
            .map(|(k, _)| *k)
    };
    assert_eq!(kind_of("深刻领悟两个确立"), Some("mandated"), "{kinds:?}");
    assert_eq!(kind_of("石桥镇污水处理厂"), Some("self_reuse"), "{kinds:?}");
    assert_eq!(
        kind_of("认真查摆自身存在"),
        Some("boilerplate"),
        "{kinds:?}"
    );
    // Shared with 张三's own earlier year and with 李四: copied takes precedence over self-reuse
    // (INTERFACE.md), and both sources are listed with their relation.
    assert_eq!(kind_of("东坪村走访农户"), Some("copied"), "{kinds:?}");
    let both = r["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["text"].as_str().unwrap().contains("东坪村走访农户"))
        .unwrap();
    let relations: Vec<(&str, &str)> = both["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["author"].as_str().unwrap(),
                s["relation"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        relations.contains(&("张三", "self_reuse")) && relations.contains(&("李四", "copied")),
        "{relations:?}"
    );

    // Spans are characters into the stored text, and carry their text.
    for m in r["matches"].as_array().unwrap() {
        assert_eq!(chars(text, &m["span"]), m["text"].as_str().unwrap());
        for s in m["sources"].as_array().unwrap() {
            assert!(s["doc_id"].is_string() && s["path"].is_string());
            assert!(s["text"].as_str().unwrap().chars().count() >= 13);
        }
    }
    // The direction is visible: the self-reused passage's source is the earlier year.
    let own = r["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["text"].as_str().unwrap().contains("石桥镇污水处理厂"))
        .unwrap();
    assert!(
        own["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["year"] == 2023 && s["relation"] == "self_reuse")
    );

    let rates = &r["rates"];
    let sum: f64 = ["copied", "self_reuse", "mandated", "boilerplate"]
        .iter()
        .map(|k| rates[k].as_f64().unwrap())
        .sum();
    assert!(rates["self_reuse"].as_f64().unwrap() > 0.2, "{rates}");
    assert!(rates["copied"].as_f64().unwrap() > 0.2, "{rates}");
    assert!(rates["mandated"].as_f64().unwrap() > 0.1, "{rates}");
    assert!(
        (r["cnki"]["total"].as_f64().unwrap() - sum).abs() < 0.002,
        "{r}"
    );
    assert!(
        r["cnki"]["excluding_mandated"].as_f64().unwrap() < r["cnki"]["total"].as_f64().unwrap()
    );

    let flags = r["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0]["kind"], "only_names_changed");
    assert!(flags[0]["message"].as_str().unwrap().contains("张三"));

    // 李四's material: the sentence taken from 张三 is copied, with 张三's documents as sources.
    let r = json(dir, &["check", "docs/2024_李四_镇长_对照检查材料.txt"]);
    let copied: Vec<&Value> = r["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "copied")
        .collect();
    assert_eq!(copied.len(), 1, "{r}");
    assert!(copied[0]["text"].as_str().unwrap().contains("东坪村"));
    assert!(
        copied[0]["sources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["author"] == "张三")
    );
    assert!(r["flags"].as_array().unwrap().is_empty());
}

#[test]
fn a_document_is_never_compared_with_itself_or_a_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    archive(dir);
    let original = std::fs::read(dir.join("docs/2024_王五_局长_对照检查材料.txt")).unwrap();
    write(dir, "elsewhere/copy.txt", &original);
    for doc in ["docs/2024_王五_局长_对照检查材料.txt", "elsewhere/copy.txt"] {
        let r = json(dir, &["check", doc]);
        for m in r["matches"].as_array().unwrap() {
            for s in m["sources"].as_array().unwrap() {
                assert_ne!(s["author"], "王五", "{doc}: {m}");
            }
        }
        // Only the stock sentence is shared (with the two other authors).
        assert!(
            r["rates"]["copied"].as_f64().unwrap() + r["rates"]["self_reuse"].as_f64().unwrap()
                < 0.6
        );
    }
}

#[test]
fn check_on_bad_input_is_loud_and_never_nan() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // No archive, a missing file: usage/fatal errors.
    let out = gongwen(dir, &["--archive", "arch", "check", "nothing.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    write(dir, "one.txt", "这是一份只有一句话的材料。".as_bytes());
    let out = gongwen(dir, &["--archive", "arch", "add", "one.txt"], None);
    assert!(out.status.success());
    let out = gongwen(dir, &["--archive", "arch", "check", "nothing.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing.txt"));
    // The only document: nothing to compare with, rates 0 and a notice.
    let out = gongwen(
        dir,
        &["--archive", "arch", "check", "one.txt", "--json"],
        None,
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no other document"));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["rates"]["copied"], 0.0);
    assert_eq!(r["cnki"]["total"], 0.0);
    // No countable characters: rates 0, not NaN.
    write(dir, "punct.txt", "，。、；\n——\n".as_bytes());
    let r = json(dir, &["check", "punct.txt"]);
    assert_eq!(r["doc"]["chars"], 0);
    assert_eq!(r["rates"]["boilerplate"], 0.0);
}

#[test]
fn analyze_gives_every_document_its_rates_and_each_author_a_series() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    archive(dir);
    let r = json(dir, &["analyze"]);
    let docs = r["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 7, "{r}");
    let row = |author: &str, year: u64| {
        docs.iter()
            .find(|d| d["author"] == author && d["year"] == year)
            .unwrap_or_else(|| panic!("{author} {year}"))
    };
    // The same figures as check gives for one document.
    let one = json(dir, &["check", "docs/2024_张三_镇长_对照检查材料.txt"]);
    assert_eq!(row("张三", 2024)["rates"], one["rates"]);
    assert_eq!(
        row("张三", 2024)["flags"],
        serde_json::json!(["only_names_changed"])
    );
    assert!(row("张三", 2023)["flags"].as_array().unwrap().is_empty());

    let series = r["series"].as_array().unwrap();
    let zhang = series
        .iter()
        .find(|s| s["by"] == "author" && s["name"] == "张三")
        .expect("张三's series");
    let years = zhang["years"].as_array().unwrap();
    assert_eq!(years[0]["year"], 2023);
    assert!(years[0]["reused_from_previous"].is_null());
    assert!(
        years[1]["reused_from_previous"].as_f64().unwrap() > 0.9,
        "{zhang}"
    );
    // The sentence 李四 copied from 张三 is a cluster of the three documents, earliest first.
    let cluster = r["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["text"].as_str().unwrap().contains("东坪村走访农户"))
        .expect("the copied sentence's cluster");
    let members = cluster["members"].as_array().unwrap();
    assert_eq!(members.len(), 3, "{cluster}");
    assert_eq!(members[0]["year"], 2023);
}

/// The demo corpus, added as a user would: `add --manifest` alone adds the files it lists.
fn demo_archive(dir: &Path) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/demo");
    let m = demo.join("manifest.csv").to_string_lossy().into_owned();
    let out = gongwen(
        dir,
        &["--archive", "arch", "add", "--manifest", &m, "--json"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let added: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = std::fs::read_to_string(&m).unwrap().lines().skip(1).count();
    assert_eq!(added["added"].as_u64(), Some(listed as u64), "{added}");
}

fn demo(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpora/demo")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn check_finds_what_the_demo_corpus_plants() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    demo_archive(dir);

    // 赵德明 2024 = 2023 with the dates and the theme changed.
    let r = json(dir, &["check", &demo("2024_赵德明_局长_对照检查材料.txt")]);
    let flags = r["flags"].as_array().unwrap();
    assert!(
        flags.iter().any(|f| f["kind"] == "only_names_changed"),
        "{flags:?}"
    );
    assert!(
        r["rates"]["self_reuse"].as_f64().unwrap() > 0.6,
        "{}",
        r["rates"]
    );
    assert_eq!(
        r["cnki"]["largest_source"]["share"]
            .as_f64()
            .map(|s| s > 0.9),
        Some(true)
    );
    // M2024 is mandated, not copied.
    let m2024 = "以党纪学习教育为契机，引导党员干部学纪、知纪、明纪、守纪";
    let kind = |r: &Value, needle: &str| {
        r["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["text"].as_str().unwrap().contains(needle))
            .map(|m| m["kind"].as_str().unwrap().to_string())
    };
    assert_eq!(kind(&r, m2024).as_deref(), Some("mandated"));
    // The 2023 original is not flagged: its twin is later.
    let r = json(dir, &["check", &demo("2023_赵德明_局长_对照检查材料.txt")]);
    assert!(r["flags"].as_array().unwrap().is_empty(), "{}", r["flags"]);
    // Nor counted as reusing its later twin: what it shares only with the 2024 material is its
    // own text, `later`, in no rate and no CNKI figure, the 2024 twin named as a later source.
    let rates = &r["rates"];
    assert!(rates["self_reuse"].as_f64().unwrap() < 0.05, "{rates}");
    assert!(rates["later"].as_f64().unwrap() > 0.6, "{rates}");
    assert!(r["cnki"]["total"].as_f64().unwrap() < 0.4, "{}", r["cnki"]);
    let later: Vec<&Value> = r["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "later")
        .collect();
    assert!(!later.is_empty());
    for m in later {
        // A run's sources are every passage overlapping it: the later ones come first.
        let sources = m["sources"].as_array().unwrap();
        assert_eq!(sources[0]["relation"], "later", "{m}");
        for s in sources.iter().filter(|s| s["relation"] == "later") {
            assert!(s["year"].as_u64().unwrap() > 2023, "{s}");
        }
    }

    // 黄晓峰 2024 copied 林海燕 2024, with 东坪村 left in. The named project 东坪村千亩茶园提质改造项目
    // is in three authors' materials, but facts are never boilerplate.
    let r = json(dir, &["check", &demo("2024_黄晓峰_镇长_对照检查材料.txt")]);
    assert_ne!(
        kind(&r, "东坪村千亩茶园提质改造项目").as_deref(),
        Some("boilerplate")
    );
    // The source's township left in the copy is flagged; the source itself is not.
    let foreign: Vec<&Value> = r["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "foreign_names")
        .collect();
    assert_eq!(foreign.len(), 1, "{foreign:?}");
    assert!(foreign[0]["message"].as_str().unwrap().contains("石桥镇"));
    let lin = json(
        dir,
        &["check", &demo("2024_林海燕_党委副书记_对照检查材料.txt")],
    );
    assert!(
        !lin["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "foreign_names"),
        "{}",
        lin["flags"]
    );
    let from_lin: f64 = r["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["kind"] == "copied"
                && m["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["author"] == "林海燕")
        })
        .map(|m| {
            m["text"]
                .as_str()
                .unwrap()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .count() as f64
        })
        .sum::<f64>()
        / r["doc"]["chars"].as_f64().unwrap();
    assert!(from_lin > 0.4, "share copied from 林海燕: {from_lin}");
    assert_eq!(
        kind(&r, "到新河村、东坪村等山区村的偏远村民小组走访少").as_deref(),
        Some("copied")
    );

    // 刘文涛's item repeated three years running is self-reused in 2024.
    let r = json(dir, &["check", &demo("2024_刘文涛_局长_对照检查材料.txt")]);
    assert_eq!(
        kind(&r, "走进课堂听课、同一线教师和学生家长面对面交流").as_deref(),
        Some("self_reuse")
    );
    // …and flagged as a repeated problem, in 2023 and 2024 but not in 2022, its first year.
    let repeated = |name: &str| -> Vec<String> {
        json(dir, &["check", &demo(name)])["flags"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == "repeated_problem")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    for year in ["2023", "2024"] {
        let flags = repeated(&format!("{year}_刘文涛_局长_对照检查材料.txt"));
        assert!(
            flags.iter().any(|m| m.contains("调查研究不够深入")),
            "{year}: {flags:?}"
        );
    }
    assert!(repeated("2022_刘文涛_局长_对照检查材料.txt").is_empty());
}

#[test]
fn check_gives_every_problem_item_a_verdict_with_its_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    demo_archive(dir);
    let counts = |name: &str| {
        let r = json(dir, &["check", &demo(name)]);
        let text = std::fs::read_to_string(demo(name)).unwrap();
        for item in r["items"].as_array().unwrap() {
            let v = item["verdict"].as_str().unwrap();
            assert!(["concrete", "generic", "none"].contains(&v), "{item}");
            // Evidence lies inside the item's scope, and its text is what the span covers.
            let (s, e) = (
                item["scope"][0].as_u64().unwrap(),
                item["scope"][1].as_u64().unwrap(),
            );
            for ev in item["evidence"].as_array().unwrap() {
                assert!(
                    ev["span"][0].as_u64().unwrap() >= s && ev["span"][1].as_u64().unwrap() <= e
                );
                assert_eq!(chars(&text, &ev["span"]), ev["text"].as_str().unwrap());
            }
            assert_eq!(
                v == "none",
                item["evidence"].as_array().unwrap().is_empty(),
                "{item}"
            );
        }
        let s = &r["specificity"];
        let n = |k: &str| s[k].as_u64().unwrap();
        assert!(
            r["verdict"].as_str().unwrap().contains("条问题中"),
            "{}",
            r["verdict"]
        );
        (n("concrete"), n("concrete") + n("generic") + n("none"))
    };
    // Planted (corpora/demo/README.md): 12 of 13 items with a concrete case.
    let (concrete, all) = counts("2024_周建国_县委书记_对照检查材料.txt");
    assert_eq!(all, 13);
    assert!(concrete >= 11, "{concrete} of {all}");
    // Planted: stock phrases only, and examples that name only categories.
    for name in [
        "2022_周建国_县委书记_对照检查材料.txt",
        "2024_杨秀英_局长_对照检查材料.txt",
        "2021_杨秀英_局长_对照检查材料.txt",
    ] {
        let (concrete, all) = counts(name);
        assert_eq!(concrete, 0, "{name}: {concrete} of {all} called concrete");
        assert!(all >= 13, "{name}: {all} items");
    }
}

/// Format 7 keeps each document's signature: an archive of format 6 has none, so every command
/// refuses it (exit 2) with the way out, and `add` does not write into it.
#[test]
fn an_archive_of_the_previous_format_is_refused_with_a_message_to_re_add() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.txt", format!("{OWN_A}\n{STOCK}\n").as_bytes());
    let out = gongwen(dir, &["--archive", "arch", "add", "a.txt"], None);
    assert!(out.status.success());
    let marker = dir.join("arch/gongwen-archive.json");
    std::fs::write(&marker, "{\"gongwen_archive_format\": 6}\n").unwrap();
    let before = std::fs::read_dir(dir.join("arch/index")).unwrap().count();
    for args in [
        &["check", "a.txt"][..],
        &["analyze"],
        &["search", "石桥镇"],
        &["add", "a.txt"],
    ] {
        let mut full = vec!["--archive", "arch"];
        full.extend_from_slice(args);
        let out = gongwen(dir, &full, None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("format 6") && err.contains("again"), "{err}");
    }
    assert_eq!(
        std::fs::read_dir(dir.join("arch/index")).unwrap().count(),
        before
    );
}

/// The archive keeps each document's signature with the document: a document sharing a passage
/// is a candidate and an unrelated one is not; a replaced or removed one is found no more; the
/// document excluded never is.
#[test]
fn signatures_follow_add_replace_and_remove() {
    use gongwen::{Archive, CandidateConfig, MetadataResolver, fingerprints};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let unrelated =
        "今年全县粮食播种面积稳定在八十万亩以上，新建高标准农田三万亩，农民收入稳步增长。";
    write(dir, "a.txt", format!("{OWN_A}\n{OWN_A2}\n").as_bytes());
    write(dir, "b.txt", format!("{unrelated}\n{OWN_A2}\n").as_bytes());
    write(dir, "c.txt", format!("{unrelated}\n{OWN_C}\n").as_bytes());
    let archive = Archive::open_or_create(&dir.join("arch"), crate::util::segmenter()).unwrap();
    let files: Vec<_> = ["a.txt", "b.txt", "c.txt"]
        .iter()
        .map(|f| dir.join(f))
        .collect();
    let add = |archive: &Archive| {
        let r = archive
            .add(&files, &MetadataResolver::default(), &|_| {})
            .unwrap();
        assert_eq!(r.failed, 0);
    };
    add(&archive);
    let query = fingerprints(&format!("另起一段的开头。{OWN_A2}另起一段的结尾。"));
    let found = |archive: &Archive, exclude: Option<&gongwen::DocId>| -> Vec<String> {
        let c = archive
            .candidates(&query, exclude, &CandidateConfig::default(), |_| 3)
            .unwrap();
        // An archive this small is aligned whole: every other document is a candidate, those
        // sharing no fingerprint last with 0.
        assert_eq!(c.ranked.len(), c.documents - usize::from(c.excluded));
        let sharing: Vec<&(gongwen::DocRecord, usize)> =
            c.ranked.iter().filter(|(_, n)| *n > 0).collect();
        assert_eq!(c.found, sharing.len());
        let mut names: Vec<String> = sharing
            .iter()
            .map(|(r, _)| {
                std::path::Path::new(&r.path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    };
    assert_eq!(found(&archive, None), ["a.txt", "b.txt"]);
    let a_id = gongwen::DocId::for_path(&dir.join("a.txt").canonicalize().unwrap());
    assert_eq!(found(&archive, Some(&a_id)), ["b.txt"]);
    write(dir, "b.txt", format!("{unrelated}\n{OWN_C}\n").as_bytes());
    add(&archive);
    assert_eq!(found(&archive, None), ["a.txt"]);
    archive
        .remove(&[dir.join("a.txt").to_string_lossy().into_owned()])
        .unwrap();
    assert!(found(&archive, None).is_empty());
}
