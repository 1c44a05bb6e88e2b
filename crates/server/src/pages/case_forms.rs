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
use super::i18n::zh_en;
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
            h2 { (zh_en("承办、履行与线索", "Officer, performance and leads")) }
            @if let Some(m) = Refused::at(refused, "handling") { p.error role="alert" { (m) } }
            @if open {
                form #assign-form method="post" action=(format!("/cases/{id}/assign")) {
                    (token)
                    label { (zh_en("承办人", "Officer")) select name="officer_id" required {
                        @for (uid, name) in officers { option value=(uid) selected[c.officer.as_ref().is_some_and(|o| o.0 == *uid)] { (name) } } } }
                    button type="submit" { (if c.officer.is_some() { zh_en("变更承办人", "Change the officer") } else { zh_en("确定承办人", "Assign the officer") }) }
                }
                form #payment-form method="post" action=(format!("/cases/{id}/payments")) {
                    (token)
                    label { (zh_en("履行金额（元）", "Amount performed (yuan)")) input name="amount" required inputmode="decimal" autocomplete="off"; }
                    label { (zh_en("说明", "Details")) input name="note" maxlength="500"; }
                    button type="submit" { (zh_en("记录履行", "Record performance")) }
                }
                @if suspended {
                    form #end-suspension-form method="post" action=(format!("/cases/{id}/suspension-end")) {
                        (token)
                        button type="submit" { (zh_en("中止事由消除，恢复执行", "Ground for suspension gone: resume")) }
                    }
                } @else {
                    form #suspend-form method="post" action=(format!("/cases/{id}/suspend")) {
                        (token)
                        label { (zh_en("中止执行的事由", "Ground for suspension")) input name="reason" required minlength="4" maxlength="500"; }
                        button type="submit" { (zh_en("中止执行", "Suspend enforcement")) }
                    }
                }
                form #clue-form method="post" action=(format!("/cases/{id}/clues")) {
                    (token)
                    label { (zh_en("申请执行人提供的财产线索", "Property lead from the applicant")) textarea name="description" required maxlength="2000" {} }
                    label.check { input type="checkbox" name="urgent" value="on"; (zh_en("紧急（可能转移、隐匿）", "Urgent (may be moved or hidden)")) }
                    button type="submit" { (zh_en("登记财产线索", "Register the lead")) }
                }
                @for cl in c.clues.iter().filter(|cl| cl.verified_on.is_none()) {
                    form.clue-verify method="post" action=(format!("/cases/{id}/clues/{}/verify", cl.no)) {
                        (token)
                        span { (zh_en("线索 ", "Lead ")) (cl.no) (zh_en("（", " (")) (cl.submitted_on) (zh_en(" 登记", " registered")) @if cl.urgent { (zh_en("，紧急", ", urgent")) } (zh_en("）：", "): ")) (cl.description) }
                        label { (zh_en("核查结果", "Finding")) input name="result" required maxlength="2000"; }
                        button type="submit" { (zh_en("记录核查结果", "Record the finding")) }
                    }
                }
                form #security-form method="post" action=(format!("/cases/{id}/securities")) {
                    (token)
                    label { (zh_en("担保人", "Guarantor")) input name="provider" required maxlength="200"; }
                    label { (zh_en("担保财产或方式", "Security (property or form)")) input name="description" required maxlength="2000"; }
                    label { (zh_en("担保价值（元）", "Value of the security (yuan)")) input name="value" required inputmode="decimal" autocomplete="off"; }
                    button type="submit" { (zh_en("记录执行担保", "Record the enforcement security")) }
                }
            }
            @if !c.clues.is_empty() {
                h3 { (zh_en("财产线索", "Property leads")) }
                ul #clues { @for cl in &c.clues { li data-clue=(cl.no) { (cl.submitted_on) " " (cl.description)
                    @match (&cl.verified_on, &cl.result) { (Some(d), Some(r)) => { " — " (d) (zh_en(" 核查：", " checked: ")) (r) } _ => { (zh_en(" — 待核查", " — to check")) } } } } }
            }
            h3 { (zh_en("当事人查询码", "Party access codes")) }
            p.small.muted { (zh_en("补发后原查询码失效；新查询码仅显示一次，请单独交给该当事人。", "Reissuing voids the old code; the new code is shown once only: give it to that party alone.")) }
            @for p in &c.parties {
                form.inline method="post" action=(format!("/cases/{id}/parties/{}/access-code", p.no)) {
                    (token)
                    button type="submit" data-reissue=(p.no) { (zh_en("为 ", "Reissue the access code of ")) (p.name) (zh_en(" 补发查询码", "")) }
                }
            }
            @if terminated && c.resumed_as.is_none() {
                form #resume-form method="post" action=(format!("/cases/{id}/resume")) {
                    (token)
                    label { (zh_en("恢复执行的理由（如发现新的财产线索）", "Ground for resuming (e.g. new property found)")) input name="reason" required minlength="4" maxlength="500"; }
                    button type="submit" { (zh_en("恢复执行（立执恢案件）", "Resume enforcement (file a resumed case)")) }
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
            h2 { (zh_en("案款办理", "Case money")) }
            @if let Some(m) = Refused::at(refused, "account") { p.error role="alert" { (m) } }
            @for p in account.payouts.iter().filter(|p| p.status == "proposed" && is_head) {
                form.payout-decision method="post" action=(format!("/cases/{id}/account/payouts/{}/decision", p.no)) {
                    (token)
                    span { (zh_en("待审批：向 ", "Awaiting approval: to ")) (p.party_name) (zh_en(" 发放 ", " pay ")) (yuan(p.amount_fen)) (zh_en("（", " (")) (names.get(&p.proposed_by).map_or(p.proposed_by.as_str(), String::as_str)) (zh_en(" 于 ", " on ")) (p.proposed_on) (zh_en(" 提出", " proposed")) @if !p.note.is_empty() { (zh_en("，", ", ")) (p.note) } (zh_en("）", ")")) }
                    label { (zh_en("不予批准的理由", "Reason for refusing")) input name="reason" maxlength="500"; }
                    button name="approve" value="true" data-approve=(p.no) { (zh_en("批准发放", "Approve the payout")) }
                    button name="approve" value="false" { (zh_en("不予批准", "Refuse")) }
                }
            }
            @if can_act {
                @for p in account.payouts.iter().filter(|p| p.status == "approved") {
                    form.payout-paid method="post" action=(format!("/cases/{id}/account/payouts/{}/paid", p.no)) {
                        (token)
                        span { (zh_en("已批准：向 ", "Approved: to ")) (p.party_name) (zh_en(" 发放 ", " pay ")) (yuan(p.amount_fen)) }
                        label { (zh_en("转账凭证号", "Transfer reference")) input name="transfer_reference" required maxlength="100"; }
                        button type="submit" data-paid=(p.no) { (zh_en("记录已转账", "Record the transfer")) }
                    }
                }
                form #receipt-form method="post" action=(format!("/cases/{id}/account/receipts")) {
                    (token)
                    label { (zh_en("到账金额（元）", "Amount received (yuan)")) input name="amount" required inputmode="decimal" autocomplete="off"; }
                    label { (zh_en("到账日期", "Received on")) input type="date" name="received_on"; }
                    label { (zh_en("银行流水号", "Bank reference")) input name="reference" required maxlength="100"; }
                    label { (zh_en("说明", "Details")) input name="note" maxlength="500"; }
                    button type="submit" { (zh_en("登记到账", "Record the receipt")) }
                }
                form #payout-form method="post" action=(format!("/cases/{id}/account/payouts")) {
                    (token)
                    label { (zh_en("领款人", "Payee")) select name="party_no" required { @for p in &applicants { option value=(p.no) { (p.name) } } } }
                    label { (zh_en("发放金额（元）", "Payout (yuan)")) input name="amount" required inputmode="decimal" autocomplete="off"; }
                    label { (zh_en("说明", "Details")) input name="note" maxlength="500"; }
                    label { (zh_en("逾期发放的理由（超过发放期限时填写）", "Reason for paying late (when past the payout limit)")) input name="delay_reason" maxlength="500"; }
                    button type="submit" { (zh_en("提请发放", "Propose the payout")) }
                }
                form #distribution-form method="post" action=(format!("/cases/{id}/account/distribution")) {
                    (token)
                    p.small { (zh_en("参与分配：按受偿顺序（执行费用、优先受偿、普通债权）在可分配款项中分配，同一顺序按比例。", "Distribution: the money available is shared by rank (enforcement costs, priority claims, ordinary claims), pro rata within a rank.")) }
                    @for p in &applicants {
                        fieldset { legend { (p.name) }
                            label { (zh_en("债权金额（元）", "Claim (yuan)")) input name=(format!("amount_{}", p.no)) inputmode="decimal" autocomplete="off"; }
                            label { (zh_en("顺序", "Rank")) select name=(format!("rank_{}", p.no)) {
                                option value="ordinary" { (zh_en("普通债权", "Ordinary claim")) } option value="priority" { (zh_en("优先受偿", "Priority claim")) } option value="costs" { (zh_en("执行费用", "Enforcement costs")) } } }
                        }
                    }
                    label { (zh_en("说明", "Details")) input name="note" maxlength="500"; }
                    label { (zh_en("逾期发放的理由（超过发放期限时填写）", "Reason for paying late (when past the payout limit)")) input name="delay_reason" maxlength="500"; }
                    button type="submit" { (zh_en("分配并提请发放", "Distribute and propose the payouts")) }
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
                    h1 { (zh_en("当事人查询码", "Party access codes")) }
                    p { (zh_en("案号：", "Case number: ")) strong { (number) } }
                    p { (zh_en("当事人：", "Party: ")) strong { (code.name) } }
                    p { (zh_en("查询码：", "Access code: ")) strong #access-code { (code.code) } }
                    p.small { (zh_en("凭案号和本查询码可在本院执行公开网站（/public/case）查询本人案件的进展、接收电子送达的文书。查询码仅显示一次，原查询码已失效，请妥善保管。", "With the case number and this access code the party can follow the case and receive documents served electronically on the court's public site (/public/case). The code is shown once only and the old code no longer works: keep it safe.")) }
                    p.no-print { a href=(format!("/cases/{id}")) { (zh_en("返回案件", "Back to the case")) } }
                }
            };
            page(
                StatusCode::OK,
                layout(
                    v.lang,
                    zh_en("当事人查询码", "Party access codes"),
                    Some(&v),
                    body,
                ),
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
