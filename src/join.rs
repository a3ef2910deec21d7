//! Join each dossier folder to its ledger row, and place each person at a stage.
//!
//! A folder whose name carries an ID number (`张三（110101199001011234）`) joins the row with
//! that number. Otherwise it joins by (branch, name), names normalised (NFKC, no spaces; the
//! middle dot of minority names kept); when the branch column spells the branch differently
//! from the folder, a name that is unique in the whole ledger still joins.

use compact_str::CompactString;

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
    /// What the folder's name said of the join, when it said anything ([`Person::folder_id`],
    /// [`Person::id_mismatch`], [`Person::unmatched_detail`]): boxed, so that a person without
    /// it — most of them — carries one pointer (160 bytes a person, was 200).
    folder: Option<Box<FolderJoin>>,
    /// Indices into the resume entries.
    pub resume: Vec<usize>,
    /// Indices into the catalog rows: the dossier's own catalog, else its rows in a branch
    /// or archive catalog.
    pub catalog: Vec<usize>,
}

/// What a folder's name said of its join.
#[derive(Debug, Clone, Default)]
struct FolderJoin {
    /// The ID number written in the folder name, as written.
    id: Option<CompactString>,
    /// The folder's ID number is in no row, and the folder joined its row by name.
    id_mismatch: bool,
    /// Why the folder found no row.
    unmatched: Box<str>,
}

impl Person {
    /// The ID number written in the folder name, as written.
    pub fn folder_id(&self) -> Option<&str> {
        self.folder.as_ref()?.id.as_deref()
    }

    /// The folder's ID number is in no row, and the folder joined its row by name: the row
    /// holds another number (`id-number-mismatch`, or `invalid-id-number` when the row's is
    /// invalid).
    pub fn id_mismatch(&self) -> bool {
        self.folder.as_ref().is_some_and(|f| f.id_mismatch)
    }

    /// Why a folder found no row (empty when it did, or when it simply is not in the ledger).
    pub fn unmatched_detail(&self) -> &str {
        self.folder.as_ref().map_or("", |f| &f.unmatched)
    }
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

/// A value for each of many rows, held as runs of equal values: a sheet's rows all share
/// its file's dossier, and a million dossiers' resume sheets have three million rows (16
/// bytes a row as a list; here 16 bytes a run).
#[derive(Debug, Clone, Default)]
pub struct Runs<T> {
    /// (first row, value) of each run, in row order.
    runs: Vec<(usize, T)>,
    len: usize,
}

impl<T: PartialEq> Runs<T> {
    /// `n` more rows of this value.
    pub fn push_n(&mut self, value: T, n: usize) {
        if n == 0 {
            return;
        }
        if self.runs.last().is_none_or(|(_, v)| *v != value) {
            self.runs.push((self.len, value));
        }
        self.len += n;
    }

    /// Row `i`'s value.
    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let k = self.runs.partition_point(|&(start, _)| start <= i);
        Some(&self.runs[k - 1].1)
    }

    /// The values of the runs, in order (each once per run).
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.runs.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Rows (ledger rows, people) by the 64-bit hash of a key, sorted: 16 bytes a row, where a map
/// of groups keyed by inline strings took 60–80 (the join's maps came to about 400 MB at a
/// million rows). The caller checks each row's own key, so two keys of one hash never mix.
pub(crate) struct ByHash(Vec<(u64, u32)>);

impl ByHash {
    pub(crate) fn new(mut entries: Vec<(u64, u32)>) -> Self {
        entries.sort_unstable();
        ByHash(entries)
    }

    /// The rows whose key hashes to `h`, in row order.
    pub(crate) fn rows(&self, h: u64) -> impl Iterator<Item = usize> + '_ {
        let start = self.0.partition_point(|&(x, _)| x < h);
        self.0[start..]
            .iter()
            .take_while(move |&&(x, _)| x == h)
            .map(|&(_, r)| r as usize)
    }
}

/// A key's hash; a pair's parts are kept apart by a byte no text holds.
pub(crate) fn hash_of(parts: &[&str]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(&[0xff]);
    }
    h.digest()
}

/// The ledger rows indexed for the join: by ID number, by (branch, name), by name.
struct Index<'a> {
    config: &'a Schema,
    rows: &'a [LedgerRow],
    by_id: ByHash,
    by_branch_name: ByHash,
    by_name: ByHash,
    /// The numbers folder names carry (by the folder): a row with one of them belongs to that
    /// folder, never to another folder by name.
    folder_ids: ByHash,
    dossiers: &'a [DossierDir],
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
    fn new(config: &'a Schema, dossiers: &'a [DossierDir], rows: &'a [LedgerRow]) -> Self {
        let n = rows.len();
        let (mut by_id, mut by_branch_name, mut by_name) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (i, r) in rows.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            if let Some(id) = row_id(config, r) {
                by_id.push((hash_of(&[&id]), i));
            }
            let (branch, name) = (row_branch(config, r), row_name(config, r));
            by_branch_name.push((hash_of(&[&branch, &name]), i));
            by_name.push((hash_of(&[&name]), i));
        }
        let folder_ids = dossiers
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let id = folder_id(d)?;
                Some((hash_of(&[&id]), u32::try_from(i).unwrap_or(u32::MAX)))
            })
            .collect();
        Index {
            config,
            rows,
            by_id: ByHash::new(by_id),
            by_branch_name: ByHash::new(by_branch_name),
            by_name: ByHash::new(by_name),
            folder_ids: ByHash::new(folder_ids),
            dossiers,
        }
    }

    /// The rows with this normalised ID number, in ledger order.
    fn with_id(&self, id: &str) -> Vec<usize> {
        self.by_id
            .rows(hash_of(&[id]))
            .filter(|&r| row_id(self.config, &self.rows[r]).as_deref() == Some(id))
            .collect()
    }

    /// The rows of this normalised branch and name key, in ledger order.
    fn with_branch_name(&self, branch: &str, name: &str) -> Vec<usize> {
        self.by_branch_name
            .rows(hash_of(&[branch, name]))
            .filter(|&r| {
                let row = &self.rows[r];
                row_name(self.config, row) == name && row_branch(self.config, row) == branch
            })
            .collect()
    }

    /// The rows of this name key, in ledger order.
    fn with_name(&self, name: &str) -> Vec<usize> {
        self.by_name
            .rows(hash_of(&[name]))
            .filter(|&r| row_name(self.config, &self.rows[r]) == name)
            .collect()
    }

    /// Whether a folder's name carries this normalised ID number.
    fn in_a_folder_name(&self, id: &str) -> bool {
        self.folder_ids
            .rows(hash_of(&[id]))
            .any(|d| folder_id(&self.dossiers[d]).as_deref() == Some(id))
    }

    /// A folder whose name carries an ID number: the row with that number; failing that (a
    /// typo in one of the two numbers) the one row of the branch with the folder's name, unless
    /// that row's number belongs to another folder.
    fn by_id_number(&self, d: &DossierDir, id: &str, name: &str, taken: &[bool]) -> Joined {
        let c = free(&self.with_id(&idnum::normalize(id)), taken);
        if let Some(&r) = c.first() {
            return Joined {
                row: Some(r),
                ..Joined::default()
            };
        }
        let same_name = self.with_branch_name(&normalize(d.branch()), &name_key(name));
        if let [r] = same_name[..]
            && !taken[r]
        {
            let row_id = row_id(self.config, &self.rows[r]);
            let theirs = row_id.as_deref().is_some_and(|x| self.in_a_folder_name(x));
            if !theirs {
                return Joined {
                    row: Some(r),
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
        let wanted = name_key(name);
        let mut c = free(
            &self.with_branch_name(&normalize(d.branch()), &wanted),
            taken,
        );
        if c.is_empty() {
            let all = self.with_name(&wanted);
            let c2 = free(&all, taken);
            if all.len() == 1 && c2.len() == 1 {
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

/// A row's ID number, normalised (the join's key).
fn row_id(config: &Schema, r: &LedgerRow) -> Option<String> {
    r.text(config.keys.id_number).map(idnum::normalize)
}

/// A row's name as the join compares it.
fn row_name(config: &Schema, r: &LedgerRow) -> String {
    name_key(r.text(Some(config.keys.name)).unwrap_or_default())
}

/// A row's branch as the join compares it.
fn row_branch(config: &Schema, r: &LedgerRow) -> String {
    normalize(r.branch(config).unwrap_or_default())
}

/// The ID number a folder's name carries, normalised.
fn folder_id(d: &DossierDir) -> Option<String> {
    idnum::find_in(d.folder()).map(|id| idnum::normalize(&id))
}

/// The rows not yet taken by a folder.
fn free(rows: &[usize], taken: &[bool]) -> Vec<usize> {
    rows.iter().copied().filter(|&i| !taken[i]).collect()
}

/// Join folders and rows; the result lists matched pairs and unmatched folders in folder
/// order, then unmatched rows in ledger order.
pub fn join(config: &Schema, dossiers: &[DossierDir], rows: &[LedgerRow]) -> Vec<Person> {
    let index = Index::new(config, dossiers, rows);
    let mut taken = vec![false; rows.len()];
    let mut people = Vec::with_capacity(dossiers.len().max(rows.len()));
    for (di, d) in dossiers.iter().enumerate() {
        let folder_id = idnum::find_in(d.folder());
        let name = name_from_folder(d.folder());
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
            branch: d.branch().into(),
            name: row
                .and_then(|r| rows[r].text(Some(config.keys.name)))
                .map_or_else(|| name.into(), Into::into),
            dossier: Some(di),
            row,
            stage: row.and_then(|r| stage_of(config, &rows[r])),
            folder: (folder_id.is_some() || joined.id_mismatch || !joined.detail.is_empty()).then(
                || {
                    Box::new(FolderJoin {
                        id: folder_id.map(Into::into),
                        id_mismatch: joined.id_mismatch,
                        unmatched: joined.detail.into(),
                    })
                },
            ),
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
            folder: None,
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
/// catalog row's own dossier, ID number, or name (within the row's branch first). The keys are
/// hashed lists ([`ByHash`], 16 bytes a person), each lookup checking the person's own key.
struct Owners<'a> {
    config: &'a Schema,
    people: &'a [Person],
    rows: &'a [LedgerRow],
    /// The person of each dossier (`NONE` for none).
    by_dossier: Vec<u32>,
    /// People by their row's ID number, and by the one in their folder's name.
    by_row_id: ByHash,
    by_folder_id: ByHash,
    by_name: ByHash,
    by_branch_name: ByHash,
}

const NONE: u32 = u32::MAX;

impl<'a> Owners<'a> {
    /// The lookups rows need: by dossier always; by ID number and name only when a row comes
    /// from outside the dossiers (`loose`); by branch and name only when asked.
    fn new(
        config: &'a Schema,
        people: &'a [Person],
        rows: &'a [LedgerRow],
        loose: bool,
        branches: bool,
    ) -> Self {
        let dossiers = people
            .iter()
            .filter_map(|p| p.dossier)
            .max()
            .map_or(0, |d| d + 1);
        let mut by_dossier = vec![NONE; dossiers];
        let (mut by_row_id, mut by_folder_id, mut by_name, mut by_branch_name) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (p, person) in people.iter().enumerate() {
            let i = u32::try_from(p).unwrap_or(NONE);
            if let Some(d) = person.dossier {
                by_dossier[d] = i;
            }
            if !loose {
                continue;
            }
            if let Some(id) = row_id_of(config, rows, person) {
                by_row_id.push((hash_of(&[&id]), i));
            }
            if let Some(id) = folder_id_of(person) {
                by_folder_id.push((hash_of(&[&id]), i));
            }
            let name = name_key(&person.name);
            if branches {
                by_branch_name.push((hash_of(&[&normalize(&person.branch), &name]), i));
            }
            by_name.push((hash_of(&[&name]), i));
        }
        Owners {
            config,
            people,
            rows,
            by_dossier,
            by_row_id: ByHash::new(by_row_id),
            by_folder_id: ByHash::new(by_folder_id),
            by_name: ByHash::new(by_name),
            by_branch_name: ByHash::new(by_branch_name),
        }
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
            return self
                .by_dossier
                .get(d)
                .filter(|&&p| p != NONE)
                .map(|&p| p as usize);
        }
        if let Some(p) = id.and_then(|id| self.with_id(&idnum::normalize(id))) {
            return Some(p);
        }
        let n = name_key(name?);
        branch
            .and_then(|b| {
                let b = normalize(b);
                only(self.by_branch_name.rows(hash_of(&[&b, &n])).filter(|&p| {
                    let person = &self.people[p];
                    name_key(&person.name) == n && normalize(&person.branch) == b
                }))
            })
            .or_else(|| {
                only(
                    self.by_name
                        .rows(hash_of(&[&n]))
                        .filter(|&p| name_key(&self.people[p].name) == n),
                )
            })
    }

    /// The person of a normalised ID number: the last whose ledger row holds it, else the
    /// first whose folder's name does.
    fn with_id(&self, id: &str) -> Option<usize> {
        let h = hash_of(&[id]);
        self.by_row_id
            .rows(h)
            .filter(|&p| row_id_of(self.config, self.rows, &self.people[p]).as_deref() == Some(id))
            .last()
            .or_else(|| {
                self.by_folder_id
                    .rows(h)
                    .find(|&p| folder_id_of(&self.people[p]).as_deref() == Some(id))
            })
    }
}

/// The one item of `items`, if there is exactly one.
fn only<T>(mut items: impl Iterator<Item = T>) -> Option<T> {
    match (items.next(), items.next()) {
        (Some(x), None) => Some(x),
        _ => None,
    }
}

/// A person's ledger row's ID number, normalised.
fn row_id_of(config: &Schema, rows: &[LedgerRow], person: &Person) -> Option<String> {
    person.row.and_then(|r| row_id(config, &rows[r]))
}

/// The ID number in a person's folder's name, normalised.
fn folder_id_of(person: &Person) -> Option<String> {
    person.folder_id().map(idnum::normalize)
}

/// Attach resume entries to people: an entry from a dossier's own spreadsheet to that
/// dossier's person, one from a sheet outside by its ID number, else by a name only one
/// person has. Returns the entries that matched nobody.
pub fn attach_resumes(
    config: &Schema,
    people: &mut [Person],
    rows: &[LedgerRow],
    entries: &[ResumeEntry],
    owner_dossier: &Runs<Option<usize>>,
) -> Vec<usize> {
    let found = {
        let loose = owner_dossier.values().any(Option::is_none);
        let owners = Owners::new(config, people, rows, loose, false);
        owners_of(entries.len(), |i| {
            let e = &entries[i];
            owners.find(*owner_dossier.get(i)?, e.id_number(), e.name(), None)
        })
    };
    attach(people, &found, |p| &mut p.resume)
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
    let found = {
        let loose = owner_dossier.iter().any(Option::is_none);
        let owners = Owners::new(config, people, rows, loose, true);
        owners_of(entries.len(), |i| {
            let e = &entries[i];
            owners.find(
                owner_dossier[i],
                e.id_number.as_deref(),
                e.name.as_deref(),
                branches[i].as_deref(),
            )
        })
    };
    attach(people, &found, |p| &mut p.catalog)
}

/// Each of `n` rows' person (`NONE` for none): 4 bytes a row while the owners' lists are held.
fn owners_of(n: usize, find: impl Fn(usize) -> Option<usize>) -> Vec<u32> {
    (0..n)
        .map(|i| find(i).map_or(NONE, |p| u32::try_from(p).unwrap_or(NONE)))
        .collect()
}

/// Push each row onto its person's list (`list`); the rows of no one are returned.
fn attach(
    people: &mut [Person],
    found: &[u32],
    list: impl Fn(&mut Person) -> &mut Vec<usize>,
) -> Vec<usize> {
    let mut orphans = Vec::new();
    for (i, &p) in found.iter().enumerate() {
        match people.get_mut(p as usize) {
            Some(person) => list(person).push(i),
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
        DossierDir::new(branch, name, None)
    }

    fn row(c: &Schema, branch: &str, name: &str, id: &str) -> LedgerRow {
        LedgerRow::of_texts(c, &[("branch", branch), ("name", name), ("id_number", id)])
    }

    #[test]
    fn keys_of_one_hash_never_mix() {
        // Every index with all rows (and folders) under one hash, as if their keys collided:
        // a lookup still finds only the rows whose own key is the one asked for.
        let c = config();
        let id = "110101199001011234";
        let rows = [
            row(&c, "第一党支部", "张三", "11010119900101123X"),
            row(&c, "第二党支部", "李四", id),
            row(&c, "第一党支部", "李四", ""),
        ];
        let dossiers = [folder("第一党支部", "王五_11010119900101123X")];
        let mut index = Index::new(&c, &dossiers, &rows);
        // Every row under the hash of the key looked up.
        let all = |h: u64| ByHash((0..3).map(|i| (h, i)).collect());
        let h = |s: &str| hash_of(&[s]);
        for (key, want) in [(id, vec![1]), ("11010119900101123X", vec![0])] {
            index.by_id = all(h(key));
            assert_eq!(index.with_id(key), want, "{key}");
        }
        for (name, want) in [("李四", vec![1, 2]), ("张三", vec![0])] {
            index.by_name = all(h(name));
            assert_eq!(index.with_name(name), want, "{name}");
        }
        for (branch, name, want) in [
            ("第一党支部", "李四", vec![2]),
            ("第二党支部", "李四", vec![1]),
            ("第二党支部", "张三", vec![]),
        ] {
            let branch = normalize(branch);
            index.by_branch_name = all(hash_of(&[&branch, name]));
            assert_eq!(
                index.with_branch_name(&branch, name),
                want,
                "{branch} {name}"
            );
        }
        index.folder_ids = ByHash(vec![(h(id), 0)]);
        assert!(
            !index.in_a_folder_name(id),
            "the folder carries another number"
        );
        index.folder_ids = ByHash(vec![(h("11010119900101123X"), 0)]);
        assert!(index.in_a_folder_name("11010119900101123X"));
    }

    #[test]
    fn rows_outside_dossiers_find_their_owner_by_dossier_id_number_or_one_name() {
        let c = config();
        const ID_C: &str = "110101200001011239";
        let rows = [
            row(&c, "一支部", "张三", ID_A),
            row(&c, "二支部", "张三", ID_B),
            row(&c, "一支部", "李四", ""),
            row(&c, "三支部", "赵六", ID_B),
        ];
        // 张三 joins the first row by its number; two folders carry a number no row has.
        let folders = [
            folder("一支部", &format!("张三（{ID_A}）")),
            folder("一支部", &format!("王五_{ID_C}")),
            folder("二支部", &format!("孙七_{ID_C}")),
        ];
        let people = join(&c, &folders, &rows);
        let who = |p: Option<usize>| p.map(|p| format!("{}/{}", people[p].branch, people[p].name));
        type Query<'a> = (
            Option<usize>,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
        );
        let queries: [Query; 11] = [
            (Some(1), None, None, None, Some("一支部/王五")),
            (Some(7), None, None, None, None),
            (None, Some(ID_A), Some("李四"), None, Some("一支部/张三")),
            // Two rows hold ID_B: the later one's person.
            (None, Some(ID_B), None, None, Some("三支部/赵六")),
            // No row holds ID_C: the first folder that carries it.
            (None, Some(ID_C), None, None, Some("一支部/王五")),
            (
                None,
                Some("110101190001011230"),
                Some("李四"),
                None,
                Some("一支部/李四"),
            ),
            // Two 张三 in the archive: by name alone, neither.
            (None, None, Some("张三"), None, None),
            (
                None,
                None,
                Some("张三"),
                Some("二支部"),
                Some("二支部/张三"),
            ),
            (None, None, Some("张三"), Some("三支部"), None),
            (
                None,
                None,
                Some("孙七"),
                Some("三支部"),
                Some("二支部/孙七"),
            ),
            (None, None, None, None, None),
        ];
        for collide in [false, true] {
            for &(dossier, id, name, branch, want) in &queries {
                // A row from a sheet outside the dossiers makes the owners index numbers and
                // names.
                let mut owners = Owners::new(&c, &people, &rows, true, true);
                if collide {
                    // Every person under the hash looked up, as if all keys collided.
                    let all = |h: u64| ByHash((0..people.len() as u32).map(|p| (h, p)).collect());
                    let id = idnum::normalize(id.unwrap_or_default());
                    let n = name_key(name.unwrap_or_default());
                    let b = normalize(branch.unwrap_or_default());
                    owners.by_row_id = all(hash_of(&[&id]));
                    owners.by_folder_id = all(hash_of(&[&id]));
                    owners.by_name = all(hash_of(&[&n]));
                    owners.by_branch_name = all(hash_of(&[&b, &n]));
                }
                let found = owners.find(dossier, id, name, branch);
                assert_eq!(
                    who(found).as_deref(),
                    want,
                    "{dossier:?} {id:?} {name:?} {branch:?} collide {collide}"
                );
            }
        }
        // Rows all from dossiers: only the dossiers are indexed.
        let owners = Owners::new(&c, &people, &rows, false, true);
        assert_eq!(owners.find(None, Some(ID_A), Some("张三"), None), None);
        assert_eq!(
            who(owners.find(Some(2), None, None, None)).as_deref(),
            Some("二支部/孙七")
        );
    }

    #[test]
    fn runs_give_each_row_its_value() {
        let mut runs = Runs::default();
        assert!(runs.is_empty() && runs.get(0).is_none());
        runs.push_n(Some(3), 2);
        runs.push_n(None, 0);
        runs.push_n(Some(3), 1);
        runs.push_n(None, 3);
        runs.push_n(Some(0), 1);
        let rows: Vec<Option<usize>> = (0..runs.len())
            .filter_map(|i| runs.get(i).copied())
            .collect();
        assert_eq!(rows, [Some(3), Some(3), Some(3), None, None, None, Some(0)]);
        assert_eq!(runs.get(7), None, "past the last row");
        // Equal neighbours are one run; an empty push is none.
        assert_eq!(
            runs.values().collect::<Vec<_>>(),
            [&Some(3), &None, &Some(0)]
        );
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
        assert_eq!(people[0].folder_id(), Some(ID_A));
        assert!(!people[0].id_mismatch() && people[0].unmatched_detail().is_empty());
        // The other row stands alone: nothing of a folder.
        assert_eq!(people[1].folder_id(), None);
        // A person is kept small: a million dossiers have a million of them.
        assert_eq!(std::mem::size_of::<Person>(), 160);
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
            people[0].unmatched_detail().contains("2 行同名"),
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
