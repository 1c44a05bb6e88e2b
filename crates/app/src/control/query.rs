//! What the investigation and control of a case show (reads): investigations with each
//! institution's progress, the property found, the measures with their alerts — for the API,
//! the legacy adapter and the case page alike.

use std::collections::HashMap;

use zhixing_domain::access::{Action, Principal};
use zhixing_store::cases::CaseRow;
use zhixing_store::investigation::{AssetRow, InvestigationRow, OutboxStatus};
use zhixing_store::measures::{AlertRow, MeasureRow};

use crate::case as svc;
use crate::error::AppError;
use crate::state::App;

/// An investigation with the message sent to each institution.
#[derive(Debug, Clone)]
pub struct Progress {
    pub investigation: InvestigationRow,
    pub messages: Vec<OutboxStatus>,
}

impl Progress {
    fn count(&self, status: &str) -> usize {
        self.messages.iter().filter(|m| m.status == status).count()
    }
    pub fn replied(&self) -> usize {
        self.count("replied")
    }
    /// Not yet answered: waiting to be sent, or sent.
    pub fn pending(&self) -> usize {
        self.count("pending") + self.count("sent")
    }
    pub fn failed(&self) -> usize {
        self.count("failed")
    }
}

fn investigation_not_found(case_id: i64, inv_id: i64) -> AppError {
    AppError::not_found(
        "investigation_not_found",
        format!("no investigation {inv_id} on case {case_id}"),
    )
}

/// Investigation `inv_id` of case `case_id`, if the caller may read the case.
pub async fn progress(
    app: &App,
    by: &Principal,
    case_id: i64,
    inv_id: i64,
) -> Result<(CaseRow, Progress), AppError> {
    let (case, _) = svc::readable(app, by, case_id).await?;
    let investigation = app
        .store
        .investigation(inv_id)
        .await?
        .filter(|r| r.case_id == case_id)
        .ok_or_else(|| investigation_not_found(case_id, inv_id))?;
    let messages = app.store.investigation_messages(inv_id).await?;
    Ok((
        case,
        Progress {
            investigation,
            messages,
        },
    ))
}

/// Investigation `inv_id` by its id alone: one answer (not found) for none and for one of a
/// case the caller may not read.
pub async fn progress_by_id(
    app: &App,
    by: &Principal,
    inv_id: i64,
) -> Result<(CaseRow, Progress), AppError> {
    let not_found = || {
        AppError::not_found(
            "investigation_not_found",
            format!("no investigation {inv_id}"),
        )
    };
    let row = app
        .store
        .investigation(inv_id)
        .await?
        .ok_or_else(not_found)?;
    progress(app, by, row.case_id, inv_id)
        .await
        .map_err(|e| if e.is_not_found() { not_found() } else { e })
}

/// The id of the case numbered `number`, if there is one.
pub async fn case_by_number(app: &App, number: &str) -> Result<Option<i64>, AppError> {
    Ok(app.store.case_by_number(number).await?.map(|c| c.id))
}

/// The property found for a case. Balances are sensitive: reading them is an audited event.
pub async fn assets(app: &App, by: &Principal, case_id: i64) -> Result<Vec<AssetRow>, AppError> {
    let (_, court) = svc::readable(app, by, case_id).await?;
    let rows = app.store.assets_of(case_id).await?;
    if !rows.is_empty() && by.may(Action::ReadCaseData, &court.path) {
        crate::platform::audit::record_sensitive_read(
            app,
            by,
            &court.id,
            &format!("case:{case_id}"),
            &["assets.value_fen"],
        )
        .await?;
    }
    Ok(rows)
}

/// What the case page shows of investigation and control.
#[derive(Debug, Clone)]
pub struct CaseControl {
    pub investigations: Vec<Progress>,
    pub assets: Vec<AssetRow>,
    pub measures: Vec<MeasureRow>,
    /// The names of the institutions, by id (empty when nothing was asked or found).
    pub institution_names: HashMap<String, String>,
    pub alerts: Vec<AlertRow>,
}

/// The investigations, property, measures and alerts of a case the caller may read.
pub async fn case_control(
    app: &App,
    by: &Principal,
    case_id: i64,
) -> Result<CaseControl, AppError> {
    svc::readable(app, by, case_id).await?;
    let mut investigations = Vec::new();
    for investigation in app.store.investigations_of(case_id).await? {
        let messages = app.store.investigation_messages(investigation.id).await?;
        investigations.push(Progress {
            investigation,
            messages,
        });
    }
    let assets = app.store.assets_of(case_id).await?;
    let measures = app.store.measures_of(case_id).await?;
    let institution_names = if assets.is_empty() && investigations.is_empty() {
        HashMap::new()
    } else {
        app.store
            .institutions()
            .await?
            .into_iter()
            .map(|i| (i.id, i.name))
            .collect()
    };
    let alerts = app.store.alerts_of_case(case_id).await?;
    Ok(CaseControl {
        investigations,
        assets,
        measures,
        institution_names,
        alerts,
    })
}
