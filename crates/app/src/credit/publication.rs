//! Publication of the credit lists (信用惩戒公示): the public search of the dishonest-debtor
//! list (失信被执行人名单查询) and of consumption-restricted persons (限制消费人员查询).
//!
//! A search needs the name *and* the ID number or credit code: a name alone matches strangers
//! who share it, and would let anyone harvest the list. What comes back is exactly what
//! DOMAIN §7 publishes, with every identifier masked. Rows are read as they stand, with no
//! cache, so a person removed from the list disappears from the next search.

use serde::Serialize;
use zhixing_domain::credit::{Ground, SpendingKind};
use zhixing_domain::identity::mask;

use crate::error::AppError;
use crate::state::App;

/// Longest name a search accepts (organisations' registered names run long).
pub const MAX_NAME_CHARS: usize = 100;

/// A listing as published (失信被执行人信息公布): DOMAIN §7's fields and no others.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublishedListing {
    /// 被执行人姓名/名称
    pub name: String,
    /// 身份证号码/统一社会信用代码, masked, e.g. `1101**********0010`.
    pub id_masked: String,
    /// 法定代表人或者负责人 (organisations)
    pub legal_rep: Option<String>,
    /// 执行法院
    pub court: String,
    /// 执行案号
    pub case_number: String,
    /// 执行依据 (issuing body and document number)
    pub basis: String,
    /// 生效法律文书确定的义务
    pub duty: String,
    /// 被执行人的履行情况: 全部未履行 / 部分未履行 / 已全部履行
    pub performance: String,
    /// What has been performed so far, in fen.
    pub performed_fen: i64,
    /// 失信被执行人行为具体情形: the statutory grounds …
    pub grounds: Vec<String>,
    /// … and the facts found.
    pub conduct: String,
    /// 发布时间 (the date of the listing decision)
    pub listed_on: String,
}

/// A consumption restriction order in force, as published (限制消费令).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublishedRestriction {
    pub name: String,
    /// Masked identifier, as for listings.
    pub id_masked: String,
    /// `person` or `organisation`
    pub party_kind: String,
    pub legal_rep: Option<String>,
    /// For an organisation: the persons the order binds (legal representative, principal,
    /// directly responsible persons, actual controller).
    pub bound_persons: Vec<String>,
    pub court: String,
    pub case_number: String,
    /// The restricted kinds of spending, in the words of the provisions.
    pub restricted: Vec<String>,
    pub ordered_on: String,
}

/// A checked search: the name as given (trimmed) and the identifier's blind index.
struct Search {
    name: String,
    index: String,
}

/// Checks a search before anything is read. Too broad (no identifier) and malformed input
/// are refused with a code the portal can explain.
fn checked(app: &App, name: Option<&str>, id: Option<&str>) -> Result<Search, AppError> {
    let name = name.map(str::trim).unwrap_or_default();
    let id = id.map(str::trim).unwrap_or_default();
    if name.is_empty() {
        return Err(AppError::bad_request(
            "name_required",
            "give the name (姓名/名称) and the ID number or credit code",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::bad_request(
            "invalid_name",
            format!("a name has at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if id.is_empty() {
        return Err(AppError::bad_request(
            "search_too_broad",
            "a name alone matches strangers who share it: give the ID number (身份证号码) or the unified social credit code (统一社会信用代码) too",
        ));
    }
    // The blind index is computed from the canonical form, as at filing.
    let Some(normalised) = zhixing_domain::identity::normalise(id) else {
        return Err(AppError::bad_request(
            "invalid_identifier",
            "not a valid resident ID number or unified social credit code (check the length and the last character)",
        ));
    };
    Ok(Search {
        name: name.to_owned(),
        index: app.cipher.index(&normalised),
    })
}

fn performance(due: i64, performed: i64) -> &'static str {
    if performed <= 0 {
        "全部未履行"
    } else if performed < due {
        "部分未履行"
    } else {
        "已全部履行"
    }
}

fn ground_names(json: &str) -> Vec<String> {
    serde_json::from_str::<Vec<u8>>(json)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|n| Ground::ALL.into_iter().find(|g| g.no() == n))
        .map(|g| g.name_zh().to_owned())
        .collect()
}

/// 失信被执行人名单查询: the listings in force on this name and identifier.
pub async fn dishonest(
    app: &App,
    name: Option<&str>,
    id: Option<&str>,
) -> Result<Vec<PublishedListing>, AppError> {
    let s = checked(app, name, id)?;
    let rows = app.store.listed_now(&s.name, &s.index).await?;
    Ok(rows
        .into_iter()
        .map(|r| PublishedListing {
            // Records keep credit codes whole; the portal masks every identifier.
            id_masked: mask(&r.identifier),
            performance: performance(r.total_due_fen, r.performed_fen).to_owned(),
            performed_fen: r.performed_fen.min(r.total_due_fen),
            grounds: ground_names(&r.grounds),
            name: r.name,
            legal_rep: r.legal_rep,
            court: r.court_name,
            case_number: r.case_number,
            basis: r.basis,
            duty: r.duty,
            conduct: r.conduct,
            listed_on: r.listed_on,
        })
        .collect())
}

/// 限制消费人员查询: the restriction orders in force on this name and identifier.
pub async fn restricted(
    app: &App,
    name: Option<&str>,
    id: Option<&str>,
) -> Result<Vec<PublishedRestriction>, AppError> {
    let s = checked(app, name, id)?;
    let rows = app.store.restricted_now(&s.name, &s.index).await?;
    Ok(rows
        .into_iter()
        .map(|r| PublishedRestriction {
            id_masked: mask(&r.identifier),
            bound_persons: serde_json::from_str(&r.bound_persons).unwrap_or_default(),
            restricted: serde_json::from_str::<Vec<SpendingKind>>(&r.kinds)
                .unwrap_or_default()
                .into_iter()
                .map(|k| k.name_zh().to_owned())
                .collect(),
            name: r.name,
            party_kind: r.party_kind,
            legal_rep: r.legal_rep,
            court: r.court_name,
            case_number: r.case_number,
            ordered_on: r.ordered_on,
        })
        .collect())
}
