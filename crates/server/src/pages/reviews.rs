//! The case page's section for review cases (执行审查: 执异, 执复, 执监): the objections,
//! reconsiderations and supervision cases about this case, with the hold each puts on the
//! disposal of property, and their forms — filing (from the act or property it challenges),
//! ruling, the president's extension, the applicant's security, an order suspending the act,
//! the suit against a ruling on an outsider's claim. Each form builds the same command as its
//! API route (`/api/v1/cases/{id}/reviews`, `/api/v1/reviews/{id}/…`); a refusal is shown
//! beside it (`cases::answer`) with what was typed kept (`kept`).

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::review::{Challenged, Outcome, ReviewKind};

use super::Viewer;
use super::cases::{Refused, answer};
use super::i18n::{Lang, en, known, zh_en};
use super::kept::{self, field, keeping};
use crate::csrf::FormToken;
use crate::error::{ApiError, Path};
use zhixing_app::review::{self as rv, ReviewCommand, ReviewView};
use zhixing_app::state::App;

/// The section's anchor on the case page, where its refusals are shown.
const SECTION: &str = "reviews";

/// One choice of what a filing challenges: the form's value (`measure:12`) and its label.
struct Target {
    value: String,
    label: String,
}

/// What the section shows, loaded with the caller's rights (the case is already readable).
pub struct Loaded {
    reviews: Vec<ReviewView>,
    targets: Vec<Target>,
    /// An officer, judge or head of some court: files at their own court (the domain says
    /// whether that court is the right one for the kind).
    can_file: bool,
    /// The viewer's court and the case's.
    own_court: String,
    case_court: String,
    /// May the viewer act at their own court (rule, record), and extend (the president)?
    handles: bool,
    extends: bool,
}

fn w(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub async fn load(app: &App, by: &Principal, case_id: i64) -> Result<Loaded, ApiError> {
    let (case, court) = zhixing_app::case::readable(app, by, case_id).await?;
    let reviews = rv::of_case(app, by, case_id).await?;
    let mut targets = Vec::new();
    let measures = zhixing_app::control::measures::of_case(app, by, case_id).await?;
    let en = en();
    for m in &measures {
        let kind = zhixing_domain::measure::MeasureKind::parse(&m.kind);
        targets.push(Target {
            value: format!("measure:{}", m.id),
            label: if en {
                let k = kind.map_or(m.kind.as_str(), |k| k.name_en());
                format!("Measure {} ({k}, asset {})", m.id, m.asset_id)
            } else {
                let k = kind.map_or(m.kind.as_str(), |k| k.name_zh());
                format!("控制措施 {}（{k}，财产 {}）", m.id, m.asset_id)
            },
        });
    }
    for a in zhixing_app::control::query::assets(app, by, case_id).await? {
        let kind = zhixing_domain::measure::asset_kind_zh(&a.kind);
        targets.push(Target {
            value: format!("property:{}", a.id),
            label: if en {
                format!("The property: asset {} ({})", a.id, known(kind))
            } else {
                format!("执行标的：财产 {}（{kind} {}）", a.id, a.description)
            },
        });
    }
    if let Ok(state) = zhixing_app::case::state_of(&case) {
        for l in &state.credit.listings {
            targets.push(Target {
                value: format!("listing:{}", l.no),
                label: if en {
                    format!("Dishonest listing no. {}", l.no)
                } else {
                    format!("失信名单第 {} 号", l.no)
                },
            });
        }
    }
    targets.push(Target {
        value: "distribution".into(),
        label: zh_en("案款分配", "The distribution of case money").into(),
    });
    for r in reviews.iter().filter(|r| r.ruled_on.is_some()) {
        targets.push(Target {
            value: format!("ruling:{}", r.id),
            label: if en {
                format!("The ruling of {}", r.number)
            } else {
                format!("{} 的裁定", r.number)
            },
        });
    }
    targets.push(Target {
        value: "case".into(),
        label: zh_en(
            "本案执行（执行监督）",
            "This case's enforcement (supervision)",
        )
        .into(),
    });
    let own = app.store.court(&by.court_id).await.ok().flatten();
    let own_path = own.as_ref().map_or(String::new(), |c| c.path.clone());
    Ok(Loaded {
        reviews,
        targets,
        can_file: by.may(Action::HandleCases, &own_path),
        own_court: by.court_id.clone(),
        case_court: court.id,
        handles: by.may(Action::HandleCases, &own_path),
        extends: by.may(Action::ApproveExtension, &own_path),
    })
}

fn kind_label(lang: Lang, r: &ReviewView) -> String {
    match (lang, ReviewKind::parse(&r.kind)) {
        (Lang::En, Some(k)) => k.name_en().to_owned(),
        _ => r.kind_zh.clone(),
    }
}

fn challenged_label(c: &Challenged) -> String {
    if en() {
        return match c {
            Challenged::Measure { id } => format!("Measure {id}"),
            Challenged::Listing { no } => format!("Listing no. {no}"),
            Challenged::Distribution => "The distribution".into(),
            Challenged::Valuation { id } => format!("Reference price {id}"),
            Challenged::Auction { id } => format!("Auction {id}"),
            Challenged::Property { asset_id } => format!("Asset {asset_id}"),
            Challenged::Ruling { review_id } => format!("The ruling of review {review_id}"),
            Challenged::Case => "This case's enforcement".into(),
        };
    }
    match c {
        Challenged::Measure { id } => format!("控制措施 {id}"),
        Challenged::Listing { no } => format!("失信名单第 {no} 号"),
        Challenged::Distribution => "案款分配".into(),
        Challenged::Valuation { id } => format!("参考价 {id}"),
        Challenged::Auction { id } => format!("拍卖 {id}"),
        Challenged::Property { asset_id } => format!("财产 {asset_id}"),
        Challenged::Ruling { review_id } => format!("审查案件 {review_id} 的裁定"),
        Challenged::Case => "本案执行".into(),
    }
}

/// The forms on one review case, for those who may use them.
fn row_forms(lang: Lang, l: &Loaded, r: &ReviewView, token: &FormToken, id: i64) -> Markup {
    let kind = ReviewKind::parse(&r.kind);
    let examining = r.status == "examining";
    let at_review_court = l.handles && r.court_id == l.own_court;
    let at_case_court = l.handles && l.case_court == l.own_court;
    let form = |what: &str| format!("review-{}-{what}", r.id);
    let action = |what: &str| format!("/cases/{id}/reviews/{}/{what}", r.id);
    html! {
        @if examining && at_review_court {
            form.review-ruling method="post" action=(action("ruling")) {
                (token)
                label { (w(lang, "裁定结果", "Outcome")) select name="outcome" {
                    @for o in kind.map_or(&[][..], Outcome::allowed_for) {
                        option value=(o.as_str()) selected[kept::value(&form("ruling"), "outcome") == o.as_str()] {
                            (match lang { Lang::Zh => o.name_zh(), Lang::En => o.name_en() })
                        }
                    }
                } }
                label { (w(lang, "裁定理由", "Reasons")) textarea name="reasons" required maxlength="5000" { (kept::value(&form("ruling"), "reasons")) } }
                button type="submit" { (w(lang, "作出裁定", "Rule")) }
            }
        }
        @if examining && kind == Some(ReviewKind::ActObjection) && at_review_court && !r.suspension_ordered {
            form.review-suspension method="post" action=(action("suspension")) {
                (token)
                label { (w(lang, "停止执行该行为的理由", "Why the act is suspended")) input name="note" required maxlength="5000" value=(kept::value(&form("suspension"), "note")); }
                button type="submit" { (w(lang, "裁定停止执行行为", "Suspend the act")) }
            }
        }
        @if examining && kind == Some(ReviewKind::Reconsideration) && l.extends && r.court_id == l.own_court {
            form.review-extension method="post" action=(action("extension")) {
                (token)
                label { (w(lang, "延长天数", "Days")) input type="number" name="days" min="1" required value=(kept::value(&form("extension"), "days")); }
                label { (w(lang, "延长理由", "Reason")) input name="reason" required maxlength="5000" value=(kept::value(&form("extension"), "reason")); }
                button type="submit" { (w(lang, "院长批准延长", "Extend (president)")) }
            }
        }
        @if kind == Some(ReviewKind::OutsiderObjection) && at_case_court {
            @if matches!(r.status.as_str(), "examining" | "suit") && !r.security_recorded {
                form.review-security method="post" action=(action("security")) {
                    (token)
                    label { (w(lang, "申请执行人提供的担保", "The applicant's security")) input name="note" required maxlength="5000" value=(kept::value(&form("security"), "note")); }
                    button type="submit" { (w(lang, "记录担保，继续执行", "Record security")) }
                }
            }
            @if matches!(r.status.as_str(), "ruled" | "suit") && r.outcome.as_deref() == Some("dismissed") {
                form.review-suit method="post" action=(action("suit")) {
                    (token)
                    input type="hidden" name="started" value=(if r.status == "ruled" { "true" } else { "false" });
                    label { (w(lang, "情况说明", "Note")) input name="note" required maxlength="5000" value=(kept::value(&form("suit"), "note")); }
                    button type="submit" { @if r.status == "ruled" { (w(lang, "登记执行异议之诉", "Record the suit")) } @else { (w(lang, "执行异议之诉终结", "The suit ended")) } }
                }
            }
        }
    }
}

pub fn section(
    lang: Lang,
    l: &Loaded,
    token: &FormToken,
    id: i64,
    refused: Option<Refused<'_>>,
) -> Markup {
    let filing = |name: &str| kept::value("review-file", name);
    html! {
        section.card #reviews {
            h2 { (w(lang, "执行审查（执异 · 执复 · 执监）", "Review cases (objections, reconsideration, supervision)")) }
            @if let Some(m) = Refused::at(refused, SECTION) { p.error #reviews-refused role="alert" { (m) } }
            @if l.reviews.is_empty() { p.muted { (w(lang, "暂无。", "None.")) } }
            @else {
                div.scroll { table #review-list {
                    tr {
                        th { (w(lang, "案号", "Number")) } th { (w(lang, "类型", "Kind")) } th { (w(lang, "异议对象", "Challenged")) }
                        th { (w(lang, "申请人与理由", "Applicant and grounds")) } th { (w(lang, "收案 / 审查期限", "Received / due")) }
                        th { (w(lang, "状态", "Status")) } th { (w(lang, "办理", "Act")) }
                    }
                    @for r in &l.reviews {
                        tr data-review=(r.id) data-status=(r.status) {
                            td { strong { (r.number) } br; span.small.muted { (r.court_name) } }
                            td { (kind_label(lang, r)) }
                            td { (challenged_label(&r.challenged)) }
                            td.small { strong { (r.applicant) } br; (r.grounds) }
                            td { (r.received_on) " / " (r.due_on.as_deref().unwrap_or("—"))
                                @if r.extended_days > 0 { br; span.small { (w(lang, "已延长 ", "extended ")) (r.extended_days) (w(lang, " 日", " days")) } }
                                @if r.overdue { " " span.badge.late { (w(lang, "逾期", "overdue")) } } }
                            td.status {
                                (super::i18n::known(&r.status_zh))
                                @if let Some(o) = &r.outcome_zh { br; (w(lang, "裁定：", "Ruling: ")) strong { (super::i18n::known(o)) } " " span.small { (r.ruled_on.as_deref().unwrap_or("")) } }
                                @if let Some(t) = &r.ruling { br; span.small { (t) } }
                                @if r.holds_disposal { br; span.badge.late.review-hold { (w(lang, "暂停处置该财产", "disposal held")) } }
                                @if r.security_recorded { br; span.small { (w(lang, "已提供担保", "security given")) } }
                                @if r.suspension_ordered { br; span.small { (w(lang, "已裁定停止该执行行为", "act suspended")) } }
                            }
                            td { (row_forms(lang, l, r, token, id)) }
                        }
                    }
                } }
            }
            @if l.can_file {
                form #review-file method="post" action=(format!("/cases/{id}/reviews")) {
                    (token)
                    label { (w(lang, "审查类型", "Kind")) select name="kind" {
                        @for k in ReviewKind::ALL {
                            option value=(k.as_str()) selected[filing("kind") == k.as_str()] {
                                (match lang { Lang::Zh => k.name_zh(), Lang::En => k.name_en() }) @if lang == Lang::Zh { "（" (k.case_type().code()) "）" }
                            }
                        }
                    } }
                    label { (w(lang, "异议（申请）对象", "What is challenged")) select name="target" {
                        @for t in &l.targets { option value=(t.value) selected[filing("target") == t.value] { (t.label) } }
                    } }
                    label { (w(lang, "申请人（异议人、案外人）", "Applicant")) input name="applicant" required maxlength="5000" value=(filing("applicant")); }
                    label { (w(lang, "事实与理由", "Grounds")) textarea name="grounds" required maxlength="5000" { (filing("grounds")) } }
                    p.small.muted { (w(lang,
                        "执行异议向执行法院提出；执行复议向作出异议裁定法院的上一级法院申请；执行监督由上级法院立案。",
                        "An objection is filed at the enforcing court; reconsideration one level up from the court that ruled; supervision by a court above.")) }
                    button type="submit" { (w(lang, "立案审查", "File")) }
                }
            }
        }
    }
}

/// The values of a form post, in order (kept for the page if the form is refused).
type Fields = axum::Form<Vec<(String, String)>>;

/// Files a review case from the case page.
pub async fn file(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let r = async {
        let kind = rv::kind_from(field(&f, "kind"))?;
        let target = field(&f, "target");
        let (what, target_id) = match target.split_once(':') {
            Some((w, n)) => (w, n.trim().parse::<i64>().ok()),
            None => (target, None),
        };
        let cmd = ReviewCommand::File {
            case_id: id,
            kind,
            challenged: rv::challenged_from(what, target_id)?,
            applicant: field(&f, "applicant").to_owned(),
            grounds: field(&f, "grounds").to_owned(),
        };
        rv::execute(&app, &v.principal, cmd).await
    }
    .await;
    keeping("review-file", f, answer(&app, &v, id, SECTION, r)).await
}

/// One of the examining (or enforcing) court's acts on a review case, by `step`.
pub async fn act(
    State(app): State<App>,
    v: Viewer,
    Path((id, review, step)): Path<(i64, i64, String)>,
    axum::Form(f): Fields,
) -> Response {
    let r = async {
        // The review must be of this case: a form posted under another case's address is not
        // carried out there.
        let shown = rv::show(&app, &v.principal, review).await?;
        if shown.case_id != id {
            return Err(zhixing_app::AppError::not_found(
                "review_not_found",
                format!("no review case {review} on case {id}"),
            ));
        }
        let cmd = match step.as_str() {
            "ruling" => ReviewCommand::Rule {
                id: review,
                outcome: rv::outcome_from(field(&f, "outcome"))?,
                reasons: field(&f, "reasons").to_owned(),
            },
            "extension" => ReviewCommand::Extend {
                id: review,
                days: field(&f, "days").trim().parse().unwrap_or(0),
                reason: field(&f, "reason").to_owned(),
            },
            "security" => ReviewCommand::RecordSecurity {
                id: review,
                note: field(&f, "note").to_owned(),
            },
            "suspension" => ReviewCommand::OrderSuspension {
                id: review,
                reason: field(&f, "note").to_owned(),
            },
            "suit" => ReviewCommand::Suit {
                id: review,
                started: field(&f, "started") == "true",
                note: field(&f, "note").to_owned(),
            },
            _ => {
                return Err(zhixing_app::AppError::not_found(
                    "not_found",
                    format!("no act {step:?} on a review case"),
                ));
            }
        };
        rv::execute(&app, &v.principal, cmd).await
    }
    .await;
    let form = format!("review-{review}-{step}");
    keeping(form, f, answer(&app, &v, id, SECTION, r)).await
}
