//! `fixtures/layouts/*`: the ways archives are laid out (shared/domain.md §4). Every dossier
//! is complete; each archive audits clean but the last:
//!
//! - `branch-alone/第一党支部`: one branch audited on its own (its .ods ledger has no branch
//!   column), with a batch folder (2022年第二批) between the branch and a person;
//! - `years-above`: year folders above the branches (2019年/第一党支部/张伟);
//! - `groups-below`: year and stage folders between branch and person (第一党支部/2021年/李娜,
//!   第二党支部/预备党员/孙悦);
//! - `unlisted-group`: a grouping folder whose name no rule lists (新发展党员): taken for one,
//!   and said once (layout-ambiguous);
//! - `combined-alone/第三党支部`: one branch on its own whose dossiers are each one bookmarked
//!   PDF (张伟发展党员档案.pdf): no file name names a document, so only the ledger's names
//!   tell the person folders from branches;
//! - `scan-batches`: person folders holding the vendor's scan batches (正式材料, 补充材料)
//!   rather than files: a folder named as a person in the ledger is a dossier, not a grouping.

use std::fs;
use std::path::Path;

use super::V::{S, T};
use super::folders::{dates, outlined_pdf};
use super::{ALL_DOCS, Person, id, write_file, write_ledger, write_ods};

/// A person whose folder is at `path` (relative to the archive root), at `stage` (0–4).
fn person(branch: &'static str, name: &'static str, path: &str, stage: usize, seq: &str) -> Person {
    Person {
        branch,
        folder: Some(path.to_string()),
        in_ledger: true,
        name,
        sex: "女",
        nation: "汉族",
        id: T(id("110101", "19960708", seq)),
        birth: S("1996.07"),
        dates: dates(stage),
        files: ALL_DOCS[..[1, 2, 3, 7, 8][stage]].to_vec(),
        resume: None,
    }
}

fn write_people(root: &Path, people: &[Person], tag: &str) -> std::io::Result<()> {
    for p in people {
        let Some(path) = &p.folder else { continue };
        for f in &p.files {
            let rel = format!("{path}/{f}");
            write_file(&root.join(&rel), &format!("layouts/{tag}/{rel}"))?;
        }
    }
    Ok(())
}

pub fn write(out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }

    let b1 = "第一党支部";
    let b2 = "第二党支部";
    let root = out.join("branch-alone").join(b1);
    fs::create_dir_all(&root)?;
    let people = vec![
        person(b1, "张伟", "01-张伟", 4, "411"),
        person(b1, "李娜", "李娜", 3, "422"),
        person(b1, "王芳", "2022年第二批/王芳", 2, "433"),
    ];
    write_ods(
        &root.join("第一党支部台账.ods"),
        &people.iter().collect::<Vec<_>>(),
    )?;
    write_people(&root, &people, "branch-alone")?;

    let root = out.join("years-above");
    fs::create_dir_all(&root)?;
    let people = vec![
        person(b1, "张伟", "2019年/第一党支部/张伟", 4, "511"),
        person(b2, "陈静", "2019年/第二党支部/陈静", 4, "522"),
        person(b1, "刘洋", "2021年/第一党支部/刘洋", 1, "533"),
    ];
    write_ledger(
        &root.join("发展党员工作台账.xlsx"),
        &people.iter().collect::<Vec<_>>(),
    )?;
    write_people(&root, &people, "years-above")?;

    let root = out.join("groups-below");
    fs::create_dir_all(&root)?;
    let people = vec![
        person(b1, "李娜", "第一党支部/2021年/李娜", 3, "611"),
        person(b1, "赵磊", "第一党支部/2021年度/赵磊", 3, "622"),
        person(b2, "孙悦", "第二党支部/预备党员/孙悦", 3, "633"),
        person(b2, "陈静", "第二党支部/已转正/陈静", 4, "644"),
        person(b2, "周伟", "第二党支部/周伟", 2, "655"),
    ];
    write_ledger(
        &root.join("发展党员工作台账.xlsx"),
        &people.iter().collect::<Vec<_>>(),
    )?;
    write_people(&root, &people, "groups-below")?;

    let root = out.join("unlisted-group");
    fs::create_dir_all(&root)?;
    let people = vec![
        person(b1, "吴芳", "第一党支部/新发展党员/吴芳", 2, "711"),
        person(b1, "郑强", "第一党支部/新发展党员/郑强", 1, "722"),
        person(b1, "冯丽", "第一党支部/冯丽", 4, "733"),
    ];
    write_ledger(
        &root.join("发展党员工作台账.xlsx"),
        &people.iter().collect::<Vec<_>>(),
    )?;
    write_people(&root, &people, "unlisted-group")?;

    let b3 = "第三党支部";
    let root = out.join("combined-alone").join(b3);
    fs::create_dir_all(&root)?;
    let mut people = vec![
        person(b3, "张伟", "张伟", 4, "811"),
        person(b3, "李娜", "02-李娜", 4, "822"),
        person(
            b3,
            "王芳",
            &format!("王芳（{}）", id("110101", "19960708", "833")),
            4,
            "833",
        ),
    ];
    write_ledger(
        &root.join("第三党支部发展党员台账.xlsx"),
        &people.iter().collect::<Vec<_>>(),
    )?;
    for p in &mut people {
        p.files.clear();
        let folder = p.folder.as_deref().unwrap_or(p.name);
        let file = root
            .join(folder)
            .join(format!("{}发展党员档案.pdf", p.name));
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&file, whole_dossier(p.name))?;
    }

    let root = out.join("scan-batches");
    fs::create_dir_all(&root)?;
    let people = vec![
        person(b1, "孙悦", "第一党支部/孙悦", 4, "911"),
        person(b1, "周伟", "第一党支部/周伟", 2, "922"),
    ];
    write_ledger(
        &root.join("发展党员工作台账.xlsx"),
        &people.iter().collect::<Vec<_>>(),
    )?;
    for p in &people {
        let folder = p.folder.as_deref().unwrap_or(p.name);
        // The first five materials came in the first batch, the rest later.
        for (k, f) in p.files.iter().enumerate() {
            let batch = if k < 5 {
                "正式材料"
            } else {
                "补充材料"
            };
            let rel = format!("{folder}/{batch}/{f}");
            write_file(&root.join(&rel), &format!("layouts/scan-batches/{rel}"))?;
        }
    }
    Ok(())
}

/// A full member's whole dossier as one PDF whose bookmarks name the eight materials.
fn whole_dossier(name: &str) -> Vec<u8> {
    outlined_pdf(
        name,
        12,
        &[
            (0, "入党申请书", 0),
            (0, "入党积极分子考察登记表", 1),
            (0, "自传", 3),
            (0, "政审材料", 5),
            (0, "集中培训表", 6),
            (0, "入党志愿书", 7),
            (0, "预备党员考察表", 10),
            (0, "转正申请书", 11),
        ],
        false,
        false,
    )
}
