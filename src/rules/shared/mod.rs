//! Helpers several kinds share: what a dossier holds, its catalogs, who repeats whom, a resume's spans, a
//! finding about a file. No kind lives here.

pub mod catalog;
pub mod content;
pub mod documents;
pub mod dormancy;
pub mod files;
pub mod identity;
pub mod resume;
pub mod waivers;
