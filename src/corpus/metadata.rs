//! Metadata of a document (title, author, unit, post, year, kind) and where each field came from.
//!
//! A field is taken from the first source that has it, in this order ([`MetadataSource`]):
//! command-line flags, the manifest (CSV or JSON Lines), the sidecar `FILE.meta.json`, the file
//! name (`2023_张三_县委书记_对照检查材料.docx`, `2026_四川省_政府工作报告.txt`), a title the
//! format declares (HTML `<title>`), and the text itself (title line; the year of the meeting, as
//! in 2023年度民主生活会, or of the dated session, never just any year mentioned).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::span::Year;

/// What is known of a document. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Title.
    pub title: Option<String>,
    /// The person who wrote or delivered it (张三), or the body for collective reports.
    pub author: Option<String>,
    /// The unit: place or organisation (四川省, 某县纪委).
    pub unit: Option<String>,
    /// The author's post (县委书记). Not a unit: two posts of one county are different authors.
    pub post: Option<String>,
    /// The year the document belongs to (of the meeting, the session, the report).
    pub year: Option<Year>,
    /// The genre (对照检查材料, 述职述廉报告, 政府工作报告 …).
    pub kind: Option<String>,
    /// Whether it is a source of mandated language (congress reports, notices, speeches).
    pub mandated: Option<bool>,
}

/// One field of [`Metadata`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// [`Metadata::title`]
    Title,
    /// [`Metadata::author`]
    Author,
    /// [`Metadata::unit`]
    Unit,
    /// [`Metadata::post`]
    Post,
    /// [`Metadata::year`]
    Year,
    /// [`Metadata::kind`]
    Kind,
    /// [`Metadata::mandated`]
    Mandated,
}

/// Where a field's value came from, in order of precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetadataSource {
    /// Command-line flags.
    Flags,
    /// The `--manifest` file.
    Manifest,
    /// `FILE.meta.json` beside the file.
    Sidecar,
    /// The file name.
    FileName,
    /// A title the format declares (HTML `<title>`).
    Declared,
    /// The text.
    Text,
}

impl Metadata {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }

    /// Fills the fields still missing from `other`, recording `source` for each one filled.
    pub fn fill_from(
        &mut self,
        other: &Metadata,
        source: MetadataSource,
        sources: &mut BTreeMap<Field, MetadataSource>,
    ) {
        fn fill<T: Clone>(
            mine: &mut Option<T>,
            theirs: &Option<T>,
            field: Field,
            source: MetadataSource,
            sources: &mut BTreeMap<Field, MetadataSource>,
        ) {
            if mine.is_none() && theirs.is_some() {
                *mine = theirs.clone();
                sources.insert(field, source);
            }
        }
        fill(&mut self.title, &other.title, Field::Title, source, sources);
        fill(
            &mut self.author,
            &other.author,
            Field::Author,
            source,
            sources,
        );
        fill(&mut self.unit, &other.unit, Field::Unit, source, sources);
        fill(&mut self.post, &other.post, Field::Post, source, sources);
        fill(&mut self.year, &other.year, Field::Year, source, sources);
        fill(&mut self.kind, &other.kind, Field::Kind, source, sources);
        fill(
            &mut self.mandated,
            &other.mandated,
            Field::Mandated,
            source,
            sources,
        );
    }
}

/// Metadata as resolved from all sources, with the source of each field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The merged metadata.
    #[serde(flatten)]
    pub metadata: Metadata,
    /// Where each set field came from.
    pub sources: BTreeMap<Field, MetadataSource>,
}

/// The fields of a manifest row or sidecar, as written by people: the year may be a number or a
/// string, empty cells mean "not given".
#[derive(Debug, Default, Deserialize)]
struct Record {
    path: Option<String>,
    title: Option<String>,
    author: Option<String>,
    unit: Option<String>,
    post: Option<String>,
    year: Option<serde_json::Value>,
    kind: Option<String>,
    mandated: Option<serde_json::Value>,
}

impl Record {
    fn into_metadata(self) -> std::result::Result<(Option<String>, Metadata), String> {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let year = match self.year {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Number(n)) => Some(
                n.as_u64()
                    .and_then(|y| Year::new(y as u32))
                    .ok_or(format!("year {n} is not a year"))?,
            ),
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
            Some(serde_json::Value::String(s)) => {
                Some(Year::parse(&s).ok_or(format!("year {s:?} is not a year"))?)
            }
            Some(v) => return Err(format!("year {v} is not a year")),
        };
        let mandated = match self.mandated {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Bool(b)) => Some(b),
            Some(serde_json::Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "" => None,
                "1" | "true" | "yes" | "y" | "是" => Some(true),
                "0" | "false" | "no" | "n" | "否" => Some(false),
                other => return Err(format!("mandated {other:?} is not true or false")),
            },
            Some(serde_json::Value::Number(n)) => Some(n.as_u64() != Some(0)),
            Some(v) => return Err(format!("mandated {v} is not true or false")),
        };
        Ok((
            clean(self.path),
            Metadata {
                title: clean(self.title),
                author: clean(self.author),
                unit: clean(self.unit),
                post: clean(self.post),
                year,
                kind: clean(self.kind),
                mandated,
            },
        ))
    }
}

/// A manifest: metadata for many files, from CSV (with a header row) or JSON Lines, with columns
/// `path,author,unit,year,kind,title` (and optionally `post`, `mandated`). Paths are relative to
/// the manifest's directory.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    entries: HashMap<PathBuf, Metadata>,
}

impl Manifest {
    /// The files the manifest lists (resolved against its directory, canonical where they
    /// exist), in order of path.
    pub fn paths(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.entries.keys().cloned().collect();
        v.sort();
        v
    }

    /// Reads a manifest file. JSON Lines if the extension is .jsonl/.ndjson/.json or the first
    /// non-blank character is `{`, CSV otherwise.
    ///
    /// # Errors
    ///
    /// The file cannot be read, or a row is malformed (the error names the line).
    pub fn load(path: &Path) -> Result<Manifest> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes)
            .or_else(|e| {
                let (s, _, bad) = encoding_rs::GB18030.decode(e.as_bytes());
                if bad { Err(()) } else { Ok(s.into_owned()) }
            })
            .map_err(|()| Error::Metadata {
                path: path.to_path_buf(),
                line: 0,
                reason: "not UTF-8 or GB18030 text".into(),
            })?;
        Manifest::parse(path, &text)
    }

    /// Parses the text of a manifest read from `path` (which names it in errors and is the base of
    /// its relative paths; it need not exist).
    ///
    /// # Errors
    ///
    /// A row is malformed (the error names the line).
    pub fn parse(path: &Path, text: &str) -> Result<Manifest> {
        let base = path.parent().unwrap_or(Path::new("."));
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let jsonl = matches!(ext.as_str(), "jsonl" | "ndjson" | "json")
            || text.trim_start().starts_with('{');
        let records = if jsonl {
            parse_jsonl(path, text)?
        } else {
            parse_csv(path, text)?
        };
        let mut entries = HashMap::with_capacity(records.len());
        for (line, record) in records {
            let (file, meta) = record.into_metadata().map_err(|reason| Error::Metadata {
                path: path.to_path_buf(),
                line,
                reason,
            })?;
            let Some(file) = file else {
                return Err(Error::Metadata {
                    path: path.to_path_buf(),
                    line,
                    reason: "no path".into(),
                });
            };
            let joined = base.join(file.trim());
            let key = joined.canonicalize().unwrap_or(joined);
            entries.insert(key, meta);
        }
        Ok(Manifest { entries })
    }

    /// The metadata for `file`, matched on its canonical path.
    pub fn get(&self, file: &Path) -> Option<&Metadata> {
        let canonical = file.canonicalize().ok();
        canonical
            .as_deref()
            .and_then(|c| self.entries.get(c))
            .or_else(|| self.entries.get(file))
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn parse_jsonl(path: &Path, text: &str) -> Result<Vec<(usize, Record)>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{FEFF}');
        if line.is_empty() {
            continue;
        }
        let record: Record = serde_json::from_str(line).map_err(|e| Error::Metadata {
            path: path.to_path_buf(),
            line: i + 1,
            reason: e.to_string(),
        })?;
        out.push((i + 1, record));
    }
    Ok(out)
}

fn parse_csv(path: &Path, text: &str) -> Result<Vec<(usize, Record)>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let err = |line: usize, reason: String| Error::Metadata {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err(1, e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    if !headers.iter().any(|h| h == "path") {
        return Err(err(1, "the header row has no `path` column".into()));
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let row =
            row.map_err(|e| err(e.position().map_or(0, |p| p.line() as usize), e.to_string()))?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let mut record = Record::default();
        for (h, v) in headers.iter().zip(row.iter()) {
            let v = Some(v.to_string());
            match h.as_str() {
                "path" => record.path = v,
                "title" => record.title = v,
                "author" => record.author = v,
                "unit" => record.unit = v,
                "post" => record.post = v,
                "kind" => record.kind = v,
                "year" => record.year = v.map(serde_json::Value::String),
                "mandated" => record.mandated = v.map(serde_json::Value::String),
                _ => {}
            }
        }
        out.push((line, record));
    }
    Ok(out)
}

/// The path of `file`'s sidecar: `FILE.meta.json`.
pub fn sidecar_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_os_string();
    name.push(".meta.json");
    PathBuf::from(name)
}

fn read_sidecar(file: &Path) -> Result<Option<Metadata>> {
    let path = sidecar_path(file);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let err = |reason: String| Error::Metadata {
        path: path.clone(),
        line: 0,
        reason,
    };
    let record: Record = serde_json::from_str(text.trim_start_matches('\u{FEFF}'))
        .map_err(|e| err(e.to_string()))?;
    Ok(Some(record.into_metadata().map_err(err)?.1))
}

/// Resolves the metadata of files from flags, a manifest, sidecars, file names and texts.
#[derive(Clone, Debug, Default)]
pub struct MetadataResolver {
    flags: Metadata,
    manifest: Option<Manifest>,
}

impl MetadataResolver {
    /// A resolver with the given flag values (applied to every file) and manifest.
    pub fn new(flags: Metadata, manifest: Option<Manifest>) -> MetadataResolver {
        MetadataResolver { flags, manifest }
    }

    /// The manifest, if one was given.
    pub fn manifest(&self) -> Option<&Manifest> {
        self.manifest.as_ref()
    }

    /// The metadata given for `file` explicitly — flags, manifest, sidecar — without what the
    /// file name and text tell. A change here means a re-add must update the document.
    ///
    /// # Errors
    ///
    /// The file's sidecar exists but cannot be read or parsed.
    pub fn explicit(&self, file: &Path) -> Result<Resolved> {
        let mut meta = Metadata::default();
        let mut sources = BTreeMap::new();
        meta.fill_from(&self.flags, MetadataSource::Flags, &mut sources);
        if let Some(m) = self.manifest.as_ref().and_then(|m| m.get(file)) {
            meta.fill_from(m, MetadataSource::Manifest, &mut sources);
        }
        if let Some(m) = read_sidecar(file)? {
            meta.fill_from(&m, MetadataSource::Sidecar, &mut sources);
        }
        Ok(Resolved {
            metadata: meta,
            sources,
        })
    }

    /// The metadata of `file`, whose stored text is `text` and whose format declared `declared`
    /// (see [`Extracted::declared`](crate::corpus::Extracted::declared)).
    ///
    /// # Errors
    ///
    /// The file's sidecar exists but cannot be read or parsed.
    pub fn resolve(&self, file: &Path, text: &str, declared: &Metadata) -> Result<Resolved> {
        Ok(self.complete(self.explicit(file)?, file, text, declared))
    }

    /// Completes the [explicit](MetadataResolver::explicit) metadata of `file` with what its name
    /// and text tell (so that the sidecar is read once when both are needed).
    ///
    /// Below the explicit sources, in order: the title and author the format declares (a docx's
    /// core properties; an author only when it is a person's name, not an account such as
    /// `Administrator`), the file name when it matched a pattern (a year, a genre, a post, a name
    /// or a unit), the text, the title of a file name that matched none (`seed_footnote.docx`),
    /// and last the year the file was created.
    pub fn complete(
        &self,
        explicit: Resolved,
        file: &Path,
        text: &str,
        declared: &Metadata,
    ) -> Resolved {
        let Resolved {
            metadata: mut meta,
            mut sources,
        } = explicit;
        let strong_declared = Metadata {
            title: declared.title.clone(),
            author: declared.author.clone().filter(|a| is_person_name(a)),
            ..Metadata::default()
        };
        meta.fill_from(&strong_declared, MetadataSource::Declared, &mut sources);
        let mut from_name = metadata_from_file_name(file);
        let name_title = if from_name.title.is_some()
            && (Metadata {
                title: None,
                ..from_name.clone()
            })
            .is_empty()
        {
            from_name.title.take()
        } else {
            None
        };
        meta.fill_from(&from_name, MetadataSource::FileName, &mut sources);
        meta.fill_from(
            &metadata_from_text(text),
            MetadataSource::Text,
            &mut sources,
        );
        let weak = Metadata {
            title: name_title,
            ..Metadata::default()
        };
        meta.fill_from(&weak, MetadataSource::FileName, &mut sources);
        // The kind and year are often only in the title: a title from a source other than the
        // text still tells them.
        if let Some(title) = meta.title.clone() {
            let from_title = Metadata {
                kind: kind_of(&title),
                year: year_in_title(&title),
                ..Metadata::default()
            };
            meta.fill_from(&from_title, sources[&Field::Title], &mut sources);
        }
        let created = Metadata {
            year: declared.year,
            ..Metadata::default()
        };
        meta.fill_from(&created, MetadataSource::Declared, &mut sources);
        Resolved {
            metadata: meta,
            sources,
        }
    }
}

/// Genres, most specific first: (what the name or title contains, the kind recorded).
const KINDS: &[(&str, &str)] = &[
    ("关于政府工作报告的决议", "决议"),
    ("政府工作报告", "政府工作报告"),
    ("代表大会上的报告", "党代会报告"),
    ("代表大会上的政治报告", "党代会报告"),
    ("对照检查", "对照检查材料"),
    ("对照检视", "对照检查材料"),
    ("检视剖析", "检视剖析材料"),
    ("剖析材料", "检视剖析材料"),
    ("检视材料", "检视剖析材料"),
    ("发言提纲", "发言提纲"),
    ("述职述廉", "述职述廉报告"),
    ("述责述廉", "述职述廉报告"),
    ("述职述责", "述职述廉报告"),
    ("述职报告", "述职报告"),
    ("整改方案", "整改方案"),
    ("整改清单", "整改方案"),
    ("批评意见", "批评意见"),
    ("心得体会", "心得体会"),
    ("研讨发言", "研讨发言"),
    ("工作报告", "工作报告"),
    ("工作总结", "工作总结"),
    ("讲话", "讲话"),
    ("通知", "通知"),
    ("决议", "决议"),
];

/// The genre a name or title names, if any.
fn kind_of(s: &str) -> Option<String> {
    KINDS
        .iter()
        .find(|(pat, _)| s.contains(pat))
        .map(|&(_, kind)| kind.to_string())
}

/// Endings of unit names: places and organisations.
const UNIT_SUFFIXES: &[&str] = &[
    "自治区",
    "自治州",
    "自治县",
    "特别行政区",
    "委员会",
    "人民政府",
    "政府",
    "人大",
    "政协",
    "党委",
    "党组",
    "支部",
    "总支",
    "纪委",
    "监委",
    "中心",
    "公司",
    "集团",
    "大学",
    "学院",
    "学校",
    "医院",
    "银行",
    "国务院",
    "省",
    "市",
    "县",
    "区",
    "州",
    "盟",
    "旗",
    "镇",
    "乡",
    "街道",
    "村",
    "社区",
    "局",
    "厅",
    "委",
    "办",
    "部",
    "院",
    "所",
    "处",
    "科",
    "队",
    "站",
    "会",
];

/// Endings of posts.
const POST_SUFFIXES: &[&str] = &[
    "书记",
    "副书记",
    "县长",
    "市长",
    "省长",
    "区长",
    "镇长",
    "乡长",
    "主任",
    "局长",
    "部长",
    "厅长",
    "处长",
    "科长",
    "主席",
    "委员",
    "常委",
    "院长",
    "校长",
    "所长",
    "站长",
    "经理",
    "董事长",
    "总经理",
    "组长",
    "队长",
    "干部",
    "党员",
    "总理",
    "秘书长",
    "检察长",
    "庭长",
    "监察员",
    "纪检员",
];

/// Common surnames, single and compound: a 2–4 character part of a file name that starts with one
/// and is nothing else is taken as a person's name.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由";
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "司徒", "东方", "夏侯", "皇甫", "尉迟", "公孙", "令狐", "长孙",
    "慕容", "宇文", "端木", "南宫",
];

fn is_person_name(s: &str) -> bool {
    let n = s.chars().count();
    if !(2..=4).contains(&n)
        || !s
            .chars()
            .all(|c| crate::corpus::is_cjk(c) || matches!(c, '*' | '＊' | '×' | 'X' | '某'))
    {
        return false;
    }
    let compound = COMPOUND_SURNAMES.iter().any(|c| s.starts_with(c));
    let first = s.chars().next().expect("non-empty");
    (compound || SURNAMES.contains(first))
        && !ends_with_any(s, UNIT_SUFFIXES)
        && !ends_with_any(s, POST_SUFFIXES)
        && kind_of(s).is_none()
}

fn ends_with_any(s: &str, suffixes: &[&str]) -> bool {
    suffixes
        .iter()
        .any(|x| s.ends_with(x) && s.chars().count() > x.chars().count())
}

static YEAR_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:19|20)\d{2})(?:年度?)?[_\-\s]*(.*)$").expect("static regex")
});

/// What a file name tells: the stem split on `_`, `-` and spaces; a 4-digit year, a genre (a part
/// that names one, e.g. 对照检查材料), a unit (四川省, 国务院 before 政府工作报告), a post
/// (县委书记), a person's name (张三). Hex hashes and serial numbers are ignored.
pub fn metadata_from_file_name(path: &Path) -> Metadata {
    let mut meta = Metadata::default();
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return meta;
    };
    let stem = stem.strip_suffix(".meta").unwrap_or(stem);
    let mut leftovers = Vec::new();
    for part in stem
        .split(['_', '-', ' ', '　', '—', '－'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let mut part = part;
        if let Some(c) = YEAR_PREFIX.captures(part) {
            if meta.year.is_none() {
                meta.year = Year::parse(&c[1]);
            }
            part = c.get(2).map_or("", |m| m.as_str());
            if part.is_empty() {
                continue;
            }
        }
        if part.chars().all(|c| c.is_ascii_hexdigit()) {
            continue; // a serial number or a content hash
        }
        if let Some(kind) = kind_of(part) {
            // 国务院政府工作报告: what stands before the genre is the unit.
            let pat = KINDS
                .iter()
                .find(|(p, _)| part.contains(p))
                .map(|(p, _)| *p)
                .expect("kind_of matched");
            let before = part
                .split(pat)
                .next()
                .unwrap_or("")
                .trim_end_matches(['的', '在']);
            let unit_before =
                ends_with_any_or_is(before, UNIT_SUFFIXES) && !before.ends_with("会议");
            if meta.unit.is_none() && unit_before {
                meta.unit = Some(before.to_string());
            }
            meta.kind.get_or_insert(kind);
            // A part that is only a unit and a genre (国务院政府工作报告) names no title.
            let unit_len = if unit_before {
                before.chars().count()
            } else {
                0
            };
            let rest: usize = part.split(pat).map(|p| p.chars().count()).sum::<usize>() - unit_len;
            if rest >= 4 {
                leftovers.push(part);
            }
        } else if meta.post.is_none() && ends_with_any_or_is(part, POST_SUFFIXES) {
            meta.post = Some(part.to_string());
        } else if meta.author.is_none() && is_person_name(part) {
            meta.author = Some(part.trim_end_matches("同志").to_string());
        } else if meta.unit.is_none() && ends_with_any(part, UNIT_SUFFIXES) {
            meta.unit = Some(part.to_string());
        } else {
            leftovers.push(part);
        }
    }
    // Long descriptive parts make the title (高举…伟大旗帜_为…而团结奋斗 → two halves of one title).
    let title: Vec<&str> = leftovers
        .into_iter()
        .filter(|p| p.chars().count() >= 6)
        .collect();
    if !title.is_empty() {
        meta.title = Some(title.join(" "));
    }
    meta
}

fn ends_with_any_or_is(s: &str, suffixes: &[&str]) -> bool {
    !s.is_empty() && (suffixes.contains(&s) || ends_with_any(s, suffixes))
}

/// The year of the meeting a material was written for: 2023年度民主生活会, 2023年度…述职.
static MEETING_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年度?[^。\n]{0,30}?(?:民主生活会|组织生活会|述职|述责|述廉|考核|专题生活会)").expect("static regex")
});
/// A dated line: 2026年2月3日在四川省第十四届人民代表大会第五次会议上.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?").expect("static regex")
});
/// The period a material reports on: 2023年上半年, 2023年以来, 2023年1-6月.
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年(?:上半年|下半年|以来|前三季度|第[一二三四]季度|1\s*[-—至到]\s*\d{1,2}\s*月)").expect("static regex")
});
static YEAR_ANY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").expect("static regex"));
static GOV_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\S{2,24}?(?:人民政府|政府|委员会|国务院))?\s*(总理|省长|市长|县长|区长|州长|主席|代省长|代市长|代县长|书记)\s+(\S{2,4})$").expect("static regex")
});

fn year_in_title(title: &str) -> Option<Year> {
    YEAR_ANY.captures(title).and_then(|c| Year::parse(&c[1]))
}

/// What the text tells: a title line, the genre, the year of the meeting or session, and the
/// speaker of a government work report (四川省人民政府省长 施小琳).
pub fn metadata_from_text(text: &str) -> Metadata {
    let mut meta = Metadata::default();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(first) = lines.first() {
        let n = first.chars().count();
        let ends_sentence = first.ends_with(['。', '；', '：', ':', '，', '！']);
        if (4..=60).contains(&n) && !ends_sentence && !crate::corpus::starts_with_heading(first) {
            meta.title = Some(first.to_string());
        }
    }
    let head: String = lines
        .iter()
        .take(30)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    let head = &head[..head.char_indices().nth(1500).map_or(head.len(), |(i, _)| i)];
    meta.kind = meta.title.as_deref().and_then(kind_of).or_else(|| {
        if (head.contains("民主生活会") || head.contains("组织生活会"))
            && ["对照", "检视", "剖析", "查摆"]
                .iter()
                .any(|w| head.contains(w))
        {
            Some("对照检查材料".to_string())
        } else if head.contains("报告政府工作") || head.contains("政府工作报告") {
            Some("政府工作报告".to_string())
        } else if (text.contains("民主生活会") || text.contains("组织生活会"))
            && [
                "对照检查",
                "检视剖析",
                "查摆问题",
                "对照检视",
                "剖析根源",
                "问题根源",
            ]
            .iter()
            .any(|w| text.contains(w))
        {
            // A material whose head names no meeting (the reference 对照检查材料 names it only in
            // its body): the meeting and the self-examination anywhere in the text.
            Some("对照检查材料".to_string())
        } else {
            None
        }
    });
    let edges: Vec<&str> = lines
        .iter()
        .take(8)
        .chain(lines.iter().rev().take(5))
        .copied()
        .collect();
    meta.year = meta
        .title
        .as_deref()
        .and_then(year_in_title)
        .or_else(|| MEETING_YEAR.captures(text).and_then(|c| Year::parse(&c[1])))
        .or_else(|| {
            edges
                .iter()
                .find_map(|l| DATE.captures(l).and_then(|c| Year::parse(&c[1])))
        })
        .or_else(|| PERIOD.captures(text).and_then(|c| Year::parse(&c[1])));
    for line in lines.iter().take(15) {
        if line.chars().count() > 40 {
            continue;
        }
        if let Some(c) = GOV_HEAD.captures(line) {
            meta.author = Some(c[3].to_string());
            meta.post = Some(format!("{}{}", c.get(1).map_or("", |m| m.as_str()), &c[2]));
            if let Some(org) = c.get(1) {
                meta.unit = Some(org.as_str().to_string());
            }
            break;
        }
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_of_a_material() {
        let m = metadata_from_file_name(Path::new("/x/2023_张三_县委书记_对照检查材料.docx"));
        assert_eq!(m.year.map(Year::get), Some(2023));
        assert_eq!(m.author.as_deref(), Some("张三"));
        assert_eq!(m.post.as_deref(), Some("县委书记"));
        assert_eq!(m.unit, None);
        assert_eq!(m.kind.as_deref(), Some("对照检查材料"));
    }

    #[test]
    fn file_name_of_reports() {
        let m = metadata_from_file_name(Path::new("2026_四川省_政府工作报告.txt"));
        assert_eq!(
            (m.year.map(Year::get), m.unit.as_deref(), m.kind.as_deref()),
            (Some(2026), Some("四川省"), Some("政府工作报告"))
        );
        let m = metadata_from_file_name(Path::new("1954_国务院政府工作报告.txt"));
        assert_eq!(
            (m.year.map(Year::get), m.unit.as_deref(), m.kind.as_deref()),
            (Some(1954), Some("国务院"), Some("政府工作报告"))
        );
        assert_eq!(m.title, None);
        let m = metadata_from_file_name(Path::new("000_10c424be91a3d583.txt"));
        assert!(m.is_empty(), "{m:?}");
        let m = metadata_from_file_name(Path::new(
            "20_高举中国特色社会主义伟大旗帜_为全面建设社会主义现代化国家而团结奋斗_二十大.txt",
        ));
        assert_eq!(
            m.title.as_deref(),
            Some("高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗")
        );
        let m = metadata_from_file_name(Path::new(
            "第十一届全国人民代表大会第一次会议关于政府工作报告的决议.txt",
        ));
        assert_eq!(m.kind.as_deref(), Some("决议"));
        assert!(m.title.is_some());
    }

    #[test]
    fn text_year_is_the_meeting_not_any_year() {
        let t = "关于2023年度民主生活会的对照检查材料\n一、2019年以来的工作\n";
        let m = metadata_from_text(t);
        assert_eq!(m.year.map(Year::get), Some(2023));
        assert_eq!(m.kind.as_deref(), Some("对照检查材料"));
        let t = "各位代表：\n现在，我代表国务院，向大会报告政府工作。\n一、2024年工作回顾\n2024年经济增长5%。\n";
        let m = metadata_from_text(t);
        assert_eq!(m.year, None);
        assert_eq!(m.title, None);
        assert_eq!(m.kind.as_deref(), Some("政府工作报告"));
    }

    #[test]
    fn government_report_header() {
        let t = "2026年四川省人民政府工作报告\n2026年2月3日在四川省第十四届人民代表大会第五次会议上\n四川省人民政府省长 施小琳\n各位代表：\n";
        let m = metadata_from_text(t);
        assert_eq!(m.title.as_deref(), Some("2026年四川省人民政府工作报告"));
        assert_eq!(m.year.map(Year::get), Some(2026));
        assert_eq!(m.author.as_deref(), Some("施小琳"));
        assert_eq!(m.unit.as_deref(), Some("四川省人民政府"));
    }
}
