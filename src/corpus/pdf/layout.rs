//! From runs in page space to paragraphs: runs on one baseline become a line (a space only where
//! the page shows a gap between Latin words, never between CJK characters), lines repeated at the
//! top or bottom of most pages are dropped as running headers, footers and page numbers, lines in
//! a smaller size below a page's body are footnotes (moved to the end, each marked ［注］), a page
//! set in two columns is read column by column, and lines rejoin into paragraphs: a new paragraph
//! after a line that stops short of the right edge, before an indented line, before a heading
//! marker, at a change of size, and after a gap wider than the lines' usual spacing.

use std::collections::HashMap;

use super::content::Run;
use crate::corpus::{is_cjk, starts_with_heading};

/// One visual line, or one segment of it when the line has a wide gap (columns, table cells).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Line {
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    /// The size most of its characters are set in.
    pub size: f32,
    pub text: String,
}

/// A gap wider than this many font sizes splits a line into segments.
const SEGMENT_GAP: f32 = 2.0;

fn countable(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Groups a page's runs, in content order, into lines.
pub(super) fn lines_of(runs: &[Run]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    // Per line, characters shown at each size (rounded to 0.1), to find its main size.
    let mut sizes: Vec<HashMap<i32, usize>> = Vec::new();
    for run in runs {
        if run.text.trim().is_empty() && lines.is_empty() {
            continue;
        }
        let joins = lines.last().is_some_and(|cur| {
            let size = cur.size.max(run.size);
            (run.y - cur.y).abs() <= 0.5 * size
                && run.x0 >= cur.x0 - 0.5 * size
                && run.x0 - cur.x1 <= SEGMENT_GAP * size
        });
        if joins {
            let cur = lines.last_mut().expect("joins implies a line");
            if is_note_mark(run, cur) {
                continue;
            }
            let gap = run.x0 - cur.x1;
            let a = cur.text.chars().next_back();
            let b = run.text.chars().next();
            if let (Some(a), Some(b)) = (a, b)
                && !a.is_whitespace()
                && !b.is_whitespace()
            {
                let cjk = is_cjk(a) || is_cjk(b);
                if (cjk && gap > 0.9 * run.size.max(cur.size)) || (!cjk && gap > 0.15 * run.size) {
                    cur.text.push(' ');
                }
            }
            cur.text.push_str(&run.text);
            cur.x1 = cur.x1.max(run.x1);
            *sizes
                .last_mut()
                .expect("one map per line")
                .entry((run.size * 10.0).round() as i32)
                .or_default() += countable(&run.text);
        } else {
            lines.push(Line {
                x0: run.x0,
                x1: run.x1,
                y: run.y,
                size: run.size,
                text: run.text.clone(),
            });
            sizes.push(HashMap::from([(
                (run.size * 10.0).round() as i32,
                countable(&run.text),
            )]));
        }
    }
    for (line, sizes) in lines.iter_mut().zip(&sizes) {
        if let Some((&s, _)) = sizes.iter().max_by_key(|&(s, n)| (*n, *s)) {
            line.size = s as f32 / 10.0;
        }
        let trimmed = line.text.trim();
        if trimmed.len() != line.text.len() {
            line.text = trimmed.to_string();
        }
    }
    lines.retain(|l| !l.text.is_empty());
    lines
}

/// A footnote mark in the body: a number or asterisk, smaller and raised above the line.
fn is_note_mark(run: &Run, line: &Line) -> bool {
    let t = run.text.trim();
    run.size < 0.8 * line.size
        && run.y > line.y + 0.15 * line.size
        && (1..=3).contains(&t.chars().count())
        && t.chars()
            .all(|c| c.is_ascii_digit() || "*†‡①②③④⑤⑥⑦⑧⑨⑩".contains(c))
}

/// The text of a line with digits folded, for recognising running headers and page numbers.
fn furniture_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

/// Whether a line is a bare page number: `3`, `- 3 -`, `第3页`, `3/12`, `第 3 页 共 12 页`.
fn looks_like_page_number(text: &str) -> bool {
    let core: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !"-—–第页共/|PpAaGgEe.".contains(*c))
        .collect();
    !core.is_empty() && core.len() <= 8 && core.chars().all(|c| c.is_ascii_digit())
}

/// Drops running headers, footers and page numbers: among the two topmost and two bottommost
/// lines of each page, those whose text (digits folded) recurs at about the same height on at
/// least half the pages (and two). A page-number-like line alone at the very top or bottom of a
/// page, set apart from the body, is dropped even on a one-page document.
pub(super) fn drop_furniture(pages: &mut [Vec<Line>]) -> usize {
    let zone = |lines: &[Line]| -> Vec<usize> {
        let mut order: Vec<usize> = (0..lines.len()).collect();
        order.sort_by(|&a, &b| lines[b].y.total_cmp(&lines[a].y));
        let mut picked: Vec<usize> = order.iter().take(2).copied().collect();
        picked.extend(order.iter().rev().take(2));
        picked.sort_unstable();
        picked.dedup();
        picked
    };
    let mut seen: HashMap<String, Vec<(usize, f32)>> = HashMap::new();
    for (p, lines) in pages.iter().enumerate() {
        for i in zone(lines) {
            let entry = seen.entry(furniture_key(&lines[i].text)).or_default();
            if entry.last().is_none_or(|&(q, _)| q != p) {
                entry.push((p, lines[i].y));
            }
        }
    }
    let need = pages.len().div_ceil(2).max(2);
    let mut drop: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for (p, lines) in pages.iter().enumerate() {
        for i in zone(lines) {
            let hits = &seen[&furniture_key(&lines[i].text)];
            let near = hits
                .iter()
                .filter(|&&(_, y)| (y - lines[i].y).abs() <= 12.0)
                .count();
            if near >= need {
                drop[p].push(i);
            }
        }
        // An isolated page number at the very top or bottom.
        if lines.len() >= 3 {
            let mut order: Vec<usize> = (0..lines.len()).collect();
            order.sort_by(|&a, &b| lines[b].y.total_cmp(&lines[a].y));
            let pitch = median(order.windows(2).map(|w| lines[w[0]].y - lines[w[1]].y));
            for (end, next) in [
                (order[0], order[1]),
                (order[order.len() - 1], order[order.len() - 2]),
            ] {
                let gap = (lines[end].y - lines[next].y).abs();
                if looks_like_page_number(&lines[end].text) && gap > 1.8 * pitch.max(1.0) {
                    drop[p].push(end);
                }
            }
        }
    }
    let mut dropped = 0;
    for (lines, drop) in pages.iter_mut().zip(drop) {
        let before = lines.len();
        let mut i = 0;
        lines.retain(|_| {
            i += 1;
            !drop.contains(&(i - 1))
        });
        dropped += before - lines.len();
    }
    dropped
}

fn median(values: impl Iterator<Item = f32>) -> f32 {
    let mut v: Vec<f32> = values.filter(|x| x.is_finite() && *x > 0.0).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// The size most characters of a page are set in.
fn body_size(lines: &[Line]) -> f32 {
    let mut by_size: HashMap<i32, usize> = HashMap::new();
    for l in lines {
        *by_size.entry((l.size * 10.0).round() as i32).or_default() += countable(&l.text);
    }
    by_size
        .into_iter()
        .max_by_key(|&(s, n)| (n, s))
        .map_or(0.0, |(s, _)| s as f32 / 10.0)
}

/// Takes the footnotes off the bottom of a page: the lines below its last body-size line, in a
/// size at most 85% of the body's.
pub(super) fn take_notes(lines: &mut Vec<Line>) -> Vec<Line> {
    let body = body_size(lines);
    let small = |l: &Line| l.size <= 0.85 * body;
    let lowest_body = lines
        .iter()
        .filter(|l| !small(l))
        .map(|l| l.y)
        .fold(f32::INFINITY, f32::min);
    if !lowest_body.is_finite() {
        return Vec::new();
    }
    let (notes, body): (Vec<Line>, Vec<Line>) = std::mem::take(lines)
        .into_iter()
        .partition(|l| small(l) && l.y < lowest_body - 0.5 * body);
    *lines = body;
    notes
}

/// Orders a page's lines column by column when it is set in two columns: lines above the columns
/// (a title across the page), the left column top to bottom, the right one, then what is below.
pub(super) fn column_order(lines: &mut [Line]) {
    if lines.len() < 6 {
        return;
    }
    let left_edge = lines.iter().map(|l| l.x0).fold(f32::INFINITY, f32::min);
    let right_edge = lines.iter().map(|l| l.x1).fold(f32::NEG_INFINITY, f32::max);
    let mid = (left_edge + right_edge) / 2.0;
    let side = |l: &Line| {
        if l.x1 <= mid + l.size {
            0
        } else if l.x0 >= mid - l.size {
            1
        } else {
            2
        }
    };
    let (left, right) = lines.iter().fold((0, 0), |(a, b), l| match side(l) {
        0 => (a + 1, b),
        1 => (a, b + 1),
        _ => (a, b),
    });
    let spanning = lines.len() - left - right;
    if left < 3 || right < 3 || spanning * 10 > (left + right) * 3 {
        return;
    }
    let top = lines
        .iter()
        .filter(|l| side(l) != 2)
        .map(|l| l.y)
        .fold(f32::NEG_INFINITY, f32::max);
    let rank = |l: &Line| match side(l) {
        2 if l.y > top => 0,
        0 => 1,
        1 => 2,
        _ => 3,
    };
    lines.sort_by(|a, b| rank(a).cmp(&rank(b)).then(b.y.total_cmp(&a.y)));
}

/// Geometry of a block of lines (a page or a column) that decides where paragraphs break.
struct Block {
    margin: f32,
    right: f32,
    pitch: f32,
}

impl Block {
    fn of(lines: &[Line]) -> Block {
        let margin = lines.iter().map(|l| l.x0).fold(f32::INFINITY, f32::min);
        let mut ends: Vec<f32> = lines.iter().map(|l| l.x1).collect();
        ends.sort_by(f32::total_cmp);
        let right = ends.get(ends.len() * 9 / 10).copied().unwrap_or(0.0);
        let pitch = median(lines.windows(2).map(|w| w[0].y - w[1].y));
        Block {
            margin,
            right,
            pitch,
        }
    }

    fn full(&self, l: &Line) -> bool {
        l.x1 >= self.right - 1.5 * l.size
    }

    fn indented(&self, l: &Line) -> bool {
        l.x0 - self.margin > 0.9 * l.size
    }

    /// Set in the middle: as much room on the left as on the right, and some of it.
    fn centered(&self, l: &Line) -> bool {
        let (left, right) = (l.x0 - self.margin, self.right - l.x1);
        left > l.size && right > l.size && (left - right).abs() < l.size
    }
}

/// Whether `line` goes on from `prev` as a title wrapped over centred lines: the same size,
/// `prev` full or centred and not ending a sentence, `line` centred and not a subtitle (——).
fn wrapped_title(geo: &Block, prev: &Line, prev_full: bool, line: &Line) -> bool {
    (line.size - prev.size).abs() <= 0.05 * prev.size
        && (prev_full || geo.centered(prev))
        && geo.centered(line)
        && !prev
            .text
            .ends_with(['。', '！', '？', '：', '；', ':', '!', '?', ';'])
        && !line.text.starts_with(['—', '-', '（', '('])
}

/// About how wide the Latin word or number that starts a line is (zero when it starts with CJK).
fn leading_word_width(line: &Line) -> f32 {
    let n = line
        .text
        .chars()
        .take_while(|&c| !c.is_whitespace() && !is_cjk(c))
        .count();
    if n == 0 {
        0.0
    } else {
        (n as f32 * 0.5 + 0.5) * line.size
    }
}

/// Rejoins the pages' lines into paragraphs, one per output line, and appends the notes.
pub(super) fn paragraphs(pages: &[Vec<Line>], notes: &[Line]) -> String {
    let mut out = String::new();
    // The line before, whether it ran to the right edge, and the room it left there.
    let mut prev: Option<(Line, bool, f32)> = None;
    for lines in pages {
        // Blocks: runs of lines that share a column (a change of side starts a new block).
        let mut start = 0;
        while start < lines.len() {
            let mut end = start + 1;
            while end < lines.len() && lines[end].y < lines[end - 1].y + 0.5 * lines[end].size {
                end += 1;
            }
            let block = &lines[start..end];
            let geo = Block::of(block);
            for (i, line) in block.iter().enumerate() {
                let continues = prev.as_ref().is_some_and(|(p, full, room)| {
                    let gap = if i > 0 { p.y - line.y } else { 0.0 };
                    if i > 0
                        && gap <= 2.0 * p.size.max(line.size)
                        && wrapped_title(&geo, p, *full, line)
                    {
                        return true;
                    }
                    // A ragged line is full when the next line's first word would not have fit.
                    (*full || *room < leading_word_width(line))
                        && !geo.indented(line)
                        && !starts_with_heading(&line.text)
                        && (line.size - p.size).abs() <= 0.15 * p.size
                        && gap <= 1.5 * geo.pitch.max(1.25 * line.size)
                });
                if !out.is_empty() {
                    if continues {
                        let a = out.chars().next_back();
                        let b = line.text.chars().next();
                        if let (Some(a), Some(b)) = (a, b)
                            && !is_cjk(a)
                            && !is_cjk(b)
                        {
                            out.push(' ');
                        }
                    } else {
                        out.push('\n');
                    }
                }
                out.push_str(&line.text);
                let room = if block.len() > 1 {
                    geo.right - line.x1
                } else {
                    f32::INFINITY
                };
                prev = Some((line.clone(), geo.full(line) && block.len() > 1, room));
            }
            start = end;
        }
    }
    for note in notes {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("［注］");
        out.push_str(&note.text);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(x0: f32, x1: f32, y: f32, size: f32, text: &str) -> Run {
        Run {
            x0,
            x1,
            y,
            size,
            text: text.to_string(),
        }
    }

    fn line(x0: f32, x1: f32, y: f32, text: &str) -> Line {
        Line {
            x0,
            x1,
            y,
            size: 10.0,
            text: text.to_string(),
        }
    }

    #[test]
    fn runs_on_a_baseline_are_one_line_with_spaces_only_between_latin_words() {
        let runs = [
            run(50.0, 90.0, 700.0, 10.0, "全年实现"),
            run(90.0, 110.0, 700.0, 10.0, "283.6"),
            run(110.0, 130.0, 700.0, 10.0, "亿元"),
            run(131.0, 150.0, 700.0, 10.0, "GDP"),
            run(153.0, 170.0, 700.0, 10.0, "growth"),
            run(170.0, 175.0, 700.0, 10.0, "。"),
            run(50.0, 90.0, 685.0, 10.0, "下一行"),
        ];
        let lines = lines_of(&runs);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "全年实现283.6亿元GDP growth。");
        assert_eq!(lines[1].text, "下一行");
    }

    #[test]
    fn headers_footers_and_page_numbers_repeat_and_go() {
        let body = ["总体要求", "主要任务", "保障措施"];
        let page = |n: usize| {
            let b = body[n - 1];
            vec![
                line(250.0, 350.0, 800.0, "枫溪县人民政府"),
                line(72.0, 500.0, 760.0, &format!("{b}的正文第一行，各页不同")),
                line(72.0, 500.0, 745.0, &format!("{b}继续")),
                line(72.0, 500.0, 730.0, &format!("{b}结束")),
                line(290.0, 310.0, 60.0, &format!("- {n} -")),
            ]
        };
        let mut pages = vec![page(1), page(2), page(3)];
        assert_eq!(drop_furniture(&mut pages), 6);
        assert!(pages.iter().all(|p| p.len() == 3));
        // One page: the page number set apart at the bottom goes, the body stays.
        let mut one = vec![page(1)];
        drop_furniture(&mut one);
        assert_eq!(one[0].len(), 4);
        assert_eq!(one[0][0].text, "枫溪县人民政府");
    }

    #[test]
    fn two_columns_read_column_by_column() {
        let mut lines = vec![line(
            72.0,
            520.0,
            800.0,
            "标题横跨两栏的一行文字很长很长很长",
        )];
        for i in 0..4 {
            let y = 780.0 - 15.0 * i as f32;
            lines.push(line(72.0, 290.0, y, &format!("左{i}")));
            lines.push(line(300.0, 520.0, y, &format!("右{i}")));
        }
        column_order(&mut lines);
        let order: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            order[1..],
            ["左0", "左1", "左2", "左3", "右0", "右1", "右2", "右3"]
        );
    }

    #[test]
    fn lines_rejoin_into_paragraphs() {
        let pages = vec![vec![
            line(72.0, 300.0, 760.0, "一、关于个人有关重大事项情况"),
            line(
                92.0,
                500.0,
                745.0,
                "多年来，本人始终严格按照规定填报个人有关重",
            ),
            line(72.0, 300.0, 730.0, "大事项，不存在漏报瞒报的情况。"),
            line(
                92.0,
                500.0,
                715.0,
                "二是严格管好自己、家属和身边工作人员，认真遵",
            ),
            line(72.0, 500.0, 700.0, "守《准则》和执行《条例》 English words"),
            line(72.0, 200.0, 685.0, "continue here and end."),
            line(
                72.0,
                500.0,
                640.0,
                "隔开一段距离的新段落，没有缩进也是新段落，因为",
            ),
            line(72.0, 200.0, 625.0, "行距变大了。"),
        ]];
        let notes = [line(72.0, 300.0, 60.0, "1 注释的文字。")];
        assert_eq!(
            paragraphs(&pages, &notes),
            "一、关于个人有关重大事项情况\n多年来，本人始终严格按照规定填报个人有关重大事项，不存在漏报瞒报的情况。\n\
             二是严格管好自己、家属和身边工作人员，认真遵守《准则》和执行《条例》 English words continue here and end.\n\
             隔开一段距离的新段落，没有缩进也是新段落，因为行距变大了。\n［注］1 注释的文字。\n"
        );
    }

    #[test]
    fn footnotes_are_the_small_lines_below_the_body() {
        let mut lines = vec![
            line(
                72.0,
                500.0,
                760.0,
                "正文一行，字号十磅，足够长的一行正文文字",
            ),
            line(72.0, 500.0, 745.0, "正文第二行"),
            Line {
                size: 8.0,
                ..line(72.0, 300.0, 80.0, "1 脚注")
            },
        ];
        let notes = take_notes(&mut lines);
        assert_eq!(notes.len(), 1);
        assert_eq!(lines.len(), 2);
    }
}
