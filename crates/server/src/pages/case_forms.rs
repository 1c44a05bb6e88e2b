//! The case page's everyday forms (issue 12): assigning the officer (分案), recording a
//! payment, suspending and ending a suspension, resuming a 终本 case as 执恢, property clues,
//! security for performance, a party's new access code; and the case account's receipts,
//! payouts, their approval and transfer, and distribution. Each form builds the same command as
//! its API route and calls the same service; a refusal comes back beside the form, in the
//! viewer's language (`cases::answer`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_app::AppError;
use zhixing_app::case::{self as svc, CaseCommand};
use zhixing_app::disposal::funds::{self, AccountView, FundsCommand, PayoutRequest};
use zhixing_app::state::App;
use zhixing_domain::case::{CaseState, CaseStatus, ClosureMode, PartyRole};
use zhixing_domain::funds::{Claim, Rank};
use zhixing_domain::money::Fen;
use zhixing_domain::refusal::Refusal;

use super::cases::{Refused, answer, yuan};
use super::{PageError, Viewer, layout, page};
use crate::csrf::FormToken;
use crate::error::Path;
use crate::pages::cases::parse_yuan_amount;

/// An amount typed in yuan, in fen, or the refusal the catalogue words.
fn fen(s: &str) -> Result<i64, AppError> {
    parse_yuan_amount(s).map_err(|problem| {
        AppError::from(
            Refusal::invalid("amount_text_invalid")
                .with("field", "payment")
                .with("problem", problem),
        )
    })
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The handling section: officer, payments, suspension, clues, security, access codes,
/// resumption.
pub(super) fn handling_section(
    token: &FormToken,
    id: i64,
    c: &CaseState,
    officers: &[(i64, String)],
    can_act: bool,
    refused: Option<Refused<'_>>,
) -> Markup {
    let open = can_act && c.status != CaseStatus::Closed;
    let suspended = c.suspensions.last().is_some_and(|s| s.1.is_none());
    let terminated = c
        .closure
        .as_ref()
        .is_some_and(|x| x.0 == ClosureMode::Zhongben);
    html! {
        @if can_act {
        section.card #handling {
            h2 { "承办、履行与线索" }
            @if let Some(m) = Refused::at(refused, "handling") { p.error role="alert" { (m) } }
            @if open {
                form #assign-form method="post" action=(format!("/cases/{id}/assign")) {
                    (token)
                    label { "承办人" select name="officer_id" required {
                        @for (uid, name) in officers { option value=(uid) selected[c.officer.as_ref().is_some_and(|o| o.0 == *uid)] { (name) } } } }
                    button type="submit" { (if c.officer.is_some() { "变更承办人" } else { "确定承办人" }) }
                }
                form #payment-form method="post" action=(format!("/cases/{id}/payments")) {
                    (token)
                    label { "履行金额（元）" input name="amount" required inputmode="decimal" autocomplete="off"; }
                    label { "说明" input name="note" maxlength="500"; }
                    button type="submit" { "记录履行" }
                }
                @if suspended {
                    form #end-suspension-form method="post" action=(format!("/cases/{id}/suspension-end")) {
                        (token)
                        button type="submit" { "中止事由消除，恢复执行" }
                    }
                } @else {
                    form #suspend-form method="post" action=(format!("/cases/{id}/suspend")) {
                        (token)
                        label { "中止执行的事由" input name="reason" required minlength="4" maxlength="500"; }
                        button type="submit" { "中止执行" }
                    }
                }
                form #clue-form method="post" action=(format!("/cases/{id}/clues")) {
                    (token)
                    label { "申请执行人提供的财产线索" textarea name="description" required maxlength="2000" {} }
                    label.check { input type="checkbox" name="urgent" value="on"; "紧急（可能转移、隐匿）" }
                    button type="submit" { "登记财产线索" }
                }
                @for cl in c.clues.iter().filter(|cl| cl.verified_on.is_none()) {
                    form.clue-verify method="post" action=(format!("/cases/{id}/clues/{}/verify", cl.no)) {
                        (token)
                        span { "线索 " (cl.no) "（" (cl.submitted_on) " 登记" @if cl.urgent { "，紧急" } "）：" (cl.description) }
                        label { "核查结果" input name="result" required maxlength="2000"; }
                        button type="submit" { "记录核查结果" }
                    }
                }
                form #security-form method="post" action=(format!("/cases/{id}/securities")) {
                    (token)
                    label { "担保人" input name="provider" required maxlength="200"; }
                    label { "担保财产或方式" input name="description" required maxlength="2000"; }
                    label { "担保价值（元）" input name="value" required inputmode="decimal" autocomplete="off"; }
                    button type="submit" { "记录执行担保" }
                }
            }
            @if !c.clues.is_empty() {
                h3 { "财产线索" }
                ul #clues { @for cl in &c.clues { li data-clue=(cl.no) { (cl.submitted_on) " " (cl.description)
                    @match (&cl.verified_on, &cl.result) { (Some(d), Some(r)) => { " — " (d) " 核查：" (r) } _ => { " — 待核查" } } } } }
            }
            h3 { "当事人查询码" }
            p.small.muted { "补发后原查询码失效；新查询码仅显示一次，请单独交给该当事人。" }
            @for p in &c.parties {
                form.inline method="post" action=(format!("/cases/{id}/parties/{}/access-code", p.no)) {
                    (token)
                    button type="submit" data-reissue=(p.no) { "为 " (p.name) " 补发查询码" }
                }
            }
            @if terminated && c.resumed_as.is_none() {
                form #resume-form method="post" action=(format!("/cases/{id}/resume")) {
                    (token)
                    label { "恢复执行的理由（如发现新的财产线索）" input name="reason" required minlength="4" maxlength="500"; }
                    button type="submit" { "恢复执行（立执恢案件）" }
                }
            }
        }
        }
    }
}

/// The account's forms: receipts, payouts and their approval and transfer, distribution.
#[allow(clippy::too_many_arguments)]
pub(super) fn account_forms(
    token: &FormToken,
    id: i64,
    c: &CaseState,
    account: &AccountView,
    names: &std::collections::HashMap<String, String>,
    can_act: bool,
    is_head: bool,
    refused: Option<Refused<'_>>,
) -> Markup {
    let applicants: Vec<_> = c
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Applicant)
        .collect();
    html! {
        @if can_act || is_head {
        section.card #account-forms {
            h2 { "案款办理" }
            @if let Some(m) = Refused::at(refused, "account") { p.error role="alert" { (m) } }
            @for p in account.payouts.iter().filter(|p| p.status == "proposed" && is_head) {
                form.payout-decision method="post" action=(format!("/cases/{id}/account/payouts/{}/decision", p.no)) {
                    (token)
                    span { "待审批：向 " (p.party_name) " 发放 " (yuan(p.amount_fen)) "（" (names.get(&p.proposed_by).map_or(p.proposed_by.as_str(), String::as_str)) " 于 " (p.proposed_on) " 提出" @if !p.note.is_empty() { "，" (p.note) } "）" }
                    label { "不予批准的理由" input name="reason" maxlength="500"; }
                    button name="approve" value="true" data-approve=(p.no) { "批准发放" }
                    button name="approve" value="false" { "不予批准" }
                }
            }
            @if can_act {
                @for p in account.payouts.iter().filter(|p| p.status == "approved") {
                    form.payout-paid method="post" action=(format!("/cases/{id}/account/payouts/{}/paid", p.no)) {
                        (token)
                        span { "已批准：向 " (p.party_name) " 发放 " (yuan(p.amount_fen)) }
                        label { "转账凭证号" input name="transfer_reference" required maxlength="100"; }
                        button type="submit" data-paid=(p.no) { "记录已转账" }
                    }
                }
                form #receipt-form method="post" action=(format!("/cases/{id}/account/receipts")) {
                    (token)
                    label { "到账金额（元）" input name="amount" required inputmode="decimal" autocomplete="off"; }
                    label { "到账日期" input type="date" name="received_on"; }
                    label { "银行流水号" input name="reference" required maxlength="100"; }
                    label { "说明" input name="note" maxlength="500"; }
                    button type="submit" { "登记到账" }
                }
                form #payout-form method="post" action=(format!("/cases/{id}/account/payouts")) {
                    (token)
                    label { "领款人" select name="party_no" required { @for p in &applicants { option value=(p.no) { (p.name) } } } }
                    label { "发放金额（元）" input name="amount" required inputmode="decimal" autocomplete="off"; }
                    label { "说明" input name="note" maxlength="500"; }
                    label { "逾期发放的理由（超过发放期限时填写）" input name="delay_reason" maxlength="500"; }
                    button type="submit" { "提请发放" }
                }
                form #distribution-form method="post" action=(format!("/cases/{id}/account/distribution")) {
                    (token)
                    p.small { "参与分配：按受偿顺序（执行费用、优先受偿、普通债权）在可分配款项中分配，同一顺序按比例。" }
                    @for p in &applicants {
                        fieldset { legend { (p.name) }
                            label { "债权金额（元）" input name=(format!("amount_{}", p.no)) inputmode="decimal" autocomplete="off"; }
                            label { "顺序" select name=(format!("rank_{}", p.no)) {
                                option value="ordinary" { "普通债权" } option value="priority" { "优先受偿" } option value="costs" { "执行费用" } } }
                        }
                    }
                    label { "说明" input name="note" maxlength="500"; }
                    label { "逾期发放的理由（超过发放期限时填写）" input name="delay_reason" maxlength="500"; }
                    button type="submit" { "分配并提请发放" }
                }
            }
        }
        }
    }
}

async fn case_cmd(app: &App, v: &Viewer, id: i64, cmd: Result<CaseCommand, AppError>) -> Response {
    let r = match cmd {
        Ok(cmd) => svc::execute(app, &v.principal, id, None, cmd).await,
        Err(e) => Err(e),
    };
    answer(app, v, id, "handling", r).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    officer_id: String,
}

pub async fn assign(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<AssignForm>,
) -> Response {
    let cmd = f
        .officer_id
        .trim()
        .parse()
        .map(|officer_id| CaseCommand::Assign { officer_id })
        .map_err(|_| {
            AppError::from(Refusal::of_reasons(
                "invalid_officer",
                zhixing_domain::refusal::RefusalKind::Invalid,
                vec![zhixing_domain::refusal::Reason::new("officer_not_eligible")],
            ))
        });
    case_cmd(&app, &v, id, cmd).await
}

#[derive(Deserialize)]
pub struct PaymentForm {
    amount: String,
    #[serde(default)]
    note: String,
}

pub async fn payment(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<PaymentForm>,
) -> Response {
    let cmd = fen(&f.amount).map(|amount_fen| CaseCommand::RecordPayment {
        amount_fen,
        note: f.note,
    });
    case_cmd(&app, &v, id, cmd).await
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

pub async fn suspend(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ReasonForm>,
) -> Response {
    case_cmd(&app, &v, id, Ok(CaseCommand::Suspend { reason: f.reason })).await
}

pub async fn end_suspension(State(app): State<App>, v: Viewer, Path(id): Path<i64>) -> Response {
    case_cmd(&app, &v, id, Ok(CaseCommand::EndSuspension)).await
}

/// Resumes a 终本 case as 执恢: on success, the new case's page.
pub async fn resume(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ReasonForm>,
) -> Response {
    let r = svc::execute(
        &app,
        &v.principal,
        id,
        None,
        CaseCommand::Resume { reason: f.reason },
    )
    .await;
    match r {
        Ok(done) => match done.resumed_as {
            Some(new) => Redirect::to(&format!("/cases/{}", new.id)).into_response(),
            None => Redirect::to(&format!("/cases/{id}")).into_response(),
        },
        Err(e) => answer(&app, &v, id, "handling", Err::<(), _>(e)).await,
    }
}

#[derive(Deserialize)]
pub struct ClueForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    urgent: Option<String>,
}

pub async fn clue(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ClueForm>,
) -> Response {
    let cmd = CaseCommand::SubmitClue {
        description: f.description,
        urgent: f.urgent.is_some(),
    };
    case_cmd(&app, &v, id, Ok(cmd)).await
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    result: String,
}

pub async fn verify_clue(
    State(app): State<App>,
    v: Viewer,
    Path((id, no)): Path<(i64, u32)>,
    axum::Form(f): axum::Form<VerifyForm>,
) -> Response {
    let cmd = CaseCommand::VerifyClue {
        no,
        result: f.result,
    };
    case_cmd(&app, &v, id, Ok(cmd)).await
}

#[derive(Deserialize)]
pub struct SecurityForm {
    #[serde(default)]
    provider: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    value: String,
}

pub async fn security(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<SecurityForm>,
) -> Response {
    let cmd = fen(&f.value).map(|value_fen| CaseCommand::RecordSecurity {
        provider: f.provider,
        description: f.description,
        value_fen,
    });
    case_cmd(&app, &v, id, cmd).await
}

/// A party's new access code, shown once on a sheet of its own: only that party's code.
pub async fn access_code(
    State(app): State<App>,
    v: Viewer,
    Path((id, no)): Path<(i64, i64)>,
) -> Response {
    let r = zhixing_app::portal::reissue_code(
        &app,
        &v.principal,
        zhixing_app::portal::AccessCodeCommand::Reissue {
            case_id: id,
            party_no: no,
        },
    )
    .await;
    match r {
        Ok(code) => {
            let number = svc::show(&app, &v.principal, id, None)
                .await
                .map(|view| view.number)
                .unwrap_or_default();
            let body = html! {
                section.card #access-code-sheet {
                    h1 { "当事人查询码" }
                    p { "案号：" strong { (number) } }
                    p { "当事人：" strong { (code.name) } }
                    p { "查询码：" strong #access-code { (code.code) } }
                    p.small { "凭案号和本查询码可在本院执行公开网站（/public/case）查询本人案件的进展、接收电子送达的文书。查询码仅显示一次，原查询码已失效，请妥善保管。" }
                    p.no-print { a href=(format!("/cases/{id}")) { "返回案件" } }
                }
            };
            page(
                StatusCode::OK,
                layout(v.lang, "当事人查询码", Some(&v), body),
            )
        }
        Err(e) if e.is_not_found() && !e.is_refusal() => PageError::from(e).into_response(),
        Err(e) => answer(&app, &v, id, "handling", Err::<(), _>(e)).await,
    }
}

async fn funds_cmd(
    app: &App,
    v: &Viewer,
    id: i64,
    cmd: Result<FundsCommand, AppError>,
) -> Response {
    let r = match cmd {
        Ok(cmd) => funds::execute(app, &v.principal, cmd).await,
        Err(e) => Err(e),
    };
    answer(app, v, id, "account", r).await
}

#[derive(Deserialize)]
pub struct ReceiptForm {
    amount: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    note: String,
}

pub async fn receipt(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ReceiptForm>,
) -> Response {
    let cmd = (|| {
        Ok(FundsCommand::Receipt {
            case_id: id,
            amount: fen(&f.amount)?,
            received_on: crate::api::service::day(&f.received_on)?,
            reference: f.reference,
            note: f.note,
        })
    })();
    funds_cmd(&app, &v, id, cmd).await
}

#[derive(Deserialize)]
pub struct PayoutForm {
    party_no: String,
    amount: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    delay_reason: String,
}

pub async fn payout(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<PayoutForm>,
) -> Response {
    let cmd = (|| {
        Ok(FundsCommand::Propose {
            case_id: id,
            payout: PayoutRequest {
                party_no: crate::api::service::number(&f.party_no, "party_no")?,
                amount: fen(&f.amount)?,
                note: f.note,
                delay_reason: optional(&f.delay_reason),
            },
        })
    })();
    funds_cmd(&app, &v, id, cmd).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    approve: String,
    #[serde(default)]
    reason: String,
}

pub async fn payout_decision(
    State(app): State<App>,
    v: Viewer,
    Path((id, no)): Path<(i64, i64)>,
    axum::Form(f): axum::Form<DecisionForm>,
) -> Response {
    let cmd = FundsCommand::Decide {
        case_id: id,
        no,
        approve: f.approve == "true",
        reason: f.reason,
    };
    funds_cmd(&app, &v, id, Ok(cmd)).await
}

#[derive(Deserialize)]
pub struct PaidForm {
    #[serde(default)]
    transfer_reference: String,
}

pub async fn payout_paid(
    State(app): State<App>,
    v: Viewer,
    Path((id, no)): Path<(i64, i64)>,
    axum::Form(f): axum::Form<PaidForm>,
) -> Response {
    let cmd = FundsCommand::Paid {
        case_id: id,
        no,
        transfer_reference: f.transfer_reference,
    };
    funds_cmd(&app, &v, id, Ok(cmd)).await
}

/// Distribution: one claim per applicant whose amount was filled in.
pub async fn distribution(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Response {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let cmd = (|| {
        let mut claims = Vec::new();
        for (k, amount) in &fields {
            let Some(no) = k.strip_prefix("amount_") else {
                continue;
            };
            if amount.trim().is_empty() {
                continue;
            }
            let party_no: u32 = crate::api::service::number(no, "party_no")?;
            let amount = Fen::new(fen(amount)?).map_err(|_| {
                AppError::from(
                    Refusal::invalid("amount_text_invalid")
                        .with("field", "payment")
                        .with("problem", "too_large"),
                )
            })?;
            let rank = Rank::parse(&get(&format!("rank_{no}"))).unwrap_or(Rank::Ordinary);
            claims.push(Claim {
                party_no,
                amount,
                rank,
            });
        }
        Ok(FundsCommand::Distribute {
            case_id: id,
            claims,
            note: get("note"),
            delay_reason: optional(&get("delay_reason")),
        })
    })();
    funds_cmd(&app, &v, id, cmd).await
}
