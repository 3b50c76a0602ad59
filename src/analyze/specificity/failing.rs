//! Is an anchor about the failing? A date, a number or a project shows an instance of a problem
//! only where the text states something going wrong: 2024年6月柳塘村村民反映的饮水管网破损问题,
//! 调研仅4次. The same anchors in what was done, planned or held (班子在2024年初制定了年度目标
//! 责任清单，但……; 全年开展集中学习24次，但……; 2024年3月召开的专题会议上) date the work, not the
//! failing.
//!
//! - The **piece** of an anchor is its sentence cut at the turns (但, 然而, 但对照 …): an anchor
//!   counts only if its piece states a failing ([`FAILING`]: a negation, a shortfall, a delay, a
//!   problem, an incident, a sanction).
//! - A time or a quantity in a **clause** that tells of a plan, a meeting, a study or a deployment
//!   ([`PLAN`]: 制定, 部署, 召开, 学习, 计划, 原定 …) counts only if that clause itself states the
//!   failing. A clause that is only the date (2024年5月，……) or that reports (巡察反馈指出，……)
//!   is read with the clause after it.
//! - Inside an example (after 比如) the example is the instance: only the piece counts.
//! - A date that recurs (每年3月) or that dates a document or a meeting (2024年6月施行的《条例》,
//!   2024年4月印发的) is never about the failing.
//! - A number that sizes the field of the work rather than measures the failing (全县18个乡镇,
//!   分管的4个科室, 全县3.6万名党员) only supports, as a count in words does ([`sizes_the_field`]).

use std::sync::LazyLock;

use regex::Regex;

use super::{Evidence, EvidenceKind};
use crate::document::markers;
use crate::span::ByteSpan;

/// Words that state something going wrong. Broad on purpose: the gate only removes anchors from
/// pieces that state nothing wrong at all.
static FAILING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"不|未|没|无法|无力|缺|欠|漏|差|低|弱|慢|松|软|虚|浮|滞|拖|迟|延|仅|只|少|难|仍|尚|",
        r"问题|矛盾|纠纷|隐患|漏洞|短板|风险|事故|事件|上访|信访|投诉|举报|通报|问责|处分|查处|",
        r"约谈|曝光|批评|违|亏|损失|浪费|下降|下滑|减少|放缓|回落|上涨|涨幅|高达|过高|过快|过大|",
        r"过多|偏|超|靠后|落后|失|误|错|负面|意见|反映|引发|导致|造成|影响|流于|走过场|",
        r"形式主义|官僚主义|空转|搁置|停滞|闲置|积压|挤占|挪用|截留|直到|才|",
        r"逾期|立案|收受|受贿|索贿|贪污|提醒谈话|诫勉",
    ))
    .expect("static regex")
});

/// Whether a match of [`FAILING`] is one: 不断, 不懈, 毫不动摇 and 攻坚克难 are praise; 人才 and
/// 才能 are no delay.
fn is_failing(text: &str, m: regex::Match<'_>) -> bool {
    let before = text[..m.start()].chars().next_back().unwrap_or(' ');
    let after = text[m.end()..].chars().next().unwrap_or(' ');
    match m.as_str() {
        "不" => !"断懈忘移渝折停变仅但愧负".contains(after) && !"毫决绝".contains(before),
        "难" => !"克".contains(before),
        "才" => !"能干华智艺俊".contains(after) && !"人英口天奇干将秀刚方".contains(before),
        _ => true,
    }
}

/// Whether `s` states a failing.
fn states_failing(s: &str) -> bool {
    FAILING.find_iter(s).any(|m| is_failing(s, m))
}

/// Clauses that tell of a plan, a meeting, a study or a deployment.
static PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"制定|部署|印发|出台|下发|召开|举办|主持|参加|参与|学习|培训|组织|安排|按照|根据|依据|开展|",
        r"启动|成立|建立|计划|原定|拟|要求|目标|指标|提出|签订|召集|动员",
    ))
    .expect("static regex")
});

/// What makes a date that of a document or a meeting: 2024年6月施行的, 2024年3月召开的.
static DATES_A_DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:起)?(?:新)?(?:修订|施行|实施|印发|出台|发布|召开|举行|举办|颁布|生效|下发|开展|部署|",
        r"启动|制定|通过|公布)(?:实施)?的",
    ))
    .expect("static regex")
});

/// What before a number makes it the size of the field of the work: 全县18个乡镇, 分管的4个科室,
/// and the next of a list (全县18个乡镇、236个村党组织).
static FIELD_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:全[县市区镇乡局省州系]|全系统|全体|所辖|辖区内?|分管的?|联系的?|包联的?|负责的?|共有|共计?)",
        r"(?:[^，。；：、]{1,16}、)?$",
    ))
    .expect("static regex")
});

/// Whether the number at `span` sizes the field of the work (全县18个乡镇) rather than measures
/// the failing.
pub(super) fn sizes_the_field(text: &str, span: ByteSpan) -> bool {
    FIELD_BEFORE.is_match(&text[..span.start])
}

/// Reporting verbs that end a clause whose content is the next one: 巡察反馈指出，……
const REPORTING: &[&str] = &["指出", "发现", "显示", "表明", "反映", "通报"];

fn is_sentence_end(c: char) -> bool {
    "。；;！？!?\n".contains(c)
}

fn is_clause_end(c: char) -> bool {
    is_sentence_end(c) || "，,：:".contains(c)
}

/// Whether `anchor`, inside `scope`, is about the failing (see the module's doc). `claim` is the
/// item's claim (a claim without a turn states the failing, whatever its words: 在新圩村集体经济
/// 发展上急于求成); `example` is where the item's first example starts.
pub(super) fn about_the_failing(
    text: &str,
    scope: ByteSpan,
    claim: ByteSpan,
    anchor: &Evidence,
    example: Option<usize>,
) -> bool {
    let span = anchor.span;
    if anchor.kind == EvidenceKind::Time
        && (text[..span.start].ends_with("每年")
            || text[..span.start].ends_with('每')
            || DATES_A_DOCUMENT.is_match(&text[span.end..]))
    {
        return false;
    }
    let turns = markers::turns(text, scope);
    let mut start = text[scope.start..span.start]
        .rfind(is_sentence_end)
        .map_or(scope.start, |i| {
            scope.start
                + i
                + text[scope.start + i..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8)
        });
    if let Some(t) = turns.iter().rfind(|t| t.end <= span.start) {
        start = start.max(t.start);
    }
    let mut end = text[span.end..scope.end]
        .find(is_sentence_end)
        .map_or(scope.end, |i| span.end + i);
    if let Some(t) = turns.iter().find(|t| t.start >= span.end) {
        end = end.min(t.start);
    }
    let piece = &text[start.min(span.start)..end.max(span.end)];
    let in_claim = claim.start <= span.start && span.end <= claim.end;
    let claim_states_it = in_claim
        && turns
            .iter()
            .all(|t| t.end <= claim.start || t.start >= claim.end);
    if !claim_states_it && !states_failing(piece) {
        return false;
    }
    let in_example = example.is_some_and(|x| span.start >= x);
    if in_example || !matches!(anchor.kind, EvidenceKind::Time | EvidenceKind::Quantity) {
        return true;
    }
    let clause = clause_group(
        text,
        ByteSpan::new(start.min(span.start), end.max(span.end)),
        span,
    );
    !PLAN.is_match(clause) || states_failing(clause)
}

/// The clause of `span` inside `piece`, joined with the next clause while it is only a date or
/// ends in a reporting verb.
fn clause_group(text: &str, piece: ByteSpan, span: ByteSpan) -> &str {
    let body = &text[piece.range()];
    let rel = span.start - piece.start;
    let start = body[..rel].rfind(is_clause_end).map_or(0, |i| {
        i + body[i..].chars().next().map_or(1, char::len_utf8)
    });
    let mut end = rel;
    loop {
        let next = body[end..].find(is_clause_end).map(|i| end + i);
        let Some(e) = next else {
            return &body[start..];
        };
        let clause = &body[start..e];
        let rest = clause.replacen(span.slice(text), "", 1);
        let only_date = rest.chars().filter(|c| c.is_alphabetic()).count() <= 1;
        let reports = REPORTING.iter().any(|r| clause.ends_with(r));
        if !(only_date || reports) {
            return clause;
        }
        end = e + body[e..].chars().next().map_or(1, char::len_utf8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about(text: &str, anchor: &str, kind: EvidenceKind) -> bool {
        let at = text.find(anchor).unwrap();
        let e = Evidence {
            kind,
            span: ByteSpan::new(at, at + anchor.len()),
        };
        let claim = ByteSpan::new(0, text.find('。').unwrap_or(text.len()));
        about_the_failing(
            text,
            ByteSpan::new(0, text.len()),
            claim,
            &e,
            text.find("比如"),
        )
    }

    #[test]
    fn a_date_of_what_was_done_is_no_instance() {
        let t = "班子在2024年初制定了年度目标责任清单，但攻坚克难的闯劲还不够足。";
        assert!(!about(t, "2024年初", EvidenceKind::Time));
        let t = "全年开展集中学习24次，但学习效果不明显。";
        assert!(!about(t, "24次", EvidenceKind::Quantity));
        let t = "2024年6月，县委印发了实施方案，本人学习领会不够深。";
        assert!(!about(t, "2024年6月", EvidenceKind::Time));
        let t = "在2024年3月召开的专题会议上，我对上级精神理解不够深。";
        assert!(!about(t, "2024年3月", EvidenceKind::Time));
        let t = "对2024年1月起施行的新《条例》学习不够，理解不深。";
        assert!(!about(t, "2024年1月", EvidenceKind::Time));
        let t = "每年6月的防汛演练走过场，针对性不强。";
        assert!(!about(t, "6月", EvidenceKind::Time));
    }

    #[test]
    fn a_number_that_sizes_the_field_is_no_measure() {
        let sizes = |t: &str, a: &str| {
            let i = t.find(a).unwrap();
            sizes_the_field(t, ByteSpan::new(i, i + a.len()))
        };
        let t = "对全县12个乡镇的指导不够，其中5个未完成任务。";
        assert!(sizes(t, "12个"));
        assert!(!sizes(t, "5个"));
        let t = "对全县18个乡镇、236个村党组织的分类指导不够精准。";
        assert!(sizes(t, "236个"));
    }

    #[test]
    fn a_date_of_the_failing_is_one() {
        let t = "2024年11月县委巡察反馈指出，街道有**笔社区工程款未按规定程序审批。";
        assert!(about(t, "2024年11月", EvidenceKind::Time));
        let t = "2024年5月，西岭村未经村民代表会议讨论就确定了补助标准。";
        assert!(about(t, "2024年5月", EvidenceKind::Time));
        let t = "乡卫生院改扩建工程原定2024年10月完工，实际拖延至12月底才交付使用。";
        assert!(about(t, "12月底", EvidenceKind::Time));
        assert!(!about(t, "2024年10月", EvidenceKind::Time));
        let t = "比如，2024年3月县里部署整治工作后，镇党委直到半个月后才召开专题会研究。";
        assert!(about(t, "2024年3月", EvidenceKind::Time));
        let t = "2023年9月中旬，柳塘镇农贸市场改造进入施工阶段，由于安置方案事先没有听取商户意见，商户聚集反映诉求。";
        assert!(about(t, "2023年9月中旬", EvidenceKind::Time));
    }
}
