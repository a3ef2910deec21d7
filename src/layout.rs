//! Which folder is a branch and which a dossier: found from what the walk saw, not assumed.
//!
//! Real archives are laid out several ways: `ARCHIVE/<branch>/<person>/…`; one branch audited
//! on its own (`第一党支部/<person>/…`); grouping folders between branch and person (years,
//! batches, stages: `第一党支部/2021年/李娜`) or above the branches (`2019年/第一党支部/张伟`).
//!
//! A folder has *evidence* of being a dossier when its name, less sequence numbers, ID numbers
//! and brackets, is a person's name in a ledger (the spreadsheets outside folders with
//! evidence are read first, for their names), or when it directly holds a file whose name
//! names a document, or a folder that does (a folder per material). Grouping folders are the ones
//! whose whole name matches `layout.groups` (YAML), and they are passed through. The root is
//! a branch when the first level below it (through grouping folders) holds more folders with
//! evidence than the level below that; otherwise it holds branches. `layout.root` pins it. A
//! folder at the dossier level that holds nothing of its own but folders with evidence is
//! taken for an unlisted grouping folder, and said once (`layout-ambiguous`).

use crate::schema::{LayoutConfig, RootKind};
use crate::walk::{Archive, DossierDir, FileEntry, LayoutReport, Node, Tree, Unreadable};

/// What the layout rules need to know of names: supplied by the caller, so that this module
/// knows nothing of documents.
pub struct Names<'a> {
    /// Whether a file's stem names a document.
    pub document: &'a (dyn Fn(&str) -> bool + Sync),
    /// Whether a folder's name names a document (a folder per material).
    pub material: &'a (dyn Fn(&str) -> bool + Sync),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The root, or grouping folders above the branches.
    Above,
    /// A branch folder, or a grouping folder inside one: its branch.
    Branch(usize),
    Dossier(usize),
}

/// Per folder: where its path is, its parent and children, and what it holds directly. Kept
/// small (no strings, no list per folder): an archive has a folder per person.
struct Dir<'t> {
    /// The folder's path relative to the root ("" for the root).
    rel: &'t str,
    parent: u32,
    first_child: u32,
    next_sibling: u32,
    /// Holds a file naming a document, or a material folder.
    evidence: bool,
    material: bool,
    /// Named as a person in the ledger.
    person: bool,
}

const NONE: u32 = u32::MAX;

/// A folder's subfolders, in order.
fn children<'a>(dirs: &'a [Dir<'_>], d: usize) -> impl Iterator<Item = usize> + 'a {
    let mut c = dirs[d].first_child;
    std::iter::from_fn(move || {
        let here = c;
        (here != NONE).then(|| {
            c = dirs[here as usize].next_sibling;
            here as usize
        })
    })
}

impl Dir<'_> {
    fn name(&self) -> &str {
        self.rel.rsplit('/').next().unwrap_or(self.rel)
    }

    /// Evidence of being a dossier: files that name documents, or the name of a person.
    fn dossier_like(&self) -> bool {
        self.evidence || self.person
    }
}

fn is_group(name: &str, config: &LayoutConfig) -> bool {
    let n = crate::text::normalize(name);
    config.groups.iter().any(|re| re.is_match(&n))
}

/// The people a layout can recognise folders by: given the spreadsheets that may be ledgers
/// (those outside folders with evidence), the names of the people in them, normalised. The
/// caller reads them, and may keep what it read.
pub type People<'a> = dyn FnMut(&[&FileEntry]) -> std::collections::HashSet<String> + 'a;

/// Walk the archive at `root` (the tree its layout is then found in).
pub fn walk(root: &std::path::Path, config: &crate::schema::Schema) -> std::io::Result<Tree> {
    let ignore = crate::walk::Ignore {
        names: &config.ignore_names,
        prefixes: &config.ignore_prefixes,
    };
    crate::walk::walk_tree(root, &ignore)
}

/// Arrange a walked archive, with the rule set's documents as the names that are evidence of a
/// dossier, and the people `people` finds in its ledgers.
pub fn arrange_archive(
    tree: Tree,
    config: &crate::schema::Schema,
    classifier: &crate::classify::Classifier,
    owns: &(dyn Fn(&str) -> bool + Sync),
    people: &mut People<'_>,
) -> Archive {
    use crate::classify::Match;
    let document = |stem: &str| classifier.matches(stem) != Match::None;
    let material = |name: &str| classifier.classify(name).is_some();
    let names = Names {
        document: &document,
        material: &material,
    };
    let root_name = root_name(&tree.root);
    arrange(tree, &config.layout, &names, &root_name, owns, people)
}

/// The root folder's own name (of `.` too): a branch's name when the root is one branch.
pub fn root_name(root: &std::path::Path) -> String {
    let abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    abs.file_name()
        .map(|n| crate::text::decode_name(n).0.into_owned())
        .unwrap_or_default()
}

/// Arrange a walked tree into branches, dossiers and loose files. `root_name` is the root
/// folder's own name (the branch, when the root is one); `owns` keeps a shard's branches.
pub fn arrange(
    tree: Tree,
    config: &LayoutConfig,
    names: &Names<'_>,
    root_name: &str,
    owns: &(dyn Fn(&str) -> bool + Sync),
    people: &mut People<'_>,
) -> Archive {
    let (mut dirs, owner) = scan(&tree, names);
    mark_people(&tree, &mut dirs, &owner, people);
    let mut report = LayoutReport::default();
    let root_is_branch = root_kind(&dirs, config, &mut report);
    let (role, branches, mut dossiers) =
        roles(&dirs, config, root_name, root_is_branch, &mut report);
    keep_repeated_paths(&mut dossiers);
    drop(dirs);
    distribute(tree, &owner, &role, &branches, dossiers, report, owns)
}

/// The folders of a walked tree as compact records (index 0 is the root), and the folder each
/// node lies in.
fn scan<'t>(tree: &'t Tree, names: &Names<'_>) -> (Vec<Dir<'t>>, Vec<u32>) {
    let mut dirs: Vec<Dir> = vec![Dir {
        rel: "",
        parent: NONE,
        first_child: NONE,
        next_sibling: NONE,
        evidence: false,
        material: false,
        person: false,
    }];
    let mut last_child: Vec<u32> = vec![NONE];
    let mut stack: Vec<u32> = vec![0];
    let mut owner: Vec<u32> = Vec::with_capacity(tree.len());
    for node in tree.nodes() {
        let depth = match node {
            Node::Dir { depth, .. } | Node::File { depth, .. } | Node::Problem { depth, .. } => {
                *depth as usize
            }
        };
        stack.truncate(depth.max(1));
        let parent = *stack.last().unwrap_or(&0);
        owner.push(parent);
        match node {
            Node::Dir { rel, .. } => {
                let i = dirs.len() as u32;
                let name = rel.rsplit('/').next().unwrap_or(rel);
                let material = (names.material)(name);
                dirs.push(Dir {
                    rel,
                    parent,
                    first_child: NONE,
                    next_sibling: NONE,
                    evidence: false,
                    material,
                    person: false,
                });
                last_child.push(NONE);
                let p = parent as usize;
                match last_child[p] {
                    NONE => dirs[p].first_child = i,
                    prev => dirs[prev as usize].next_sibling = i,
                }
                last_child[p] = i;
                if material {
                    dirs[p].evidence = true;
                }
                stack.push(i);
            }
            Node::File { file, .. } => {
                // One document is evidence enough: the folder's other files are not matched.
                if !dirs[parent as usize].evidence
                    && !file.is_spreadsheet()
                    && (names.document)(file.stem())
                {
                    dirs[parent as usize].evidence = true;
                }
            }
            Node::Problem { .. } => {}
        }
    }
    (dirs, owner)
}

/// Read the names of the people in the spreadsheets that may be ledgers (outside folders with
/// evidence), and mark the folders named as one of them.
fn mark_people(tree: &Tree, dirs: &mut [Dir<'_>], owner: &[u32], people: &mut People<'_>) {
    let candidates: Vec<&FileEntry> = tree
        .nodes()
        .zip(owner)
        .filter_map(|(node, &d)| match node {
            Node::File { file, .. }
                if file.is_spreadsheet()
                    && file.size > 0
                    && !dirs[d as usize].evidence
                    && !dirs[d as usize].material =>
            {
                Some(file)
            }
            _ => None,
        })
        .collect();
    let names = people(&candidates);
    if names.is_empty() {
        return;
    }
    for d in dirs.iter_mut().skip(1).filter(|d| !d.material) {
        let name = crate::text::name_key(&crate::join::name_from_folder(d.name()));
        d.person = !name.is_empty() && names.contains(&name);
    }
}

/// The folders one level down from `from`, through grouping folders.
fn level(dirs: &[Dir<'_>], config: &LayoutConfig, from: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut todo: Vec<usize> = from.to_vec();
    while let Some(d) = todo.pop() {
        for c in children(dirs, d) {
            if dirs[c].material {
                continue;
            }
            if is_group(dirs[c].name(), config) && !dirs[c].dossier_like() {
                todo.push(c);
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// Whether the root is one branch: pinned, or when the first level below it holds more folders
/// with evidence than the level below that. A tie is said once.
fn root_kind(dirs: &[Dir<'_>], config: &LayoutConfig, report: &mut LayoutReport) -> bool {
    let first = level(dirs, config, &[0]);
    let second = level(dirs, config, &first);
    let with = |v: &[usize]| v.iter().filter(|&&d| dirs[d].dossier_like()).count();
    let (a, b) = (with(&first), with(&second));
    let root_is_branch = match config.root {
        RootKind::Branch => true,
        RootKind::Archive => false,
        RootKind::Auto => {
            if a == b && a > 0 {
                report.notes.push((
                    String::new(),
                    format!(
                        "根目录下一层有 {a} 个、再下一层也有 {b} 个文件夹含材料文件，无法判断根目录是整个档案还是一个支部：按整个档案（根目录/支部/个人）处理；如不对，请在规则文件中写 layout: {{ root: branch }}"
                    ),
                ));
            }
            a > b
        }
    };
    report.pinned = config.root != RootKind::Auto;
    report.root = if root_is_branch { "branch" } else { "archive" };
    root_is_branch
}

/// Each folder's role, top down (a folder always comes after its parent); the branches, and the
/// dossiers with no files yet.
fn roles(
    dirs: &[Dir<'_>],
    config: &LayoutConfig,
    root_name: &str,
    root_is_branch: bool,
    report: &mut LayoutReport,
) -> (Vec<Role>, Vec<String>, Vec<DossierDir>) {
    let mut branches: Vec<String> = Vec::new();
    let mut role: Vec<Role> = vec![Role::Above; dirs.len()];
    if root_is_branch {
        branches.push(root_name.to_string());
        role[0] = Role::Branch(0);
        report.root_branch = Some(root_name.to_string());
        report
            .branch_dirs
            .push((String::new(), root_name.to_string()));
    }
    let mut dossiers: Vec<DossierDir> = Vec::new();
    for (i, d) in dirs.iter().enumerate().skip(1) {
        role[i] = match role[d.parent as usize] {
            Role::Dossier(k) => Role::Dossier(k),
            Role::Above => {
                if is_group(d.name(), config) && !d.dossier_like() {
                    report.groups.push((d.rel.to_string(), true));
                    Role::Above
                } else {
                    branches.push(d.name().to_string());
                    report
                        .branch_dirs
                        .push((d.rel.to_string(), d.name().to_string()));
                    Role::Branch(branches.len() - 1)
                }
            }
            Role::Branch(b) => {
                let grouping = !d.material
                    && !d.dossier_like()
                    && (is_group(d.name(), config)
                        || children(dirs, i).any(|c| dirs[c].dossier_like() && !dirs[c].material));
                if grouping {
                    if !is_group(d.name(), config) {
                        report.notes.push((
                            d.rel.to_string(),
                            "文件夹本身没有材料文件，其下的文件夹含材料文件：按分组文件夹（年度、批次等）处理，其下每个文件夹是一份档案；如不对，请把它的名称加入规则文件的 layout.groups".into(),
                        ));
                    }
                    report.groups.push((d.rel.to_string(), false));
                    Role::Branch(b)
                } else {
                    dossiers.push(DossierDir::new(&branches[b], d.name(), Some(d.rel)));
                    Role::Dossier(dossiers.len() - 1)
                }
            }
        };
    }
    (role, branches, dossiers)
}

/// Two dossiers of one branch and name under different grouping folders keep their paths as
/// their names.
fn keep_repeated_paths(dossiers: &mut [DossierDir]) {
    let mut order: Vec<usize> = (0..dossiers.len()).collect();
    order.sort_unstable_by(|&a, &b| dossiers[a].rel.cmp(&dossiers[b].rel));
    let mut repeated = vec![false; dossiers.len()];
    for w in order.windows(2) {
        if dossiers[w[0]].rel == dossiers[w[1]].rel {
            repeated[w[0]] = true;
            repeated[w[1]] = true;
        }
    }
    for (d, repeated) in dossiers.iter_mut().zip(repeated) {
        if repeated {
            d.named_by_path();
        }
    }
}

/// Files and problems to their dossiers, the rest loose; a shard keeps its branches' dossiers
/// and of the others' only the folder names.
fn distribute(
    tree: Tree,
    owner: &[u32],
    role: &[Role],
    branches: &[String],
    mut dossiers: Vec<DossierDir>,
    report: LayoutReport,
    owns: &(dyn Fn(&str) -> bool + Sync),
) -> Archive {
    let Tree {
        root: tree_root,
        parts,
    } = tree;
    let mut archive = Archive {
        root: tree_root,
        ..Archive::default()
    };
    let mut loose: Vec<FileEntry> = Vec::new();
    for (node, &dir) in parts.into_iter().flatten().zip(owner) {
        let dir = dir as usize;
        match node {
            Node::Dir { .. } => {}
            Node::File { file, .. } => match role[dir] {
                Role::Dossier(k) => dossiers[k].files.push(file),
                Role::Branch(b) if !owns(&branches[b]) => {}
                _ => loose.push(file),
            },
            Node::Problem { rel, detail, .. } => {
                let dossier = match role[dir] {
                    Role::Dossier(k) => Some(k),
                    _ => None,
                };
                archive.problems.push(Unreadable {
                    rel,
                    detail,
                    dossier,
                });
            }
        }
    }
    let mut renumber = vec![None; dossiers.len()];
    let mut kept = Vec::with_capacity(dossiers.len());
    for (k, d) in dossiers.into_iter().enumerate() {
        if owns(d.branch()) {
            renumber[k] = Some(kept.len());
            kept.push(d);
        } else {
            archive
                .foreign_folders
                .push((d.path().to_string(), d.folder().to_string()));
        }
    }
    archive.problems.retain_mut(|p| match p.dossier {
        Some(k) => {
            p.dossier = renumber[k];
            renumber[k].is_some()
        }
        None => report.branch_of(&p.rel).is_none_or(owns),
    });
    loose.sort_by(|a, b| crate::walk::archive_order(&a.rel, &b.rel));
    for d in &mut kept {
        d.files.shrink_to_fit();
    }
    kept.shrink_to_fit();
    archive.dossiers = kept;
    archive.loose = loose;
    archive.layout = report;
    archive
}
