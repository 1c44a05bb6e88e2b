//! Turning controlled property into money and paying it out: the reference price (参考价),
//! the online judicial auction (网络司法拍卖) and the case account (案款, 一案一账号).
//!
//! Each context has its command enum and one `execute` function: [`valuation::execute`],
//! [`auction::execute`], [`funds::execute`]. The case page's section of this context is read
//! through [`section`].

pub mod auction;
pub mod auction_files;
pub mod funds;
pub mod valuation;

use std::sync::Arc;

use serde::Serialize;
use zhixing_domain::access::Principal;
use zhixing_domain::case::Ctx;
use zhixing_domain::rules::RuleBook;
use zhixing_store::courts::CourtRow;
use zhixing_store::investigation::AssetRow;
use zhixing_store::measures::MeasureRow;

use crate::error::{AppError, OrInternal};
use crate::state::App;

/// Whether a measure holds property of case `case_id` for sale: a seizure or detention
/// (查封/扣押) in effect. Only such property is priced and auctioned.
pub(crate) fn holds(m: &MeasureRow, case_id: i64) -> bool {
    m.case_id == case_id && matches!(m.kind.as_str(), "seize" | "detain") && m.status == "active"
}

/// The rule book as a court applies it today: what the domain's `Ctx` borrows.
pub(crate) struct Rules {
    book: Arc<RuleBook>,
    calendar: &'static zhixing_domain::calendar::WorkingCalendar,
    region: String,
    today: jiff::civil::Date,
}

impl Rules {
    pub(crate) async fn of(app: &App, court: &CourtRow) -> Result<Rules, AppError> {
        Ok(Rules {
            book: app.rules.current(&app.store).await?,
            calendar: app.calendar.current(&app.store).await?,
            region: crate::case::region(court),
            today: app.today(),
        })
    }

    pub(crate) fn ctx(&self) -> Ctx<'_> {
        Ctx {
            rules: &self.book,
            calendar: self.calendar,
            region: &self.region,
            today: self.today,
        }
    }
}

/// A domain event as its log records it: its `kind` tag and the whole as JSON.
pub(crate) fn tagged<E: Serialize>(e: &E) -> Result<(String, serde_json::Value), AppError> {
    let v = serde_json::to_value(e).or_internal("a domain event as JSON")?;
    let kind = v
        .get("kind")
        .and_then(serde_json::Value::as_str)
        .or_internal("the kind of a domain event")?
        .to_owned();
    Ok((kind, v))
}

/// A seized or detained asset of a case with its latest price determination and the round
/// and status of its latest auction.
#[derive(Debug)]
pub struct HeldAsset {
    pub asset: AssetRow,
    pub valuation: Option<valuation::ValuationView>,
    /// (auction id, round, status) of the asset's latest auction.
    pub last_auction: Option<(i64, String, String)>,
}

/// What the case page shows of this context: the assets under a seizure or detention in
/// effect (only they may be priced and sold), their determinations, and the case's auctions.
#[derive(Debug)]
pub struct Section {
    pub assets: Vec<HeldAsset>,
    pub auctions: Vec<auction::AuctionView>,
}

/// The case page's section of this context, for whoever may read the case.
pub async fn section(app: &App, by: &Principal, case_id: i64) -> Result<Section, AppError> {
    let auctions = auction::of_case(app, by, case_id).await?;
    let measures = app.store.measures_of(case_id).await?;
    let mut assets = Vec::new();
    for a in app.store.assets_of(case_id).await? {
        if !measures
            .iter()
            .any(|m| m.asset_id == a.id && holds(m, case_id))
        {
            continue;
        }
        let valuation = valuation::latest_of_asset(app, by, a.id).await?;
        let last_auction = auctions
            .iter()
            .filter(|x| x.asset_id == a.id)
            .max_by_key(|x| x.id)
            .map(|x| (x.id, x.round.clone(), x.status.clone()));
        assets.push(HeldAsset {
            asset: a,
            valuation,
            last_auction,
        });
    }
    Ok(Section { assets, auctions })
}

/// What a form of the case page names in its path.
#[derive(Debug, Clone, Copy)]
pub enum Named {
    Asset(i64),
    Valuation(i64),
    Auction(i64),
}

/// Whether what a form names belongs to case `case_id`, so that a form never changes another
/// case than the page it came from: 404 otherwise, as for a missing one.
pub async fn ensure_of_case(app: &App, named: Named, case_id: i64) -> Result<(), AppError> {
    let (found, code) = match named {
        Named::Asset(id) => (
            app.store.asset(id).await?.map(|a| a.case_id),
            "asset_not_found",
        ),
        Named::Valuation(id) => (
            app.store.valuation(id).await?.map(|v| v.case_id),
            "valuation_not_found",
        ),
        Named::Auction(id) => (
            app.store.auction(id).await?.map(|a| a.case_id),
            "auction_not_found",
        ),
    };
    if found == Some(case_id) {
        Ok(())
    } else {
        Err(AppError::not_found(code, format!("not of case {case_id}")))
    }
}
