//! Page language: Simplified Chinese by default, English on request (`/lang/en`).
//!
//! A page's words are written in place as pairs, `zh_en("立案", "File")`: the Chinese is the
//! default and what the court sees unless the user picked English. The language of the
//! request being answered is set once for the whole request ([`scoped`]), so helpers deep in a
//! page (a status's words, a table's headers) need no language argument; outside a request
//! (a unit test, a background job) it is Chinese. Exports (CSV, Excel) stay in Chinese
//! whatever the language: they are court files.

use axum::extract::Request;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

tokio::task_local! {
    /// The language of the request being answered.
    static CURRENT: Lang;
}

/// Answers the request in the language its cookie picked (the route layer of every page).
pub async fn scoped(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let lang = Lang::from_parts(&parts);
    CURRENT
        .scope(lang, next.run(Request::from_parts(parts, body)))
        .await
}

/// The Chinese words, or the English ones when the request being answered is in English.
pub fn zh_en(zh: &'static str, en: &'static str) -> &'static str {
    Lang::current().pick(zh, en)
}

/// Runs `work` in Chinese whatever the request's language: the exports (CSV, Excel) are court
/// files, in Chinese, headers and cells alike.
pub async fn in_chinese<T>(work: impl Future<Output = T>) -> T {
    CURRENT.scope(Lang::Zh, work).await
}

/// Whether the request being answered is in English (for sentences built with `format!`).
pub fn en() -> bool {
    Lang::current() == Lang::En
}

/// A domain value's words in the current language: its Chinese name, or its English one.
pub trait Label {
    fn label(self) -> &'static str;
}

/// `Label` for the domain enums that name themselves with `name_zh()` and `name_en()`.
macro_rules! labelled {
    ($($t:ty),* $(,)?) => {$(
        impl Label for $t {
            fn label(self) -> &'static str {
                zh_en(self.name_zh(), self.name_en())
            }
        }
        impl Label for &$t {
            fn label(self) -> &'static str {
                (*self).label()
            }
        }
    )*};
}

use zhixing_domain as d;
labelled!(
    d::access::Role,
    d::auction::Round,
    d::case::ActionKind,
    d::case::CaseStatus,
    d::case::ClosureMode,
    d::complaint::Channel,
    d::complaint::Status,
    d::credit::Ground,
    d::credit::RemovalTrigger,
    d::credit::SpendingKind,
    d::entrusted::EntrustedAct,
    d::entrusted::TaskStatus,
    d::field::FieldMethod,
    d::measure::MeasureKind,
    d::recording::Kind,
    d::review::ReviewKind,
    d::service::FailureReason,
    d::service::ServiceMethod,
    d::supervision::SupervisionStatus,
    d::valuation::PriceMethod,
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

pub const LANG_COOKIE: &str = "zx_lang";

impl Lang {
    pub fn from_parts(parts: &Parts) -> Lang {
        match crate::api::cookie(parts, LANG_COOKIE).as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
    /// The language of the request being answered; Chinese outside a request.
    pub fn current() -> Lang {
        CURRENT.try_with(|l| *l).unwrap_or(Lang::Zh)
    }
    /// `zh` in Chinese, `en` in English.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    /// The text of `key` in this language.
    pub fn t(self, key: &'static str) -> &'static str {
        let (zh, en) = match key {
            "app" => ("智慧执行", "Zhixing"),
            "tagline" => (
                "人民法院执行指挥与办案平台",
                "Enforcement command and case-handling platform",
            ),
            "login" => ("登录", "Sign in"),
            "logout" => ("退出", "Sign out"),
            "username" => ("用户名", "Username"),
            "password" => ("密码", "Password"),
            "bad_login" => ("用户名或密码错误", "Wrong username or password"),
            "home" => ("首页", "Home"),
            "courts" => ("法院", "Courts"),
            "court_tree" => ("法院层级", "Court hierarchy"),
            "command" => ("指挥中心", "Command centre"),
            "rules" => ("规则库", "Rule book"),
            "users" => ("用户", "Users"),
            "audit" => ("审计", "Audit"),
            "welcome" => ("欢迎", "Welcome"),
            "your_court" => ("所在法院", "Your court"),
            "your_roles" => ("角色", "Roles"),
            "deadlines_here" => ("本院适用的主要期限", "Main time limits at your court"),
            "supervised" => ("监督范围内的法院", "Courts under your supervision"),
            "chain" => ("审计链", "Audit chain"),
            "chain_ok" => ("完整", "intact"),
            "chain_bad" => ("已被篡改", "TAMPERED"),
            "chain_bad_elsewhere" => (
                "异常记录不属于本院及下级法院，由最高人民法院审计员查明",
                "the bad entry is outside your courts; the SPC's auditors see where",
            ),
            "entries" => ("条记录", "entries"),
            "first_bad" => ("首个异常记录", "First bad entry"),
            "accounts" => ("本院及下级法院账号", "Accounts of your court and below"),
            "rule" => ("规则", "Rule"),
            "value" => ("数值", "Value"),
            "citation" => ("依据", "Citation"),
            "effective" => ("施行", "In force from"),
            "region" => ("地区", "Region"),
            "national" => ("全国", "national"),
            "needs_check" => ("待核", "to confirm"),
            "recent_events" => ("最近事件", "Recent events"),
            "time" => ("时间", "Time"),
            "actor" => ("操作人", "Actor"),
            "kind" => ("类型", "Kind"),
            "subject" => ("对象", "Subject"),
            "name" => ("名称", "Name"),
            "code" => ("代字", "Code"),
            "level" => ("层级", "Level"),
            "supreme" => ("最高法院", "Supreme"),
            "high" => ("高级法院", "High"),
            "intermediate" => ("中级法院", "Intermediate"),
            "basic" => ("基层法院", "Basic"),
            "court" => ("法院", "Court"),
            "display_name" => ("姓名", "Name"),
            "not_found" => ("页面不存在", "Page not found"),
            "lang_other" => ("English", "中文"),
            "not_done" => ("未予办理", "Not done"),
            "back" => ("返回重新填写", "Back to the form"),
            _ => (key, key),
        };
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
    pub fn unit(self, unit: &str) -> &'static str {
        let (zh, en) = match unit {
            "days" => ("日", "days"),
            "working_days" => ("个工作日", "working days"),
            "hours" => ("小时", "hours"),
            "minutes" => ("分钟", "minutes"),
            "months" => ("个月", "months"),
            "years" => ("年", "years"),
            "percent" => ("%", "%"),
            "fen" => ("分", "fen"),
            _ => ("", ""),
        };
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
