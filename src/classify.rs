//! Map a file name to the document it is. Knows nothing of spreadsheets or the ledger.
//!
//! Each document has keyword patterns and exclusions (YAML). A file name (normalised, lower-case,
//! extension dropped) is the document whose pattern it contains; when several documents match,
//! the longest pattern wins (`预备党员转正申请书` is a 转正申请书, not an 入党申请书), and a
//! document whose exclusion also appears in the name is passed over.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::schema::Document;
use crate::text::normalize;

/// A file's document: an index into the rule set's documents, or none, in two bytes (the
/// archive holds one for every file: a million dossiers have four million).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Class(u16);

impl Class {
    /// The most documents a rule set may name (the rules refuse more).
    pub const MAX_DOCUMENTS: usize = u16::MAX as usize;

    /// A document's class; a document past [`Class::MAX_DOCUMENTS`] (refused when the rules
    /// are read) is none.
    pub fn of(doc: Option<usize>) -> Class {
        Class(
            doc.and_then(|d| d.checked_add(1))
                .and_then(|d| u16::try_from(d).ok())
                .unwrap_or(0),
        )
    }

    /// The document, as an index into the rule set's documents.
    pub fn get(self) -> Option<usize> {
        (self.0 != 0).then(|| usize::from(self.0) - 1)
    }
}

#[derive(Debug)]
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

    /// The document a file stem names, if any (none when two documents fit it equally).
    pub fn classify(&self, stem: &str) -> Option<usize> {
        match self.matches(stem) {
            Match::One(doc) => Some(doc),
            Match::Tie(..) | Match::None => None,
        }
    }

    /// The document a dossier file is: what its own name says, else what the nearest folder
    /// between it and the dossier folder says (张伟/03-入党志愿书/第1页.jpg is a page of the
    /// 入党志愿书).
    pub fn classify_in(&self, dossier_rel: &str, file: &crate::walk::FileEntry) -> Option<usize> {
        if let Some(doc) = self.classify(file.stem()) {
            return Some(doc);
        }
        let inner = file
            .rel
            .strip_prefix(dossier_rel)
            .and_then(|r| r.strip_prefix('/'))?;
        let folders = inner.rsplit('/').skip(1);
        folders.into_iter().find_map(|f| self.classify(f))
    }

    /// What a name fits: one document, two equally (考察表 alone: the activist's or the
    /// probationer's), or none.
    pub fn matches(&self, stem: &str) -> Match {
        let name = normalize(stem).to_lowercase();
        let mut best: Option<(usize, usize)> = None;
        let mut tie: Option<usize> = None;
        let mut consider = |doc: usize, len: usize| match best {
            Some((d, l)) if len == l && d != doc => tie = Some(doc),
            Some((_, l)) if len <= l => {}
            _ => {
                best = Some((doc, len));
                tie = None;
            }
        };
        for m in self
            .patterns
            .iter()
            .flat_map(|p| p.find_overlapping_iter(&name))
        {
            let (doc, len) = self.owners[m.pattern().as_usize()];
            if self.excludes[doc].iter().any(|x| name.contains(x.as_str())) {
                continue;
            }
            consider(doc, len);
        }
        for (doc, re) in &self.regexes {
            let Some(m) = re.find(&name) else { continue };
            if self.excludes[*doc]
                .iter()
                .any(|x| name.contains(x.as_str()))
            {
                continue;
            }
            consider(*doc, m.as_str().chars().count());
        }
        match (best, tie) {
            (Some((a, _)), Some(b)) => Match::Tie(a, b),
            (Some((a, _)), None) => Match::One(a),
            (None, _) => Match::None,
        }
    }
}

/// A document found inside a combined file by its bookmarks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Part {
    pub document: usize,
    /// One-based first page; None when the bookmark's destination cannot be followed.
    pub first_page: Option<u32>,
    pub pages: Option<u32>,
}

impl Classifier {
    /// The documents a combined file's bookmarks name, each with its page range: from its
    /// bookmark's page to the page before the next bookmark at its depth or above (or the
    /// file's end). A document named twice adds its pages up.
    pub fn parts(&self, outline: &[crate::inspect::Bookmark], total: Option<u32>) -> Vec<Part> {
        let mut parts: Vec<Part> = Vec::new();
        for (i, b) in outline.iter().enumerate() {
            let Some(doc) = self.classify(&b.title) else {
                continue;
            };
            let end = outline[i + 1..]
                .iter()
                .filter(|n| n.depth <= b.depth)
                .find_map(|n| n.page)
                .or(total);
            let pages = match (b.page, end) {
                (Some(p), Some(e)) if e > p => Some(e - p),
                (Some(_), Some(_)) => Some(1),
                _ => None,
            };
            match parts.iter_mut().find(|p| p.document == doc) {
                Some(p) => {
                    p.pages = match (p.pages, pages) {
                        (Some(a), Some(b)) => Some(a + b),
                        _ => None,
                    }
                }
                None => parts.push(Part {
                    document: doc,
                    first_page: b.page.map(|p| p + 1),
                    pages,
                }),
            }
        }
        parts
    }
}

/// Whether a file is a combined file that says nothing of what it holds: a readable PDF or OFD
/// of more than one page whose name names no document (`class`) and that has no parts.
pub fn unnamed_combined(
    class: Option<usize>,
    parts: &[Part],
    insp: &crate::inspect::Inspection,
) -> bool {
    use crate::inspect::FileFormat;
    class.is_none()
        && parts.is_empty()
        && matches!(insp.format, FileFormat::Pdf | FileFormat::Ofd)
        && insp.problem().is_none()
        && insp.pages.is_some_and(|p| p > 1)
}

/// (dossier, file) of a dossier file.
type FileKey = (u32, u32);

/// The documents inside the archive's combined files, by dossier and file: few files have
/// bookmarks, so only theirs are held.
#[derive(Debug, Default)]
pub struct Parts {
    /// (file, its parts), sorted by file.
    items: Vec<(FileKey, Box<[Part]>)>,
}

impl Parts {
    /// Each dossier file's bookmarks (`outline(d, i)`) read as documents.
    pub fn find<'a>(
        classifier: &Classifier,
        dossiers: usize,
        files: impl Fn(usize) -> usize,
        outline: impl Fn(usize, usize) -> Option<(&'a [crate::inspect::Bookmark], Option<u32>)>,
    ) -> Parts {
        let mut items = Vec::new();
        for d in 0..dossiers {
            for i in 0..files(d) {
                let Some((marks, pages)) = outline(d, i) else {
                    continue;
                };
                let parts = classifier.parts(marks, pages);
                if !parts.is_empty() {
                    items.push(((d as u32, i as u32), parts.into_boxed_slice()));
                }
            }
        }
        Parts { items }
    }

    /// Give files parts of their own (from their dossiers' catalogs): ((dossier, file),
    /// parts) for files that have none. Sorted once, however many.
    pub fn add(&mut self, more: Vec<((usize, usize), Vec<Part>)>) {
        if more.is_empty() {
            return;
        }
        self.items.extend(
            more.into_iter()
                .map(|((d, i), p)| (((d as u32), (i as u32)), p.into_boxed_slice())),
        );
        self.items.sort_by_key(|(k, _)| *k);
        self.items.dedup_by_key(|(k, _)| *k);
    }

    /// The documents file `i` of dossier `d` holds by its bookmarks (empty for most files).
    pub fn get(&self, d: usize, i: usize) -> &[Part] {
        let key = (d as u32, i as u32);
        self.items
            .binary_search_by_key(&key, |(k, _)| *k)
            .map_or(&[], |at| &self.items[at].1)
    }

    /// Every part of a dossier's combined files.
    pub fn of_dossier(&self, d: usize) -> impl Iterator<Item = &Part> {
        let from = self.items.partition_point(|((x, _), _)| (*x as usize) < d);
        self.items[from..]
            .iter()
            .take_while(move |((x, _), _)| *x as usize == d)
            .flat_map(|(_, p)| p.iter())
    }
}

/// What a file name fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    One(usize),
    /// Two documents by patterns of the same length.
    Tie(usize, usize),
    None,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_holds_every_document_up_to_the_limit_and_none() {
        assert_eq!(Class::of(None).get(), None);
        assert_eq!(Class::default().get(), None);
        for d in [0, 1, 2, 17, Class::MAX_DOCUMENTS - 1] {
            assert_eq!(Class::of(Some(d)).get(), Some(d), "document {d}");
        }
        // Past the limit (which the rules refuse) a document is none, never another one.
        assert_eq!(Class::of(Some(Class::MAX_DOCUMENTS)).get(), None);
        assert_eq!(Class::of(Some(usize::MAX)).get(), None);
        assert_eq!(std::mem::size_of::<Class>(), 2);
    }

    fn classifier() -> (Classifier, Vec<Document>) {
        let config = crate::config::load(&[] as &[&str]).expect("default rules load");
        (Classifier::new(&config.documents), config.schema.documents)
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
    fn the_whole_vocabulary() {
        for (stem, want) in [
            ("申请书", "application"),
            ("首次入党申请书", "application"),
            ("入党申请人谈话记录表", "talk_record"),
            ("入党申请人登记表", "applicant_registration"),
            ("推荐入党积极分子登记表", "recommendation"),
            ("团员推优", "recommendation"),
            ("函调材料", "vetting"),
            ("外调材料", "vetting"),
            ("政审综合材料", "vetting"),
            ("党校结业证", "training"),
            ("培训合格证", "training"),
            ("预备党员考察鉴定表", "probation_assessment"),
            ("定期鉴定表", "probation_assessment"),
            ("公示情况反馈表", "publicity"),
            ("转正公示", "conversion_publicity"),
            ("支部大会决议", "branch_meeting"),
            ("转正支部大会决议", "conversion_meeting"),
            ("上级党委派人谈话情况", "higher_talk"),
            ("上级党委审批意见", "committee_approval"),
            ("转正审批", "conversion_approval"),
            ("卷内目录", "catalog"),
            ("入党宣誓照片", "oath"),
        ] {
            assert_eq!(key(stem).as_deref(), Some(want), "{stem}");
        }
    }

    #[test]
    fn a_name_that_fits_two_documents_is_a_tie_not_a_pick() {
        let (c, docs) = classifier();
        let pos = |k: &str| docs.iter().position(|d| d.key == k).expect("document");
        let (a, p) = (pos("activist_assessment"), pos("probation_assessment"));
        for stem in ["考察表", "考察登记表"] {
            match c.matches(stem) {
                Match::Tie(x, y) => {
                    assert_eq!([x.min(y), x.max(y)], [a.min(p), a.max(p)], "{stem}")
                }
                other => panic!("{stem}: {other:?}"),
            }
            assert_eq!(c.classify(stem), None);
        }
    }

    #[test]
    fn a_file_takes_the_document_of_its_nearest_material_folder() {
        let (c, docs) = classifier();
        let key = |rel: &str| {
            let f = crate::walk::FileEntry::new(rel.into(), 1, None);
            c.classify_in("支部/张伟", &f).map(|i| docs[i].key.clone())
        };
        assert_eq!(
            key("支部/张伟/06-入党志愿书/第1页.jpg").as_deref(),
            Some("volunteer")
        );
        assert_eq!(
            key("支部/张伟/材料/03-自传/扫描/001.jpg").as_deref(),
            Some("autobiography")
        );
        // Its own name first.
        assert_eq!(
            key("支部/张伟/06-入党志愿书/自传.jpg").as_deref(),
            Some("autobiography")
        );
        // The dossier folder's own name is no material folder.
        assert_eq!(key("支部/张伟/001.jpg"), None);
    }

    #[test]
    fn a_combined_files_bookmarks_give_each_document_its_pages() {
        let (c, docs) = classifier();
        let mark = |title: &str, page: Option<u32>, depth: u8| crate::inspect::Bookmark {
            title: title.into(),
            page,
            depth,
        };
        let outline = [
            mark("入党申请书", Some(0), 0),
            // On the same page as the application: the application still has its page.
            mark("自传", Some(0), 0),
            mark("政审材料", Some(2), 0),
            // A child bookmark ends nothing above it; its own document runs to the next one at
            // its depth or above.
            mark("函调材料", Some(3), 1),
            mark("扫描件", Some(4), 1),
            mark("入党申请书", Some(5), 0),
            // A bookmark that points back before the one it follows has one page.
            mark("入党志愿书", Some(7), 0),
            mark("集中培训表", Some(6), 0),
            mark("转正申请书", None, 0),
        ];
        let got: Vec<(String, Option<u32>, Option<u32>)> = c
            .parts(&outline, Some(9))
            .into_iter()
            .map(|p| (docs[p.document].key.clone(), p.first_page, p.pages))
            .collect();
        let want = [
            // 1 page (0 to 0, at least one) + 2 (5 to the next bookmark, at 7).
            ("application", Some(1), Some(1 + 2)),
            ("autobiography", Some(1), Some(2)),
            // 政审材料 from 2 to 5 (3 pages), 函调材料 from 3 to 4 (1 page): the same document.
            ("vetting", Some(3), Some(3 + 1)),
            ("volunteer", Some(8), Some(1)),
            // A bookmark without a page ends nothing: 6 to the file's end.
            ("training", Some(7), Some(3)),
            ("conversion", None, None),
        ];
        let want: Vec<_> = want
            .into_iter()
            .map(|(k, f, n)| (k.to_string(), f, n))
            .collect();
        assert_eq!(got, want);
        // The last bookmark runs to the file's end; with no page count its length is unknown.
        let last = [mark("自传", Some(2), 0)];
        assert_eq!(c.parts(&last, Some(9))[0].pages, Some(7));
        assert_eq!(c.parts(&last, None)[0].pages, None);
    }

    #[test]
    fn near_misses() {
        assert_eq!(key("扫描0001"), None);
        assert_eq!(key("照片"), None);
        // 转正 excludes the application even when 入党申请 appears (入党申请转正材料 is not an 入党申请书).
        assert_ne!(key("入党申请转正"), Some("application".into()));
    }

    #[test]
    fn a_combined_file_that_names_nothing_has_more_than_one_page() {
        use crate::inspect::{FileFormat, Inspection};
        let pdf = |pages: Option<u32>| Inspection {
            pages,
            ..Inspection::of(FileFormat::Pdf)
        };
        assert!(unnamed_combined(None, &[], &pdf(Some(2))));
        assert!(!unnamed_combined(None, &[], &pdf(Some(1))));
        assert!(!unnamed_combined(None, &[], &pdf(None)));
        // Named, or with parts, or not a PDF or OFD, or damaged: not this case.
        assert!(!unnamed_combined(Some(0), &[], &pdf(Some(2))));
        let part = Part {
            document: 0,
            first_page: Some(1),
            pages: Some(2),
        };
        assert!(!unnamed_combined(None, &[part], &pdf(Some(2))));
        let tiff = Inspection {
            pages: Some(2),
            ..Inspection::of(FileFormat::Tiff)
        };
        assert!(!unnamed_combined(None, &[], &tiff));
        let mut damaged = pdf(Some(2));
        damaged.set_problem("文件已损坏");
        assert!(!unnamed_combined(None, &[], &damaged));
    }
}
