//! A ledger row: its sheet, its values by field, and — merged from several rosters — where each
//! value came from.

use std::sync::Arc;

use jiff::civil::Date;

use super::packed::Packed;
use super::{FieldValue, LedgerSheet, merge};
use crate::date::DateValue;
use crate::finding::Location;
use crate::schema::Schema;

/// One person's row in a ledger.
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub sheet: Arc<LedgerSheet>,
    /// Zero-based row in the sheet.
    pub row: u32,
    /// The values of the fields its sheet has a column for, in the sheet's slots; a row merged
    /// from several sheets holds every field's, indexed by field (see [`LedgerRow::slot`]).
    pub(super) values: Packed,
    /// Position among all ledger rows of the archive (files in walk order, sheets, rows).
    pub seq: usize,
    /// Set when rows of other sheets were merged into this one (the same person on several
    /// rosters): where each value came from.
    pub merged: Option<Box<Merged>>,
}

#[cfg(test)]
impl LedgerRow {
    /// A row of text cells by field key, on a sheet of its own: for other modules' tests.
    pub(crate) fn of_texts(config: &Schema, cells: &[(&str, &str)]) -> LedgerRow {
        let mut cols = vec![None; config.fields.len()];
        for (c, (k, _)) in cells.iter().enumerate() {
            let f = config.field(k).unwrap_or_else(|| panic!("no field {k}"));
            cols[f] = Some(c as u32);
        }
        let sheet = Arc::new(LedgerSheet::new(
            super::SheetRef {
                file: Arc::from("台账.xlsx"),
                sheet: Arc::from("Sheet1"),
            },
            cols.into_boxed_slice(),
            Box::new([]),
        ));
        let mut values = vec![FieldValue::Empty; sheet.width];
        for (k, v) in cells {
            let f = config.field(k).unwrap_or_else(|| panic!("no field {k}"));
            if let Some(s) = sheet.slots[f] {
                values[usize::from(s)] = FieldValue::Text((*v).into());
            }
        }
        LedgerRow {
            sheet,
            row: 1,
            values: Packed::pack(&values),
            seq: 0,
            merged: None,
        }
    }
}

/// The rows a merged ledger row was made of, and which gave each value.
#[derive(Debug, Clone)]
pub struct Merged {
    /// (sheet, zero-based row) of every row merged, this row first.
    pub sources: Vec<(Arc<LedgerSheet>, u32)>,
    /// Indexed by field: the source that gave the value.
    pub of_field: Box<[u16]>,
    /// Fields on which the rows disagree.
    pub conflicts: Vec<merge::Conflict>,
}

impl LedgerRow {
    /// Where the row keeps a field's value: its sheet's slot, or — merged from several
    /// sheets — the field itself.
    fn slot(&self, field: usize) -> Option<usize> {
        match &self.merged {
            None => self
                .sheet
                .slots
                .get(field)
                .copied()
                .flatten()
                .map(usize::from),
            Some(_) => Some(field),
        }
    }

    /// Where the row keeps a field's value, when some sheet of the row has its column.
    fn held(&self, field: usize) -> Option<usize> {
        if self.has_column(field) {
            self.slot(field)
        } else {
            None
        }
    }

    /// A field's value; None when the sheet has no such column.
    pub fn value(&self, field: usize) -> Option<FieldValue> {
        self.values.get(self.held(field)?)
    }

    /// Whether a field's cell is empty; None when the sheet has no such column.
    pub fn is_empty(&self, field: usize) -> Option<bool> {
        self.values.is_empty_at(self.held(field)?)
    }

    /// A row of `sheet` from every field's value, indexed by field (for tests).
    #[cfg(test)]
    pub(crate) fn from_fields(
        sheet: Arc<LedgerSheet>,
        row: u32,
        fields: Vec<FieldValue>,
    ) -> LedgerRow {
        let mut values = vec![FieldValue::Empty; sheet.width];
        for (v, s) in fields.into_iter().zip(sheet.slots.iter()) {
            if let Some(s) = s {
                values[usize::from(*s)] = v;
            }
        }
        LedgerRow {
            sheet,
            row,
            values: Packed::pack(&values),
            seq: 0,
            merged: None,
        }
    }

    /// Every field's value, indexed by field (Empty where no sheet has the column): the form
    /// a merged row keeps.
    pub(crate) fn dense(self, fields: usize) -> Vec<FieldValue> {
        if self.merged.is_some() {
            return self.values.unpack();
        }
        let mut out = vec![FieldValue::Empty; fields];
        let mut values = self.values.unpack().into_iter();
        for (f, s) in self.sheet.slots.iter().enumerate() {
            if s.is_some()
                && let (Some(o), Some(v)) = (out.get_mut(f), values.next())
            {
                *o = v;
            }
        }
        out
    }

    /// A milestone's date: a date field's, or a range's start or end; None when empty or
    /// unusable.
    pub fn milestone(&self, m: crate::schema::MilestoneRef) -> Option<DateValue> {
        match self.value(m.field)? {
            FieldValue::Range(a, b) => Some(if m.end == crate::schema::End::Start {
                a
            } else {
                b
            }),
            v => v.date(),
        }
    }

    pub fn has_column(&self, field: usize) -> bool {
        match &self.merged {
            None => self.sheet.cols.get(field).is_some_and(Option::is_some),
            Some(m) => m
                .sources
                .iter()
                .any(|(sheet, _)| sheet.cols.get(field).is_some_and(Option::is_some)),
        }
    }

    /// Every field some sheet of the row has a column for: (field, value).
    pub fn cells(&self) -> impl Iterator<Item = (usize, FieldValue)> {
        (0..self.sheet.cols.len()).filter_map(|f| Some((f, self.value(f)?)))
    }

    /// The sheet and row a field's value came from.
    fn source(&self, field: usize) -> (&LedgerSheet, u32) {
        match &self.merged {
            Some(m) => {
                let i = m.of_field.get(field).copied().unwrap_or(0) as usize;
                m.sources
                    .get(i)
                    .map_or((&*self.sheet, self.row), |(s, r)| (&**s, *r))
            }
            None => (&self.sheet, self.row),
        }
    }

    /// The rows merged into this one (empty when it is one row).
    pub fn sources(&self) -> &[(Arc<LedgerSheet>, u32)] {
        self.merged.as_ref().map_or(&[], |m| m.sources.as_slice())
    }

    /// Fields on which the rows merged into this one disagree.
    pub fn conflicts(&self) -> &[merge::Conflict] {
        self.merged.as_ref().map_or(&[], |m| m.conflicts.as_slice())
    }

    /// The cell of a field in one of the merged rows (`source` indexes [`Self::sources`]).
    pub fn source_location(&self, source: u16, field: usize) -> Location {
        match self.sources().get(source as usize) {
            Some((sheet, row)) => sheet
                .at
                .at(*row, sheet.cols.get(field).copied().flatten().unwrap_or(0)),
            None => self.location(Some(field)),
        }
    }

    /// The row with its ambiguous months read the other way where `flip` says so (called
    /// once for each such cell, in field order).
    pub fn with_readings(&self, mut flip: impl FnMut() -> bool) -> LedgerRow {
        let mut values = self.values.unpack();
        for v in &mut values {
            if matches!(v, FieldValue::Either(..)) && flip() {
                *v = v.other_reading();
            }
        }
        LedgerRow {
            sheet: Arc::clone(&self.sheet),
            row: self.row,
            values: Packed::pack(&values),
            seq: self.seq,
            merged: self.merged.clone(),
        }
    }

    /// How many cells read two ways.
    pub fn ambiguous_cells(&self) -> usize {
        self.values.either_count()
    }

    /// The birth date the row's ID number states, when it holds a valid one.
    pub fn id_birth(&self, id_field: Option<usize>, as_of: Date) -> Option<Date> {
        crate::idnum::check(self.text(id_field)?, as_of)
            .ok()
            .map(|i| i.birth)
    }

    pub fn folder_branch(&self) -> Option<&str> {
        self.sheet.folder_branch.get().map(|b| &**b)
    }

    /// The row's branch: its 党支部 column, else the branch folder its sheet was found in.
    pub fn branch(&self, config: &Schema) -> Option<&str> {
        self.text(config.keys.branch).or(self.folder_branch())
    }

    pub fn text(&self, field: Option<usize>) -> Option<&str> {
        self.values.text(self.held(field?)?)
    }

    /// The cell of a field, or of the row's first cell when the column is absent.
    pub fn location(&self, field: Option<usize>) -> Location {
        let Some(f) = field else {
            return self.sheet.at.at(self.row, 0);
        };
        let (sheet, row) = self.source(f);
        let col = sheet.cols.get(f).copied().flatten().unwrap_or(0);
        sheet.at.at(row, col)
    }
}
