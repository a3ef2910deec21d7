//! A workbook as its reader streamed it — sheets, non-empty rows of cells, problems, and how
//! the file ended — recorded on a tape for the result cache (`cache.rs`). An unchanged
//! workbook is replayed into the parser instead of being unzipped and parsed again: the parser
//! sees exactly the calls it saw the first time, so what it makes of them (and the findings)
//! cannot differ. A tape is checked whole before anything is replayed: a damaged one is read
//! as no tape (the workbook is read again), never half-fed to the parser.

use crate::broken::Broken;
use calamine::{CellErrorType, Data, ExcelDateTime, ExcelDateTimeType};

use super::RowSink;
use crate::bytes::{Bytes, put_text};

const START: u8 = 0;
const ROW: u8 = 1;
const FINISH: u8 = 2;
const PROBLEM: u8 = 3;
const END_OK: u8 = 4;
const END_ERR: u8 = 5;

const ERRORS: [CellErrorType; 8] = [
    CellErrorType::Div0,
    CellErrorType::NA,
    CellErrorType::Name,
    CellErrorType::Null,
    CellErrorType::Num,
    CellErrorType::Ref,
    CellErrorType::Value,
    CellErrorType::GettingData,
];

/// Passes every call on to `inner` and writes it on the tape.
pub(super) struct Recorder<'a> {
    pub inner: &'a mut dyn RowSink,
    pub tape: Vec<u8>,
}

impl Recorder<'_> {
    /// The tape, ended with how the whole file's reading ended.
    pub fn end(mut self, outcome: &Result<(), Broken>) -> Vec<u8> {
        match outcome {
            Ok(()) => self.tape.push(END_OK),
            Err(e) => {
                self.tape.push(END_ERR);
                put_text(e.as_str(), &mut self.tape);
            }
        }
        self.tape
    }
}

impl RowSink for Recorder<'_> {
    fn start(&mut self, sheet: &str, last_row: u32) {
        self.tape.push(START);
        put_text(sheet, &mut self.tape);
        self.tape.extend_from_slice(&last_row.to_le_bytes());
        self.inner.start(sheet, last_row);
    }

    fn row(&mut self, row: u32, cells: &[Data], shown: &[u8]) {
        let t = &mut self.tape;
        t.push(ROW);
        t.extend_from_slice(&row.to_le_bytes());
        t.extend_from_slice(&(cells.len() as u32).to_le_bytes());
        for c in cells {
            cell(c, t);
        }
        t.extend_from_slice(&(shown.len() as u32).to_le_bytes());
        t.extend_from_slice(shown);
        self.inner.row(row, cells, shown);
    }

    fn finish(&mut self) {
        self.tape.push(FINISH);
        self.inner.finish();
    }

    fn problem(&mut self, problem: String) {
        self.tape.push(PROBLEM);
        put_text(&problem, &mut self.tape);
        self.inner.problem(problem);
    }
}

fn cell(d: &Data, t: &mut Vec<u8>) {
    match d {
        Data::Empty => t.push(0),
        Data::Int(i) => {
            t.push(1);
            t.extend_from_slice(&i.to_le_bytes());
        }
        Data::Float(f) => {
            t.push(2);
            t.extend_from_slice(&f.to_le_bytes());
        }
        Data::String(s) => {
            t.push(3);
            put_text(s, t);
        }
        Data::Bool(b) => t.push(if *b { 5 } else { 4 }),
        Data::DateTime(x) => {
            t.push(6);
            t.extend_from_slice(&x.as_f64().to_le_bytes());
            let kind = if x.is_duration() {
                ExcelDateTimeType::TimeDelta
            } else {
                ExcelDateTimeType::DateTime
            };
            // calamine says which epoch only through equality.
            let is_1904 = *x == ExcelDateTime::new(x.as_f64(), kind, true);
            t.push(u8::from(x.is_duration()));
            t.push(u8::from(is_1904));
        }
        Data::DateTimeIso(s) => {
            t.push(7);
            put_text(s, t);
        }
        Data::DurationIso(s) => {
            t.push(8);
            put_text(s, t);
        }
        Data::Error(e) => {
            t.push(9);
            t.push(ERRORS.iter().position(|x| x == e).unwrap_or(0) as u8);
        }
    }
}

/// Replay `tape` into `sink`, and how the file's reading ended; None (and nothing replayed)
/// if the tape is not whole.
pub(super) fn replay(tape: &[u8], sink: &mut dyn RowSink) -> Option<Result<(), Broken>> {
    let _ = play(tape, None)?;
    play(tape, Some(sink))
}

/// Walk the tape, calling `sink` if given: the outcome, or None at the first thing wrong.
fn play(tape: &[u8], mut sink: Option<&mut dyn RowSink>) -> Option<Result<(), Broken>> {
    let mut r = Bytes(tape);
    let mut cells: Vec<Data> = Vec::new();
    loop {
        match r.byte()? {
            START => {
                let name = r.text()?;
                let last = r.u32()?;
                if let Some(s) = sink.as_deref_mut() {
                    s.start(name, last);
                }
            }
            ROW => {
                let row = r.u32()?;
                // A damaged count stops at the first cell past the end (nothing is reserved).
                let n = r.u32()? as usize;
                cells.clear();
                for _ in 0..n {
                    cells.push(read_cell(&mut r)?);
                }
                let m = r.u32()? as usize;
                let shown = r.take(m)?;
                if let Some(s) = sink.as_deref_mut() {
                    s.row(row, &cells, shown);
                }
            }
            FINISH => {
                if let Some(s) = sink.as_deref_mut() {
                    s.finish();
                }
            }
            PROBLEM => {
                let p = r.text()?;
                if let Some(s) = sink.as_deref_mut() {
                    s.problem(p.to_string());
                }
            }
            END_OK => return r.is_empty().then_some(Ok(())),
            END_ERR => {
                let e = r.text()?.to_string();
                return r.is_empty().then_some(Err(e.into()));
            }
            _ => return None,
        }
    }
}

/// A cell as [`cell`] wrote it.
fn read_cell(r: &mut Bytes<'_>) -> Option<Data> {
    let f64_ = |r: &mut Bytes<'_>| r.array().map(f64::from_le_bytes);
    Some(match r.byte()? {
        0 => Data::Empty,
        1 => Data::Int(i64::from_le_bytes(r.array()?)),
        2 => Data::Float(f64_(r)?),
        3 => Data::String(r.text()?.to_string()),
        4 => Data::Bool(false),
        5 => Data::Bool(true),
        6 => {
            let value = f64_(r)?;
            let kind = match r.byte()? {
                0 => ExcelDateTimeType::DateTime,
                1 => ExcelDateTimeType::TimeDelta,
                _ => return None,
            };
            let is_1904 = match r.byte()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            Data::DateTime(ExcelDateTime::new(value, kind, is_1904))
        }
        7 => Data::DateTimeIso(r.text()?.to_string()),
        8 => Data::DurationIso(r.text()?.to_string()),
        9 => Data::Error(ERRORS.get(r.byte()? as usize)?.clone()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every call, written down.
    #[derive(Default, Debug, PartialEq)]
    struct Log(Vec<String>);

    impl RowSink for Log {
        fn start(&mut self, sheet: &str, last_row: u32) {
            self.0.push(format!("start {sheet} {last_row}"));
        }
        fn row(&mut self, row: u32, cells: &[Data], shown: &[u8]) {
            self.0.push(format!("row {row} {cells:?} {shown:?}"));
        }
        fn finish(&mut self) {
            self.0.push("finish".into());
        }
        fn problem(&mut self, problem: String) {
            self.0.push(format!("problem {problem}"));
        }
    }

    fn feed(sink: &mut dyn RowSink) {
        sink.start("2021年以来", 99);
        sink.row(
            2,
            &[
                Data::Empty,
                Data::Int(-7),
                Data::Float(44_927.5),
                Data::String("张三".into()),
                Data::Bool(true),
                Data::Bool(false),
                Data::DateTime(ExcelDateTime::new(
                    44_927.0,
                    ExcelDateTimeType::DateTime,
                    true,
                )),
                Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false)),
                Data::DateTimeIso("2023-01-01".into()),
                Data::DurationIso("PT1H".into()),
                Data::Error(CellErrorType::Ref),
            ],
            &[255, 2],
        );
        sink.problem("工作表“简历”无法读取".into());
        sink.finish();
    }

    #[test]
    fn a_replayed_tape_makes_the_same_calls_and_a_damaged_one_makes_none() {
        let mut first = Log::default();
        let mut rec = Recorder {
            inner: &mut first,
            tape: Vec::new(),
        };
        feed(&mut rec);
        let tape = rec.end(&Err("表格设有打开密码".into()));
        let mut direct = Log::default();
        feed(&mut direct);
        assert_eq!(first, direct);
        let mut again = Log::default();
        assert_eq!(
            replay(&tape, &mut again),
            Some(Err("表格设有打开密码".into()))
        );
        assert_eq!(again, direct);
        // Cut anywhere, or with a byte more: nothing replayed.
        for n in 0..tape.len() {
            let mut none = Log::default();
            assert_eq!(replay(&tape[..n], &mut none), None, "cut at {n}");
            assert!(none.0.is_empty());
        }
        let mut longer = tape.clone();
        longer.push(0);
        assert_eq!(replay(&longer, &mut Log::default()), None);
        // A row claiming u32::MAX cells: nothing replayed, nothing reserved for them.
        let mut many = vec![ROW];
        many.extend_from_slice(&2u32.to_le_bytes());
        many.extend_from_slice(&u32::MAX.to_le_bytes());
        many.push(0);
        let mut none = Log::default();
        assert_eq!(replay(&many, &mut none), None);
        assert!(none.0.is_empty());
        // A clean ending.
        let mut ok = Log::default();
        let rec = Recorder {
            inner: &mut ok,
            tape: Vec::new(),
        };
        assert_eq!(replay(&rec.end(&Ok(())), &mut Log::default()), Some(Ok(())));
    }
}
