//! Join each dossier folder to its ledger row, and place each person at a stage.
//!
//! A folder whose name carries an ID number (`张三（110101199001011234）`) joins the row with
//! that number. Otherwise it joins by (branch, name), names normalised (NFKC, no spaces; the
//! middle dot of minority names kept); when the branch column spells the branch differently
//! from the folder, a name that is unique in the whole ledger still joins.

use compact_str::CompactString;
use std::collections::HashMap;

use crate::idnum;
use crate::ledger::{LedgerRow, ResumeEntry};
use crate::schema::Schema;
use crate::text::{name_key, normalize, normalize_name};
use crate::walk::DossierDir;

/// A person: a dossier folder, a ledger row, or both.
#[derive(Debug, Clone)]
pub struct Person {
    /// Position in the list of people.
    pub index: usize,
    pub branch: CompactString,
    pub name: CompactString,
    pub dossier: Option<usize>,
    pub row: Option<usize>,
    /// Index into `Schema::stages`; None without a ledger row or without any milestone.
    pub stage: Option<usize>,
    /// The ID number written in the folder name, as written.
    pub folder_id: Option<CompactString>,
    /// The folder's ID number is in no row, and the folder joined its row by name: the row
    /// holds another number (`id-number-mismatch`, or `invalid-id-number` when the row's is
    /// invalid).
    pub id_mismatch: bool,
    /// Why a folder found no row (empty when it did, or when it simply is not in the ledger).
    pub unmatched_detail: Box<str>,
    /// Indices into the resume entries.
    pub resume: Vec<usize>,
    /// Indices into the catalog rows: the dossier's own catalog, else its rows in a branch
    /// or archive catalog.
    pub catalog: Vec<usize>,
}

/// The person's name in a folder name: `03-张三`, `张三（110101…）`, `张三_档案` → 张三.
pub fn name_from_folder(folder: &str) -> String {
    let s = normalize_name(folder);
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    let trimmed = out.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '、' | '—')
    });
    let mut name: String = trimmed
        .chars()
        .take_while(|c| !c.is_ascii_digit() && !matches!(c, '-' | '_' | '—'))
        .collect();
    for suffix in ["档案", "材料"] {
        if let Some(n) = name.strip_suffix(suffix)
            && !n.is_empty()
        {
            name = n.to_string();
        }
    }
    name
}

/// The rows (or people) sharing a key: almost always one, which is held without allocating.
/// A ledger of 100,000 rows is indexed three ways, so this matters.
#[derive(Debug, Default)]
enum Group {
    #[default]
    Empty,
    One(usize),
    Many(Vec<usize>),
}

impl Group {
    fn push(&mut self, i: usize) {
        *self = match std::mem::take(self) {
            Group::Empty => Group::One(i),
            Group::One(a) => Group::Many(vec![a, i]),
            Group::Many(mut v) => {
                v.push(i);
                Group::Many(v)
            }
        };
    }

    fn as_slice(&self) -> &[usize] {
        match self {
            Group::Empty => &[],
            Group::One(a) => std::slice::from_ref(a),
            Group::Many(v) => v,
        }
    }
}

/// A normalised name or ID number as a map key: held inline up to 24 bytes.
fn key(s: String) -> CompactString {
    CompactString::from(s.as_str())
}

/// The ledger rows indexed for the join: by ID number, by (branch, name), by name.
struct Index<'a> {
    config: &'a Schema,
    rows: &'a [LedgerRow],
    by_id: HashMap<CompactString, Group>,
    by_branch_name: HashMap<(CompactString, CompactString), Group>,
    by_name: HashMap<CompactString, Group>,
    /// The numbers folder names carry: a row with one of them belongs to that folder, never
    /// to another folder by name.
    folder_ids: std::collections::HashSet<CompactString>,
}

/// The row a folder joins, if any, and what to say when it joins none.
#[derive(Default)]
struct Joined {
    row: Option<usize>,
    /// Joined by name while the folder's ID number is not the row's.
    id_mismatch: bool,
    detail: String,
}

impl<'a> Index<'a> {
    fn new(config: &'a Schema, dossiers: &[DossierDir], rows: &'a [LedgerRow]) -> Self {
        let mut by_id: HashMap<CompactString, Group> = HashMap::new();
        let mut by_branch_name: HashMap<(CompactString, CompactString), Group> = HashMap::new();
        let mut by_name: HashMap<CompactString, Group> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            if let Some(id) = r.text(config.keys.id_number) {
                by_id.entry(key(idnum::normalize(id))).or_default().push(i);
            }
            let name = key(name_key(r.text(Some(config.keys.name)).unwrap_or_default()));
            let branch = key(normalize(r.branch(config).unwrap_or_default()));
            by_branch_name
                .entry((branch, name.clone()))
                .or_default()
                .push(i);
            by_name.entry(name).or_default().push(i);
        }
        let folder_ids = dossiers
            .iter()
            .filter_map(|d| idnum::find_in(&d.folder))
            .map(|id| key(idnum::normalize(&id)))
            .collect();
        Index {
            config,
            rows,
            by_id,
            by_branch_name,
            by_name,
            folder_ids,
        }
    }

    /// A folder whose name carries an ID number: the row with that number; failing that (a
    /// typo in one of the two numbers) the one row of the branch with the folder's name, unless
    /// that row's number belongs to another folder.
    fn by_id_number(&self, d: &DossierDir, id: &str, name: &str, taken: &[bool]) -> Joined {
        let c = free(self.by_id.get(&key(idnum::normalize(id))), taken);
        if let Some(&r) = c.first() {
            return Joined {
                row: Some(r),
                ..Joined::default()
            };
        }
        let pair = (key(normalize(&d.branch)), key(name_key(name)));
        let same_name = self
            .by_branch_name
            .get(&pair)
            .map_or(&[][..], Group::as_slice);
        if let [r] = same_name
            && !taken[*r]
        {
            let row_id = self.rows[*r]
                .text(self.config.keys.id_number)
                .map(idnum::normalize);
            let theirs = row_id
                .as_deref()
                .is_some_and(|x| self.folder_ids.contains(&CompactString::from(x)));
            if !theirs {
                return Joined {
                    row: Some(*r),
                    id_mismatch: row_id.is_some_and(|x| !x.is_empty()),
                    detail: String::new(),
                };
            }
        }
        Joined {
            detail: format!("（文件夹名中的身份证号 {} 不在台账中）", idnum::mask(id)),
            ..Joined::default()
        }
    }

    /// A folder named by name alone: the one free row of the branch with that name; a name
    /// unique in the whole ledger joins across a branch written differently.
    fn by_name(&self, d: &DossierDir, name: &str, taken: &[bool]) -> Joined {
        let wanted = key(name_key(name));
        let pair = (key(normalize(&d.branch)), wanted.clone());
        let mut c = free(self.by_branch_name.get(&pair), taken);
        if c.is_empty() {
            let all = self.by_name.get(&wanted).map_or(0, |g| g.as_slice().len());
            let c2 = free(self.by_name.get(&wanted), taken);
            if all == 1 && c2.len() == 1 {
                c = c2;
            }
        }
        match c.len() {
            1 => Joined {
                row: Some(c[0]),
                ..Joined::default()
            },
            0 => Joined::default(),
            n => Joined {
                detail: format!(
                    "（台账中有 {n} 行同名“{name}”，无法确定是哪一行；请在文件夹名中加上身份证号）"
                ),
                ..Joined::default()
            },
        }
    }
}

/// The rows of a group not yet taken by a folder.
fn free(v: Option<&Group>, taken: &[bool]) -> Vec<usize> {
    v.map(|v| {
        v.as_slice()
            .iter()
            .copied()
            .filter(|&i| !taken[i])
            .collect()
    })
    .unwrap_or_default()
}

/// Join folders and rows; the result lists matched pairs and unmatched folders in folder
/// order, then unmatched rows in ledger order.
pub fn join(config: &Schema, dossiers: &[DossierDir], rows: &[LedgerRow]) -> Vec<Person> {
    let index = Index::new(config, dossiers, rows);
    let mut taken = vec![false; rows.len()];
    let mut people = Vec::with_capacity(dossiers.len().max(rows.len()));
    for (di, d) in dossiers.iter().enumerate() {
        let folder_id = idnum::find_in(&d.folder);
        let name = name_from_folder(&d.folder);
        let joined = match &folder_id {
            Some(id) => index.by_id_number(d, id, &name, &taken),
            None => index.by_name(d, &name, &taken),
        };
        let row = joined.row;
        if let Some(r) = row {
            taken[r] = true;
        }
        people.push(Person {
            index: people.len(),
            branch: d.branch.as_str().into(),
            name: row
                .and_then(|r| rows[r].text(Some(config.keys.name)))
                .map_or_else(|| name.into(), Into::into),
            dossier: Some(di),
            row,
            stage: row.and_then(|r| stage_of(config, &rows[r])),
            folder_id: folder_id.map(Into::into),
            id_mismatch: joined.id_mismatch,
            unmatched_detail: joined.detail.into(),
            resume: Vec::new(),
            catalog: Vec::new(),
        });
    }
    for (i, r) in rows.iter().enumerate() {
        if taken[i] {
            continue;
        }
        people.push(Person {
            index: people.len(),
            branch: r.branch(config).unwrap_or_default().into(),
            name: r.text(Some(config.keys.name)).unwrap_or_default().into(),
            dossier: None,
            row: Some(i),
            stage: stage_of(config, r),
            folder_id: None,
            id_mismatch: false,
            unmatched_detail: Box::default(),
            resume: Vec::new(),
            catalog: Vec::new(),
        });
    }
    people
}

/// The last stage whose milestone is filled in (an unreadable date still counts as filled).
pub fn stage_of(config: &Schema, row: &LedgerRow) -> Option<usize> {
    config
        .stages
        .iter()
        .rposition(|s| row.is_empty(s.milestone) == Some(false))
}

/// The people, looked up by what a sheet outside their dossiers says of them: a resume or
/// catalog row's own dossier, ID number, or name (within the row's branch first).
struct Owners {
    by_dossier: HashMap<usize, usize>,
    by_id: HashMap<CompactString, usize>,
    by_name: HashMap<CompactString, Group>,
    by_branch_name: HashMap<(CompactString, CompactString), Group>,
}

impl Owners {
    /// The lookups rows from `owner_dossier` need: by dossier always; by ID number and name
    /// only when a row comes from outside the dossiers; by branch and name only when asked.
    fn new(
        config: &Schema,
        people: &[Person],
        rows: &[LedgerRow],
        owner_dossier: &[Option<usize>],
        branches: bool,
    ) -> Owners {
        let mut o = Owners {
            by_dossier: HashMap::new(),
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            by_branch_name: HashMap::new(),
        };
        let loose = owner_dossier.iter().any(Option::is_none);
        for (p, person) in people.iter().enumerate() {
            if let Some(d) = person.dossier {
                o.by_dossier.insert(d, p);
            }
            if !loose {
                continue;
            }
            if let Some(id) = person.row.and_then(|r| rows[r].text(config.keys.id_number)) {
                o.by_id.insert(key(idnum::normalize(id)), p);
            }
            if let Some(id) = &person.folder_id {
                o.by_id.entry(key(idnum::normalize(id))).or_insert(p);
            }
            let name = key(name_key(&person.name));
            if branches {
                o.by_branch_name
                    .entry((key(normalize(&person.branch)), name.clone()))
                    .or_default()
                    .push(p);
            }
            o.by_name.entry(name).or_default().push(p);
        }
        o
    }

    /// The person a row belongs to: the dossier it came from, else its ID number, else its
    /// name where one person has it (in `branch` when given, else in the archive).
    fn find(
        &self,
        dossier: Option<usize>,
        id: Option<&str>,
        name: Option<&str>,
        branch: Option<&str>,
    ) -> Option<usize> {
        if let Some(d) = dossier {
            return self.by_dossier.get(&d).copied();
        }
        if let Some(p) = id.and_then(|id| self.by_id.get(&key(idnum::normalize(id)))) {
            return Some(*p);
        }
        let n = key(name_key(name?));
        let one = |g: Option<&Group>| match g.map(Group::as_slice) {
            Some([p]) => Some(*p),
            _ => None,
        };
        branch
            .and_then(|b| one(self.by_branch_name.get(&(key(normalize(b)), n.clone()))))
            .or_else(|| one(self.by_name.get(&n)))
    }
}

/// Attach resume entries to people: an entry from a dossier's own spreadsheet to that
/// dossier's person, one from a sheet outside by its ID number, else by a name only one
/// person has. Returns the entries that matched nobody.
pub fn attach_resumes(
    config: &Schema,
    people: &mut [Person],
    rows: &[LedgerRow],
    entries: &[ResumeEntry],
    owner_dossier: &[Option<usize>],
) -> Vec<usize> {
    let owners = Owners::new(config, people, rows, owner_dossier, false);
    let mut orphans = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match owners.find(owner_dossier[i], e.id_number(), e.name(), None) {
            Some(p) => people[p].resume.push(i),
            None => orphans.push(i),
        }
    }
    orphans
}

/// Attach catalog rows to people, as [`attach_resumes`] does, a name looked up in the
/// catalog's branch first (`branches[i]`: the branch folder of the catalog's file). A person
/// may have rows in their dossier's own catalog and in a branch catalog: each catalog is
/// checked on its own. Returns the rows that matched nobody.
pub fn attach_catalogs(
    config: &Schema,
    people: &mut [Person],
    rows: &[LedgerRow],
    entries: &[crate::ledger::catalog_sheet::CatalogEntry],
    owner_dossier: &[Option<usize>],
    branches: &[Option<std::sync::Arc<str>>],
) -> Vec<usize> {
    if entries.is_empty() {
        return Vec::new();
    }
    let owners = Owners::new(config, people, rows, owner_dossier, true);
    let mut orphans = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match owners.find(
            owner_dossier[i],
            e.id_number.as_deref(),
            e.name.as_deref(),
            branches[i].as_deref(),
        ) {
            Some(p) => people[p].catalog.push(i),
            None => orphans.push(i),
        }
    }
    orphans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Schema {
        crate::config::load(&[] as &[&str])
            .expect("default rules")
            .schema
    }

    fn folder(branch: &str, name: &str) -> DossierDir {
        DossierDir {
            branch: branch.into(),
            rel: format!("{branch}/{name}"),
            other_path: None,
            folder: name.into(),
            files: Vec::new(),
        }
    }

    fn row(c: &Schema, branch: &str, name: &str, id: &str) -> LedgerRow {
        LedgerRow::of_texts(c, &[("branch", branch), ("name", name), ("id_number", id)])
    }

    /// (folder, row) of each person.
    fn pairs(people: &[Person]) -> Vec<(Option<usize>, Option<usize>)> {
        people.iter().map(|p| (p.dossier, p.row)).collect()
    }

    const ID_A: &str = "11010519491231002X";
    const ID_B: &str = "110101199001011234";

    #[test]
    fn an_id_number_in_the_folder_name_picks_its_row() {
        let c = config();
        // Two 张三 in one branch: only the ID number tells them apart.
        let rows = [
            row(&c, "一支部", "张三", ID_B),
            row(&c, "一支部", "张三", ID_A),
        ];
        let folders = [folder("一支部", &format!("张三（{ID_A}）"))];
        let people = join(&c, &folders, &rows);
        assert_eq!(pairs(&people)[0], (Some(0), Some(1)));
    }

    #[test]
    fn the_same_name_twice_in_a_branch_joins_neither_and_says_why() {
        let c = config();
        let rows = [
            row(&c, "一支部", "张三", ID_A),
            row(&c, "一支部", "张三", ID_B),
        ];
        let people = join(&c, &[folder("一支部", "张三")], &rows);
        assert_eq!(people[0].row, None);
        assert!(
            people[0].unmatched_detail.contains("2 行同名"),
            "{:?}",
            people[0]
        );
        assert_eq!(people.len(), 3, "the folder and both rows stand alone");
    }

    #[test]
    fn a_name_unique_in_the_whole_ledger_joins_across_branch_spellings() {
        let c = config();
        // The branch column says 第一党支部, the folder 一支部.
        let rows = [row(&c, "第一党支部", "李四", ID_A)];
        let people = join(&c, &[folder("一支部", "李四")], &rows);
        assert_eq!(pairs(&people), [(Some(0), Some(0))]);
        // The guard: 李四 is in the ledger twice. 第二党支部's folder takes its own row; the
        // other row is then the only one left by that name, but not the only 李四 of the
        // ledger, so 一支部/李四 does not take it.
        let rows = [
            row(&c, "第一党支部", "李四", ID_A),
            row(&c, "第二党支部", "李四", ID_B),
        ];
        let folders = [folder("第二党支部", "李四"), folder("一支部", "李四")];
        let people = join(&c, &folders, &rows);
        assert_eq!(people[0].row, Some(1), "{people:?}");
        assert_eq!(people[1].row, None, "{people:?}");
    }

    #[test]
    fn folder_names() {
        assert_eq!(name_from_folder("张三"), "张三");
        assert_eq!(name_from_folder("03-张三"), "张三");
        assert_eq!(name_from_folder("张三（110101199001011234）"), "张三");
        assert_eq!(name_from_folder("张三(110101199001011234)"), "张三");
        assert_eq!(name_from_folder("12、阿依古丽・买买提"), "阿依古丽·买买提");
        assert_eq!(name_from_folder("张三档案"), "张三");
        assert_eq!(name_from_folder("张三_110101199001011234"), "张三");
        // Whatever is in brackets is no part of the name, before it or after it.
        assert_eq!(name_from_folder("张三（预备党员）"), "张三");
        assert_eq!(name_from_folder("（2021）张三"), "张三");
        assert_eq!(name_from_folder("【备份】张三"), "张三");
    }
}
