//! The OpenAPI 3.1 description, generated from the handlers' annotations.
//!
//! The application's views (what most routes answer) are defined once, in `zhixing-app`, with
//! their JSON Schema derived by `schemars` — the application knows no HTTP and no OpenAPI.
//! Here each gets a stand-in type of the same name for the handlers' annotations, and the
//! document's component is replaced by the view's own JSON Schema (OpenAPI 3.1 schemas are
//! JSON Schema 2020-12), so the description is read from the very type that is serialised.

use std::borrow::Cow;
use std::sync::OnceLock;

use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use utoipa::OpenApi;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema};

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
        api::auction::public_show, api::auction::register, api::auction::registration, api::auction::events,
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

/// Stand-ins, for the handlers' annotations, of the application's views; and the JSON Schema
/// of each view, from its own definition.
macro_rules! documented_views {
    ($($name:ident => $ty:ty),* $(,)?) => {
        /// Names of the application's views for `#[utoipa::path(..., body = doc::X)]`.
        pub mod doc {
            $(
                pub struct $name;
                impl utoipa::PartialSchema for $name {
                    fn schema() -> super::RefOr<super::Schema> {
                        super::ObjectBuilder::new().into()
                    }
                }
                impl utoipa::ToSchema for $name {
                    fn name() -> super::Cow<'static, str> {
                        super::Cow::Borrowed(stringify!($name))
                    }
                }
            )*
        }

        fn view_schemas() -> Vec<(&'static str, schemars::Schema)> {
            vec![$((stringify!($name), schemars::schema_for!($ty))),*]
        }
    };
}

documented_views! {
CreditChanged => zhixing_app::credit::listings::CreditChanged,
CreditView => zhixing_app::credit::listings::CreditView,
PublishedListing => zhixing_app::credit::publication::PublishedListing,
PublishedRestriction => zhixing_app::credit::publication::PublishedRestriction,
KeyInfo => zhixing_app::credit::sharing::KeyInfo,
Agreement => zhixing_app::credit::sharing::Agreement,
IssuedKey => zhixing_app::credit::sharing::IssuedKey,
FeedPage => zhixing_app::credit::sharing::FeedPage,
CaseView => zhixing_app::case::CaseView,
Filed => zhixing_app::case::Filed,
CasePage => zhixing_app::case::query::CasePage,
TimelineEntry => zhixing_app::case::query::TimelineEntry,
AttachmentView => zhixing_app::control::field::AttachmentView,
FieldInvestigationView => zhixing_app::control::field::FieldInvestigationView,
Recorded => zhixing_app::control::field::Recorded,
ReceiptView => zhixing_app::disposal::funds::ReceiptView,
PlannedShare => zhixing_app::disposal::funds::PlannedShare,
DistributionPlan => zhixing_app::disposal::funds::DistributionPlan,
PayoutView => zhixing_app::disposal::funds::PayoutView,
PostingView => zhixing_app::disposal::funds::PostingView,
EntryView => zhixing_app::disposal::funds::EntryView,
Payable => zhixing_app::disposal::funds::Payable,
AccountView => zhixing_app::disposal::funds::AccountView,
ValuationView => zhixing_app::disposal::valuation::ValuationView,
Unusable => zhixing_app::disposal::valuation::Unusable,
ObjectionView => zhixing_app::disposal::valuation::ObjectionView,
HistoryEntry => zhixing_app::disposal::valuation::HistoryEntry,
PublicEntry => zhixing_app::disposal::auction::PublicEntry,
BidView => zhixing_app::disposal::auction::BidView,
AuctionView => zhixing_app::disposal::auction::AuctionView,
BidderCredential => zhixing_app::disposal::auction::BidderCredential,
RegistrationView => zhixing_app::disposal::auction::RegistrationView,
BidAnswer => zhixing_app::disposal::auction::BidAnswer,
AccessCode => zhixing_app::portal::AccessCode,
PublicStep => zhixing_app::portal::PublicStep,
PublicParty => zhixing_app::portal::PublicParty,
PublicDeadline => zhixing_app::portal::PublicDeadline,
PublicMeasure => zhixing_app::portal::PublicMeasure,
PublicPayment => zhixing_app::portal::PublicPayment,
PartyCaseView => zhixing_app::portal::PartyCaseView,
Announcement => zhixing_app::portal::Announcement,
PublishedRespondent => zhixing_app::portal::PublishedRespondent,
TerminatedCase => zhixing_app::portal::TerminatedCase,
RecordingView => zhixing_app::oversight::recordings::RecordingView,
NoteView => zhixing_app::oversight::supervision::NoteView,
SupervisionView => zhixing_app::oversight::supervision::SupervisionView,
DocumentView => zhixing_app::oversight::entrusted::DocumentView,
TaskView => zhixing_app::oversight::entrusted::TaskView,
ComplaintView => zhixing_app::oversight::complaints::ComplaintView,}

/// Puts each view's JSON Schema into the document's components: its own definitions
/// (`$defs`) become components too, and references to them point there.
fn with_view_schemas(mut doc: Value) -> Value {
    fn repoint(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get_mut("$ref")
                    && let Some(name) = r.strip_prefix("#/$defs/")
                {
                    *r = format!("#/components/schemas/{name}");
                }
                for x in m.values_mut() {
                    repoint(x);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(repoint),
            _ => {}
        }
    }
    let mut add: Vec<(String, Value)> = Vec::new();
    for (name, schema) in view_schemas() {
        let mut v = schema.to_value();
        if let Value::Object(m) = &mut v {
            m.remove("$schema");
            if let Some(Value::Object(defs)) = m.remove("$defs") {
                add.extend(defs);
            }
        }
        add.push((name.to_owned(), v));
    }
    let Some(root) = doc.as_object_mut() else {
        return doc;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(c) = components {
        let schemas = c
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(s) = schemas {
            for (name, mut v) in add {
                repoint(&mut v);
                s.insert(name, v);
            }
        }
    }
    doc
}

/// The whole description, built once.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
        with_view_schemas(doc)
    })
}

pub async fn serve() -> Response {
    match serde_json::to_string(document()) {
        Ok(s) => ([(axum::http::header::CONTENT_TYPE, "application/json")], s).into_response(),
        Err(e) => crate::error::ApiError::from(zhixing_app::AppError::internal(format_args!(
            "the OpenAPI document: {e}"
        )))
        .into_response(),
    }
}
