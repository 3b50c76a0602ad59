//! Tables where offices work: the documents table of `analyze` as CSV and as an Excel workbook
//! (rust_xlsxwriter), and a search's facets as CSV (a researcher's timeline). Chinese column
//! headers, one row per document or value, numbers as numbers: shares are fractions 0–1, as in
//! the JSON (the workbook shows them as percentages). The CSV starts with a UTF-8 byte-order mark,
//! without which Excel reads it in the machine's legacy encoding (GBK) and garbles the Chinese.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::analyze::{AnalyzeJson, AnalyzedDocJson};
use crate::index::Facets;

/// A cell of the documents table.
enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    Count(Option<u64>),
    Share(Option<f64>),
    Number(Option<f64>),
}

/// The documents table's columns: header, and the cell of a row.
type Column = (&'static str, fn(&AnalyzedDocJson) -> Cell<'_>);

fn items(d: &AnalyzedDocJson, key: &str) -> Option<u64> {
    d.items.as_ref().and_then(|i| i[key].as_u64())
}

const COLUMNS: &[Column] = &[
    ("标题", |d| Cell::Text(d.title.as_deref().unwrap_or(""))),
    ("作者", |d| Cell::Text(d.author.as_deref().unwrap_or(""))),
    ("单位", |d| Cell::Text(d.unit.as_deref().unwrap_or(""))),
    ("年份", |d| Cell::Count(d.year.map(u64::from))),
    ("类型", |d| Cell::Text(d.kind.as_deref().unwrap_or(""))),
    ("字数", |d| Cell::Count(Some(d.chars as u64))),
    ("与他人重合", |d| Cell::Share(Some(d.rates.copied))),
    ("自我重复", |d| Cell::Share(Some(d.rates.self_reuse))),
    ("规定引用", |d| Cell::Share(Some(d.rates.mandated))),
    ("套话", |d| Cell::Share(Some(d.rates.boilerplate))),
    ("总文字复制比", |d| Cell::Share(Some(d.cnki.total))),
    ("去除引用文字复制比", |d| {
        Cell::Share(Some(d.cnki.excluding_mandated))
    }),
    ("去除本人文字复制比", |d| {
        Cell::Share(Some(d.cnki.excluding_self))
    }),
    ("单篇最大文字复制比", |d| {
        Cell::Share(Some(
            d.cnki.largest_source.as_ref().map_or(0.0, |l| l.share),
        ))
    }),
    ("问题条数", |d| {
        Cell::Count(
            items(d, "concrete")
                .zip(items(d, "generic"))
                .zip(items(d, "none"))
                .map(|((c, g), n)| c + g + n),
        )
    }),
    ("有具体事例", |d| Cell::Count(items(d, "concrete"))),
    ("仅有类别", |d| Cell::Count(items(d, "generic"))),
    ("空泛", |d| Cell::Count(items(d, "none"))),
    ("每百词具体信息", |d| Cell::Number(d.specificity)),
    ("标志", |d| Cell::Owned(d.flag_labels.join("；"))),
    ("结论", |d| Cell::Text(&d.verdict)),
    ("比对篇数", |d| Cell::Count(Some(d.compared as u64))),
    ("文档编号", |d| Cell::Text(&d.doc_id)),
    ("文件路径", |d| Cell::Text(&d.path)),
];

/// The documents table as CSV (UTF-8 with a byte-order mark, for Excel).
pub fn analyze_csv(json: &AnalyzeJson) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    // Writing to memory cannot fail.
    let _ = w.write_record(COLUMNS.iter().map(|(h, _)| *h));
    for d in &json.documents {
        let row: Vec<String> = COLUMNS
            .iter()
            .map(|(_, cell)| match cell(d) {
                Cell::Text(s) => s.to_string(),
                Cell::Owned(s) => s,
                Cell::Count(n) => n.map(|n| n.to_string()).unwrap_or_default(),
                Cell::Share(x) => x.map(|x| format!("{x:.4}")).unwrap_or_default(),
                Cell::Number(x) => x.map(|x| format!("{x:.2}")).unwrap_or_default(),
            })
            .collect();
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

/// The documents table as an Excel workbook: one sheet 逐篇结果, headers bold and frozen, shares
/// as percentages, an autofilter on every column.
///
/// # Errors
///
/// The workbook cannot be assembled (a bug in a cell, not a matter of input).
pub fn analyze_xlsx(json: &AnalyzeJson) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("逐篇结果")?;
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let decimal = Format::new().set_num_format("0.00");
    for (c, (header, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *header, &bold)?;
    }
    for (r, d) in json.documents.iter().enumerate() {
        let row = r as u32 + 1;
        for (c, (_, cell)) in COLUMNS.iter().enumerate() {
            let col = c as u16;
            match cell(d) {
                Cell::Text(s) => sheet.write_string(row, col, s)?,
                Cell::Owned(s) => sheet.write_string(row, col, s)?,
                Cell::Count(Some(n)) => sheet.write_number(row, col, n as f64)?,
                Cell::Share(Some(x)) => sheet.write_number_with_format(row, col, x, &percent)?,
                Cell::Number(Some(x)) => sheet.write_number_with_format(row, col, x, &decimal)?,
                Cell::Count(None) | Cell::Share(None) | Cell::Number(None) => sheet,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last = json.documents.len() as u32;
    sheet.autofilter(0, 0, last, COLUMNS.len() as u16 - 1)?;
    for (c, width) in [(0u16, 36.0), (1, 10.0), (2, 18.0), (4, 14.0), (20, 50.0)] {
        sheet.set_column_width(c, width)?;
    }
    book.save_to_buffer()
}

/// Facets of one or more queries as CSV (UTF-8 with a byte-order mark): 检索词, 分类 (年份, 单位,
/// 类型, 作者), 值, 文档数, 出现次数; years in order, so that the year rows are the timeline.
pub fn facets_csv(rows: &[(&str, &Facets)]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(["检索词", "分类", "值", "文档数", "出现次数"]);
    for (query, f) in rows {
        for (label, map) in [
            ("年份", &f.year),
            ("单位", &f.unit),
            ("类型", &f.kind),
            ("作者", &f.author),
        ] {
            for (value, c) in map {
                let _ = w.write_record([
                    *query,
                    label,
                    value,
                    &c.docs.to_string(),
                    &c.count.to_string(),
                ]);
            }
        }
    }
    w.into_inner().unwrap_or_default()
}
