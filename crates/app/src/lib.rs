//! Zhixing's application: every operation a user can perform, as a command that one function
//! of its context loads, authorises, decides in the domain and writes — state and events in one
//! transaction — and the workers that act on their own (the outbox, the watch). It knows no
//! HTTP: its answer is a value or an [`AppError`]; the server's API and pages are two doors to
//! the same commands.
//!
//! One module per bounded context:
//! - [`case`] — filing, every change to a case, its documents and views (统一办案);
//! - [`control`] — online and traditional investigation, control measures (查控);
//! - [`disposal`] — reference price, judicial auction, the case account (处置与案款);
//! - [`credit`] — the dishonest list, restrictions, their publication and sharing (信用惩戒);
//! - [`oversight`] — supervision, entrusted tasks, complaints, recordings (监督与协作);
//! - [`command_centre`] — indicators, alerts and the watch worker (指挥中心);
//! - [`identity`] — sign-in, sessions, accounts;
//! - [`platform`] — the court tree, the rule book, the audit chain;
//! - [`review`] — objections, reconsideration and supervision (执异, 执复, 执监);
//! - [`portal`] — what the public and the parties reach without an account (公开服务).

pub mod case;
pub mod command_centre;
pub mod control;
pub mod credit;
pub mod disposal;
pub mod embedded;
pub mod error;
pub mod identity;
pub mod oversight;
pub mod platform;
pub mod portal;
pub mod review;
pub mod runtime;
pub mod state;

pub use error::{AppError, OrInternal};
pub use state::{App, Clock, Config, ManualClock, SimulatedClock, SystemClock};

use zhixing_domain::access::Principal;

/// Who did something, as the event log names them.
pub fn actor_of(p: &Principal) -> String {
    format!("user:{}", p.user_id)
}

/// Readies a store for serving: migrations, the data key's check, the shipped rule book, the
/// indicators' rollups.
pub async fn prepare(app: &App) -> Result<(), AppError> {
    app.store
        .migrate()
        .await
        .map_err(|e| AppError::internal(format_args!("migration failed: {e}")))?;
    app.store
        .check_data_key(&app.cipher)
        .await
        .map_err(|e| AppError::internal(format_args!("data key: {e}")))?;
    platform::rules::sync_shipped(app, "system").await?;
    command_centre::indicators::ensure_built(app).await?;
    Ok(())
}
