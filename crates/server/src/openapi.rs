//! The OpenAPI 3.1 description, generated from the handlers' annotations.

use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(title = "Zhixing API", description = "Intelligent enforcement of court judgments (执行).", version = "1"),
    paths(
        api::session::create, api::session::delete, api::session::current,
        api::courts::list, api::courts::get_one, api::courts::children,
        api::users::list, api::users::create,
        api::rules::list, api::rules::versions, api::rules::in_force, api::rules::add,
        api::audit::verify, api::audit::events,
        api::cases::file, api::cases::list, api::cases::show, api::cases::timeline, api::cases::assign,
        api::cases::action, api::cases::clue, api::cases::verify_clue, api::cases::payment, api::cases::security, api::cases::suspend,
        api::cases::end_suspension, api::cases::extension, api::cases::checklist, api::cases::close,
        api::cases::decide, api::investigation::list, api::investigation::register, api::investigation::start,
        api::investigation::show, api::investigation::assets, api::cases::resume, api::cases::identifier, api::cases::document,
        api::measures::request, api::measures::of_case, api::measures::show, api::measures::renewal, api::measures::release,
        api::alerts::list, api::alerts::summary, api::measures::of_case_alerts,
        api::indicators::summary, api::indicators::trend, api::indicators::ranking,
        api::legacy::start, api::legacy::show,
        api::funds::account, api::funds::receipt, api::funds::propose, api::funds::decide, api::funds::paid,
        api::funds::distribution,
        api::field::record, api::field::list, api::field::attachment,
        api::complaints::register, api::complaints::of_case, api::complaints::list, api::complaints::show,
        api::complaints::resolve, api::recordings::upload_to_case, api::recordings::upload_to_complaint,
        api::recordings::of_case, api::recordings::show, api::recordings::content,
        api::credit::of_case, api::credit::list, api::credit::extend, api::credit::remove, api::credit::correction,
        api::credit::correction_decision, api::credit::order, api::credit::lift,
        api::public::party_access, api::public::announcements, api::public::terminated, api::public::dishonest, api::public::restricted,
        api::auction::announce, api::auction::of_case, api::auction::deposit, api::auction::preemptive_holder,
        api::auction::balance, api::auction::default, api::auction::bid, api::auction::public_list,
        api::auction::public_show, api::auction::register, api::auction::events,
        api::public::announce, api::public::access_code,
        api::sharing::create, api::sharing::list, api::sharing::show, api::sharing::approve,
        api::sharing::issue_key, api::sharing::revoke, api::sharing::feed,
        api::valuation::start, api::valuation::of_asset, api::valuation::show, api::valuation::move_on,
        api::valuation::agreement, api::valuation::targeted_answer, api::valuation::enquiry,
        api::valuation::platform_answer, api::valuation::conclusion, api::valuation::appraisal,
        api::valuation::appraisal_report, api::valuation::objection, api::valuation::ruling,
        api::supervision::issue, api::supervision::list, api::supervision::show, api::supervision::reply,
        api::supervision::close, api::supervision::send_back,
        api::entrusted::request, api::entrusted::of_case, api::entrusted::list, api::entrusted::show,
        api::entrusted::accept, api::entrusted::decline, api::entrusted::result, api::entrusted::document,
    ),
    components(schemas(crate::error::Problem)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;
impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        // The sharing feed's key (also accepted as a bearer token on that route only).
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Api-Key"))),
        );
        // A bidder's token from registration (bids only).
        components.add_security_scheme(
            "bidder_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn serve() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(s) => ([(axum::http::header::CONTENT_TYPE, "application/json")], s).into_response(),
        Err(_) => crate::error::ApiError::internal().into_response(),
    }
}
