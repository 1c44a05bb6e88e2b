//! Page language: Simplified Chinese by default, English on request (`/lang/en`).
//!
//! A page's words are written in place as pairs, `zh_en("立案", "File")`: the Chinese is the
//! default and what the court sees unless the user picked English. The language of the
//! request being answered is set once for the whole request ([`scoped`]), so helpers deep in a
//! page (a status's words, a table's headers) need no language argument; outside a request
//! (a unit test, a background job) it is Chinese. Exports (CSV, Excel) stay in Chinese
//! whatever the language: they are court files.
//!
//! Sentences the application writes (an alert, a step of the party's timeline) reach the page
//! as a message code and its parameters, worded from the catalogue (`messages/*/alerts.ftl`,
//! `steps.ftl`) in the page's language. What stays Chinese in English, because it is data and
//! not a word of the platform: names (of courts, parties, institutions — an institution's name
//! is as registered, and no table gives its English), case and document numbers, what people
//! typed, a rule's citation (the law's own text: a translation would be no citation), the
//! case account's name (a payer types it as the bank holds it) and the documents themselves
//! (the court's paper, served as made). A document's title is glossed ([`KNOWN`]): each kind
//! of document has one title, so the mapping is stable.

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

/// Words the app hands the pages in Chinese (a view's `status_zh`, `kind_zh`, `method_zh`…),
/// with their English: the domain's names and the app's few own words.
const KNOWN: &[(&str, &str)] = &[
    ("执行员", "Officer"),
    ("执行法官", "Enforcement judge"),
    ("执行局长", "Division head"),
    ("指挥中心监督员", "Command centre supervisor"),
    ("审计员", "Auditor"),
    ("系统管理员", "Administrator"),
    ("院长", "President"),
    ("一拍", "First auction"),
    ("二拍", "Second auction"),
    ("变卖", "Sale at a fixed price"),
    (
        "发出执行通知书、报告财产令",
        "Enforcement notice and order to report property issued",
    ),
    ("网络查控", "Online property search"),
    (
        "传统查控（实地调查、搜查、悬赏、审计）",
        "Traditional investigation (site visit, search, reward, audit)",
    ),
    ("限制消费令", "Consumption restriction order"),
    (
        "纳入失信被执行人名单",
        "Listed as a dishonest judgment debtor",
    ),
    (
        "不符合纳入失信名单条件（已说明）",
        "Not to be listed as dishonest (reason given)",
    ),
    (
        "查找下落不明的被执行人、惩戒妨碍执行行为",
        "Search for a missing respondent; sanction obstruction",
    ),
    (
        "约谈申请执行人并记录意见",
        "Applicant interviewed and views recorded",
    ),
    ("未发现可供执行财产", "No enforceable property found"),
    ("非金钱义务已履行", "Non-monetary duties performed"),
    ("被执行人报告财产", "Respondent reported property"),
    ("被执行人财产报告不实", "Respondent's property report false"),
    (
        "被执行人不履行执行和解协议",
        "Respondent breached the settlement",
    ),
    ("执行中", "Open"),
    ("中止", "Suspended"),
    ("报结待批", "Closure pending approval"),
    ("已结案", "Closed"),
    ("执行完毕", "Fully performed"),
    ("终结本次执行程序", "Round of enforcement terminated"),
    ("终结执行", "Enforcement terminated"),
    ("销案", "Withdrawn"),
    ("不予执行", "Enforcement refused"),
    ("驳回申请", "Application dismissed"),
    ("来访", "Visit"),
    ("来信", "Letter"),
    ("热线", "Hotline"),
    ("网上信访", "Online"),
    ("办理中", "In progress"),
    ("已办结", "Closed"),
    (
        "有履行能力而拒不履行生效法律文书确定义务",
        "Able to perform but refuses",
    ),
    (
        "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
        "Obstructs or resists enforcement by forged evidence, violence or threats",
    ),
    (
        "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
        "Evades enforcement by sham litigation or arbitration or by hiding or moving property",
    ),
    ("违反财产报告制度", "Breaches the duty to report property"),
    ("违反限制消费令", "Breaches a consumption restriction order"),
    (
        "无正当理由拒不履行执行和解协议",
        "Refuses without good reason to perform a settlement",
    ),
    (
        "被执行人已履行全部义务",
        "The respondent performed every obligation",
    ),
    ("执行和解协议已履行完毕", "The settlement was performed"),
    ("申请执行人书面申请删除", "The applicant asked in writing"),
    (
        "终结本次执行程序后两次查询未发现财产且申请执行人未提供线索",
        "Two searches after terminating the round found no property and the applicant gave no lead",
    ),
    (
        "因审判监督或破产程序中止执行",
        "Enforcement suspended for a retrial or bankruptcy",
    ),
    ("人民法院裁定不予执行", "The court ruled not to enforce"),
    (
        "人民法院裁定终结执行",
        "The court ruled to terminate enforcement",
    ),
    ("人民法院决定提前删除", "The court decided to remove early"),
    ("纠正申请理由成立", "A correction request was upheld"),
    ("纳入期限届满", "The listing term ended"),
    (
        "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位",
        "Flying, soft sleepers, or second class or above on ships",
    ),
    (
        "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
        "High spending at star-rated hotels, nightclubs, golf courses and the like",
    ),
    (
        "购买不动产或者新建、扩建、高档装修房屋",
        "Buying real estate or building, extending or luxuriously decorating a house",
    ),
    (
        "租赁高档写字楼、宾馆、公寓等场所办公",
        "Renting high-end offices, hotels or apartments to work in",
    ),
    (
        "购买非经营必需车辆",
        "Buying vehicles not needed for business",
    ),
    ("旅游、度假", "Travel and holidays"),
    (
        "子女就读高收费私立学校",
        "Children at high-fee private schools",
    ),
    (
        "支付高额保费购买保险理财产品",
        "High-premium insurance and wealth products",
    ),
    (
        "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为",
        "Any seat on G-series trains, first class or above on other bullet trains, and other spending not needed for life or work",
    ),
    ("冻结", "Freeze"),
    ("续冻", "Renew a freeze"),
    ("扣划", "Deduct"),
    ("查封", "Seal"),
    ("调查", "Investigate"),
    ("送达", "Serve"),
    ("待接收", "To accept"),
    ("已拒收", "Declined"),
    ("实地调查", "Site visit"),
    ("搜查", "Search"),
    ("悬赏公告", "Reward notice"),
    ("审计", "Audit"),
    ("扣押", "Seize"),
    ("执法记录仪视频", "Body camera video"),
    ("热线录音", "Hotline recording"),
    ("其他音视频", "Other recording"),
    ("系统", "System"),
    ("匿名访问", "Anonymous visitor"),
    ("执行行为异议", "Objection to an enforcement act"),
    ("案外人异议", "Outsider's objection"),
    ("执行复议", "Reconsideration"),
    ("执行监督", "Enforcement supervision"),
    ("受送达人下落不明", "Whereabouts unknown"),
    ("其他方式无法送达", "No other method worked"),
    ("直接送达", "In person"),
    ("留置送达", "Left at the domicile"),
    ("电子送达", "Electronic"),
    ("邮寄送达", "By post"),
    ("公告送达", "By announcement"),
    ("待办理", "Open"),
    ("已回复", "Replied"),
    ("已退回", "Returned"),
    ("当事人议价", "Agreed by the parties"),
    ("定向询价", "Directed inquiry"),
    ("网络询价", "Online inquiry"),
    ("委托评估", "Appraisal"),
    ("履行期间", "Time to perform"),
    ("报告财产期间", "Time to report property"),
    ("申请复议期间", "Time to seek reconsideration"),
    ("期间", "Period"),
    ("已送达", "Served"),
    ("公告送达中", "Being served by announcement"),
    ("未送达", "Not served"),
    ("财产线索", "Property lead"),
    ("已核查", "Checked"),
    ("待核查", "To check"),
    (
        "有财产可供执行案件法定期限内实际执结率",
        "Cases with property closed within the legal time limit",
    ),
    ("终本合格率", "Compliant terminations of the round"),
    ("执行信访办结率", "Complaints closed"),
    ("实际执行率", "Actual enforcement rate"),
    ("执行到位率", "Recovery rate"),
    ("执行完毕率", "Fully performed rate"),
    ("法定期限内结案率", "Closed within the legal time limit"),
    ("平均结案用时（天）", "Average days to close"),
    ("人均结案数", "Cases closed per officer"),
    ("委托事项按期办结率", "Entrusted matters done in time"),
    (
        "发出执行通知书、报告财产令",
        "Issue the enforcement notice and the order to report property",
    ),
    ("确定承办人", "Assign the officer"),
    ("首次网络查控", "First online property search"),
    ("执行案件结案期限", "Time limit to conclude the case"),
    ("立案受理", "Case filed"),
    ("中止执行", "Enforcement suspended"),
    (
        "恢复执行（中止结束）",
        "Enforcement resumed (suspension over)",
    ),
    ("同意电子送达", "Agreed to electronic service"),
    ("撤回电子送达同意", "Withdrew consent to electronic service"),
    ("银行存款", "Bank deposit"),
    ("理财产品", "Wealth product"),
    ("证券", "Securities"),
    ("基金份额", "Fund shares"),
    ("不动产", "Real estate"),
    ("车辆", "Vehicle"),
    ("船舶", "Ship"),
    ("股权", "Equity"),
    ("住房公积金", "Housing fund"),
    ("社会保险", "Social insurance"),
    ("退税", "Tax refund"),
    ("网络支付账户", "Online payment account"),
    ("互联网银行存款", "Internet bank deposit"),
    ("网络借贷", "Online lending"),
    ("虚拟财产", "Virtual property"),
    ("知识产权", "Intellectual property"),
    ("判决书", "Judgment"),
    ("裁定书", "Ruling"),
    ("调解书", "Mediation statement"),
    ("仲裁裁决", "Arbitral award"),
    ("公证债权文书", "Notarised debt instrument"),
    ("行政决定", "Administrative decision"),
    ("其他", "Other"),
    ("执行行为异议", "Objection to an enforcement act"),
    ("案外人异议", "Outsider's objection"),
    ("执行复议", "Reconsideration"),
    ("执行监督", "Supervision"),
    ("审查中", "Being examined"),
    ("已裁定", "Ruled"),
    ("异议之诉中", "Suit pending"),
    ("已结", "Ended"),
    ("驳回", "Dismissed"),
    ("撤销", "Revoked"),
    ("变更（纠正）", "Corrected"),
    (
        "中止对该标的的执行",
        "Enforcement of the property suspended",
    ),
    ("责令纠正", "Correction ordered"),
    // The titles of the documents the platform makes (`case::documents`): each kind has one
    // title, so the gloss is stable. The document itself stays Chinese: it is the court's
    // paper, served as made.
    ("受理案件通知书", "Notice of acceptance"),
    ("执行通知书", "Enforcement notice"),
    ("报告财产令", "Order to report property"),
    ("执行裁定书", "Enforcement ruling"),
    ("执行裁定书（中止执行）", "Enforcement ruling (suspension)"),
    (
        "执行裁定书（终结本次执行程序）",
        "Enforcement ruling (round of enforcement terminated)",
    ),
    (
        "执行裁定书（拍卖成交）",
        "Enforcement ruling (sale at auction)",
    ),
    ("结案通知书", "Notice of closure"),
    (
        "决定书（纳入失信被执行人名单）",
        "Decision (dishonest listing)",
    ),
    (
        "决定书（延长失信被执行人名单期限）",
        "Decision (dishonest listing extended)",
    ),
    (
        "决定书（删除失信信息）",
        "Decision (dishonest listing removed)",
    ),
    (
        "决定书（失信名单纠正申请）",
        "Decision (request to correct a listing)",
    ),
    ("信用惩戒预警通知书", "Credit warning notice"),
    (
        "解除限制消费令通知书",
        "Notice lifting the consumption restriction order",
    ),
];

/// A word the app gave in Chinese, in the request's language: its English if it is one of the
/// known words ([`KNOWN`]), else as given (data stays as stored).
pub fn known(zh: &str) -> &str {
    if !en() {
        return zh;
    }
    english_of(zh).unwrap_or(zh)
}

/// The English of a word the app gives in Chinese, if it is one of the known words.
pub fn english_of(zh: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(z, _)| *z == zh)
        .map(|(_, en)| *en)
        .or_else(|| zhixing_domain::indicators::english_name(zh))
}

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
