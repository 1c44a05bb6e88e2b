//! 旧系统适配 — the legacy adapter. Older local case-handling systems send investigation requests
//! (查控请求) as XML with pinyin-initial element names; this module turns one such request into
//! the same service call the JSON API makes, and writes the answers back as XML. The core never
//! sees XML: nothing in `service/` or the domain knows this module exists.
//!
//! The format (version 1.0, UTF-8 only; `docs/exchange-protocol.md`, appendix "Legacy XML
//! adapter"):
//!
//! ```xml
//! <CKQQ version="1.0"><AH>(2026)京0105执1号</AH><QQLX>CX</QQLX></CKQQ>
//! <CKHZ version="1.0"><ZT>SL</ZT><DCID>7</DCID><XXS>48</XXS></CKHZ>
//! <CKHZ version="1.0"><ZT>CW</ZT><DM>case_closed</DM><XX>the case is closed</XX></CKHZ>
//! <CKZT version="1.0"><DCID>7</DCID><AH>…</AH><QQSJ>…</QQSJ><XXS>48</XXS><YHF>40</YHF>
//!   <DDF>8</DDF><SB>0</SB><JGLB><JG><JGID>bank-01</JGID><ZT>YHF</ZT><XXS>2</XXS><YHF>2</YHF></JG>…</JGLB></CKZT>
//! ```

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde::{Deserialize, Serialize};
use zhixing_domain::case_number::CaseNumber;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use super::Ctx;
use crate::error::{ApiError, Path};
use zhixing_app::control::investigation as inv;
use zhixing_app::control::query;
use zhixing_app::state::App;

/// The one version of the format this adapter speaks.
pub const VERSION: &str = "1.0";

/// A request is a few hundred bytes; anything near this is not one.
pub const MAX_BODY: usize = 16 * 1024;

const CONTENT_TYPE: &str = "application/xml";

/// `<CKQQ>` 查控请求: an investigation request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    #[serde(rename = "@version")]
    version: String,
    /// 案号
    #[serde(rename = "AH")]
    case_number: String,
    /// 请求类型
    #[serde(rename = "QQLX")]
    kind: String,
}

/// `<CKHZ>` 查控回执 when accepted (受理).
#[derive(Serialize)]
#[serde(rename = "CKHZ")]
struct Accepted {
    #[serde(rename = "@version")]
    version: &'static str,
    #[serde(rename = "ZT")]
    status: &'static str,
    /// 调查 id
    #[serde(rename = "DCID")]
    investigation: i64,
    /// 消息数
    #[serde(rename = "XXS")]
    messages: usize,
}

/// `<CKHZ>` when refused (错误), with the code and message the JSON API would give.
#[derive(Serialize)]
#[serde(rename = "CKHZ")]
struct Refused {
    #[serde(rename = "@version")]
    version: &'static str,
    #[serde(rename = "ZT")]
    status: &'static str,
    /// 代码
    #[serde(rename = "DM")]
    code: String,
    /// 信息
    #[serde(rename = "XX")]
    message: String,
    /// 明细: each problem, when there are several.
    #[serde(rename = "MX", skip_serializing_if = "Vec::is_empty")]
    details: Vec<String>,
}

/// `<CKZT>` 查控状态.
#[derive(Serialize)]
#[serde(rename = "CKZT")]
struct StatusDoc {
    #[serde(rename = "@version")]
    version: &'static str,
    #[serde(rename = "DCID")]
    investigation: i64,
    #[serde(rename = "AH")]
    case_number: String,
    /// 请求时间 (RFC 3339 UTC)
    #[serde(rename = "QQSJ")]
    requested_at: String,
    #[serde(rename = "XXS")]
    messages: i64,
    /// 已回复
    #[serde(rename = "YHF")]
    replied: usize,
    /// 待答复
    #[serde(rename = "DDF")]
    pending: usize,
    /// 失败
    #[serde(rename = "SB")]
    failed: usize,
    /// 机构列表
    #[serde(rename = "JGLB")]
    institutions: InstitutionList,
}

#[derive(Serialize)]
struct InstitutionList {
    #[serde(rename = "JG")]
    items: Vec<InstitutionStatus>,
}

/// `<JG>` one institution of an investigation: its queries (one per respondent) taken together.
#[derive(Serialize)]
struct InstitutionStatus {
    /// 机构 id
    #[serde(rename = "JGID")]
    id: String,
    /// YHF every query answered, SB one given up, DDF otherwise.
    #[serde(rename = "ZT")]
    status: &'static str,
    #[serde(rename = "XXS")]
    messages: usize,
    #[serde(rename = "YHF")]
    replied: usize,
    /// 错误: the last delivery error, while there is one to show.
    #[serde(rename = "CW", skip_serializing_if = "Option::is_none")]
    last_error: Option<String>,
}

/// An [`ApiError`] answered as an XML `<CKHZ>` with the same status and code.
#[derive(Debug)]
pub struct XmlError(pub ApiError);

impl From<ApiError> for XmlError {
    fn from(e: ApiError) -> Self {
        XmlError(e)
    }
}

impl From<zhixing_app::AppError> for XmlError {
    fn from(e: zhixing_app::AppError) -> Self {
        XmlError(e.into())
    }
}

impl IntoResponse for XmlError {
    fn into_response(self) -> Response {
        let e = self.0;
        if e.status.is_client_error() {
            // The local system's integrators read these logs; the body is never logged.
            tracing::info!(code = e.code, detail = %e.message, "legacy request refused");
        }
        let doc = Refused {
            version: VERSION,
            status: "CW",
            code: e.code.to_owned(),
            message: e.message,
            details: e.details,
        };
        let mut resp = xml(e.status, &doc);
        if let Some(s) = e.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

/// Writes a document with its declaration; a document that cannot be written is an internal
/// error, still answered in XML.
fn xml<T: Serialize>(status: StatusCode, doc: &T) -> Response {
    let (status, body) = match quick_xml::se::to_string(doc) {
        Ok(s) => (status, s),
        Err(e) => {
            tracing::error!(error = %e, "legacy answer not serialisable");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "<CKHZ version=\"1.0\"><ZT>CW</ZT><DM>internal</DM><XX>an internal error occurred; it has been logged</XX></CKHZ>".to_owned(),
            )
        }
    };
    let mut resp = (
        status,
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}"),
    )
        .into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    resp
}

fn malformed(message: impl Into<String>) -> ApiError {
    ApiError::bad_request("malformed_xml", message)
}

fn unsupported_encoding(found: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_encoding",
        format!("only UTF-8 is accepted, not {found:?}"),
    )
}

/// Refuses a body that is not XML sent as such, in UTF-8.
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut parts = value.split(';').map(str::trim);
    let mime = parts.next().unwrap_or("").to_ascii_lowercase();
    if mime != "application/xml" && mime != "text/xml" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as XML with Content-Type: application/xml",
        ));
    }
    for p in parts {
        if let Some((k, v)) = p.split_once('=')
            && k.trim().eq_ignore_ascii_case("charset")
        {
            let v = v.trim().trim_matches('"');
            if !is_utf8_label(v) {
                return Err(unsupported_encoding(v));
            }
        }
    }
    Ok(())
}

fn is_utf8_label(label: &str) -> bool {
    label.eq_ignore_ascii_case("utf-8") || label.eq_ignore_ascii_case("utf8")
}

/// Reads the document's structure with quick-xml before any of it is deserialised: refuses a
/// DOCTYPE (so no entity is ever declared, let alone expanded), an encoding other than UTF-8,
/// and anything but exactly one `<CKQQ>` root. Serde ignores the root's name and would take
/// `<ANYTHING>` as a request; this does not.
fn check_structure(text: &str) -> Result<(), ApiError> {
    let mut reader = Reader::from_str(text);
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(format!("not well-formed XML: {e}")))?;
        let root_name = match &event {
            Event::Eof => break,
            Event::DocType(_) => {
                return Err(ApiError::bad_request(
                    "doctype_refused",
                    "a DOCTYPE is not accepted: the format declares no entities",
                ));
            }
            Event::Decl(d) => {
                if let Some(enc) = d.encoding() {
                    let enc = enc.map_err(|e| malformed(format!("bad XML declaration: {e}")))?;
                    if !is_utf8_label(&enc) {
                        return Err(unsupported_encoding(&enc));
                    }
                }
                None
            }
            Event::Start(s) | Event::Empty(s) if depth == 0 => Some(s.name().as_ref().to_owned()),
            Event::Text(t) if depth == 0 && !t.trim().is_empty() => {
                return Err(malformed("text outside the root element"));
            }
            Event::GeneralRef(_) | Event::CData(_) if depth == 0 => {
                return Err(malformed("content outside the root element"));
            }
            _ => None,
        };
        if let Some(name) = root_name {
            roots += 1;
            if roots > 1 {
                return Err(malformed("more than one root element"));
            }
            if name != "CKQQ" {
                return Err(invalid_body(
                    Reason::new("legacy_root_element").with("name", name.as_str()),
                ));
            }
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if depth != 0 {
        return Err(malformed("the document ends inside an element"));
    }
    if roots == 0 {
        return Err(malformed("no root element"));
    }
    Ok(())
}

/// Parses a request body into the case number it names. Every refusal is a 4xx.
fn parse_request(body: &[u8]) -> Result<CaseNumber, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| malformed("the body is not valid UTF-8"))?;
    // Windows-born systems often start with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_structure(text)?;
    let req: Request = quick_xml::de::from_str(text).map_err(|e| {
        invalid_body(Reason::new("legacy_request_unreadable").with("detail", e.to_string()))
    })?;
    if req.version.trim() != VERSION {
        return Err(Refusal::invalid("unsupported_version")
            .with("version", req.version.trim())
            .with("supported", VERSION)
            .into());
    }
    let kind = req.kind.trim();
    if kind != "CX" {
        return Err(Refusal::invalid("unsupported_request_type")
            .with("kind", kind)
            .into());
    }
    CaseNumber::parse(&req.case_number).map_err(|e| {
        Refusal::of_reasons(
            "invalid_case_number",
            RefusalKind::Invalid,
            vec![
                Reason::new("legacy_case_number_invalid")
                    .with("number", req.case_number.as_str())
                    .with("detail", e.to_string()),
            ],
        )
        .into()
    })
}

/// A body that is not an investigation request (<CKQQ>), with what is wrong with it.
fn invalid_body(reason: Reason) -> ApiError {
    Refusal::of_reasons("invalid_body", RefusalKind::Invalid, vec![reason]).into()
}

fn case_not_found(number: &CaseNumber) -> ApiError {
    ApiError::not_found("case_not_found", format!("no case {number}"))
}

/// Starts an online investigation from a legacy XML request (查控请求), through the same service
/// call and authorization as `POST /api/v1/cases/{id}/investigations`.
#[utoipa::path(post, path = "/api/v1/legacy/investigation-requests",
    request_body(content = String, content_type = "application/xml", description = "<CKQQ version=\"1.0\"><AH>案号</AH><QQLX>CX</QQLX></CKQQ>"),
    responses(
        (status = 201, description = "<CKHZ><ZT>SL</ZT>…", body = String, content_type = "application/xml"),
        (status = "4XX", description = "<CKHZ><ZT>CW</ZT><DM>code</DM><XX>message</XX></CKHZ>", body = String, content_type = "application/xml"),
    ))]
pub async fn start(
    State(app): State<App>,
    ctx: Result<Ctx, ApiError>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, XmlError> {
    let ctx = ctx?;
    check_content_type(&headers)?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("a request is at most {MAX_BODY} bytes"),
            )
        } else {
            ApiError::bad_request("bad_body", e.body_text())
        }
    })?;
    let number = parse_request(&body)?;
    let case_id = query::case_by_number(&app, &number.to_string())
        .await?
        .ok_or_else(|| case_not_found(&number))?;
    // The service answers a case the caller may not read with its internal id; the caller
    // named it by number, and must not learn that the number exists.
    let (id, messages) = inv::start(&app, &ctx.principal, case_id, None)
        .await
        .map_err(|e| {
            // The only thing a start finds missing is the case.
            if e.is_not_found() {
                case_not_found(&number)
            } else {
                e.into()
            }
        })?;
    let mut resp = xml(
        StatusCode::CREATED,
        &Accepted {
            version: VERSION,
            status: "SL",
            investigation: id,
            messages,
        },
    );
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/legacy/investigation-requests/{id}")) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// The status of an investigation as XML (查控状态), per institution; same reads and
/// authorization as `GET /api/v1/cases/{id}/investigations/{inv}`.
#[utoipa::path(get, path = "/api/v1/legacy/investigation-requests/{id}", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "<CKZT>…</CKZT>", body = String, content_type = "application/xml"),
        (status = "4XX", description = "<CKHZ><ZT>CW</ZT>…</CKHZ>", body = String, content_type = "application/xml"),
    ))]
pub async fn show(
    State(app): State<App>,
    ctx: Result<Ctx, ApiError>,
    id: Result<Path<i64>, ApiError>,
) -> Result<Response, XmlError> {
    let ctx = ctx?;
    let Path(id) = id?;
    // One answer for "none" and "not yours", as the JSON API gives for a case.
    let (case, p) = query::progress_by_id(&app, &ctx.principal, id).await?;
    let out = super::investigation::out_of(p)?;
    let mut by_institution: BTreeMap<String, InstitutionStatus> = BTreeMap::new();
    for m in &out.institutions {
        let entry = by_institution
            .entry(m.institution_id.clone())
            .or_insert_with(|| InstitutionStatus {
                id: m.institution_id.clone(),
                status: "YHF",
                messages: 0,
                replied: 0,
                last_error: None,
            });
        entry.messages += 1;
        match m.status.as_str() {
            "replied" => entry.replied += 1,
            "failed" => entry.status = "SB",
            _ if entry.status != "SB" => entry.status = "DDF",
            _ => {}
        }
        if m.status != "replied" && m.last_error.is_some() {
            entry.last_error.clone_from(&m.last_error);
        }
    }
    Ok(xml(
        StatusCode::OK,
        &StatusDoc {
            version: VERSION,
            investigation: out.id,
            case_number: case.number,
            requested_at: out.requested_at,
            messages: out.messages,
            replied: out.replied,
            pending: out.pending,
            failed: out.failed,
            institutions: InstitutionList {
                items: by_institution.into_values().collect(),
            },
        },
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn code(body: &str) -> (StatusCode, &'static str) {
        let e = parse_request(body.as_bytes()).unwrap_err();
        (e.status, e.code)
    }

    #[test]
    fn a_request_is_read() {
        let n = parse_request(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CKQQ version=\"1.0\">\n  <AH>（2026）京0105执123号</AH>\n  <QQLX> CX </QQLX>\n</CKQQ>\n"
                .as_bytes(),
        )
        .unwrap(); // allow-panic: test code
        assert_eq!(n.to_string(), "(2026)京0105执123号");
        let bom = "\u{feff}<CKQQ version=\"1.0\"><QQLX>CX</QQLX><AH><![CDATA[(2026)京0105执1号]]></AH></CKQQ>";
        assert_eq!(
            parse_request(bom.as_bytes()).unwrap().to_string(), // allow-panic: test code
            "(2026)京0105执1号"
        );
    }

    #[test]
    fn every_bad_request_is_a_clear_4xx() {
        let ok_inner = "<AH>(2026)京0105执1号</AH><QQLX>CX</QQLX>";
        let cases: Vec<(String, StatusCode, &str)> = vec![
            ("".into(), StatusCode::BAD_REQUEST, "malformed_xml"),
            ("   ".into(), StatusCode::BAD_REQUEST, "malformed_xml"),
            ("not xml".into(), StatusCode::BAD_REQUEST, "malformed_xml"),
            (
                format!("<CKQQ version=\"1.0\">{ok_inner}"),
                StatusCode::BAD_REQUEST,
                "malformed_xml",
            ),
            (
                format!("<CKQQ version=\"1.0\">{ok_inner}</CKQX>"),
                StatusCode::BAD_REQUEST,
                "malformed_xml",
            ),
            (
                format!("<CKQQ version=\"1.0\">{ok_inner}</CKQQ><CKQQ/>"),
                StatusCode::BAD_REQUEST,
                "malformed_xml",
            ),
            (
                format!("<CKQQ version=\"1.0\">{ok_inner}</CKQQ>junk"),
                StatusCode::BAD_REQUEST,
                "malformed_xml",
            ),
            (
                "<CKQQ version=\"1.0\"><AH>a &amp b</AH><QQLX>CX</QQLX></CKQQ>".into(),
                StatusCode::BAD_REQUEST,
                "malformed_xml",
            ),
            (
                "<!DOCTYPE CKQQ [<!ENTITY x \"(2026)京0105执1号\">]><CKQQ version=\"1.0\"><AH>&x;</AH><QQLX>CX</QQLX></CKQQ>".into(),
                StatusCode::BAD_REQUEST,
                "doctype_refused",
            ),
            (
                format!(
                    "<!DOCTYPE CKQQ SYSTEM \"file:///etc/passwd\"><CKQQ version=\"1.0\">{ok_inner}</CKQQ>"
                ),
                StatusCode::BAD_REQUEST,
                "doctype_refused",
            ),
            (
                "<CKQQ version=\"1.0\"><AH>&lol;</AH><QQLX>CX</QQLX></CKQQ>".into(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                format!(
                    "<?xml version=\"1.0\" encoding=\"GBK\"?><CKQQ version=\"1.0\">{ok_inner}</CKQQ>"
                ),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_encoding",
            ),
            (
                format!("<CKQQ>{ok_inner}</CKQQ>"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                format!("<CKQQ version=\"2.0\">{ok_inner}</CKQQ>"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "unsupported_version",
            ),
            (
                format!("<CKQQ version=\"1.0\" xmlns=\"urn:x\">{ok_inner}</CKQQ>"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                format!("<QQ version=\"1.0\">{ok_inner}</QQ>"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                "<CKQQ version=\"1.0\"><QQLX>CX</QQLX></CKQQ>".into(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                "<CKQQ version=\"1.0\"/>".into(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                format!("<CKQQ version=\"1.0\">{ok_inner}<BZ>备注</BZ></CKQQ>"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                format!("<CKQQ version=\"1.0\">{ok_inner}<AH>(2026)京0105执2号</AH></CKQQ>"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                format!("<CKQQ version=\"1.0\">text{ok_inner}</CKQQ>"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                "<CKQQ version=\"1.0\"><AH><X/></AH><QQLX>CX</QQLX></CKQQ>".into(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
            ),
            (
                "<CKQQ version=\"1.0\"><AH>(2026)京0105执1号</AH><QQLX>KZ</QQLX></CKQQ>".into(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "unsupported_request_type",
            ),
            (
                "<CKQQ version=\"1.0\"><AH>123</AH><QQLX>CX</QQLX></CKQQ>".into(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_case_number",
            ),
        ];
        for (body, status, want) in cases {
            assert_eq!(code(&body), (status, want), "{body}");
        }
        let e = parse_request(&[0x3c, 0xff, 0xfe, 0x3e]).unwrap_err();
        assert_eq!(e.code, "malformed_xml");
        let deep = format!("<CKQQ version=\"1.0\">{}", "<A>".repeat(5000));
        assert_eq!(code(&deep).1, "malformed_xml");
    }

    #[test]
    fn answers_are_xml_with_escaped_text() {
        let r = Refused {
            version: VERSION,
            status: "CW",
            code: "x".into(),
            message: "<b>&\"".into(),
            details: vec![],
        };
        let s = quick_xml::se::to_string(&r).unwrap(); // allow-panic: test code
        assert_eq!(
            s,
            "<CKHZ version=\"1.0\"><ZT>CW</ZT><DM>x</DM><XX>&lt;b&gt;&amp;\"</XX></CKHZ>"
        );
        let doc = StatusDoc {
            version: VERSION,
            investigation: 1,
            case_number: "(2026)京0105执1号".into(),
            requested_at: "t".into(),
            messages: 2,
            replied: 1,
            pending: 1,
            failed: 0,
            institutions: InstitutionList {
                items: vec![
                    InstitutionStatus {
                        id: "a".into(),
                        status: "YHF",
                        messages: 1,
                        replied: 1,
                        last_error: None,
                    },
                    InstitutionStatus {
                        id: "b".into(),
                        status: "DDF",
                        messages: 1,
                        replied: 0,
                        last_error: Some("503".into()),
                    },
                ],
            },
        };
        assert_eq!(
            quick_xml::se::to_string(&doc).unwrap(), // allow-panic: test code
            "<CKZT version=\"1.0\"><DCID>1</DCID><AH>(2026)京0105执1号</AH><QQSJ>t</QQSJ><XXS>2</XXS><YHF>1</YHF><DDF>1</DDF><SB>0</SB><JGLB><JG><JGID>a</JGID><ZT>YHF</ZT><XXS>1</XXS><YHF>1</YHF></JG><JG><JGID>b</JGID><ZT>DDF</ZT><XXS>1</XXS><YHF>0</YHF><CW>503</CW></JG></JGLB></CKZT>"
        );
    }
}
