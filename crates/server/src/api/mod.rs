//! The JSON API under `/api/v1`: one module per area.

pub mod alerts;
pub mod auction;
pub mod audit;
pub mod cases;
pub mod clock;
pub mod complaints;
pub mod courts;
pub mod credit;
pub mod entrusted;
pub mod field;
pub mod filing_drafts;
pub mod funds;
pub mod health;
pub mod indicators;
pub mod investigation;
pub mod legacy;
pub mod measures;
pub mod public;
pub mod recordings;
pub mod reviews;
pub mod rules;
pub mod service;
pub mod session;
pub mod sharing;
pub mod supervision;
pub mod users;
pub mod valuation;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::handler::Handler;
use axum::http::{header, request::Parts};
use axum::routing::{get, post};
use zhixing_domain::access::Principal;

use crate::error::ApiError;
use zhixing_app::state::App;

/// The session cookie used by the pages.
pub const SESSION_COOKIE: &str = "zx_session";

/// What a session whose password was reset may still reach.
const PASSWORD_CHANGE_PATHS: [&str; 4] = [
    "/api/v1/me/password",
    "/api/v1/session",
    "/account/password",
    "/logout",
];

/// The authenticated caller of a request: the `Ctx` every service call receives.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub principal: Principal,
    pub token_hash: String,
    /// The password was reset by an administrator and not yet changed.
    pub must_change_password: bool,
}

/// The session token of a request: `Authorization: Bearer …`, else the session cookie.
pub fn request_token(parts: &Parts) -> Option<String> {
    if let Some(v) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return v.strip_prefix("Bearer ").map(|t| t.trim().to_owned());
    }
    cookie(parts, SESSION_COOKIE)
}

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

impl FromRequestParts<App> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let token = request_token(parts).ok_or_else(ApiError::unauthenticated)?;
        let zhixing_app::identity::auth::Authenticated {
            principal,
            token_hash,
            must_change_password,
        } = zhixing_app::identity::auth::authenticate(app, &token)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        // After an administrator's reset the session reaches only what choosing a new
        // password needs: the change itself, the session, signing out.
        if must_change_password {
            let path = parts
                .extensions
                .get::<axum::extract::OriginalUri>()
                .map_or_else(|| parts.uri.path().to_owned(), |u| u.path().to_owned());
            if !PASSWORD_CHANGE_PATHS.contains(&path.as_str()) {
                return Err(ApiError::new(
                    axum::http::StatusCode::FORBIDDEN,
                    "password_change_required",
                    "choose a new password first: POST /api/v1/me/password",
                ));
            }
        }
        // A session cookie comes with any request the browser makes, also one another site
        // started: a change made with it needs the cross-site checks (`csrf`).
        if !parts.headers.contains_key(header::AUTHORIZATION)
            && crate::csrf::changes_state(&parts.method)
        {
            crate::csrf::cookie_request(app, parts, &token_hash)?;
        }
        let ctx = Ctx {
            principal,
            token_hash,
            must_change_password,
        };
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

impl axum::extract::OptionalFromRequestParts<App> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &App,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <Ctx as FromRequestParts<App>>::from_request_parts(parts, app).await {
            Ok(c) => Ok(Some(c)),
            Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The routes of `/api/v1`.
pub fn router() -> Router<App> {
    Router::new()
        .route(
            "/session",
            post(session::create)
                .delete(session::delete)
                .get(session::current),
        )
        .route("/courts", get(courts::list))
        .route("/courts/{id}", get(courts::get_one))
        .route("/courts/{id}/children", get(courts::children))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}/disable", post(users::disable))
        .route("/users/{id}/enable", post(users::enable))
        .route("/users/{id}/password-reset", post(users::password_reset))
        .route("/users/{id}/roles", axum::routing::put(users::set_roles))
        .route(
            "/users/{id}/identity",
            axum::routing::put(users::set_identity),
        )
        .route("/me/password", post(users::change_password))
        .route("/rules", get(rules::list).post(rules::add))
        .route("/rules/proposals", get(rules::proposals))
        .route("/rules/proposals/{id}/decision", post(rules::decide))
        .route(
            "/calendars",
            get(rules::calendars).post(rules::propose_calendar),
        )
        .route("/rules/{id}", get(rules::versions))
        .route("/rules/{id}/in-force", get(rules::in_force))
        .route("/clock", get(clock::show))
        .route("/clock/advance", post(clock::advance))
        .route("/audit/verify", get(audit::verify))
        .route("/events", get(audit::events))
        .route("/cases", get(cases::list).post(cases::file))
        .route("/cases/{id}", get(cases::show))
        .route("/cases/{id}/timeline", get(cases::timeline))
        .route("/cases/{id}/assignment", post(cases::assign))
        .route("/cases/{id}/actions", post(cases::action))
        .route("/cases/{id}/clues", post(cases::clue))
        .route(
            "/cases/{id}/clues/{no}/verification",
            post(cases::verify_clue),
        )
        .route("/cases/{id}/payments", post(cases::payment))
        .route("/cases/{id}/securities", post(cases::security))
        .route(
            "/cases/{id}/suspension",
            post(cases::suspend).delete(cases::end_suspension),
        )
        .route("/cases/{id}/extension", post(cases::extension))
        .route(
            "/cases/{id}/extension/decision",
            post(cases::decide_extension),
        )
        .route("/cases/{id}/closure-checklist", get(cases::checklist))
        .route("/cases/{id}/closure", post(cases::close))
        .route("/cases/{id}/closure/decision", post(cases::decide))
        .route("/cases/{id}/resumption", post(cases::resume))
        .route(
            "/cases/{id}/parties/{no}/identifier",
            get(cases::identifier),
        )
        .route(
            "/cases/{id}/parties/{no}/related-cases",
            get(cases::related_cases),
        )
        .route("/cases/{id}/related-parties", get(cases::related_parties))
        .route("/documents/{id}", get(cases::document))
        .route(
            "/institutions",
            get(investigation::list).post(investigation::register),
        )
        .route("/cases/{id}/investigations", post(investigation::start))
        .route("/cases/{id}/investigations/{inv}", get(investigation::show))
        .route("/cases/{id}/assets", get(investigation::assets))
        .route("/assets/{id}/measures", post(measures::request))
        .route("/cases/{id}/measures", get(measures::of_case))
        .route("/measures/{id}", get(measures::show))
        .route("/measures/{id}/renewal", post(measures::renewal))
        .route("/measures/{id}/release", post(measures::release))
        .route("/cases/{id}/alerts", get(measures::of_case_alerts))
        .route("/alerts", get(alerts::list))
        .route("/alerts/summary", get(alerts::summary))
        .route("/indicators", get(indicators::summary))
        .route("/indicators/trend", get(indicators::trend))
        .route("/indicators/ranking", get(indicators::ranking))
        .route(
            "/filings/drafts",
            post(filing_drafts::draft).layer(axum::extract::DefaultBodyLimit::max(
                filing_drafts::MAX_BODY,
            )),
        )
        .route(
            "/legacy/investigation-requests",
            post(legacy::start).layer(axum::extract::DefaultBodyLimit::max(legacy::MAX_BODY)),
        )
        .route("/legacy/investigation-requests/{id}", get(legacy::show))
        .route("/cases/{id}/account", get(funds::account))
        .route("/cases/{id}/account/receipts", post(funds::receipt))
        .route("/cases/{id}/account/payouts", post(funds::propose))
        .route(
            "/cases/{id}/account/payouts/{no}/decision",
            post(funds::decide),
        )
        .route("/cases/{id}/account/payouts/{no}/paid", post(funds::paid))
        .route(
            "/cases/{id}/account/distribution",
            post(funds::distribution),
        )
        .route(
            "/cases/{id}/field-investigations",
            get(field::list).post(field::record.layer(axum::extract::DefaultBodyLimit::max(
                crate::multipart::MAX_BODY,
            ))),
        )
        .route("/attachments/{id}", get(field::attachment))
        .route(
            "/cases/{id}/services",
            get(service::list).post(service::record.layer(axum::extract::DefaultBodyLimit::max(
                crate::multipart::MAX_BODY,
            ))),
        )
        .route("/cases/{id}/service-failures", post(service::failure))
        .route("/service-proofs/{id}", get(service::proof))
        .route("/cases/{id}/credit", get(credit::of_case))
        .route("/cases/{id}/listings", post(credit::list))
        .route("/cases/{id}/credit-warnings", post(credit::warn))
        .route("/cases/{id}/listings/{no}/extension", post(credit::extend))
        .route("/cases/{id}/listings/{no}/removal", post(credit::remove))
        .route("/cases/{id}/corrections", post(credit::correction))
        .route(
            "/cases/{id}/corrections/{no}/decision",
            post(credit::correction_decision),
        )
        .route("/cases/{id}/restriction-orders", post(credit::order))
        .route(
            "/cases/{id}/restriction-orders/{no}/lift",
            post(credit::lift),
        )
        .route("/announcements", post(public::announce))
        .route(
            "/cases/{id}/parties/{no}/access-code",
            post(public::access_code),
        )
        .route(
            "/sharing/agreements",
            get(sharing::list).post(sharing::create),
        )
        .route("/sharing/agreements/{id}", get(sharing::show))
        .route("/sharing/agreements/{id}/approval", post(sharing::approve))
        .route("/sharing/agreements/{id}/keys", post(sharing::issue_key))
        .route("/sharing/agreements/{id}/revocation", post(sharing::revoke))
        .route("/sharing/feed", get(sharing::feed))
        .route(
            "/assets/{id}/valuation",
            get(valuation::of_asset).post(valuation::start),
        )
        .route("/valuations/{id}", get(valuation::show))
        .route("/valuations/{id}/move", post(valuation::move_on))
        .route("/valuations/{id}/agreement", post(valuation::agreement))
        .route(
            "/valuations/{id}/targeted-answer",
            post(valuation::targeted_answer),
        )
        .route("/valuations/{id}/enquiry", post(valuation::enquiry))
        .route(
            "/valuations/{id}/platform-answers",
            post(valuation::platform_answer),
        )
        .route("/valuations/{id}/conclusion", post(valuation::conclusion))
        .route("/valuations/{id}/appraisal", post(valuation::appraisal))
        .route(
            "/valuations/{id}/appraisal-report",
            post(valuation::appraisal_report),
        )
        .route("/valuations/{id}/objections", post(valuation::objection))
        .route(
            "/valuations/{id}/objections/{no}/ruling",
            post(valuation::ruling),
        )
        .route("/assets/{id}/auctions", post(auction::announce))
        .route("/cases/{id}/auctions", get(auction::of_case))
        .route("/auctions/{id}/deposits", post(auction::deposit))
        .route(
            "/auctions/{id}/files",
            post(
                auction::attach_files.layer(axum::extract::DefaultBodyLimit::max(
                    crate::multipart::MAX_BODY,
                )),
            ),
        )
        .route(
            "/auctions/{id}/preemptive-holders",
            post(auction::preemptive_holder),
        )
        .route("/auctions/{id}/balance", post(auction::balance))
        .route("/auctions/{id}/default", post(auction::default))
        .route("/auctions/{id}/bids", post(auction::bid))
        .route(
            "/supervisions",
            get(supervision::list).post(supervision::issue),
        )
        .route(
            "/cases/{id}/reviews",
            get(reviews::of_case).post(reviews::file),
        )
        .route("/reviews/{id}", get(reviews::show))
        .route("/reviews/{id}/ruling", post(reviews::rule))
        .route("/reviews/{id}/extension", post(reviews::extend))
        .route("/reviews/{id}/security", post(reviews::security))
        .route("/reviews/{id}/suspension", post(reviews::suspension))
        .route("/reviews/{id}/suit", post(reviews::suit))
        .route("/supervisions/{id}", get(supervision::show))
        .route("/supervisions/{id}/replies", post(supervision::reply))
        .route("/supervisions/{id}/close", post(supervision::close))
        .route("/supervisions/{id}/return", post(supervision::send_back))
        .route(
            "/cases/{id}/entrusted-tasks",
            get(entrusted::of_case).post(entrusted::request),
        )
        .route("/entrusted-tasks", get(entrusted::list))
        .route("/entrusted-tasks/{id}", get(entrusted::show))
        .route("/entrusted-tasks/{id}/acceptance", post(entrusted::accept))
        .route("/entrusted-tasks/{id}/decline", post(entrusted::decline))
        .route(
            "/entrusted-tasks/{id}/result",
            post(
                entrusted::result.layer(axum::extract::DefaultBodyLimit::max(entrusted::MAX_BODY)),
            ),
        )
        .route(
            "/entrusted-tasks/{id}/documents/{no}",
            get(entrusted::document),
        )
        .route(
            "/cases/{id}/complaints",
            get(complaints::of_case).post(complaints::register),
        )
        .route("/complaints", get(complaints::list))
        .route("/complaints/{id}", get(complaints::show))
        .route("/complaints/{id}/resolution", post(complaints::resolve))
        // Uploads stream the raw body to disk under their own limit
        // (`Config::recording_max_bytes`), not the general body limit.
        .route(
            "/cases/{id}/recordings",
            get(recordings::of_case)
                .post(recordings::upload_to_case.layer(axum::extract::DefaultBodyLimit::disable())),
        )
        .route(
            "/complaints/{id}/recordings",
            post(recordings::upload_to_complaint.layer(axum::extract::DefaultBodyLimit::disable())),
        )
        .route("/recordings/{id}", get(recordings::show))
        .route("/recordings/{id}/content", get(recordings::content))
        .route("/openapi.json", get(crate::openapi::serve))
}

/// The routes of `/public/v1`: no session.
pub fn public_router() -> Router<App> {
    Router::new()
        .route("/party-access", post(public::party_access))
        .route("/party-consent", post(service::consent))
        .route("/party-documents/{id}", post(service::open))
        .route("/party-clues", post(public::party_clue))
        .route("/party-complaints", post(public::party_complaint))
        .route("/party-receipts", post(public::party_receipt))
        .route("/announcements", get(public::announcements))
        .route("/terminated-cases", get(public::terminated))
        .route("/dishonest", get(public::dishonest))
        .route("/restricted", get(public::restricted))
        .route("/auctions", get(auction::public_list))
        .route("/auctions/{id}", get(auction::public_show))
        .route("/auctions/{id}/bidders", post(auction::register))
        .route("/auctions/{id}/registration", get(auction::registration))
        .route("/auctions/{id}/events", get(auction::events))
        .route("/auctions/{id}/files", get(auction::files))
        .route("/auctions/{id}/files/{no}", get(auction::file))
}
