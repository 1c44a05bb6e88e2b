# 统一办案：立案、案件的每一项办理、结案、恢复执行。
#
# 少数代码与其他答复共用（查询参数有误时也答复 `invalid_date`、`unknown_case_type`，其他业务也用
# `invalid_amount`、`reason_required`）：案件以这些代码不予办理时，文字在其唯一的 reason 上，
# 该 reason 的代码为本业务独有，消息在此。

## 案件当前状态不允许

case_closed = 案件已结案，不能再办理。
closure_pending = 已有结案申请等待执行局长审批。
case_suspended = 案件已中止：请先恢复执行；中止中的案件只能终结执行或销案。
no_closure_pending = 没有等待审批的结案申请。
own_proposal = { $what ->
    [closure] 结案申请须由提出人以外的执行局长审批，本人提出的申请不能由本人审批或退回。
    [payout] 案款发放须由提出人以外的人审批。
    [extension] 延长执行期限须由申请人以外的院长审批，本人提出的申请不能由本人审批。
    [rule_version] 规则版本须由提议人以外的系统管理员审批，本人提议的不能由本人批准或驳回。
    [calendar] 官方工作日历须由提议人以外的系统管理员审批，本人提议的不能由本人批准或驳回。
   *[other] 须由提出人以外的人审批。
}
respondent_not_found = 关联案件按被执行人查询：该当事人不是本案被执行人。
related_cases_not_allowed = 只有办理以该被执行人为被执行人案件的人员，或两案所在法院的上级法院指挥中心监督员、执行局长，可以查看关联案件。
not_open = 只有执行中的案件可以中止。
not_suspended = 案件未中止。
not_terminated = 只有以终结本次执行程序结案的案件可以恢复执行。
already_resumed = 本案已恢复执行，新案号 { $number }。

## 办理事项、财产线索、履行、执行担保

unknown_action = 未知的办理事项：{ $action }。
invalid_note = 说明最多 { $max } 个字。
note_required = 请记录约谈内容或理由（至少 { $min } 个字）。
notice_periods_required = 发出执行通知书、报告财产令须载明期限：{ $count } 个问题。
invalid_notice_period = { $field ->
    [perform_days] 履行期限
   *[report_days] 报告财产期限
}须为 { $min } 至 { $max } 日的整数天数。
notice_periods_not_applicable = 只有发出执行通知书、报告财产令时才填写履行期限和报告期限。
already_done = { $what ->
    [clue] 该财产线索已经核查。
   *[notice] 执行通知书已经发出。
}
officer_not_eligible = 承办人须为本案法院在职的执行员或法官。
already_assigned = 该承办人已在承办本案。
invalid_clue = 请用 1 至 { $max } 个字描述财产线索。
invalid_result = 请记录核查结果。
clue_not_found = 没有第 { $no } 条财产线索。
invalid_security = 执行担保的信息不完整。
security_provider = 请写明担保人（1 至 { $max } 个字）。
security_description = 请写明担保的内容（1 至 { $max } 个字）。
reason_too_short = { $for ->
    [suspension] 请写明中止执行的事由（至少 { $min } 个字）。
    [resumption] 请写明恢复执行的理由（至少 { $min } 个字）。
    [extension] 请写明申请延长执行期限的理由（至少 { $min } 个字）。
    [refusal] 请写明不予批准的理由（至少 { $min } 个字）。
   *[send_back] 请写明退回的理由。
}

## 延长执行期限

extension_months = 延长期限为 { $min } 至 { $max } 个月。
extension_pending = 已有延长执行期限的申请等待院长审批。
no_extension_pending = 没有等待审批的延长执行期限申请。
# $value $unit：规则库中申请延长的提出时间；$due：结案期限届满日；$last_day：最迟提出日。
extension_too_late = 延长执行期限须在结案期限届满前{ $value }{ unit }提出：本案期限于 { $due } 届满，最迟应于 { $last_day } 提出。

## 结案：不予结案，以及每一项条件（结案页面的清单用同样的文字）

unknown_closure_mode = 未知的结案方式：{ $mode }。
closure_conditions_unmet = 结案条件尚不具备。
amount_paid = 应付款项已全部履行
duties_performed = 非金钱义务已履行
notice_issued = （一）已向被执行人发出执行通知、责令其报告财产
consumption_restriction = （二）每一被执行人均有在结案之日有效的限制消费令（单位被执行人须约束其法定代表人等人员）
dishonest_decided = （二）符合条件的已纳入失信被执行人名单（或已说明不符合条件）
online_investigation = （三）已通过网络执行查控系统查询财产
traditional_investigation = （三）已采取传统调查措施
clues_verified = （三）申请执行人提供的财产线索已核查
no_property = （三）未发现可供执行的财产或财产不能处置
# $value $unit：规则库中自立案起的最短期间；$until：期间届满日。
three_months = （四）自立案之日起已超过{ $value }{ unit }
debtor_search = （五）已查找下落不明的被执行人、依法惩戒妨碍执行行为
interview = 已约谈申请执行人并记录其意见
unpaid_remains = 尚有未履行的金额
measures_answered = { $count ->
    [0] 控制措施均已得到协助执行单位答复
   *[other] 控制措施均已得到协助执行单位答复（待答复的措施编号：{ $measures }）
}
account_settled = 案款账户内款项已发放或其发放已获批准（尚未批准分配 { $undistributed }）
account_paid_out = 案款账户内款项已全部发放（现存 { $held }）
closure_reason = 已写明结案理由（至少{ $min }个字）

## 立案：所有问题一并列出

resumption_only = 执恢案件只能由终本案件恢复执行产生，请在原案办理恢复执行。
unsupported_case_type = 本系统尚不能立“{ $case_type }”字号的案件。
case_type_unknown = 未知的案件类型“{ $case_type }”：请选择执、执恢或执保。
unknown_case_type = 未知的案件类型“{ $case_type }”。
invalid_party = { $problem ->
    [address] 第 { $no } 个当事人（{ $name }）：住所最多 { $max } 个字。
    [name] 第 { $no } 个当事人：请填写姓名或名称（1 至 { $max } 个字）。
    [id_number_missing] 第 { $no } 个当事人（{ $name }）：自然人须填写公民身份号码。
    [legal_representative] 第 { $no } 个当事人（{ $name }）：法人或其他组织须填写法定代表人。
    [credit_code_missing] 第 { $no } 个当事人（{ $name }）：法人或其他组织须填写统一社会信用代码。
    [kind] 第 { $no } 个当事人：类型“{ $kind }”既不是自然人，也不是法人或其他组织。
    [no_applicant] 至少须有一个申请执行人。
    [no_respondent] 至少须有一个被执行人。
   *[too_many] 当事人最多 { $max } 个。
}
invalid_id_number = 第 { $no } 个当事人（{ $name }）：{ $problem ->
    [birth_date] 公民身份号码中的出生日期不存在。
    [checksum] 公民身份号码的校验码不正确，请核对。
   *[shape] 公民身份号码应为 18 位：17 位数字加一位数字或 X。
}
invalid_credit_code = 第 { $no } 个当事人（{ $name }）：{ $problem ->
    [checksum] 统一社会信用代码的校验码不正确，请核对。
   *[shape] 统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）。
}
invalid_basis = { $problem ->
    [deadline_before_effective] 履行期限不能早于执行依据的生效日期。
    [unknown_kind] 未知的执行依据种类“{ $kind }”。
   *[document] 请填写执行依据的作出机关和文书编号。
}
case-date-field = { $field ->
    [effective_date] 生效日期
   *[performance_deadline] 履行期限届满日
}
date_invalid = { case-date-field }：请填写日期（年-月-日）。
basis_not_effective = 执行依据于 { $effective_date } 生效，尚未生效。
invalid_duties = 非金钱义务最多 { $max } 个字。
nothing_to_enforce = 请填写执行标的金额或非金钱义务。
# $value $unit：规则库中的申请执行期间；$ended_on：期间届满日。
limitation_expired = 申请执行期间（{ $value }{ unit }）已于 { $ended_on } 届满；如仍受理，请填写超过申请执行时效的受理理由。

## 金额：$field 为 principal、interest、delay_interest、costs、total、payment 或 value

case-amount-field = { $field ->
    [principal] 本金
    [interest] 利息
    [delay_interest] 迟延履行期间的债务利息
    [costs] 费用
    [total] 合计
    [value] 担保价值
   *[payment] 金额
}
case-amount-problem = { $problem ->
    [negative] 不能为负数。
    [too_large] 不能超过 { $max }。
    [zero] 须大于零。
   *[overflow] 累计金额超出上限。
}
amount_invalid = { case-amount-field }：{ case-amount-problem }
# 立案表单中以元填写的金额。
amount_text_invalid = { case-amount-field }：{ $problem ->
    [too_large] 金额过大。
   *[not_an_amount] 请填写金额（元），最多两位小数。
}

## 以上消息共用的片段（被引用的消息使用同样的参数）

review_case_type = “{ $case_type }”字号的执行审查案件不在此立案：请在所涉执行案件页面的“执行审查”中立案。

## 从执行依据填写（智能立案草稿）

draft_document_empty = 文件中没有文字。
draft_document_too_long = 文件超过 { $max } 个字，不是一份执行依据。
draft_document_binary = 文件不是文本：请上传判决书等执行依据的文字或带文字层的 PDF。
draft_document_not_legal = 未能识别为判决书、调解书、裁定书、仲裁裁决书或公证债权文书：请核对上传的文件。
draft_document_scanned = 该 PDF 没有文字层（扫描件）：请上传带文字层的 PDF 或粘贴文书文字。
draft_document_unreadable = 无法读取该 PDF 文件。
draft_document_type = 请上传文本（text/plain）或 PDF（application/pdf）。
