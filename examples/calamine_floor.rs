//! The ledger floor for the benchmark: calamine alone opening a workbook and visiting every
//! cell of every sheet (the standard `worksheet_range` path), nothing else.
//!
//!     cargo run --release --example calamine_floor -- LEDGER.xlsx

use calamine::{Data, Reader, open_workbook_auto};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: calamine_floor WORKBOOK")?;
    let start = std::time::Instant::now();
    let mut book = open_workbook_auto(&path)?;
    let mut cells = 0usize;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name)?;
        cells += range
            .used_cells()
            .filter(|(_, _, c)| !matches!(c, Data::Empty))
            .count();
    }
    println!(
        "calamine alone: {cells} cells in {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
