# 信用惩戒：失信被执行人名单与限制消费令。期限、年龄等法定数值以参数传入（$value、$citation、
# $min、$max），此处不写任何数值。

credit-field = { $field ->
    [facts] 失信行为
    [reason] 理由
    [bound_person] 约束人员姓名
    [note] 预警内容
    [amended_facts] 更正后的失信行为
   *[other] 填写的文字
}

## 填写有误

invalid_text = { credit-field }须为 { $min } 至 { $max } 个字。
invalid_listing = { $count } 个问题。
no_ground = 请至少选择一项失信情形。
invalid_ground = 失信情形只有第一项至第六项，没有第 { $ground } 项。
invalid_trigger = 请选择删除事由。
invalid_decision = 请选择“理由成立”或“驳回”。
invalid_correction = 驳回纠正申请时不更正失信行为，请清空更正内容。
invalid_extension = 延长期限须为 { $min } 至 { $max } 年。
trigger_in_future = 删除事由发生之日（{ $trigger_on }）不能晚于今天（{ $today }）。
party_not_found = 只能对本案的被执行人办理（本案没有第 { $party_no } 号当事人）。
not_a_respondent = 只能对本案的被执行人办理（{ $name }是申请执行人）。
listing_not_found = 没有这条失信名单（第 { $no } 号）。
correction_not_found = 没有这项纠正申请（第 { $no } 号）。
order_not_found = 没有这份限制消费令（第 { $no } 号）。
minor = { $name }在 { $on } 未满 { $value } 周岁，不得纳入失信名单（依据：{ $citation }）。
ground_not_applicable = { $by ->
    [security] 已提供的执行担保（{ $covered }）足以清偿未履行部分（{ $unpaid }），不适用第一项情形（有履行能力而拒不履行）。
   *[controlled] 已控制的财产（{ $covered }）足以清偿未履行部分（{ $unpaid }），不适用第一项情形（有履行能力而拒不履行）。
}
bound_persons_required = 对单位的限制消费令须约束其法定代表人或其他人员，请至少填写一人。
bound_persons_not_applicable = 对自然人的限制消费令约束其本人，无须另填约束人员。
not_extendable = 依第一项情形（有履行能力而拒不履行）纳入的失信名单至履行完毕时止，没有可延长的期限。
trigger_not_shown = 案件尚有未履行金额（{ $unpaid }），不能以“已履行全部义务”删除。
invalid_warning = 信用惩戒预警有误：{ $count } 个问题。
invalid_grace = 宽限期须为 { $min } 至 { $max } 日（由本院确定）。

## 当前状态不允许

already_listed = { $name }在本案已被纳入失信名单。
already_extended = 该失信名单已延长过，只能延长一次。
already_removed = 该失信名单已删除。
not_expired = 该失信名单的纳入期限尚未届满。
correction_pending = 该失信名单已有待审查的纠正申请。
already_decided = 该纠正申请已经审查决定。
already_ordered = { $name }已有有效的限制消费令。
already_lifted = 该限制消费令已解除。
still_listed = 被限制人仍在失信名单上（第 { $listing_no } 号），须先删除失信信息。
listing_facts_missing = 纳入失信名单所依据情形的事实尚不具备（{ $count } 项）。
notice_missing = 尚未向被执行人发出执行通知书、报告财产令，不能依第 { $ground } 项情形纳入失信名单。
perform_period_running = 执行通知书载明的履行期限自 { $from } 起算，至 { $until } 届满；届满后仍未履行的，方可依第一项情形纳入失信名单。
report_period_running = 报告财产令载明的报告期限自 { $from } 起算，至 { $until } 届满；届满仍未报告的，方可依第四项情形纳入失信名单。
property_reported = 被执行人已于 { $on } 报告财产（报告期限至 { $until }），且未记录报告不实，不能依第四项情形纳入失信名单。
no_restriction_in_force = 该被执行人没有有效的限制消费令，不能依第五项情形（违反限制消费令）纳入失信名单。
settlement_breach_missing = 本案没有被执行人不履行执行和解协议的记录，不能依第六项情形纳入失信名单。
in_warning_grace = 已于 { $on } 向{ $name }发出信用惩戒预警，宽限期至 { $until } 届满，期内不予纳入失信名单。
already_warned = 已向{ $name }发出信用惩戒预警，宽限期至 { $until }，期内不再重复预警。

## 数据共享协议

invalid_agreement = 协议草案有误。
agency_name_invalid = 请填写共享单位名称（1 至 { $max } 个可打印字符）。
agency_code_invalid = 请填写共享单位代码（1 至 { $max } 个字符，限英文字母、数字、“-”和“_”）。
legal_basis_invalid = 请填写共享的法律依据（1 至 { $max } 个可打印字符）。
no_shared_field = 请至少选择一个共享字段。
shared_field_twice = 共享字段“{ $field }”重复。
shared_field_unknown = 没有共享字段“{ $field }”（可选：{ $known }）。
validity_date_invalid = { $field ->
    [valid_from] 生效日期
   *[valid_to] 失效日期
}请按“年-月-日”填写。
validity_reversed = 生效日期（{ $valid_from }）不能晚于失效日期（{ $valid_to }）。
validity_ended = 失效日期（{ $valid_to }）早于今天（{ $today }）。
revocation_reason_invalid = 请填写撤销理由（1 至 { $max } 个字）。
own_agreement = 协议由您拟定，须由拟定人以外的执行局长批准。
agreement_not_draft = 该协议已不是待审批的草案，无需再批准。
agreement_expired = 该协议的有效期已经届满，请重新拟定协议。
agreement_not_active = 该协议尚未批准或已撤销，不能签发密钥。
already_revoked = 该协议已经撤销。

## 公告

invalid_announcement = 公告有误。
announcement_title_invalid = 请填写公告标题（1 至 { $max } 个字）。
announcement_body_invalid = 请填写公告正文（1 至 { $max } 个字）。
announcement_court_forbidden = 只能以本院的名义发布公告（系统管理员：本院或下级法院）。
