//! Printers over `&[Finding]`. A printer never decides what is a defect.

pub mod dir;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
