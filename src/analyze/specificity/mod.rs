//! Specificity of problem items: does an item show its problem by one real instance from the
//! author's own work (`concrete`), only by a category of behaviour or a topic (`generic`), or not
//! at all (`none`)? The official standard asks that problems be 具化细化量化; this is how a reviewer
//! checks it, item by item, with the evidence in hand.
//!
//! - An item's **scope** is its text after its last turn from praise to problem that comes before
//!   its first example: a 但对照… turn always, a plain 但 only after words of praise (能够, 始终 …),
//!   so that 虽然没有发生事故，但反映出…… keeps its instance. The praise never counts.
//! - **Strong anchors** name an instance: a time finer than a year (2023年5月, 今年1月份, 2023年上半年),
//!   a number with a unit or a percentage (3次, 60%, 百分之二十一点七; not a bare year), a named
//!   project or facility (东坪村千亩茶园提质改造项目, 石桥老街改造). **Supporting anchors** name the
//!   setting: a township, village or community by name, a redaction (`**`), an incident (信访, 事故),
//!   a count in words (两个学区); they show an instance only two kinds together or after an example
//!   marker — a place alone is the field of the work (如何在柳塘镇落地见效研究不深).
//! - **Weak anchors** name a category: an example marker (比如) followed by topics, an enumeration
//!   (…、…等), habitual behaviour (有时, 满足于, 汇报多…了解情况少), a recurring period (汛期期间),
//!   a field of work from dictionaries/domains.txt (中小微企业, 村党组织).
//! - A strong anchor counts only where its sentence states the failing, and not as the date or
//!   figure of a plan, meeting or document ([`failing`]); names of places and projects must be
//!   names, not verbs or common words before the suffix ([`names`]: 结合镇情 is no town).
//! - Verdict: `concrete` with an instance in scope; else `generic` with a weak anchor; else `none`.
//!
//! The rubric is tests/labels/RUBRIC.md; tests/specificity.rs measures the verdicts against two
//! independent labellings.
//!
//! The document-level [`SpecificityReport::per_100_words`] counts strong anchors in the whole text
//! per 100 words, in the spirit of Hope, Hu & Lu (2016).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::document::{Outline, SectionKind, markers};
use crate::segment::Segmenter;
use crate::span::ByteSpan;

mod failing;
mod names;

use names::Names;

/// How specific a problem item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Names a specific instance: an event, project, place, time, number, case.
    Concrete,
    /// Gives an example or elaboration naming only a category of behaviour or a topic.
    Generic,
    /// Abstract self-assessment only.
    None,
}

impl Verdict {
    /// The verdict as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Concrete => "concrete",
            Verdict::Generic => "generic",
            Verdict::None => "none",
        }
    }

    /// Its Chinese label, for people.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Concrete => "有具体事例",
            Verdict::Generic => "仅有类别",
            Verdict::None => "空泛",
        }
    }
}

/// What a piece of evidence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A time finer than a year.
    Time,
    /// A number with a unit, or a percentage.
    Quantity,
    /// A township, village, community or street by name.
    Place,
    /// A named project, campaign or programme.
    Project,
    /// A concrete incident: 信访事件, 事故, 上访 …
    Incident,
    /// A count that sizes the setting rather than measures the failing: a count in words
    /// (两个学区, 三次), or the size of the field of the work (全县18个乡镇).
    Count,
    /// A redaction standing for a hidden name or number.
    Redaction,
    /// An example marker: 比如, 例如 …
    Example,
    /// An enumeration of topics: …、…等.
    Enumeration,
    /// Behaviour described as a habit: 有时, 有的, 往往, 满足于 …
    Habit,
    /// A recurring period rather than a date: 汛期期间, 春节前后.
    Period,
    /// A field or object of the work (dictionaries/domains.txt): 中小微企业, 村党组织, 专项资金.
    Domain,
}

impl EvidenceKind {
    /// Whether it names an instance (a strong anchor).
    pub fn is_strong(self) -> bool {
        !matches!(
            self,
            EvidenceKind::Example
                | EvidenceKind::Enumeration
                | EvidenceKind::Habit
                | EvidenceKind::Period
                | EvidenceKind::Domain
        )
    }

    /// The kind as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Time => "time",
            EvidenceKind::Quantity => "quantity",
            EvidenceKind::Place => "place",
            EvidenceKind::Project => "project",
            EvidenceKind::Incident => "incident",
            EvidenceKind::Count => "count",
            EvidenceKind::Period => "period",
            EvidenceKind::Domain => "domain",
            EvidenceKind::Redaction => "redaction",
            EvidenceKind::Example => "example",
            EvidenceKind::Enumeration => "enumeration",
            EvidenceKind::Habit => "habit",
        }
    }

    /// Its Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::Time => "时间",
            EvidenceKind::Quantity => "数量",
            EvidenceKind::Place => "地点",
            EvidenceKind::Project => "项目",
            EvidenceKind::Incident => "事件",
            EvidenceKind::Count => "数量",
            EvidenceKind::Period => "时段",
            EvidenceKind::Domain => "领域",
            EvidenceKind::Redaction => "隐去的名称",
            EvidenceKind::Example => "举例",
            EvidenceKind::Enumeration => "列举类别",
            EvidenceKind::Habit => "泛指行为",
        }
    }
}

/// One piece of evidence: what it is and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// What it is.
    pub kind: EvidenceKind,
    /// Where, in the document's text.
    pub span: ByteSpan,
}

/// The verdict on one problem item.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemVerdict {
    /// The heading of the section the item belongs to.
    pub section: ByteSpan,
    /// The item's claim.
    pub claim: ByteSpan,
    /// The whole item.
    pub span: ByteSpan,
    /// The part that counts: after the praise.
    pub scope: ByteSpan,
    /// The verdict.
    pub verdict: Verdict,
    /// What decided it: the strong anchors for `concrete`, the weak ones for `generic`.
    pub evidence: Vec<Evidence>,
}

/// Specificity of one document.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecificityReport {
    /// Each problem item, in document order.
    pub items: Vec<ItemVerdict>,
    /// Strong anchors in the whole text.
    pub anchors: usize,
    /// Strong anchors per 100 words (`words` given by the caller's segmenter).
    pub per_100_words: f64,
}

impl SpecificityReport {
    /// How many items have each verdict: (concrete, generic, none).
    pub fn counts(&self) -> (usize, usize, usize) {
        self.items
            .iter()
            .fold((0, 0, 0), |(c, g, n), i| match i.verdict {
                Verdict::Concrete => (c + 1, g, n),
                Verdict::Generic => (c, g + 1, n),
                Verdict::None => (c, g, n + 1),
            })
    }
}

/// A time finer than a year.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月(?:份|\s*\d{1,2}\s*日|初|中旬|下旬|底|上旬)?",
        r"|(?:19|20)\d{2}\s*年(?:上半年|下半年|初|底|年初|年底|春节|国庆|汛期|第?[一二三四]季度)",
        r"|(?:今年|去年|前年|上年|当年)(?:[一二三四五六七八九十]{1,2}月份?|初|底|年初|年底|上半年|下半年|春节|汛期)",
        r"|[一二三四五六七八九十]{1,2}月(?:份|[一二三四五六七八九十]{1,3}日)",
    ))
    .expect("static regex")
});

/// A recurring period: a season of the work, not a date.
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:汛期|防汛|春节|国庆|中秋|元旦|开学|假期|农忙)(?:期间|前后|前夕|初)")
        .expect("static regex")
});

/// A percentage in words: 百分之二十一点七, 十三个百分点.
static PERCENT_IN_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("百分之[零一二三四五六七八九十百点]+|[一二三四五六七八九十]+个百分点")
        .expect("static regex")
});

/// A count in words with a unit: 两个学区, 三次; not the numbered formulas (两个确立, 四个意识).
static COUNT_IN_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("[两三四五六七八九十百千]+(?:个|次|名|户|家|起|件|项|天|人|年|所|条)")
        .expect("static regex")
});

/// What follows 两个/四个 in the numbered formulas of party language.
const FORMULA_TAILS: &[&str] = &[
    "确立",
    "维护",
    "意识",
    "自信",
    "务必",
    "全面",
    "一百年",
    "结合",
    "先行",
    "机遇",
    "大局",
    "作风",
    "责任",
    "体系",
    "代表",
    "坚持",
    "服务",
    "敢于",
    "不",
    "必须",
    "决不",
    "伟大",
    "关键",
    "基本",
];

/// A number with a unit, or a percentage; a four-digit year alone is not one.
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\d+(?:\.\d+)?\s*(?:%|％|个百分点|人次|万人|万元|亿元|千元|余元|元|万|亿|个|次|人|件|项|起|户|家|天|",
        r"小时|公里|千米|米|亩|平方米|名|场|批|所|条|篇|份|台|辆|吨|分钟|周|个月|年)",
    ))
    .expect("static regex")
});

/// A township, village, community or street by name: the two characters before the suffix, which
/// [`Names`] checks and may grow to whole words.
static PLACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\p{Han}{2})(镇|乡|村|街道|社区|居委会)").expect("static regex"));

/// A named project or campaign: a quoted name ending in a project word; a place by name, then
/// what is built, ending in 工程/项目; or a facility by name (石桥工业集中区, 石桥老街改造).
static PROJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"“[^”]{2,20}(?:工程|项目|行动|活动|计划|品牌|平台|工作法|示范区|产业园)”",
        r"|(?P<place>\p{Han}{2})(?P<suffix>镇|乡|村|县|区)(?P<what>[\p{Han}\d]{2,12})(?:工程|项目)",
        r"|(?P<name>\p{Han}{2})(?P<facility>工业集中区|工业园区|工业园|产业园区|产业园|经济开发区|开发区|",
        r"高新区|老街|新区|片区|景区|水库|大桥|农贸市场|商贸城)(?:改造|扩区|建设|提升|搬迁)?",
    ))
    .expect("static regex")
});

/// Words that name a kind of project, not one: 重点项目, 民生工程, 招商引资项目.
const PROJECT_KINDS: &[&str] = &[
    "重点",
    "重大",
    "民生",
    "实事",
    "惠民",
    "招商",
    "引资",
    "产业",
    "基础设施",
    "基建",
    "在建",
    "新建",
    "续建",
    "储备",
    "各类",
    "相关",
    "有关",
    "部分",
    "建设",
    "投资",
    "扶贫",
    "帮扶",
    "农业",
    "工业",
    "水利",
    "交通",
    "市政",
    "城建",
    "乡村振兴",
    "政府",
    "上级",
    "专项",
    "示范",
    "试点",
    "各项",
    "一批",
    "有些",
    "一些",
    "个别",
];

/// Whether what a place's project builds names one thing (千亩茶园提质改造), not a kind of
/// project (重点) or two things joined (招商引资和项目建设).
fn names_one_project(what: &str) -> bool {
    if what.contains(['和', '与', '及', '或', '、', '并']) {
        return false;
    }
    let mut rest = what.to_string();
    for k in PROJECT_KINDS {
        rest = rest.replace(k, "");
    }
    rest.chars().filter(|c| c.is_alphanumeric()).count() >= 2
}

/// Concrete incidents.
static INCIDENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"信访事件|群体性事件|信访案件|集体上访|越级上访|上访|安全事故|生产事故|交通事故|火灾|",
        r"舆情事件|被约谈|被通报|被问责|受到通报|受到处分|被曝光|投诉举报|投诉|",
        // The sanctions of a discipline case: the instance of a failing of supervision.
        r"立案审查|立案调查|被立案|通报批评|提醒谈话|诫勉谈话|党纪处分|政务处分",
    ))
    .expect("static regex")
});

/// Redactions in material that was made public.
static REDACTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*{2,}|×{2,}|ＸＸ|XX").expect("static regex"));

/// An enumeration of topics: at least two 、-separated parts closed by 等.
static ENUMERATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Han}{2,12}(?:、\p{Han}{2,12})+等").expect("static regex"));

/// The fields and objects of work of dictionaries/domains.txt, longest first.
static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    let mut words: Vec<&str> = include_str!("../../../dictionaries/domains.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    Regex::new(&alternation.join("|")).expect("escaped words")
});

/// Behaviour described as a habit.
static HABIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"有时|有的|有些|偶尔|往往|常常|时常|总是|满足于|习惯于|停留在|多是|大多|只是|仅仅|",
        r"存在[^。；]{1,20}(?:现象|情况|倾向|问题)|不同程度|",
        // X多、Y少: 听取汇报多，到群众家中了解情况少.
        r"\p{Han}{2,12}多[，、]\p{Han}{2,14}少",
    ))
    .expect("static regex")
});

/// A strong anchor, and whether it is of the kinds an enumeration makes a category of: a place or
/// a facility in 对石门乡辖区内小作坊、山塘水库等重点领域 is a field of the work.
#[derive(Clone, Copy, Debug)]
struct Anchor {
    evidence: Evidence,
    listable: bool,
}

/// Counts in words that begin a numbered formula of the political dictionary (八项规定, 三会一课,
/// 两个确立): names, not counts.
static NUMBERED_FORMULAS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    crate::segment::POLITICAL
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.starts_with(|c| "一二两三四五六七八九十百千第".contains(c)))
        .collect()
});

/// Strong anchors in `text[range]`, in order, not overlapping. Names of places and projects are
/// checked by `names`.
fn strong_anchors(text: &str, range: ByteSpan, names: &Names<'_>) -> Vec<Anchor> {
    let body = &text[range.range()];
    let at = |m: regex::Match<'_>| ByteSpan::new(range.start + m.start(), range.start + m.end());
    let mut out = Vec::new();
    let mut add = |kind, span: ByteSpan, listable: bool| {
        out.push(Anchor {
            evidence: Evidence { kind, span },
            listable,
        });
    };
    for m in TIME.find_iter(body) {
        add(EvidenceKind::Time, at(m), false);
    }
    for m in QUANTITY.find_iter(body) {
        // 2023年 is a year, not a quantity.
        let s = m.as_str();
        if s.ends_with('年') && s.trim_end_matches('年').trim().len() == 4 {
            continue;
        }
        add(EvidenceKind::Quantity, at(m), false);
    }
    for c in PLACE.captures_iter(body) {
        let (name, suffix) = (
            at(c.get(1).expect("group 1")),
            at(c.get(2).expect("group 2")),
        );
        if let Some(place) = names.name_before(text, name.start, suffix) {
            add(EvidenceKind::Place, place, true);
        }
    }
    for m in PERCENT_IN_WORDS.find_iter(body) {
        add(EvidenceKind::Quantity, at(m), false);
    }
    for m in COUNT_IN_WORDS.find_iter(body) {
        let rest = &body[m.end()..];
        let quoted = body[..m.start()].ends_with('“');
        let formula = NUMBERED_FORMULAS
            .iter()
            .any(|f| body[m.start()..].starts_with(f) || body[..m.end()].ends_with(f));
        if quoted || formula || FORMULA_TAILS.iter().any(|t| rest.starts_with(t)) {
            continue;
        }
        add(EvidenceKind::Count, at(m), false);
    }
    for c in PROJECT.captures_iter(body) {
        let whole = at(c.get(0).expect("group 0"));
        if let (Some(place), Some(suffix), Some(what)) =
            (c.name("place"), c.name("suffix"), c.name("what"))
        {
            // A project named after a place: the place must be a name (东坪村…项目), not a verb
            // (加强乡村振兴重点项目), and what it builds one thing, not a kind.
            let Some(name) = names.name_before(text, at(place).start, at(suffix)) else {
                continue;
            };
            if !names_one_project(what.as_str()) {
                continue;
            }
            add(
                EvidenceKind::Project,
                ByteSpan::new(name.start, whole.end),
                false,
            );
        } else if let (Some(name), Some(facility)) = (c.name("name"), c.name("facility")) {
            let Some(name) = names.name_before(text, at(name).start, at(facility)) else {
                continue;
            };
            add(
                EvidenceKind::Project,
                ByteSpan::new(name.start, whole.end),
                true,
            );
        } else {
            add(EvidenceKind::Project, whole, false);
        }
    }
    for m in INCIDENT.find_iter(body) {
        add(EvidenceKind::Incident, at(m), false);
    }
    for m in REDACTION.find_iter(body) {
        add(EvidenceKind::Redaction, at(m), false);
    }
    out.sort_by_key(|a| {
        (
            a.evidence.span.start,
            std::cmp::Reverse(a.evidence.span.end),
        )
    });
    let mut kept: Vec<Anchor> = Vec::with_capacity(out.len());
    for a in out {
        if kept
            .last()
            .is_none_or(|l| a.evidence.span.start >= l.evidence.span.end)
        {
            kept.push(a);
        }
    }
    kept
}

/// Anchors that name the setting rather than the instance: a place (如何在柳塘镇落地见效研究不深
/// names the field of the work), a redaction (有利于**发展), an incident without a count or a
/// time (多起安全事故), a count in words (两个学区).
fn is_supporting(kind: EvidenceKind) -> bool {
    matches!(
        kind,
        EvidenceKind::Place
            | EvidenceKind::Redaction
            | EvidenceKind::Incident
            | EvidenceKind::Count
    )
}

/// The strong anchors of an item's scope that show an instance: those about the failing
/// ([`failing::about_the_failing`]), and of those, an anchor that names a time, a quantity or a
/// project shows one by itself; supporting anchors ([`is_supporting`]) only two of different
/// kinds together, or one after an example marker; a place or a facility inside an enumeration
/// (到新河村、东坪村等山区村) never.
fn instances(
    text: &str,
    scope: ByteSpan,
    claim: ByteSpan,
    example: Option<usize>,
    names: &Names<'_>,
) -> Vec<Evidence> {
    let enumerations: Vec<ByteSpan> = ENUMERATION
        .find_iter(&text[scope.range()])
        .map(|m| ByteSpan::new(scope.start + m.start(), scope.start + m.end()))
        .collect();
    let mut strong: Vec<Evidence> = strong_anchors(text, scope, names)
        .into_iter()
        .filter(|a| {
            let e = a.evidence;
            !(a.listable
                && enumerations
                    .iter()
                    .any(|n| n.start <= e.span.start && e.span.end <= n.end))
        })
        .map(|a| a.evidence)
        .filter(|e| failing::about_the_failing(text, scope, claim, e, example))
        .map(|e| match e.kind {
            EvidenceKind::Quantity if failing::sizes_the_field(text, e.span) => Evidence {
                kind: EvidenceKind::Count,
                ..e
            },
            _ => e,
        })
        .collect();
    let standalone = strong.iter().any(|e| !is_supporting(e.kind));
    let mut kinds: Vec<EvidenceKind> = strong.iter().map(|e| e.kind).collect();
    kinds.sort();
    kinds.dedup();
    let after_example = example.is_some_and(|x| strong.iter().any(|e| e.span.start >= x));
    if !(standalone || kinds.len() >= 2 || after_example) {
        strong.clear();
    }
    strong
}

/// The facts of a text — times, numbers with units, places, named projects — which are never
/// stock phrasing, however common the sentence around them: the boilerplate of the reuse check
/// leaves them out. Names are checked by their characters only (no segmenter here).
pub(crate) fn facts(text: &str) -> Vec<Evidence> {
    strong_anchors(text, ByteSpan::new(0, text.len()), &Names::new(None))
        .into_iter()
        .map(|a| a.evidence)
        .filter(|e| {
            matches!(
                e.kind,
                EvidenceKind::Time
                    | EvidenceKind::Quantity
                    | EvidenceKind::Place
                    | EvidenceKind::Project
            )
        })
        .collect()
}

/// Weak anchors in `text[range]`, in order.
fn weak_anchors(text: &str, range: ByteSpan) -> Vec<Evidence> {
    let body = &text[range.range()];
    let mut out: Vec<Evidence> = markers::example_markers(text, range)
        .into_iter()
        .map(|m| Evidence {
            kind: EvidenceKind::Example,
            span: m.word,
        })
        .collect();
    for (kind, re) in [
        (EvidenceKind::Enumeration, &*ENUMERATION),
        (EvidenceKind::Habit, &*HABIT),
        (EvidenceKind::Period, &*PERIOD),
        (EvidenceKind::Domain, &*DOMAIN),
    ] {
        for m in re.find_iter(body) {
            out.push(Evidence {
                kind,
                span: ByteSpan::new(range.start + m.start(), range.start + m.end()),
            });
        }
    }
    dedup(out)
}

/// Sorted by start; of overlapping pieces the first (then longest) is kept.
fn dedup(mut v: Vec<Evidence>) -> Vec<Evidence> {
    v.sort_by_key(|e| (e.span.start, std::cmp::Reverse(e.span.end)));
    let mut out: Vec<Evidence> = Vec::with_capacity(v.len());
    for e in v {
        if out.last().is_none_or(|l| e.span.start >= l.span.end) {
            out.push(e);
        }
    }
    out
}

/// Turns that always leave praise for problems: 但对照…, 对照发现, 但从严对照.
fn is_examination_turn(turn: &str) -> bool {
    turn.contains("对照")
}

/// Words of praise: before a plain 但 they make it a turn from praise to problem (能够……，但……);
/// without them 但 is a concession inside the problem (虽然没有发生事故，但反映出……).
static PRAISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("能够|始终|坚持|积极|认真|注重|一直|较好|取得|做到|推动|完成|努力|不断|自觉|主动|带头|坚决|严格|注意|重视")
        .expect("static regex")
});

/// The part of an item that counts: after its last turn from praise to problem before its first
/// example (the praise never counts), or the whole item. A 但…对照 turn always leaves praise; a
/// plain 但 only when praise words precede it.
fn scope(text: &str, item: ByteSpan, first_example: Option<usize>) -> ByteSpan {
    let until = first_example.unwrap_or(item.end);
    let praise_turn = markers::turns(text, ByteSpan::new(item.start, until))
        .into_iter()
        .rfind(|t| {
            is_examination_turn(t.slice(text)) || PRAISE.is_match(&text[item.start..t.start])
        });
    match praise_turn {
        Some(t) => ByteSpan::new(t.start, item.end),
        None => item,
    }
}

/// The verdicts on every item of the problems sections of `outline`, and the document's
/// strong anchors per 100 of its `words` (content tokens, counted by the caller's segmenter).
/// `segmenter` checks the names of places and projects against its dictionary (结合镇情 is no
/// town); only the clauses around candidate names are tagged.
pub fn specificity(
    text: &str,
    outline: &Outline,
    segmenter: &Segmenter,
    words: usize,
) -> SpecificityReport {
    let names = Names::new(Some(segmenter));
    let mut items = Vec::new();
    for section in outline.walk() {
        if section.kind != SectionKind::Problems {
            continue;
        }
        for item in &section.items {
            let scope = scope(text, item.span, item.examples.first().map(|e| e.span.start));
            let first_example = item.examples.first().map(|e| e.span.start);
            let strong = instances(text, scope, item.claim, first_example, &names);
            let (verdict, evidence) = if !strong.is_empty() {
                (Verdict::Concrete, strong)
            } else {
                let weak = weak_anchors(text, scope);
                if weak.is_empty() {
                    (Verdict::None, weak)
                } else {
                    (Verdict::Generic, weak)
                }
            };
            items.push(ItemVerdict {
                section: section.heading,
                claim: item.claim,
                span: item.span,
                scope,
                verdict,
                evidence,
            });
        }
    }
    let anchors = strong_anchors(text, ByteSpan::new(0, text.len()), &names).len();
    SpecificityReport {
        items,
        anchors,
        per_100_words: if words == 0 {
            0.0
        } else {
            anchors as f64 * 100.0 / words as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(text: &str) -> Vec<(Verdict, Vec<EvidenceKind>)> {
        specificity(
            text,
            &Outline::parse(text),
            crate::testutil::segmenter(),
            100,
        )
        .items
        .into_iter()
        .map(|i| (i.verdict, i.evidence.iter().map(|e| e.kind).collect()))
        .collect()
    }

    #[test]
    fn the_three_verdicts() {
        let text = "一、存在的问题\n\
            一是学得还不够深。对理论的学习不够系统深入。\n\
            二是调研不够扎实。有时满足于听汇报、看材料，比如对基层党建、乡村振兴等工作了解不深。\n\
            三是推动落实不够有力。比如，2023年5月石桥镇新塘村反映的道路照明问题，我协调两次未果，至今仍有3户群众多次上访。\n";
        let v = verdicts(text);
        assert_eq!(v.len(), 3, "{v:?}");
        assert_eq!(v[0].0, Verdict::None);
        assert_eq!(v[1].0, Verdict::Generic);
        assert_eq!(v[2].0, Verdict::Concrete);
        for k in [
            EvidenceKind::Time,
            EvidenceKind::Place,
            EvidenceKind::Quantity,
            EvidenceKind::Incident,
        ] {
            assert!(v[2].1.contains(&k), "{k:?} in {:?}", v[2].1);
        }
    }

    #[test]
    fn praise_before_the_turn_never_counts() {
        let text = "一、存在的问题\n\
            一是学得不够深。推动县委常委会“1+5+N”工作机制实现制度化，全年开展集中学习24次。但对照来看，学习的深度和广度还不够。\n";
        assert_eq!(verdicts(text)[0].0, Verdict::None);
    }

    #[test]
    fn years_categories_and_formulas_are_not_instances() {
        let text = "一、存在的问题\n\
            一是对2023年新修订的条例学习不够，对“两个确立”的理解不深，对城乡结合部、偏远乡镇等情况掌握不全。\n";
        assert_eq!(verdicts(text)[0].0, Verdict::Generic);
    }

    #[test]
    fn a_place_as_the_field_of_work_is_no_instance() {
        let text = "一、存在的问题\n\
            一是研究不深。对深化改革的举措如何在柳塘镇落地见效研究不深，加强乡村振兴重点项目的办法不多。\n\
            二是走访不够。到新河村、东坪村等山区村走访少。\n\
            三是协调不力。比如，柳塘镇垃圾中转站选址问题群众反映较多，我协调未果。\n";
        let v = verdicts(text);
        assert_eq!(
            v[0].0,
            Verdict::Generic,
            "a field (项目), no instance: {v:?}"
        );
        assert_eq!(v[1].0, Verdict::Generic, "{v:?}");
        assert_eq!(v[2].0, Verdict::Concrete, "{v:?}");
    }

    #[test]
    fn redactions_stand_for_hidden_names() {
        let text = "一、存在的问题\n一是担当不够。比如在**项目推进中协调不力。\n";
        assert_eq!(verdicts(text)[0].0, Verdict::Concrete);
    }
}
