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

use super::i18n::zh_en;
use super::{PageError, Viewer, beijing_us, layout, page};
use crate::error::ApiError;

/// An institution's kind in words.
fn kind_zh(k: &str) -> &str {
    match k {
        "bank" => zh_en("银行", "Banks"),
        "securities" => zh_en(
            "证券登记结算、证券公司",
            "Securities depository and brokers",
        ),
        "real_estate_registry" => zh_en("不动产登记机构", "Real estate registries"),
        "vehicle_administration" => zh_en("车辆管理所", "Vehicle registries"),
        "housing_fund" => zh_en("住房公积金管理中心", "Housing provident fund centres"),
        "social_insurance" => zh_en("社会保险经办机构", "Social insurance agencies"),
        "tax" => zh_en("税务机关", "Tax authorities"),
        "online_payment" => zh_en("网络支付机构", "Online payment firms"),
        "internet_bank" => zh_en("互联网银行", "Internet banks"),
        "online_lending" => zh_en("网络借贷平台", "Online lending platforms"),
        "virtual_property" => zh_en("虚拟财产平台", "Virtual property platforms"),
        "ip_office" => zh_en("知识产权管理机构", "Intellectual property offices"),
        other => other,
    }
}

/// A measure an institution carries out, in words.
fn measure_zh(m: &str) -> &str {
    match m {
        "query" => zh_en("查询", "Search"),
        "freeze" => zh_en("冻结", "Freeze"),
        "seize" => zh_en("查封", "Seal"),
        "detain" => zh_en("扣押", "Seize"),
        "deduct" => zh_en("扣划", "Deduct"),
        "renew" => zh_en("续行", "Renew"),
        "release" => zh_en("解除", "Release"),
        other => other,
    }
}

fn measures_zh(list: &str) -> String {
    list.split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(measure_zh)
        .collect::<Vec<_>>()
        .join(zh_en("、", ", "))
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
            h1 { (zh_en("协助执行机构（查控网络）", "Assisting institutions (search and control network)")) }
            @if list.is_empty() { p #no-institutions { (zh_en("尚未登记协助执行机构。", "No assisting institution registered yet.")) } }
            @else {
                div.scroll { table #institution-list {
                    tr { th { (zh_en("名称", "Name")) } th { (zh_en("标识", "Id")) } th { (zh_en("类别", "Kind")) } th { (zh_en("承办的措施", "Measures handled")) } th { (zh_en("接入方式", "Connection")) } th { (zh_en("接口地址", "Endpoint")) } th { (zh_en("并发数", "Concurrency")) } th { (zh_en("状态", "Status")) } th { (zh_en("登记时间", "Registered")) } }
                    @for i in &list {
                        tr id=(format!("institution-{}", i.id)) data-institution=(i.id) {
                            td { (i.name) }
                            td { code.small { (i.id) } }
                            td { (kind_zh(&i.kind)) }
                            td.small { (measures_zh(&i.measures)) }
                            td { @if i.channel == "national" { (zh_en("总对总", "National")) } @else { (zh_en("点对点（地区 ", "Local (region ")) (i.region) (zh_en("）", ")")) } }
                            td.small { code { (i.endpoint) } }
                            td.num { (i.concurrency) }
                            td { (if i.active { zh_en("启用", "Active") } else { zh_en("停用", "Inactive") }) }
                            td.small { (beijing_us(i.created_at)) }
                        }
                    }
                } }
            }
        }
        @if manages {
            section.card #register-institution {
                h2 { (zh_en("登记或更新协助执行机构", "Register or update an assisting institution")) }
                p.small.muted {
                    @if national { (zh_en("本院可登记总对总机构，以及任何地区的点对点机构。", "This court may register national institutions and local ones of any region.")) }
                    @else { (zh_en("本院可登记本地区的点对点机构（地区代码以 ", "This court may register local institutions of its region (region code starting with ")) (own_region) (zh_en(" 开头）；总对总机构由最高人民法院登记。", "); national institutions are registered by the SPC.")) }
                    (zh_en("标识已登记的，按本次填写的内容更新。", "An id already registered is updated with what is entered here."))
                }
                @if let Some((w, _)) = refused { p.error.refusal role="alert" { (w) } }
                form #institution-form method="post" action="/institutions" {
                    (v.csrf)
                    label { (zh_en("机构标识（英文字母、数字、“-”“.”“_”）", "Institution id (letters, digits, '-', '.', '_')")) input name="id" required maxlength="64" value=(typed.id); }
                    label { (zh_en("机构名称", "Institution name")) input name="name" required maxlength="200" value=(typed.name); }
                    label { (zh_en("类别", "Kind")) select name="kind" required {
                        @for k in KINDS { option value=(k) selected[typed.kind == k] { (kind_zh(k)) } }
                    } }
                    fieldset {
                        legend { (zh_en("承办的措施", "Measures handled")) }
                        @for m in MEASURES {
                            label.check { input type="checkbox" name="measures" value=(m) checked[typed.measures.iter().any(|t| t == m)]; (measure_zh(m)) }
                        }
                    }
                    label { (zh_en("接入方式", "Connection")) select name="channel" required {
                        option value="local" selected[typed.channel != "national"] { (zh_en("点对点（本地区）", "Local (this region)")) }
                        @if national { option value="national" selected[typed.channel == "national"] { (zh_en("总对总（全国）", "National")) } }
                    } }
                    label { (zh_en("地区代码（点对点机构填写，行政区划代码的前几位）", "Region code (local institutions: leading digits of the administrative code)")) input name="region" inputmode="numeric" maxlength="12" value=(typed.region); }
                    label { (zh_en("接口地址（http 或 https）", "Endpoint (http or https)")) input type="url" name="endpoint" required value=(typed.endpoint); }
                    label { (zh_en("公钥（Ed25519，base64 编码）", "Public key (Ed25519, base64)")) textarea name="public_key" required rows="2" { (typed.public_key) } }
                    label { (zh_en("并发数", "Concurrency")) input type="number" name="concurrency" required min="1" value=(typed.concurrency); }
                    button type="submit" { (zh_en("登记", "Register")) }
                }
            }
        }
    };
    Ok(layout(
        v.lang,
        zh_en("协助执行机构", "Assisting institutions"),
        Some(v),
        body,
    ))
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
