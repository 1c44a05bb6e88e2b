//! The institutions page (协助执行机构, `/institutions`): the banks, registries and platforms on
//! the investigation-and-control network, which every signed-in user may read (as
//! `GET /api/v1/institutions`), and for an administrator the form that registers or updates
//! one — national ones (总对总) at the SPC, local ones (点对点) within the administrator's
//! region. The form builds the same command as `POST /api/v1/institutions`; a refusal comes
//! back beside it in the viewer's language, with what was typed kept.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use zhixing_app::control::institutions::{self as svc, InstitutionSpec, KINDS, MEASURES};
use zhixing_app::control::investigation::{self as inv, InvestigationCommand};
use zhixing_app::platform::courts;
use zhixing_app::state::App;
use zhixing_domain::access::Action;

use super::{PageError, Viewer, beijing_us, layout, page};
use crate::error::ApiError;

/// An institution's kind in words.
fn kind_zh(k: &str) -> &str {
    match k {
        "bank" => "银行",
        "securities" => "证券登记结算、证券公司",
        "real_estate_registry" => "不动产登记机构",
        "vehicle_administration" => "车辆管理所",
        "housing_fund" => "住房公积金管理中心",
        "social_insurance" => "社会保险经办机构",
        "tax" => "税务机关",
        "online_payment" => "网络支付机构",
        "internet_bank" => "互联网银行",
        "online_lending" => "网络借贷平台",
        "virtual_property" => "虚拟财产平台",
        "ip_office" => "知识产权管理机构",
        other => other,
    }
}

/// A measure an institution carries out, in words.
fn measure_zh(m: &str) -> &str {
    match m {
        "query" => "查询",
        "freeze" => "冻结",
        "seize" => "查封",
        "detain" => "扣押",
        "deduct" => "扣划",
        "renew" => "续行",
        "release" => "解除",
        other => other,
    }
}

fn measures_zh(list: &str) -> String {
    list.split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(measure_zh)
        .collect::<Vec<_>>()
        .join("、")
}

/// What the registration form held, kept when it is refused.
#[derive(Default)]
struct Typed {
    id: String,
    name: String,
    kind: String,
    measures: Vec<String>,
    channel: String,
    region: String,
    endpoint: String,
    public_key: String,
    concurrency: String,
}

async fn render(
    app: &App,
    v: &Viewer,
    refused: Option<(&str, &Typed)>,
) -> Result<maud::Markup, PageError> {
    let p = &v.principal;
    let list = svc::list(app).await?;
    let manages = p.may(Action::ManageInstitutions, &p.court_path);
    let court = courts::own(app, p).await?;
    let own_region =
        zhixing_app::platform::rules::region_of(&court.level, court.division_code.as_deref());
    // Only an administrator of the SPC registers national institutions: others are not
    // offered the choice.
    let national = own_region.is_empty();
    let blank = Typed {
        region: own_region.clone(),
        concurrency: "4".into(),
        ..Typed::default()
    };
    let typed = refused.map_or(&blank, |(_, t)| t);
    let body = html! {
        section.card #institutions {
            h1 { "协助执行机构（查控网络）" }
            @if list.is_empty() { p #no-institutions { "尚未登记协助执行机构。" } }
            @else {
                div.scroll { table #institution-list {
                    tr { th { "名称" } th { "标识" } th { "类别" } th { "承办的措施" } th { "接入方式" } th { "接口地址" } th { "并发数" } th { "状态" } th { "登记时间" } }
                    @for i in &list {
                        tr id=(format!("institution-{}", i.id)) data-institution=(i.id) {
                            td { (i.name) }
                            td { code.small { (i.id) } }
                            td { (kind_zh(&i.kind)) }
                            td.small { (measures_zh(&i.measures)) }
                            td { @if i.channel == "national" { "总对总" } @else { "点对点（地区 " (i.region) "）" } }
                            td.small { code { (i.endpoint) } }
                            td.num { (i.concurrency) }
                            td { (if i.active { "启用" } else { "停用" }) }
                            td.small { (beijing_us(i.created_at)) }
                        }
                    }
                } }
            }
        }
        @if manages {
            section.card #register-institution {
                h2 { "登记或更新协助执行机构" }
                p.small.muted {
                    @if national { "本院可登记总对总机构，以及任何地区的点对点机构。" }
                    @else { "本院可登记本地区的点对点机构（地区代码以 " (own_region) " 开头）；总对总机构由最高人民法院登记。" }
                    "标识已登记的，按本次填写的内容更新。"
                }
                @if let Some((w, _)) = refused { p.error.refusal role="alert" { (w) } }
                form #institution-form method="post" action="/institutions" {
                    (v.csrf)
                    label { "机构标识（英文字母、数字、“-”“.”“_”）" input name="id" required maxlength="64" value=(typed.id); }
                    label { "机构名称" input name="name" required maxlength="200" value=(typed.name); }
                    label { "类别" select name="kind" required {
                        @for k in KINDS { option value=(k) selected[typed.kind == k] { (kind_zh(k)) } }
                    } }
                    fieldset {
                        legend { "承办的措施" }
                        @for m in MEASURES {
                            label.check { input type="checkbox" name="measures" value=(m) checked[typed.measures.iter().any(|t| t == m)]; (measure_zh(m)) }
                        }
                    }
                    label { "接入方式" select name="channel" required {
                        option value="local" selected[typed.channel != "national"] { "点对点（本地区）" }
                        @if national { option value="national" selected[typed.channel == "national"] { "总对总（全国）" } }
                    } }
                    label { "地区代码（点对点机构填写，行政区划代码的前几位）" input name="region" inputmode="numeric" maxlength="12" value=(typed.region); }
                    label { "接口地址（http 或 https）" input type="url" name="endpoint" required value=(typed.endpoint); }
                    label { "公钥（Ed25519，base64 编码）" textarea name="public_key" required rows="2" { (typed.public_key) } }
                    label { "并发数" input type="number" name="concurrency" required min="1" value=(typed.concurrency); }
                    button type="submit" { "登记" }
                }
            }
        }
    };
    Ok(layout(v.lang, "协助执行机构", Some(v), body))
}

pub async fn show(State(app): State<App>, v: Viewer) -> Result<Response, PageError> {
    Ok(page(StatusCode::OK, render(&app, &v, None).await?))
}

fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Registers or updates an institution, as `POST /api/v1/institutions` does.
pub async fn register(
    State(app): State<App>,
    v: Viewer,
    axum::Form(f): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let typed = Typed {
        id: field(&f, "id").trim().to_owned(),
        name: field(&f, "name").to_owned(),
        kind: field(&f, "kind").to_owned(),
        measures: f
            .iter()
            .filter(|(k, _)| k == "measures")
            .map(|(_, v)| v.clone())
            .collect(),
        channel: field(&f, "channel").to_owned(),
        region: field(&f, "region").trim().to_owned(),
        endpoint: field(&f, "endpoint").trim().to_owned(),
        public_key: field(&f, "public_key").trim().to_owned(),
        concurrency: field(&f, "concurrency").trim().to_owned(),
    };
    let spec = InstitutionSpec {
        id: typed.id.clone(),
        name: typed.name.clone(),
        kind: typed.kind.clone(),
        measures: typed.measures.join(","),
        region: typed.region.clone(),
        channel: typed.channel.clone(),
        endpoint: typed.endpoint.clone(),
        public_key: typed.public_key.clone(),
        // Not a number: the app refuses it as out of range, with the range.
        concurrency: typed.concurrency.parse().unwrap_or(0),
    };
    match inv::execute(
        &app,
        &v.principal,
        InvestigationCommand::RegisterInstitution(spec),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/institutions").into_response()),
        Err(e) if super::shown_beside_form(&e) => {
            let words = super::refusal_words(v.lang, &e);
            let status = ApiError::from(e).status;
            Ok(page(
                status,
                render(&app, &v, Some((&words, &typed))).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
