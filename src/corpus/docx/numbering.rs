//! Automatic numbering of .docx paragraphs: the `一、` `（一）` `1.` that Word, WPS and LibreOffice
//! draw from `word/numbering.xml` rather than store as text.
//!
//! Official documents number their headings and items with list styles as often as by hand; without
//! the numbers an outline has no markers. A paragraph is numbered by its own `w:numPr` (`w:numId`,
//! `w:ilvl`) or by its paragraph style's (`word/styles.xml`, following `w:basedOn`). A `w:num`
//! instance points to a `w:abstractNum` that holds up to nine levels, each with a start value, a
//! format (`decimal`, `chineseCounting`, `decimalEnclosedCircle` …) and a text such as `（%2）`.
//!
//! Counting follows Word: the instances of one abstract numbering share its counters, so a list
//! continues across instances, unless an instance overrides a level's start (`w:startOverride`),
//! which restarts that level at the instance's first paragraph; a level restarts whenever a higher
//! level is used (or as `w:lvlRestart` says). Bullets add nothing to the text.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

/// Levels of a numbering definition (`w:ilvl` 0–8).
const LEVELS: usize = 9;
/// `basedOn` chains longer than this are cut (a loop in a damaged file must not hang).
const MAX_STYLE_DEPTH: usize = 16;

/// How one level shows its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Decimal,
    DecimalZero,
    DecimalCircle,
    DecimalParen,
    DecimalStop,
    UpperRoman,
    LowerRoman,
    UpperLetter,
    LowerLetter,
    Chinese,
    ChineseLegal,
    Heavenly,
    Earthly,
    Bullet,
    None,
}

impl Format {
    fn parse(value: &str) -> Format {
        match value {
            "decimalZero" => Format::DecimalZero,
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => Format::DecimalCircle,
            "decimalEnclosedParen" => Format::DecimalParen,
            "decimalEnclosedFullstop" => Format::DecimalStop,
            "upperRoman" => Format::UpperRoman,
            "lowerRoman" => Format::LowerRoman,
            "upperLetter" => Format::UpperLetter,
            "lowerLetter" => Format::LowerLetter,
            "chineseCounting"
            | "chineseCountingThousand"
            | "japaneseCounting"
            | "taiwaneseCounting"
            | "taiwaneseCountingThousand"
            | "ideographDigital"
            | "japaneseDigitalTenThousand" => Format::Chinese,
            "chineseLegalSimplified" | "japaneseLegal" => Format::ChineseLegal,
            "ideographTraditional" => Format::Heavenly,
            "ideographZodiac" => Format::Earthly,
            "bullet" => Format::Bullet,
            "none" => Format::None,
            // decimal, decimalFullWidth, decimalHalfWidth, ordinal and the scripts we do not
            // draw: the number in digits says the same.
            _ => Format::Decimal,
        }
    }

    fn render(self, n: u32, out: &mut String) {
        const CIRCLED: [char; 20] = [
            '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮', '⑯', '⑰',
            '⑱', '⑲', '⑳',
        ];
        const PAREN: [char; 20] = [
            '⑴', '⑵', '⑶', '⑷', '⑸', '⑹', '⑺', '⑻', '⑼', '⑽', '⑾', '⑿', '⒀', '⒁', '⒂', '⒃', '⒄',
            '⒅', '⒆', '⒇',
        ];
        const STOP: [char; 20] = [
            '⒈', '⒉', '⒊', '⒋', '⒌', '⒍', '⒎', '⒏', '⒐', '⒑', '⒒', '⒓', '⒔', '⒕', '⒖', '⒗', '⒘',
            '⒙', '⒚', '⒛',
        ];
        let table = |t: &[char; 20], out: &mut String| match t.get((n as usize).wrapping_sub(1)) {
            Some(&c) => out.push(c),
            None => out.push_str(&n.to_string()),
        };
        match self {
            Format::Decimal => out.push_str(&n.to_string()),
            Format::DecimalZero => out.push_str(&format!("{n:02}")),
            Format::DecimalCircle => table(&CIRCLED, out),
            Format::DecimalParen => table(&PAREN, out),
            Format::DecimalStop => table(&STOP, out),
            Format::UpperRoman => out.push_str(&roman(n)),
            Format::LowerRoman => out.push_str(&roman(n).to_lowercase()),
            Format::UpperLetter => letters(n, b'A', out),
            Format::LowerLetter => letters(n, b'a', out),
            Format::Chinese => chinese(n, &CHINESE_DIGITS, &CHINESE_UNITS, out),
            Format::ChineseLegal => chinese(n, &LEGAL_DIGITS, &LEGAL_UNITS, out),
            Format::Heavenly => cycle(
                n,
                &['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'],
                out,
            ),
            Format::Earthly => cycle(
                n,
                &[
                    '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
                ],
                out,
            ),
            Format::Bullet | Format::None => {}
        }
    }
}

const CHINESE_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const CHINESE_UNITS: [char; 3] = ['十', '百', '千'];
const LEGAL_DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const LEGAL_UNITS: [char; 3] = ['拾', '佰', '仟'];

/// 1–9999 in Chinese counting: 十, 十一, 二十, 一百零五, 一千零一. Larger numbers in digits.
fn chinese(n: u32, digits: &[char; 10], units: &[char; 3], out: &mut String) {
    if n == 0 || n > 9999 {
        out.push_str(&n.to_string());
        return;
    }
    let parts = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let unit = [Some(units[2]), Some(units[1]), Some(units[0]), None];
    let first = parts.iter().position(|&d| d != 0).unwrap_or(3);
    let mut zero = false;
    for i in first..4 {
        let d = parts[i] as usize;
        if d == 0 {
            zero = true;
            continue;
        }
        if zero {
            out.push(digits[0]);
            zero = false;
        }
        // 十一, not 一十一, when ten is the highest unit.
        if !(i == 2 && i == first && d == 1) {
            out.push(digits[d]);
        }
        if let Some(u) = unit[i] {
            out.push(u);
        }
    }
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let mut s = String::new();
    for (v, r) in [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A, B, … Z, AA, BB, as Word letters lists.
fn letters(n: u32, base: u8, out: &mut String) {
    if n == 0 {
        return out.push('0');
    }
    let c = char::from(base + ((n - 1) % 26) as u8);
    for _ in 0..((n - 1) / 26 + 1).min(8) {
        out.push(c);
    }
}

fn cycle(n: u32, symbols: &[char], out: &mut String) {
    match n.checked_sub(1) {
        Some(i) => out.push(symbols[i as usize % symbols.len()]),
        None => out.push('0'),
    }
}

/// One level of an abstract numbering.
#[derive(Clone, Debug)]
struct Level {
    start: u32,
    format: Format,
    /// `%1.` `（%2）`: `%n` stands for level n's number.
    text: String,
    /// The level (0-based) whose use restarts this one; `None` never restarts. Default: any
    /// higher level.
    restart: Option<usize>,
    /// Legal numbering: every level's number in digits.
    legal: bool,
    /// What follows the number: a tab or a space (`true`), or nothing.
    gap: bool,
    /// A paragraph style this level is linked to (outline numbering of headings).
    style: Option<String>,
}

impl Default for Level {
    fn default() -> Level {
        Level {
            start: 1,
            format: Format::Decimal,
            text: String::new(),
            restart: Some(usize::MAX),
            legal: false,
            gap: true,
            style: None,
        }
    }
}

#[derive(Clone, Debug, Default)]
struct AbstractNum {
    levels: [Option<Level>; LEVELS],
    /// `w:numStyleLink`: the levels are those of the numbering this style points to.
    style_link: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct Num {
    abstract_id: String,
    /// Per level: a start that restarts the level at this instance's first paragraph, and a
    /// level definition that replaces the abstract one.
    start_override: [Option<u32>; LEVELS],
    level_override: [Option<Level>; LEVELS],
}

/// A paragraph style's numbering and the style it is based on.
#[derive(Clone, Debug, Default)]
struct Style {
    based_on: Option<String>,
    num_id: Option<String>,
    level: Option<usize>,
}

/// The numbering definitions of a document, and the counters of the paragraphs read so far.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, AbstractNum>,
    nums: HashMap<String, Num>,
    styles: HashMap<String, Style>,
    /// Per abstract numbering: the last number given at each level (0 = not used yet).
    counters: HashMap<String, [u32; LEVELS]>,
    /// Instances whose start overrides have been applied.
    started: std::collections::HashSet<String>,
}

/// What a paragraph's properties say about its numbering.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ParagraphNumbering {
    pub(super) style: Option<String>,
    pub(super) num_id: Option<String>,
    pub(super) level: Option<usize>,
}

pub(super) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

fn number(e: &BytesStart<'_>) -> Option<u32> {
    attr(e, "val").and_then(|v| v.trim().parse().ok())
}

fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(
        attr(e, "val").as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

impl Numbering {
    /// Reads `word/numbering.xml` and `word/styles.xml` (either may be absent). A malformed part
    /// gives what was read before the error: numbering is an aid to the text, not the text.
    pub(super) fn parse(numbering: Option<&str>, styles: Option<&str>) -> Numbering {
        let mut n = Numbering::default();
        if let Some(xml) = numbering {
            n.read_numbering(xml);
        }
        if let Some(xml) = styles {
            n.read_styles(xml);
        }
        n
    }

    fn read_numbering(&mut self, xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut abs: Option<(String, AbstractNum)> = None;
        let mut num: Option<(String, Num)> = None;
        // The level being read: in an abstract numbering, or as an instance's override.
        let mut level: Option<(usize, Level)> = None;
        let mut override_level: Option<usize> = None;
        loop {
            let event = match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(e) => e,
            };
            let (e, empty) = match &event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        "abstractNum" => {
                            if let Some((id, a)) = abs.take() {
                                self.abstracts.insert(id, a);
                            }
                        }
                        "num" => {
                            if let Some((id, n)) = num.take() {
                                self.nums.insert(id, n);
                            }
                        }
                        "lvl" => {
                            if let Some((i, l)) = level.take() {
                                if let Some((_, n)) = num.as_mut() {
                                    n.level_override[i] = Some(l);
                                } else if let Some((_, a)) = abs.as_mut() {
                                    a.levels[i] = Some(l);
                                }
                            }
                        }
                        "lvlOverride" => override_level = None,
                        _ => {}
                    }
                    continue;
                }
                _ => continue,
            };
            match e.local_name().as_ref() {
                "abstractNum" if !empty => {
                    abs = attr(e, "abstractNumId").map(|id| (id, AbstractNum::default()));
                }
                "num" if !empty => {
                    num = attr(e, "numId").map(|id| (id, Num::default()));
                }
                "abstractNumId" => {
                    if let (Some((_, n)), Some(v)) = (num.as_mut(), attr(e, "val")) {
                        n.abstract_id = v;
                    }
                }
                "lvlOverride" if !empty => {
                    override_level = attr(e, "ilvl")
                        .and_then(|v| v.parse::<usize>().ok())
                        .filter(|&i| i < LEVELS);
                }
                "startOverride" => {
                    if let (Some((_, n)), Some(i), Some(v)) =
                        (num.as_mut(), override_level, number(e))
                    {
                        n.start_override[i] = Some(v);
                    }
                }
                "lvl" if !empty => {
                    let i = attr(e, "ilvl")
                        .and_then(|v| v.parse::<usize>().ok())
                        .or(override_level)
                        .filter(|&i| i < LEVELS);
                    level = i.map(|i| (i, Level::default()));
                }
                "numStyleLink" => {
                    if let Some((_, a)) = abs.as_mut() {
                        a.style_link = attr(e, "val");
                    }
                }
                _ => {
                    if let Some((i, l)) = level.as_mut() {
                        read_level_property(e, *i, l);
                    }
                }
            }
        }
    }

    fn read_styles(&mut self, xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut style: Option<(String, Style)> = None;
        let mut depth_in_ppr = 0usize;
        loop {
            let event = match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(e) => e,
            };
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(event, Event::Empty(_));
                    match e.local_name().as_ref() {
                        "style" if !empty => {
                            style = attr(e, "styleId").map(|id| (id, Style::default()));
                        }
                        "basedOn" => {
                            if let Some((_, s)) = style.as_mut() {
                                s.based_on = attr(e, "val");
                            }
                        }
                        "pPr" if !empty => depth_in_ppr += 1,
                        "numId" if depth_in_ppr > 0 => {
                            if let Some((_, s)) = style.as_mut() {
                                s.num_id = attr(e, "val");
                            }
                        }
                        "ilvl" if depth_in_ppr > 0 => {
                            if let Some((_, s)) = style.as_mut() {
                                s.level = number(e).map(|v| v as usize).filter(|&i| i < LEVELS);
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "style" => {
                        if let Some((id, s)) = style.take() {
                            self.styles.insert(id, s);
                        }
                        depth_in_ppr = 0;
                    }
                    "pPr" => depth_in_ppr = depth_in_ppr.saturating_sub(1),
                    _ => {}
                },
                _ => {}
            }
        }
    }

    /// Whether the document defines any numbering at all.
    pub(super) fn is_empty(&self) -> bool {
        self.nums.is_empty()
    }

    /// The number text of a paragraph with these properties, counting it; `None` when the
    /// paragraph is not numbered (or is a bullet).
    pub(super) fn label(&mut self, p: &ParagraphNumbering) -> Option<String> {
        let (num_id, level) = self.resolve(p)?;
        let num = self.nums.get(&num_id)?.clone();
        let abs_id = self.abstract_of(&num.abstract_id);
        let abs = self.abstracts.get(&abs_id).cloned().unwrap_or_default();
        let def = |i: usize| -> Option<Level> {
            num.level_override[i]
                .clone()
                .or_else(|| abs.levels[i].clone())
        };
        let this = def(level)?;
        let counters = self.counters.entry(abs_id).or_insert([0; LEVELS]);
        if self.started.insert(num_id) {
            for (i, start) in num.start_override.iter().enumerate() {
                if let Some(s) = start {
                    counters[i] = s.saturating_sub(1);
                }
            }
        }
        counters[level] = if counters[level] == 0 {
            this.start
        } else {
            counters[level].saturating_add(1)
        };
        // Deeper levels restart (unless their definition says they restart only after a
        // higher level than this one, or never).
        for (i, c) in counters.iter_mut().enumerate().skip(level + 1) {
            let restarts = def(i).map_or(Some(usize::MAX), |l| l.restart);
            if restarts.is_some_and(|r| r == usize::MAX || r >= level) {
                *c = 0;
            }
        }
        if matches!(this.format, Format::Bullet | Format::None) && !this.text.contains('%') {
            return None;
        }
        let mut out = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let i = (d as usize).saturating_sub(1).min(LEVELS - 1);
                let n = if counters[i] == 0 {
                    def(i).map_or(1, |l| l.start)
                } else {
                    counters[i]
                };
                let format = match def(i) {
                    Some(_) if this.legal => Format::Decimal,
                    Some(l) => l.format,
                    None => Format::Decimal,
                };
                format.render(n, &mut out);
            } else if this.format != Format::Bullet {
                out.push(c);
            }
        }
        let ends_in_cjk_punct = out
            .chars()
            .last()
            .is_some_and(|c| matches!(c, '、' | '．' | '）' | '〕' | '】' | '。' | '：'));
        if out.is_empty() {
            return None;
        }
        if this.gap && !ends_in_cjk_punct {
            out.push(' ');
        }
        Some(out)
    }

    /// The instance and level that number a paragraph: its own, else its style's (through
    /// `basedOn`), else a level of some abstract numbering linked to its style.
    fn resolve(&self, p: &ParagraphNumbering) -> Option<(String, usize)> {
        let mut num_id = p.num_id.clone();
        let mut level = p.level;
        let mut style = p.style.clone();
        let mut depth = 0;
        while num_id.is_none() || level.is_none() {
            let Some(id) = style.take() else { break };
            let Some(s) = self.styles.get(&id) else { break };
            if num_id.is_none() {
                num_id.clone_from(&s.num_id);
            }
            if level.is_none() {
                level = s.level;
            }
            if level.is_none() && num_id.is_some() {
                level = self.level_linked_to(&id, num_id.as_deref());
            }
            style.clone_from(&s.based_on);
            depth += 1;
            if depth > MAX_STYLE_DEPTH {
                break;
            }
        }
        let num_id = num_id.filter(|id| id != "0")?;
        Some((num_id, level.unwrap_or(0)))
    }

    /// The level of `num_id`'s abstract numbering that names `style` (heading outline lists).
    fn level_linked_to(&self, style: &str, num_id: Option<&str>) -> Option<usize> {
        let num = self.nums.get(num_id?)?;
        let abs = self.abstracts.get(&self.abstract_of(&num.abstract_id))?;
        abs.levels
            .iter()
            .position(|l| l.as_ref().and_then(|l| l.style.as_deref()) == Some(style))
    }

    /// Follows `w:numStyleLink` once: the abstract numbering whose levels this one uses.
    fn abstract_of(&self, abs_id: &str) -> String {
        let linked = self
            .abstracts
            .get(abs_id)
            .and_then(|a| a.style_link.as_deref())
            .and_then(|s| self.styles.get(s))
            .and_then(|s| s.num_id.as_deref())
            .and_then(|n| self.nums.get(n))
            .map(|n| n.abstract_id.clone());
        linked.unwrap_or_else(|| abs_id.to_string())
    }
}

fn read_level_property(e: &BytesStart<'_>, index: usize, l: &mut Level) {
    match e.local_name().as_ref() {
        "start" => l.start = number(e).unwrap_or(1),
        "numFmt" => l.format = Format::parse(&attr(e, "val").unwrap_or_default()),
        "lvlText" => l.text = attr(e, "val").unwrap_or_default(),
        "lvlRestart" => {
            l.restart = number(e).map(|v| v as usize).and_then(|v| {
                // w:val is 1-based: the level whose use restarts this one; 0 = never.
                v.checked_sub(1).filter(|&r| r < index)
            });
        }
        "isLgl" => l.legal = on_off(e),
        "suff" => l.gap = attr(e, "val").as_deref() != Some("nothing"),
        "pStyle" => l.style = attr(e, "val"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(f: Format, n: u32) -> String {
        let mut s = String::new();
        f.render(n, &mut s);
        s
    }

    #[test]
    fn numbers_in_the_formats_of_official_documents() {
        let chinese: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 1001]
            .iter()
            .map(|&n| render(Format::Chinese, n))
            .collect();
        assert_eq!(
            chinese,
            [
                "一",
                "九",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百〇一",
                "一百一十",
                "一千〇一"
            ]
        );
        assert_eq!(render(Format::ChineseLegal, 12), "拾贰");
        assert_eq!(render(Format::DecimalCircle, 3), "③");
        assert_eq!(render(Format::DecimalCircle, 21), "21");
        assert_eq!(render(Format::DecimalParen, 2), "⑵");
        assert_eq!(render(Format::Heavenly, 2), "乙");
        assert_eq!(render(Format::UpperRoman, 14), "XIV");
        assert_eq!(render(Format::LowerLetter, 28), "bb");
        assert_eq!(render(Format::DecimalZero, 7), "07");
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="2">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
      <w:num w:numId="4"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
      <w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>
    </w:numbering>"#;

    const STYLES: &str = r#"<w:styles xmlns:w="w">
      <w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="H1x"><w:basedOn w:val="H1"/></w:style>
      <w:style w:type="paragraph" w:styleId="H2"><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
    </w:styles>"#;

    fn p(style: Option<&str>, num: Option<&str>, level: Option<usize>) -> ParagraphNumbering {
        ParagraphNumbering {
            style: style.map(str::to_string),
            num_id: num.map(str::to_string),
            level,
        }
    }

    #[test]
    fn levels_count_restart_and_continue_as_word_does() {
        let mut n = Numbering::parse(Some(NUMBERING), Some(STYLES));
        let labels: Vec<Option<String>> = [
            p(Some("H1"), None, None),
            p(Some("H2"), None, None),
            p(None, Some("1"), Some(2)),
            p(None, Some("1"), Some(2)),
            p(Some("H2"), None, None),
            p(None, Some("1"), Some(2)),
            p(Some("H1x"), None, None),
            // Another instance of the same abstract numbering continues it.
            p(None, Some("5"), Some(0)),
            p(None, Some("2"), Some(0)),
            p(Some("H1"), Some("0"), None),
            p(Some("Loop"), None, None),
            p(None, Some("99"), Some(0)),
        ]
        .iter()
        .map(|q| n.label(q))
        .collect();
        let want = [
            Some("一、"),
            Some("（一）"),
            Some("1. "),
            Some("2. "),
            Some("（二）"),
            Some("1. "),
            Some("二、"),
            Some("三、"),
            None,
            None,
            None,
            None,
        ];
        assert_eq!(
            labels,
            want.iter()
                .map(|s| s.map(str::to_string))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_start_override_restarts_and_legal_levels_are_digits() {
        let mut n = Numbering::parse(Some(NUMBERING), None);
        let mut l = |num: &str, lvl: usize| n.label(&p(None, Some(num), Some(lvl)));
        assert_eq!(l("3", 0).as_deref(), Some("1. "));
        assert_eq!(l("3", 1).as_deref(), Some("1.1 "));
        assert_eq!(l("3", 1).as_deref(), Some("1.2 "));
        assert_eq!(l("3", 0).as_deref(), Some("2. "));
        assert_eq!(l("4", 0).as_deref(), Some("1. "));
        assert_eq!(l("4", 0).as_deref(), Some("2. "));
    }

    #[test]
    fn damaged_parts_give_what_they_hold() {
        let mut n = Numbering::parse(Some("<w:numbering><w:num w:numId="), Some("<<<"));
        assert!(n.is_empty());
        assert_eq!(n.label(&p(None, Some("1"), Some(0))), None);
    }
}
