//! Command-line flags (clap derive). Converted once into library types by the commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// gongwen (公文): reads Chinese political documents (对照检查材料, 述职述廉报告, work reports) and
/// shows what in them is copied, reused, formulaic, or empty of concrete examples.
#[derive(Debug, Parser)]
#[command(name = "gongwen", version, about, max_term_width = 100)]
pub struct Cli {
    /// The archive directory (default: $GONGWEN_ARCHIVE, else ./gongwen-archive).
    #[arg(long, global = true, value_name = "DIR")]
    pub archive: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add files and directories (recursively) to the archive; unchanged files are skipped, changed ones replaced.
    Add(AddArgs),
    /// List archived documents (文档), with filters.
    List(ListArgs),
    /// Remove documents from the archive, named by doc_id or by the path they were added from.
    Remove(RemoveArgs),
    /// Find every document containing a string (全文检索): exact substrings, filters, KWIC, facets.
    Search(SearchArgs),
    /// Show a document of the archive, or any file, with its text and metadata (作者, 单位, 年份, 类型): how to debug ingestion.
    Show(ShowArgs),
    /// Show a document's outline: sections (一、（一）…) with their kinds, items (一是/二是) and examples (比如).
    Outline(OutlineArgs),
    /// Segment text into words with the political dictionary (两个确立, 一岗双责 stay whole).
    Segment(SegmentArgs),
    /// The 查重 of one document against the archive: copied (与他人重合), self-reused (自我重复), mandated (规定引用) and boilerplate (套话), with the CNKI figures.
    Check(CheckArgs),
    /// The 查重 of every document against the others: rates per document, year-over-year reuse per author and unit (逐年重复), shared passages.
    Analyze(AnalyzeArgs),
    /// Run gongwen on the embedded demo corpus (44 materials of the fictional 枫溪县: 对照检查材料, 述职述廉报告, work reports, notices).
    Demo(DemoArgs),
    /// A local web UI over the archive (read-only): search with filters and a KWIC view, documents with their outline and findings, 查重报告.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen. Loopback only by default; another address makes the archive readable by
    /// whoever can reach it (a warning is printed). Port 0 picks a free port.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:7878")]
    pub addr: String,
    #[command(flatten)]
    pub dicts: DictArgs,
}

/// The user's own dictionaries for the analyses: stock phrases (本地套话) and names of places,
/// units and projects (地名、单位名、项目名).
#[derive(Debug, Default, Args)]
pub struct DictArgs {
    /// Your own formula dictionary (本地套话): templates in the syntax of
    /// dictionaries/formulas.txt (TEMPLATE<TAB>CATEGORY, {a|b}, {X}), found as 套话 besides the
    /// built-in ones; may be repeated.
    #[arg(long = "formulas", value_name = "FILE")]
    pub formulas: Vec<PathBuf>,
    /// Leave out the built-in formula dictionary: only the templates of --formulas are 套话.
    #[arg(long)]
    pub no_builtin_formulas: bool,
    /// A user dictionary for the specificity analysis (word [freq] [tag] per line, as for
    /// `segment --dict`; e.g. 胜利村 ns): your places, units and projects; may be repeated.
    #[arg(long, value_name = "FILE")]
    pub dict: Vec<PathBuf>,
}

/// Metadata given on the command line; wins over every other source.
#[derive(Debug, Default, Args)]
pub struct MetaArgs {
    /// Metadata manifest: CSV or JSON Lines with columns path,author,unit,year,kind,title.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Author (作者), e.g. 张三.
    #[arg(long, value_name = "A")]
    pub author: Option<String>,
    /// Unit (单位), e.g. 四川省 or 某县纪委.
    #[arg(long, value_name = "U")]
    pub unit: Option<String>,
    /// Year (年份) the document belongs to, e.g. 2023.
    #[arg(long, value_name = "Y")]
    pub year: Option<String>,
    /// Kind (类型), e.g. 对照检查材料, 政府工作报告.
    #[arg(long, value_name = "K")]
    pub kind: Option<String>,
    /// Title (标题).
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// Mark as a source of mandated language (congress reports, notices, speeches).
    #[arg(long)]
    pub mandated: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Files to read (.txt, .docx, .pdf, .html).
    #[arg(required = true, value_name = "FILE|DOC")]
    pub docs: Vec<PathBuf>,
    #[command(flatten)]
    pub meta: MetaArgs,
    /// Print JSON: one object for one file; {"documents","failed"} for several.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// The file to segment (.txt, .docx, .pdf, .html), or - for standard input (default).
    #[arg(value_name = "FILE|-")]
    pub input: Option<PathBuf>,
    /// Print part-of-speech tags as word/tag.
    #[arg(long)]
    pub pos: bool,
    /// Print JSON: {"tokens":[{"text","span","pos","kind"}]}, spans in characters.
    #[arg(long)]
    pub json: bool,
    /// A user dictionary (word [freq] [tag] per line); may be repeated.
    #[arg(long, value_name = "FILE")]
    pub dict: Vec<PathBuf>,
    /// Leave out gongwen's political dictionary (plain jieba-rs).
    #[arg(long)]
    pub no_political: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The document: a doc_id or path in the archive, or any file (.txt, .docx, .pdf, .html).
    #[arg(value_name = "FILE|DOC")]
    pub doc: PathBuf,
    /// Shortest shared passage, in countable characters (CJK characters, letters, digits).
    #[arg(long, value_name = "N", default_value_t = 13)]
    pub min_chars: usize,
    /// Align with at most N archived documents: those sharing most text (the rest are counted
    /// and reported).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_candidates: usize,
    /// Print JSON: {"doc","rates","cnki","matches","items","flags"} (see INTERFACE.md).
    #[arg(long)]
    pub json: bool,
    /// Also write the printable 查重报告 as one self-contained HTML file (opens offline, A4).
    #[arg(long, value_name = "OUT")]
    pub html: Option<PathBuf>,
    /// Metadata of a file outside the archive (decides self-reuse: same author or unit, earlier year).
    #[command(flatten)]
    pub meta: MetaArgs,
    #[command(flatten)]
    pub dicts: DictArgs,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Shortest shared passage, in countable characters (CJK characters, letters, digits).
    #[arg(long, value_name = "N", default_value_t = 13)]
    pub min_chars: usize,
    /// Align each document with at most N others: those sharing most text (a cut is reported
    /// per document).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_candidates: usize,
    /// Print JSON: {"documents","series","formulas","clusters"} (see INTERFACE.md).
    #[arg(long)]
    pub json: bool,
    /// Also write the dashboard as one self-contained HTML file: the sortable documents table,
    /// year-over-year reuse charts, the most widespread 套话, shared passages.
    #[arg(long, value_name = "OUT")]
    pub html: Option<PathBuf>,
    /// Also write the documents table as CSV for Excel (UTF-8 with BOM, Chinese headers, shares 0–1).
    #[arg(long, value_name = "OUT")]
    pub csv: Option<PathBuf>,
    /// Also write the documents table as an Excel workbook (.xlsx; shares as percentages).
    #[arg(long, value_name = "OUT")]
    pub xlsx: Option<PathBuf>,
    #[command(flatten)]
    pub dicts: DictArgs,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the corpus, its manifest, the archive and the 查重报告 (default ./gongwen-demo).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct OutlineArgs {
    /// The file (.txt, .docx, .pdf, .html).
    #[arg(value_name = "FILE|DOC")]
    pub doc: PathBuf,
    /// Print JSON: {"doc_id","preamble","sections":[{"level","marker","heading","kind","span","sections","items"}]}.
    #[arg(long)]
    pub json: bool,
}

/// Filters on metadata, all exact.
#[derive(Debug, Default, Args)]
pub struct FilterArgs {
    /// Years (年份), inclusive: 2023, 2019..2023, 2019.. or ..2023.
    #[arg(long, value_name = "A..B")]
    pub year: Option<String>,
    /// Author (作者).
    #[arg(long, value_name = "A")]
    pub author: Option<String>,
    /// Unit (单位).
    #[arg(long, value_name = "U")]
    pub unit: Option<String>,
    /// Kind (类型), e.g. 对照检查材料.
    #[arg(long, value_name = "K")]
    pub kind: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Files and directories (.txt, .docx, .pdf, .html; directories are walked recursively).
    /// Without PATHs, the files --manifest lists.
    #[arg(required_unless_present = "manifest", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub meta: MetaArgs,
    /// Print JSON: {"added","updated","unchanged","failed","files":[{"path","doc_id","status","error"}]}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print JSON: {"documents":[{"doc_id","path","title","author","unit","year","kind","chars","mandated"}]}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Documents, by doc_id or by the path they were added from.
    #[arg(required = true, value_name = "DOC")]
    pub docs: Vec<String>,
    /// Print JSON: {"removed":[…],"missing":[…]}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: 两个确立 finds the exact string; A B needs both, A OR B either, -A excludes, "A B" quotes.
    #[arg(
        value_name = "QUERY",
        required_unless_present = "queries",
        conflicts_with = "queries"
    )]
    pub query: Option<String>,
    /// Run one query per line of FILE (- for standard input) in one process; JSON Lines with --json.
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// How many documents to show (the total counts them all).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Keyword in context (KWIC): every occurrence with its left and right context.
    #[arg(long)]
    pub kwic: bool,
    /// Count matching documents and occurrences per year, unit, kind and author (the timeline of a 提法).
    #[arg(long)]
    pub facets: bool,
    /// With --facets, also write the counts as CSV for Excel: 检索词,分类,值,文档数,出现次数.
    #[arg(long, value_name = "OUT", requires = "facets")]
    pub csv: Option<PathBuf>,
    /// List only the matching documents (paths; doc_ids and paths with --json), no snippets.
    #[arg(short = 'l', long, conflicts_with_all = ["kwic", "facets", "count"])]
    pub files_with_matches: bool,
    /// List each matching document with its number of occurrences, no snippets.
    #[arg(short = 'c', long, conflicts_with_all = ["kwic", "facets"])]
    pub count: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
