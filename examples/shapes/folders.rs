//! `fixtures/folders`: dossiers filed the ways branches and scanning vendors file them
//! (shared/domain.md §2, §4). Each is complete and audits clean, but one:
//!
//! - 周伟: a folder per material (01-入党申请书/001.jpg, 06-入党志愿书/第1页.jpg …);
//! - 吴芳: the everyday names (申请书, 培养考察表, 政审综合材料, 函调材料, 党校结业证书, 志愿书,
//!   预备党员考察鉴定表) and the other materials of a real dossier (谈话记录, 推荐材料,
//!   支部大会决议, 公示情况反馈表, a page of the 志愿书 filed on its own);
//! - 郑强: 考察表.pdf fits the activist's and the probationer's assessment equally →
//!   ambiguous-file (info), and not also a missing 入党积极分子考察表.

use super::V::{E, S, T};
use super::{Person, id};

fn dates(stage: usize) -> [super::V; 10] {
    let all = [
        "2019.03.05",
        "2019.03.20",
        "2019.06.01",
        "2020.06.01",
        "2020.08.01",
        "2020.08.10-2020.08.12",
        "2020.09.15",
        "2020.12.15",
        "2021.09.15",
        "2021.12.15",
    ];
    // The last field of each stage: applicant 1, activist 2, candidate 5, probationary 7, full 9.
    let upto = [1, 2, 5, 7, 9][stage];
    std::array::from_fn(|i| if i <= upto { S(all[i]) } else { E })
}

pub fn people() -> Vec<Person> {
    let b1 = "第一党支部";
    let b2 = "第二党支部";
    vec![
        Person {
            branch: b1,
            folder: Some("周伟".into()),
            in_ledger: true,
            name: "周伟",
            sex: "男",
            nation: "汉族",
            id: T(id("110101", "19950312", "311")),
            birth: S("1995.03"),
            dates: dates(4),
            files: vec![
                "01-入党申请书/001.jpg",
                "01-入党申请书/002.jpg",
                "02-入党积极分子考察登记表/001.jpg",
                "03-自传/001.jpg",
                "03-自传/002.jpg",
                "04-政审材料/001.jpg",
                "05-集中培训/001.jpg",
                "06-入党志愿书/第1页.jpg",
                "06-入党志愿书/第2页.jpg",
                "06-入党志愿书/第3页.jpg",
                "06-入党志愿书/第4页.jpg",
                "07-预备党员考察表/001.jpg",
                "08-转正申请书/001.jpg",
            ],
            resume: None,
        },
        Person {
            branch: b1,
            folder: Some("吴芳".into()),
            in_ledger: true,
            name: "吴芳",
            sex: "女",
            nation: "汉族",
            id: T(id("110101", "19970521", "322")),
            birth: S("1997.05"),
            dates: dates(3),
            files: vec![
                "申请书.pdf",
                "谈话记录.pdf",
                "推荐材料.pdf",
                "培养考察表.pdf",
                "个人自传.pdf",
                "政审综合材料.pdf",
                "函调材料.pdf",
                "党校结业证书.pdf",
                "公示情况反馈表.pdf",
                "志愿书.pdf",
                "入党介绍人意见.pdf",
                "支部大会决议.pdf",
                "预备党员考察鉴定表.pdf",
            ],
            resume: None,
        },
        Person {
            branch: b2,
            folder: Some("郑强".into()),
            in_ledger: true,
            name: "郑强",
            sex: "男",
            nation: "汉族",
            id: T(id("110105", "19990817", "333")),
            birth: S("1999.08"),
            dates: dates(1),
            files: vec!["入党申请书.pdf", "考察表.pdf"],
            resume: None,
        },
    ]
}
