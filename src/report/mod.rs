//! Printers over `&[Finding]`. A printer never decides what is a defect.

pub mod human;
pub mod json;
