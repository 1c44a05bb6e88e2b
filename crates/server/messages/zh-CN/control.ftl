# 查控：网络查控、查控网络的协助机构、控制措施（冻结、查封、扣押、扣划）、传统查控及旧系统接口。
# 法定期限等数字以参数（$max、$rule）传入，不在此处书写。

control-measure = { $measure ->
    [freeze] 冻结
    [seize] 查封
    [detain] 扣押
    [deduct] 扣划
   *[other] { $measure }
}
control-status = { $status ->
    [requested] 已发送，待回复
    [active] 生效中
    [queued] 轮候中
    [done] 已扣划
    [refused] 被拒绝
    [released] 已解除
    [expired] 已失效
   *[other] { $status }
}

## 控制措施

invalid_measure = 控制措施申请有误，不予办理。
held_by_other_court = 该财产已被他院冻结。
amount_above_due = 申请金额超过尚未履行且未控制的金额。
unknown_measure_kind = 措施种类“{ $kind }”有误：应为冻结、查封、扣押或扣划。
unknown_property_kind = 财产种类“{ $asset_kind }”无法识别。
measure_not_applicable = { control-measure }不适用于该类财产（{ $asset_kind }）。
already_held = 本案已对该财产采取{ control-measure }措施。
measure_amount_required = 冻结、扣划须填写金额。
measure_amount_zero = 金额须大于零。
measure_amount_negative = 金额（{ $amount_fen } 分）不得为负数。
measure_amount_unreadable = 金额“{ $value }”无法识别，请以元为单位填写。
measure_until_unreadable = 期限：请填写日期（“{ $value }”不是日期）。
amount_above_room = 申请金额 { $amount } 超过尚未履行且未控制的金额（{ $room }）。
measure_takes_no_amount = { control-measure }无须填写金额。
frozen_by_other_court = 该财产已被他院冻结，须待他院解除冻结后方可扣划。
until_in_past = 期限（{ $until }）早于今日（{ $today }）。
until_beyond_maximum = 期限 { $until } 超过法定最长期限（{ $max }，规则 { $rule }）。
deduction_has_no_period = 扣划无期限。
measure_date_out_of_range = 措施期限（{ $until }）超出范围。
measure_not_supported = { $institution }不受理网络{ control-measure }申请。
measure_busy = 该措施的续行或解除申请尚待协助机构答复。
not_renewable = { $why ->
    [deduction] 扣划无期限，无须续行。
    [not_in_effect] 该措施尚未生效，无期限可续行。
   *[status] 仅生效中的措施可以续行（该措施{ control-status }）。
}
measure_expired = 该措施已于 { $until } 失效：失效后不能续行，须重新采取控制措施。
invalid_renewal = { $why ->
    [not_after] 续行后的期限（{ $requested }）须晚于原期限（{ $until }）。
   *[beyond] 续行期限不得超过一个法定期限：最迟至 { $max }（规则 { $rule }）。
}
invalid_release = 解除须说明理由（{ $min } 至 { $max } 字）。
not_releasable = 仅生效中或轮候中的措施可以解除（该措施{ control-status }）。

## 传统查控

control-field-method = { $method ->
    [field_visit] 实地调查
    [search] 搜查
    [reward_notice] 悬赏公告
    [audit] 审计
   *[other] { $method }
}
invalid_field_investigation = 传统查控记录有多处问题。
too_many_attachments = 附件过多。
unknown_method = 调查方式有误。
unknown_field_method = 调查方式“{ $method }”有误：应为实地调查、搜查、悬赏公告或审计。
field_date_invalid = 调查日期（{ $on }）须为 YYYY-MM-DD 格式的日期。
field_date_in_future = 调查日期 { $on } 晚于今日（{ $today }）。
field_date_before_filing = 调查日期 { $on } 早于立案日期（{ $filed_on }）。
field_place_required = { control-field-method }须填写地点。
field_place_too_long = 地点至多 { $max } 字。
field_findings_length = 调查情况须为 1 至 { $max } 字。
field_too_many_attachments = 每条记录至多 { $max } 个附件。
form_field_unknown = 表单项“{ $field }”无法识别。
form_field_repeated = 表单项“{ $field }”重复。
form_field_too_long = 表单项“{ $field }”过长。
form_field_not_text = 表单项“{ $field }”不是 UTF-8 文本。
form_version_invalid = 表单项“{ $field }”须为整数。

## 查控网络的协助机构及其答复

invalid_institution = 协助机构信息有误，不予登记。
institution_id_invalid = 机构标识须为 1 至 { $max } 个 ASCII 字母、数字或“-”“.”“_”。
institution_name_required = 须填写机构名称。
institution_kind_unknown = 机构类别“{ $kind }”无法识别。
institution_measure_unknown = 措施“{ $measure }”无法识别：应为 query、freeze、seize、detain、deduct、renew、release。
institution_channel_unknown = 接入方式应为总对总（national）或点对点（local），而非“{ $channel }”。
institution_endpoint_invalid = 接口地址须为 http(s) 网址。
institution_key_invalid = 公钥不是 base64 编码的 Ed25519 公钥。
institution_concurrency = 并发数须为 { $min } 至 { $max }。
national_institution_at_spc = 总对总机构由最高人民法院的系统管理员登记；本院只能登记本地区的点对点机构。
institution_region_outside = 点对点机构的地区代码须在本院所辖地区之内（以本院地区代码开头）。
invalid_message = 报文格式有误：{ $detail }
stale_message = 报文已过时效：{ $detail }
not_a_reply = 本接口仅接收答复报文。
unknown_sender = 发送方无法识别：{ $detail }
bad_signature = 签名验证未通过：{ $detail }
unknown_message = 该答复未对应向本机构发出的任何请求。

## 旧系统接口（XML）

legacy_root_element = 根元素为 <{ $name }>；查控请求应为 <CKQQ>。
legacy_request_unreadable = <CKQQ>：{ $detail }
unsupported_version = 不支持版本 { $version }；本接口使用 { $supported }。
unsupported_request_type = 本接口不支持请求类型 QQLX { $kind }：仅支持 CX（查询，即网络查控）。
legacy_case_number_invalid = 案号 { $number } 有误：{ $detail }
no_institutions = 查控网络中没有可受理本院查询的协助机构。
