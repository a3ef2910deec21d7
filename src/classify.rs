//! Map a file name to the document it is. Knows nothing of spreadsheets or the ledger.
//!
//! Each document has keyword patterns and exclusions (YAML). A file name (normalised, lower-case,
//! extension dropped) is the document whose pattern it contains; when several documents match,
//! the longest pattern wins (`预备党员转正申请书` is a 转正申请书, not an 入党申请书), and a
//! document whose exclusion also appears in the name is passed over.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::config::Document;
use crate::text::normalize;

pub struct Classifier {
    patterns: Option<AhoCorasick>,
    /// For each pattern: (document index, pattern length in chars).
    owners: Vec<(usize, usize)>,
    excludes: Vec<Vec<String>>,
    /// (document index, expression) for documents that also match by regex.
    regexes: Vec<(usize, regex::Regex)>,
}

impl Classifier {
    pub fn new(documents: &[Document]) -> Classifier {
        let mut pats = Vec::new();
        let mut owners = Vec::new();
        for (i, d) in documents.iter().enumerate() {
            for p in &d.patterns {
                pats.push(p.clone());
                owners.push((i, p.chars().count()));
            }
        }
        // Standard match kind supports overlapping search; the pattern set is tiny.
        // Building fails only past the automaton's size limits, far beyond any rule set.
        let patterns = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&pats)
            .ok();
        Classifier {
            patterns,
            owners,
            excludes: documents.iter().map(|d| d.exclude.clone()).collect(),
            regexes: documents
                .iter()
                .enumerate()
                .flat_map(|(i, d)| d.regex.iter().map(move |r| (i, r.clone())))
                .collect(),
        }
    }

    /// The document a file stem names, if any.
    pub fn classify(&self, stem: &str) -> Option<usize> {
        let name = normalize(stem).to_lowercase();
        let mut best: Option<(usize, usize)> = None;
        for m in self
            .patterns
            .iter()
            .flat_map(|p| p.find_overlapping_iter(&name))
        {
            let (doc, len) = self.owners[m.pattern().as_usize()];
            if self.excludes[doc].iter().any(|x| name.contains(x.as_str())) {
                continue;
            }
            if best.is_none_or(|(_, l)| len > l) {
                best = Some((doc, len));
            }
        }
        for (doc, re) in &self.regexes {
            let Some(m) = re.find(&name) else { continue };
            if self.excludes[*doc]
                .iter()
                .any(|x| name.contains(x.as_str()))
            {
                continue;
            }
            let len = m.as_str().chars().count();
            if best.is_none_or(|(_, l)| len > l) {
                best = Some((*doc, len));
            }
        }
        best.map(|(doc, _)| doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classifier() -> (Classifier, Vec<Document>) {
        let config = crate::config::load(&[] as &[&str]).expect("default rules load");
        (Classifier::new(&config.documents), config.documents)
    }

    fn key(stem: &str) -> Option<String> {
        let (c, docs) = classifier();
        c.classify(stem).map(|i| docs[i].key.clone())
    }

    #[test]
    fn contract_examples() {
        for (stem, want) in [
            ("入党申请书", "application"),
            ("张三入党申请书", "application"),
            ("01-入党申请书", "application"),
            ("转正申请书", "conversion"),
            ("预备党员转正申请书", "conversion"),
            ("自传", "autobiography"),
            ("个人自传", "autobiography"),
            ("自传-张三", "autobiography"),
            ("政审表", "vetting"),
            ("政治审查材料", "vetting"),
            ("张三政审综合材料", "vetting"),
            ("积极分子考察表", "activist_assessment"),
            ("入党积极分子考察登记表", "activist_assessment"),
            ("预备党员考察表", "probation_assessment"),
            ("预备党员教育考察表", "probation_assessment"),
            ("预备党员培养教育考察表", "probation_assessment"),
            ("集中培训表", "training"),
            ("发展对象培训结业证书", "training"),
            ("发展对象集中培训登记表", "training"),
            ("入党志愿书", "volunteer"),
            ("中国共产党入党志愿书", "volunteer"),
            ("入党自愿书", "volunteer"),
            ("入党志愿书（1）", "volunteer"),
            ("思想汇报2022年第1季度", "thought_report"),
            ("简历", "resume"),
            ("ｚ入党申请书", "application"),
        ] {
            assert_eq!(key(stem).as_deref(), Some(want), "{stem}");
        }
    }

    #[test]
    fn near_misses() {
        assert_eq!(key("扫描0001"), None);
        assert_eq!(key("照片"), None);
        // 转正 excludes the application even when 入党申请 appears (入党申请转正材料 is not an 入党申请书).
        assert_ne!(key("入党申请转正"), Some("application".into()));
    }
}
