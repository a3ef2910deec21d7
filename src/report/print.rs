//! How every sheet dangan writes prints: A4 (landscape where the sheet is wide), scaled to one
//! page wide so no column spills onto a page of its own, the header row repeated on each
//! page, and a page header saying what the sheet is and as of when, with the page number.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// One sheet's print setup.
pub struct Print<'a> {
    /// The zero-based row of the sheet's header, repeated on every printed page.
    pub header_row: u32,
    pub landscape: bool,
    /// The page header's left part: `第一党支部 问题清单 · 审核基准日 2026-11-28`.
    pub title: &'a str,
}

impl Print<'_> {
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        ws.set_paper_size(9); // A4
        if self.landscape {
            ws.set_landscape();
        }
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(self.header_row, self.header_row)?;
        if !self.title.is_empty() {
            // `&` starts a header code: a title's own is doubled. Excel caps a header at 255
            // characters, codes included.
            let title: String = self.title.replace('&', "&&").chars().take(200).collect();
            ws.set_header(format!("&L{title}&R第 &P 页，共 &N 页"));
        }
        Ok(())
    }
}
