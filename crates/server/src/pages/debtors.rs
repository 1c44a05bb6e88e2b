//! One debtor across courts (关联案件): the section of the case page, and the command
//! centre's view of the courts' cases against one debtor for joint action. Both read
//! `app::case::debtor`, which records each view as a sensitive read.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_app::case::debtor::{self, RelatedCases};
use zhixing_app::state::App;
use zhixing_domain::access::Action;
use zhixing_domain::measure::MeasureKind;

use super::cases::yuan;
use super::control::{asset_kind_zh, measure_status_zh};
use super::i18n::{Label, zh_en};
use super::{PageError, Viewer, layout, page};
use crate::error::Query;

fn status_zh(s: &str) -> &'static str {
    zhixing_domain::case::CaseStatus::parse(s).map_or("", zhixing_domain::case::CaseStatus::label)
}

/// The case page's section: for each respondent, their other cases and the measures on their
/// property. Nothing when the viewer does not reach them.
pub(super) fn section(related: Option<&[RelatedCases]>) -> Markup {
    let Some(related) = related else {
        return html! {};
    };
    html! {
        section.card #related-cases {
            h2 { (zh_en("关联案件（同一被执行人）", "Related cases (same respondent)")) }
            p.small.muted { (zh_en("按被执行人身份证号码或统一社会信用代码的盲索引查找，不按姓名；每次查看均记入审计。",
                "Found by the blind index of the respondent's ID number or credit code, never by name; every view is audited.")) }
            @for r in related {
                (debtor_block(r, false))
            }
        }
    }
}

/// One respondent: their other cases, then their property with its measures in order.
fn debtor_block(r: &RelatedCases, link: bool) -> Markup {
    html! {
        div.debtor data-party=(r.party_no) {
            h3 { (r.name) " " span.small.muted { (r.identifier_shown) } }
            @if r.reach == "subtree" {
                p.small.muted { (zh_en("仅显示本院及下级法院的案件。", "Only the cases of your court and the courts below are shown.")) }
            }
            @if r.cases.is_empty() {
                p.related-none { (zh_en("未发现该被执行人的其他执行案件。", "No other enforcement case against this respondent.")) }
            } @else {
                p { (zh_en("其他执行案件 ", "Other enforcement cases: ")) strong.related-count { (r.cases.len()) }
                    (zh_en(" 件，未履行金额合计 ", "; outstanding in all ")) strong { (yuan(r.cases.iter().map(|c| c.outstanding_fen).sum())) }
                    @if r.cut { " " span.badge.late { (zh_en("仅列出前若干件", "Only the first cases are listed")) } } }
                div.scroll {
                    table.related {
                        tr { th { (zh_en("法院", "Court")) } th { (zh_en("案号", "Case number")) } th { (zh_en("状态", "Status")) } th { (zh_en("立案日期", "Filed")) } th { (zh_en("申请执行标的", "Amount due")) } th { (zh_en("未履行金额", "Outstanding")) } }
                        @for c in &r.cases {
                            tr { td { (c.court_name) }
                                 td { @if link { a href=(format!("/cases/{}", c.case_id)) { (c.number) } } @else { (c.number) } }
                                 td { (status_zh(&c.status)) } td { (c.filed_on) }
                                 td.num { (yuan(c.total_due_fen)) } td.num { (yuan(c.outstanding_fen)) } }
                        }
                    }
                }
            }
            @if !r.property.is_empty() {
                h4 { (zh_en("同一财产上的控制措施（首封与轮候）", "Measures on the same property (first and waiting)")) }
                @for p in &r.property {
                    div.property {
                        p { strong { (asset_kind_zh(&p.kind)) " · " (p.description) } " "
                            span.small.muted { (p.institution_name) " · " (p.reference) }
                            @if p.in_this_case { " " span.badge { (zh_en("本案已查控", "Held in this case")) } } }
                        div.scroll {
                            table.holds {
                                tr { th { (zh_en("顺位", "Order")) } th { (zh_en("法院", "Court")) } th { (zh_en("案号", "Case number")) } th { (zh_en("措施", "Measure")) } th { (zh_en("状态", "Status")) } th { (zh_en("轮候顺序", "Place in queue")) } th { (zh_en("申请日期", "Asked on")) } th { (zh_en("期限至", "Until")) } }
                                @for h in &p.measures {
                                    tr.hold data-rank=(h.rank) {
                                        td { (h.rank) @if h.rank == 1 && matches!(h.status.as_str(), "active" | "done") { " " span.badge { (zh_en("首封", "First")) } } }
                                        td { (h.court_name) }
                                        td { (h.case_number) @if h.this_case { " " span.small { (zh_en("（本案）", " (this case)")) } } }
                                        td { (MeasureKind::parse(&h.kind).map_or("", MeasureKind::label)) }
                                        td { (measure_status_zh(&h.status)) }
                                        td { (h.queue_position.map_or_else(|| "—".to_owned(), |q| q.to_string())) }
                                        td { (h.requested_on) }
                                        td { (h.until.as_deref().unwrap_or("—")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The case page's table of the web of related parties and property: readable without any
/// script, each link with its source.
pub(super) fn web_section(web: Option<&zhixing_app::case::web::Web>) -> Markup {
    let Some(web) = web else {
        return html! {};
    };
    html! {
        section.card #related-web {
            h2 { (zh_en("关联关系（当事人与财产）", "Related parties and property")) }
            p.small.muted { (zh_en("来自本案已有材料：立案材料、各机构查询回复。标记“他案被执行人”的，按身份证号码或统一社会信用代码的盲索引查得；法定代表人仅有姓名，不作比对。每次查看均记入审计。",
                "From what the case holds: the filing and the institutions' replies. Parties marked as debtors elsewhere were matched by the blind index of their identifier; a legal representative has a name only and is not matched. Every view is audited.")) }
            @if web.links.is_empty() {
                p { (zh_en("暂无关联关系。", "No links yet.")) }
            } @else {
                div.scroll {
                    table.web {
                        tr { th { (zh_en("起点", "From")) } th { (zh_en("关系", "Relation")) } th { (zh_en("关联方或财产", "Related party or property")) } th { (zh_en("他案被执行人", "Debtor elsewhere")) } th { (zh_en("来源", "Source")) } th { (zh_en("日期", "Date")) } }
                        @for l in &web.links {
                            tr.link data-relation=(l.relation) {
                                td { (l.from) }
                                td { (relation_zh(&l.relation)) }
                                td { (l.to)
                                     @if let Some(r) = &l.reference { br; span.small.muted { (r) } }
                                     @if let (Some(n), Some(c)) = (&l.case_number, &l.court_name) { br; span.small { (c) " " (n) } } }
                                td { @match l.debtor_elsewhere {
                                        Some(n) if n > 0 => { span.badge.late.debtor-elsewhere { (zh_en("他案被执行人 ", "Debtor in ")) (n) (zh_en(" 件", " other cases")) } }
                                        Some(_) => { (zh_en("否", "No")) }
                                        None => { "—" }
                                   } }
                                td.small { (source(l)) }
                                td { (l.source_on) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where a link comes from, in the viewer's language.
fn source(l: &zhixing_app::case::web::Link) -> Markup {
    let institution = l.institution.as_deref().unwrap_or("");
    html! {
        @match l.source_kind.as_str() {
            "filing" => { (zh_en("立案材料，执行依据 ", "Filing, basis ")) (l.source) }
            "reply" => { (institution) (zh_en(" 查询回复 ", " reply ")) code { (l.source) } }
            _ => { (institution) (zh_en("（记录：", " (record: ")) (l.source) (zh_en("）", ")")) }
        }
    }
}

fn relation_zh(r: &str) -> &'static str {
    match r {
        "legal_representative" => zh_en("法定代表人", "Legal representative"),
        "co_respondent" => zh_en("共同被执行人", "Co-respondent"),
        "property" => zh_en("名下财产", "Property"),
        "property_elsewhere" => zh_en("同一财产在他案被查控", "Same property in another case"),
        _ => "",
    }
}

#[derive(Deserialize, Default)]
pub struct DebtorForm {
    #[serde(default)]
    case: String,
}

/// `GET /command/debtors?case=…`: the command centre's view of one debtor across the courts
/// below — from a case number, each respondent's cases in the courts the supervisor reaches
/// and the measures on their property, for joint action (entrusted tasks, distribution).
pub async fn command_view(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<DebtorForm>,
) -> Result<Response, PageError> {
    let who = &v.principal;
    if !who.may(Action::Command, &who.court_path) {
        return Err(zhixing_app::AppError::forbidden_as(
            "related_cases_not_allowed",
            "the command centre's view of a debtor is for supervisors and division heads",
        )
        .into());
    }
    let number = f.case.trim();
    let (found, related) = if number.is_empty() {
        (None, None)
    } else {
        match debtor::case_by_number(&app, who, number).await? {
            Some(id) => (Some(id), debtor::of_case(&app, who, id).await?),
            None => (None, None),
        }
    };
    let body = html! {
        section.card #debtor-search {
            h1 { (zh_en("同一被执行人跨院案件", "One debtor across courts")) }
            p.small.muted { (zh_en("输入本院或下级法院的一个案号，查看其被执行人在各法院的执行案件和财产控制顺位，便于统一调度（事项委托、参与分配）。",
                "Give a case number of your court or a court below to see its respondents' cases in every court you supervise and the order of the measures on their property, for joint action (entrusted tasks, distribution).")) }
            form method="get" action="/command/debtors" {
                label { (zh_en("案号 ", "Case number ")) input name="case" value=(number) required; }
                button type="submit" { (zh_en("查询", "Look up")) }
            }
        }
        @if !number.is_empty() {
            @match (found, &related) {
                (Some(id), Some(all)) => {
                    section.card #debtor-view {
                        h2 { (zh_en("案件 ", "Case ")) a href=(format!("/cases/{id}")) { (number) } }
                        @for r in all {
                            @let courts = by_court(r);
                            @if !courts.is_empty() {
                                div.scroll {
                                    table.by-court {
                                        caption { (r.name) (zh_en(" 在各法院的其他案件", ": other cases by court")) }
                                        tr { th { (zh_en("法院", "Court")) } th { (zh_en("案件数", "Cases")) } th { (zh_en("未履行金额", "Outstanding")) } }
                                        @for (court, n, due) in &courts { tr { td { (court) } td.num { (n) } td.num { (yuan(*due)) } } }
                                    }
                                }
                            }
                            (debtor_block(r, true))
                        }
                    }
                }
                _ => {
                    section.card #debtor-view {
                        p.related-none { (zh_en("未找到您可查看的该案号案件。", "No case of that number that you may see.")) }
                    }
                }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(v.lang, zh_en("关联案件", "Related cases"), Some(&v), body),
    ))
}

/// Each court with the number of the debtor's cases there and what remains to be paid.
fn by_court(r: &RelatedCases) -> Vec<(&str, usize, i64)> {
    let mut courts: Vec<(&str, usize, i64)> = Vec::new();
    for c in &r.cases {
        match courts.iter_mut().find(|e| e.0 == c.court_name) {
            Some(e) => {
                e.1 += 1;
                e.2 += c.outstanding_fen;
            }
            None => courts.push((&c.court_name, 1, c.outstanding_fen)),
        }
    }
    courts
}
