//! A list as a download: CSV (UTF-8 with a byte-order mark, so that Excel opens the Chinese
//! headers as Chinese) or an Excel workbook (`rust_xlsxwriter`). Each list page builds its
//! rows through the same app queries as the page; this module only writes them. Headers are
//! Chinese, times Beijing time, money yuan as a number with two decimals.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The most rows one export holds; a longer list is cut there, and the file says so.
pub const MAX_ROWS: usize = 10_000;

/// What an export says in its last row when the list was longer than [`MAX_ROWS`].
pub const CUT_NOTE: &str = "仅导出前 10,000 行；请缩小筛选范围后再导出其余记录。";

/// One cell of an exported row.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// An amount in fen, written as yuan with two decimals.
    Yuan(i64),
    Int(i64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

/// The file kind asked for by the route (`…/export.csv`, `…/export.xlsx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// A list to write: its sheet title, file stem (ASCII, for the file name), headers and rows.
pub struct Table {
    /// The worksheet's name and the file name's Chinese part (e.g. `案件列表`).
    pub title: &'static str,
    /// The file name's ASCII stem (e.g. `cases`), used where a client cannot read UTF-8 names.
    pub stem: &'static str,
    pub headers: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
    /// Whether the list went on past [`MAX_ROWS`].
    pub cut: bool,
}

/// Fen as yuan with two decimals, without grouping (a number a spreadsheet reads).
fn yuan_plain(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let f = fen.unsigned_abs();
    format!("{sign}{}.{:02}", f / 100, f % 100)
}

fn csv_bytes(t: &Table) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |_| ApiError::internal();
    w.write_record(t.headers).map_err(fail)?;
    for row in &t.rows {
        let rec: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Yuan(f) => yuan_plain(*f),
                Cell::Int(n) => n.to_string(),
            })
            .collect();
        w.write_record(&rec).map_err(fail)?;
    }
    if t.cut {
        // As wide as the headers: a reader expecting a fixed width still reads the note.
        let mut note = vec![String::new(); t.headers.len().max(1)];
        note[0] = CUT_NOTE.to_owned();
        w.write_record(&note).map_err(|_| ApiError::internal())?;
    }
    let body = w.into_inner().map_err(|_| ApiError::internal())?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend(body);
    Ok(out)
}

fn xlsx_bytes(t: &Table) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    let fail = |_| ApiError::internal();
    let mut book = Workbook::new();
    let bold = XFormat::new().set_bold();
    let money = XFormat::new().set_num_format("#,##0.00");
    let sheet = book.add_worksheet();
    sheet.set_name(t.title).map_err(fail)?;
    for (c, h) in t.headers.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| ApiError::internal())?;
        sheet
            .write_string_with_format(0, col, *h, &bold)
            .map_err(fail)?;
        sheet.set_column_width(col, 18).map_err(fail)?;
    }
    let mut r: u32 = 0;
    for row in &t.rows {
        r += 1;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| ApiError::internal())?;
            match cell {
                Cell::Text(s) => sheet.write_string(r, col, s).map(|_| ()),
                // Fen to yuan: exact in f64 for any amount below 2^53 fen.
                #[allow(clippy::cast_precision_loss)]
                Cell::Yuan(f) => sheet
                    .write_number_with_format(r, col, *f as f64 / 100.0, &money)
                    .map(|_| ()),
                #[allow(clippy::cast_precision_loss)]
                Cell::Int(n) => sheet.write_number(r, col, *n as f64).map(|_| ()),
            }
            .map_err(fail)?;
        }
    }
    if t.cut {
        sheet.write_string(r + 1, 0, CUT_NOTE).map_err(fail)?;
    }
    book.save_to_buffer().map_err(fail)
}

/// The download: the file, its type, and a name (ASCII fallback plus the Chinese name, RFC
/// 6266/5987) carrying the day it was made.
pub fn response(t: &Table, format: Format, day: jiff::civil::Date) -> Result<Response, ApiError> {
    let (bytes, ext, mime) = match format {
        Format::Csv => (csv_bytes(t)?, "csv", "text/csv; charset=utf-8"),
        Format::Xlsx => (
            xlsx_bytes(t)?,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    let day = day.strftime("%Y%m%d").to_string();
    let ascii = format!("{}-{day}.{ext}", t.stem);
    let utf8: String =
        form_urlencoded::byte_serialize(format!("{}-{day}.{ext}", t.title).as_bytes()).collect();
    // byte_serialize writes a space as '+', which RFC 5987 does not read as one.
    let utf8 = utf8.replace('+', "%20");
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{utf8}");
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|_| ApiError::internal())?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if t.cut {
        h.insert(
            "x-export-truncated",
            HeaderValue::from_str(&MAX_ROWS.to_string()).map_err(|_| ApiError::internal())?,
        );
    }
    Ok(resp)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn yuan_has_two_decimals_and_no_grouping() {
        assert_eq!(yuan_plain(15_505_050), "155050.50");
        assert_eq!(yuan_plain(5), "0.05");
        assert_eq!(yuan_plain(-120), "-1.20");
    }

    #[test]
    fn csv_starts_with_a_bom_and_notes_a_cut() {
        let t = Table {
            title: "案件列表",
            stem: "cases",
            headers: &["案号", "金额（元）"],
            rows: vec![vec!["执1号".into(), Cell::Yuan(123_456)]],
            cut: true,
        };
        let b = String::from_utf8(csv_bytes(&t).unwrap()).unwrap();
        assert!(
            b.starts_with("\u{feff}案号,金额（元）\n执1号,1234.56\n"),
            "{b}"
        );
        let last = b.trim_end().lines().last().unwrap_or_default();
        assert_eq!(last, format!("\"{CUT_NOTE}\","), "{b}");
    }

    #[test]
    fn a_cut_workbook_is_written() {
        let t = Table {
            title: "案件列表",
            stem: "cases",
            headers: &["案号"],
            rows: vec![vec!["执1号".into()]],
            cut: true,
        };
        let bytes = xlsx_bytes(&t).unwrap();
        assert!(bytes.starts_with(b"PK"), "a zip container");
    }
}
