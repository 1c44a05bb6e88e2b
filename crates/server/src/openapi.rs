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
        api::users::list, api::users::create, api::users::disable, api::users::enable,
        api::users::password_reset, api::users::set_roles, api::users::set_identity, api::users::change_password,
        api::rules::list, api::rules::versions, api::rules::in_force, api::rules::add,
        api::rules::proposals, api::rules::decide, api::rules::calendars, api::rules::propose_calendar,
        api::audit::verify, api::audit::events, api::clock::show, api::clock::advance,
        api::cases::file, api::cases::list, api::cases::show, api::cases::timeline, api::cases::assign,
        api::cases::action, api::cases::clue, api::cases::verify_clue, api::cases::payment, api::cases::security, api::cases::suspend,
        api::cases::end_suspension, api::cases::extension, api::cases::decide_extension, api::cases::checklist, api::cases::close,
        api::cases::decide, api::investigation::list, api::investigation::register, api::investigation::start,
        api::investigation::show, api::investigation::assets, api::cases::resume, api::cases::identifier, api::cases::related_cases, api::cases::related_parties, api::cases::document,
        api::measures::request, api::measures::of_case, api::measures::show, api::measures::renewal, api::measures::release,
        api::alerts::list, api::alerts::summary, api::measures::of_case_alerts,
        api::indicators::summary, api::indicators::trend, api::indicators::ranking,
        api::legacy::start, api::legacy::show,
        api::filing_drafts::draft,
        api::funds::account, api::funds::receipt, api::funds::propose, api::funds::decide, api::funds::paid,
        api::funds::distribution,
        api::field::record, api::field::list, api::field::attachment,
        api::service::record, api::service::failure, api::service::list, api::service::proof,
        api::service::consent, api::service::open,
        api::complaints::register, api::complaints::of_case, api::complaints::list, api::complaints::show,
        api::complaints::resolve, api::recordings::upload_to_case, api::recordings::upload_to_complaint,
        api::recordings::of_case, api::recordings::show, api::recordings::content,
        api::credit::of_case, api::credit::list, api::credit::extend, api::credit::remove, api::credit::correction,
        api::credit::correction_decision, api::credit::order, api::credit::lift, api::credit::warn,
        api::public::party_access, api::public::party_clue, api::public::party_complaint, api::public::party_receipt,
        api::public::announcements, api::public::terminated, api::public::dishonest, api::public::restricted,
        api::auction::announce, api::auction::of_case, api::auction::deposit, api::auction::preemptive_holder,
        api::auction::balance, api::auction::default, api::auction::bid, api::auction::public_list,
        api::auction::public_show, api::auction::register, api::auction::registration, api::auction::events,
        api::auction::attach_files, api::auction::files, api::auction::file,
        api::public::announce, api::public::access_code,
        api::sharing::create, api::sharing::list, api::sharing::show, api::sharing::approve,
        api::sharing::issue_key, api::sharing::revoke, api::sharing::feed,
        api::valuation::start, api::valuation::of_asset, api::valuation::show, api::valuation::move_on,
        api::valuation::agreement, api::valuation::targeted_answer, api::valuation::enquiry,
        api::valuation::platform_answer, api::valuation::conclusion, api::valuation::appraisal,
        api::valuation::appraisal_report, api::valuation::objection, api::valuation::ruling,
        api::supervision::issue, api::supervision::list, api::supervision::show, api::supervision::reply,
        api::supervision::close, api::supervision::send_back,
        api::reviews::file, api::reviews::of_case, api::reviews::show, api::reviews::rule,
        api::reviews::extend, api::reviews::security, api::reviews::suspension, api::reviews::suit,
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
            // What the server sends: fields it leaves out when empty are not required.
            let settings = schemars::generate::SchemaSettings::draft2020_12().for_serialize();
            vec![$((stringify!($name), settings.clone().into_generator().into_root_schema_for::<$ty>())),*]
        }
    };
}

documented_views! {
ClockView => zhixing_app::platform::clock::ClockView,
Advanced => zhixing_app::platform::clock::Advanced,
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
RelatedCases => zhixing_app::case::debtor::RelatedCases,
Web => zhixing_app::case::web::Web,
ClosureEffects => zhixing_app::case::query::ClosureEffects,
AttachmentView => zhixing_app::control::field::AttachmentView,
FieldInvestigationView => zhixing_app::control::field::FieldInvestigationView,
Recorded => zhixing_app::control::field::Recorded,
ServiceDone => zhixing_app::case::service::ServiceDone,
DocumentService => zhixing_app::case::service::DocumentService,
RecipientService => zhixing_app::case::service::RecipientService,
PublicConsent => zhixing_app::portal::PublicConsent,
PublicDocument => zhixing_app::portal::PublicDocument,
PartyDocument => zhixing_app::portal::PartyDocument,
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
AuctionFileView => zhixing_app::disposal::auction_files::AuctionFileView,
AccessCode => zhixing_app::portal::AccessCode,
PublicStep => zhixing_app::portal::PublicStep,
PublicParty => zhixing_app::portal::PublicParty,
PublicDeadline => zhixing_app::portal::PublicDeadline,
PublicMeasure => zhixing_app::portal::PublicMeasure,
PublicPayment => zhixing_app::portal::PublicPayment,
PartyCaseView => zhixing_app::portal::PartyCaseView,
PublicReview => zhixing_app::portal::PublicReview,
HowToPay => zhixing_app::portal::HowToPay,
PaymentAccount => zhixing_app::disposal::funds::PaymentAccount,
SubmissionView => zhixing_app::portal::SubmissionView,
Announcement => zhixing_app::portal::Announcement,
PublishedRespondent => zhixing_app::portal::PublishedRespondent,
TerminatedCase => zhixing_app::portal::TerminatedCase,
RecordingView => zhixing_app::oversight::recordings::RecordingView,
NoteView => zhixing_app::oversight::supervision::NoteView,
SupervisionView => zhixing_app::oversight::supervision::SupervisionView,
ReviewView => zhixing_app::review::ReviewView,
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

/// The error answers, by status: when an operation can give each, and the codes it carries
/// (routes add their own codes to 400, 404, 409 and 422; refusals carry the rule's `code`).
const ERROR_ANSWERS: &[(u16, &str)] = &[
    (
        400,
        "The request could not be read: `malformed_json`, `bad_body`, `invalid_query`, `invalid_path`, `invalid_cursor`, `invalid_limit`, or the route's own code.",
    ),
    (
        401,
        "No valid session: `unauthenticated` (send a bearer token from `POST /api/v1/session`).",
    ),
    (
        403,
        "The caller may not do this: `forbidden`, or the route's own code.",
    ),
    (
        404,
        "No such thing, or not one the caller may see: the route's own code (`case_not_found`, `court_not_found`, `asset_not_found`, …).",
    ),
    (
        409,
        "Not now, in this state: a refusal's `code` (with its `params`), or `version_conflict`.",
    ),
    (413, "The body is over the size limit: `body_too_large`."),
    (
        415,
        "The body is not of the content type the route reads: `unsupported_media_type`.",
    ),
    (
        416,
        "The byte range is outside the content: `range_not_satisfiable` (with `Content-Range: bytes */LEN`).",
    ),
    (
        422,
        "The input is not acceptable: `invalid_body`, or a refusal's `code` with its `params` and `reasons`.",
    ),
    (
        500,
        "A fault on the server's side, logged there: `internal`.",
    ),
    (
        429,
        "Too many requests: `rate_limited` (per address, on the public routes), `access_locked` (party access), or the sign-in throttle's code; wait `Retry-After` seconds.",
    ),
];

/// Gives every operation the error answers it can give, as `application/problem+json` with the
/// `Problem` schema: what an operation reads (path, query, body) and how it is reached (public
/// and rate limited, or with a session) decide which. An operation that documents its errors
/// in another form (the legacy XML routes: `4XX`) keeps its own.
fn with_error_answers(mut doc: Value) -> Value {
    let top_security = doc.get("security").cloned();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return doc;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            name_by_area(op);
            let security = op.get("security").or(top_security.as_ref());
            // `security: [{}]`: no credentials needed.
            let public = security
                .and_then(Value::as_array)
                .is_none_or(|a| a.iter().any(|s| s.as_object().is_some_and(Map::is_empty)));
            let params = op.get("parameters").and_then(Value::as_array);
            let reads_path = path.contains('{');
            let reads_query = params.is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
            let body_types: Vec<String> = op
                .get("requestBody")
                .and_then(|b| b.get("content"))
                .and_then(Value::as_object)
                .map(|c| c.keys().cloned().collect())
                .unwrap_or_default();
            let reads_body = !body_types.is_empty();
            let writes = matches!(method.as_str(), "post" | "put" | "patch" | "delete");
            let rate_limited =
                path.starts_with("/public/") || (path == "/api/v1/session" && method == "post");
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            if responses.contains_key("4XX") {
                continue;
            }
            for &(status, words) in ERROR_ANSWERS {
                let gives = match status {
                    400 => reads_path || reads_query || reads_body,
                    401 | 403 => !public,
                    404 => reads_path || !public,
                    409 => writes,
                    413 | 415 => reads_body,
                    416 => false,
                    // Refusals of the rule book (`Invalid`) come on writes without a body too.
                    422 => reads_body || reads_query || writes,
                    429 => rate_limited,
                    500 => true,
                    _ => false,
                };
                let key = status.to_string();
                if gives || responses.contains_key(&key) {
                    responses.insert(key, problem_answer(words));
                }
            }
        }
    }
    doc
}

/// Request bodies are read with `#[serde(deny_unknown_fields)]` (and forms refuse unknown
/// parts): every object schema a request body reaches says `additionalProperties: false`.
fn closed_request_bodies(mut doc: Value) -> Value {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref")
                    && let Some(name) = r.strip_prefix("#/components/schemas/")
                {
                    out.push(name.to_owned());
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    fn close(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                    m.insert("additionalProperties".into(), Value::Bool(false));
                }
                for (k, x) in m.iter_mut() {
                    if k != "additionalProperties" {
                        close(x);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(close),
            _ => {}
        }
    }
    let mut pending = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut() {
                if let Some(body) = op.get_mut("requestBody") {
                    close(body);
                    refs(body, &mut pending);
                }
            }
        }
    }
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return doc;
    };
    let mut done = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        if let Some(s) = schemas.get_mut(&name) {
            close(s);
            refs(s, &mut pending);
        }
    }
    doc
}

/// Operation ids unique across the document, as OpenAPI requires (handlers in different
/// modules share names: `list`, `show`, …): `<area>_<handler>`, the area being the handler's
/// module (`api::cases` → `cases`), which is also the operation's tag.
fn name_by_area(op: &mut Map<String, Value>) {
    let area = op
        .get("tags")
        .and_then(|t| t.get(0))
        .and_then(Value::as_str)
        .map(|t| t.rsplit("::").next().unwrap_or(t).to_owned());
    let Some(area) = area else {
        return;
    };
    if let Some(Value::String(id)) = op.get_mut("operationId") {
        *id = format!("{area}_{id}");
    }
    op.insert("tags".into(), Value::Array(vec![Value::String(area)]));
}

fn problem_answer(description: &str) -> Value {
    serde_json::json!({
        "description": description,
        "content": {
            "application/problem+json": {
                "schema": { "$ref": "#/components/schemas/Problem" }
            }
        }
    })
}

/// The whole description, built once.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
        closed_request_bodies(with_error_answers(with_view_schemas(doc)))
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

/// The schemas of the API's vocabularies and identifiers, for `schema_with` in the handlers'
/// parameters and bodies: each list is read from the code that parses the value, so the
/// document cannot name a value the server refuses or miss one it takes.
pub mod vocab {
    use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
    use zhixing_domain::case;
    use zhixing_domain::case_number as number;

    use super::{RefOr, Schema};

    /// Types naming the schemas below, for `#[param(inline, value_type = …)]` (utoipa keeps
    /// a parameter's description and whether it is required only on that path).
    macro_rules! schema_types {
        ($($ty:ident => $f:ident),* $(,)?) => {
            $(
                pub struct $ty;
                impl utoipa::PartialSchema for $ty {
                    fn schema() -> RefOr<Schema> {
                        $f().into()
                    }
                }
                impl utoipa::ToSchema for $ty {
                    fn name() -> std::borrow::Cow<'static, str> {
                        std::borrow::Cow::Borrowed(stringify!($ty))
                    }
                }
            )*
        };
    }

    schema_types! {
    ActionKind => action_kind,
    AlertKind => alert_kind,
    CreditGround => credit_ground,
    EntrustedAct => entrusted_act,
    MeasureKind => measure_kind,
    CaseSort => case_sort,
    CaseStatus => case_status,
    CaseType => case_type,
    CaseTypeOrAll => case_type_or_all,
    ClosureMode => closure_mode,
    ComplaintStatus => complaint_status,
    CourtId => court_id,
    CourtLevel => court_level,
    CourtScope => court_scope,
    Date => date,
    DateTime => date_time,
    EntrustedDirection => entrusted_direction,
    Identifier => identifier,
    Indicator => indicator,
    Month => month,
    RecordingKind => recording_kind,
    RoleName => role_name,
    SearchName => search_name,
    SupervisionDirection => supervision_direction,
    }

    fn strings<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(
                values.into_iter().map(Into::into).collect::<Vec<String>>(),
            ))
            .build()
    }

    fn pattern(p: &str) -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(p))
            .build()
    }

    /// A role's name (`Role::parse`).
    pub fn role_name() -> Object {
        strings(zhixing_domain::access::Role::ALL.map(|r| r.as_str()))
    }
    /// A court's identifier (`spc`, `h11`, `b110105`): `CourtId::parse`.
    pub fn court_id() -> Object {
        pattern("^[a-z0-9-]{1,32}$")
    }
    /// A month, `YYYY-MM`.
    pub fn month() -> Object {
        pattern("^[1-9][0-9]{3}-(0[1-9]|1[0-2])$")
    }
    /// A calendar date, `YYYY-MM-DD`.
    pub fn date() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .build()
    }
    /// An instant, RFC 3339 with its offset.
    pub fn date_time() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::DateTime,
            )))
            .build()
    }
    /// `self` (the court's own) or `subtree` (with every court below it).
    pub fn court_scope() -> Object {
        strings(["self", "subtree"])
    }
    pub fn court_level() -> Object {
        strings(["supreme", "high", "intermediate", "basic"])
    }
    pub fn alert_kind() -> Object {
        strings(zhixing_app::command_centre::alerts::KINDS)
    }
    /// A case type's code (执, 执恢, 执保, …), or empty for all.
    pub fn case_type_or_all() -> Object {
        strings(std::iter::once("").chain(number::CaseType::ALL.map(number::CaseType::code)))
    }
    pub fn case_type() -> Object {
        strings(number::CaseType::ALL.map(number::CaseType::code))
    }
    pub fn case_status() -> Object {
        strings(
            ["open", "suspended", "pending_closure", "closed"]
                .into_iter()
                .filter(|s| case::CaseStatus::parse(s).is_some()),
        )
    }
    pub fn closure_mode() -> Object {
        strings(case::ClosureMode::ALL.map(case::ClosureMode::as_str))
    }
    pub fn action_kind() -> Object {
        strings(case::ActionKind::ALL.map(case::ActionKind::as_str))
    }
    /// A name to search the published lists with: something besides spaces, at most
    /// `MAX_NAME_CHARS` characters.
    pub fn search_name() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(zhixing_app::credit::publication::MAX_NAME_CHARS))
            .pattern(Some(r"\S"))
            .build()
    }
    /// A resident ID number or a unified social credit code: 18 characters (the check
    /// character is not something a schema can say).
    pub fn identifier() -> Object {
        pattern(r"^\s*[0-9A-Za-z]{18}\s*$")
    }
    pub fn case_sort() -> Object {
        strings(["due", "filed", "amount", "amount_asc"])
    }
    pub fn entrusted_direction() -> Object {
        strings(["received", "sent"])
    }
    pub fn supervision_direction() -> Object {
        strings(["issued", "received"])
    }
    pub fn complaint_status() -> Object {
        strings(zhixing_domain::complaint::Status::ALL.map(|s| s.as_str()))
    }
    pub fn recording_kind() -> Object {
        strings(zhixing_domain::recording::Kind::ALL.map(|s| s.as_str()))
    }
    pub fn entrusted_act() -> Object {
        strings(zhixing_domain::entrusted::EntrustedAct::ALL.map(|s| s.as_str()))
    }
    /// The grounds of a listing, by their number in the rule (1–6).
    pub fn credit_ground() -> Object {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .enum_values(Some(zhixing_domain::credit::Ground::ALL.map(|g| g.no())))
            .build()
    }
    pub fn measure_kind() -> Object {
        strings(zhixing_domain::measure::MeasureKind::ALL.map(|s| s.as_str()))
    }

    /// The indicators one can rank by: the keys `indicators::compute` gives.
    pub fn indicator() -> Object {
        strings(zhixing_domain::indicators::keys())
    }
}
