//! Page language: Simplified Chinese by default, English on request (`/lang/en`).

use axum::http::request::Parts;

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
