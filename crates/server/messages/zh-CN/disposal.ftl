# 处置：确定财产处置参考价、网络司法拍卖与案款。法定数值一律以参数传入，并附规则出处
# （$rule、$citation、$value、$unit），此处不写任何数值。



## 参考价

price_already_determined = 参考价已经以{ disposal-method-method }确定。
wrong_method = { $reason ->
    [failed] 当前确定方式为{ disposal-method-from }，本方式不成的，只能转入{ $next ->
        [none] ——（已无后续方式）
       *[other] { disposal-method-next }
    }，不能转入{ disposal-method-to }。
    [parties_request] 当前确定方式为{ disposal-method-from }，双方当事人一致要求的，只能转入其后的方式，不能转入{ disposal-method-to }。
    [required_by_law] 法律、行政法规规定必须委托评估的，应转入委托评估，不能转入{ disposal-method-to }。
   *[order] 当前确定方式是{ disposal-method-from }，不是{ disposal-method-to }：各方式须依次进行。
}
enquiry_not_commissioned = 尚未委托网络询价。
enquiry_already_commissioned = 已委托网络询价。
enquiry_has_answers = 询价平台已有按期答复，应以其平均价出具询价结果，不能转入其他方式。
answers_pending = 询价平台尚在答复期限内，且未全部答复（已答复 { $answered } 家，共 { $asked } 家；答复期限至 { $due }）。
no_timely_answer = 没有平台在 { $due } 前按期答复，网络询价不成，请转入委托评估。
invalid_platforms = { $reason ->
    [too_many] 询价平台最多 { $max } 家。
   *[other] 请填写询价平台，每个平台一次。
}
unknown_platform = “{ $platform }”不在本次询价之列。
already_answered = “{ $platform }”已经答复。
appraisal_already_commissioned = 已委托评估（{ $appraiser }）。
appraisal_not_commissioned = 尚未委托评估。
invalid_asset = 请指明财产。
invalid_agency = 请填写询价机构。
invalid_appraiser = 请填写评估机构。
invalid_objection = 请填写异议人。
invalid_price = 请填写价格（元），须大于零，最多两位小数。
invalid_validity = 有效期（至 { $valid_until }）不得早于结果作出之日（{ $on }）。
validity_too_long = 有效期最长 { $value }{ unit }，至 { $max } 止，不能至 { $valid_until }（依据：{ $citation }）。
no_reference_price = { $method ->
    [none] 尚无参考价，须先确定参考价。
   *[other] 尚无参考价，正以{ disposal-method-method }确定中。
}
not_objectionable = 以{ disposal-method-method }确定的价格不是可以提出异议的报告。
objection_pending = 参考价异议审查中，暂不能使用。
objection_period_over = 异议期已于 { $until } 届满（{ $value }{ unit }，依据：{ $citation }）。
objection_period_open = 参考价异议期未满（至 { $until }），期满后可用。
no_objection = 没有待裁定的异议。
objection_already_ruled = 第 { $no } 号异议已经裁定。
reference_price_expired = 参考价已于 { $valid_until } 过有效期，须重新确定。
asset_not_seized = 只能对本案查封、扣押中的财产确定参考价。
valuation_in_progress = 该财产已有进行中的参考价确定程序。
reference_price_valid = 该财产已有有效的参考价（至 { $valid_until }）。

## 网络司法拍卖

start_price_too_low = 起拍价过低：第一次拍卖的起拍价（{ $start_price }）不得低于参考价（{ $reference_price }）的 { $min_percent }%（依据：{ $citation }）。
price_cut_too_large = 再次拍卖的起拍价（{ $start_price }）降价幅度不得超过前次起拍价（{ $first_start_price }）的 { $max_cut_percent }%（依据：{ $citation }）。
second_auction_too_late = 流拍（{ $failed_on }）后应在 { $value }{ unit }内再次拍卖，最迟 { $last } 开始（依据：{ $citation }）。
deposit_out_of_range = 保证金（{ $deposit }）须为起拍价（{ $start_price }）的 { $min_percent }% 至 { $max_percent }%（依据：{ $citation }）。
announcement_too_short = 公告期不足：{ disposal-round }{ $class ->
    [movable] 动产
   *[other] 不动产或者其他财产权
}应在拍卖 { $days } 日前公告，{ $announced_on } 公告的，最早 { $earliest } 开始（依据：{ $citation }）。
bidding_too_short = 竞价时间不得少于 { $value }{ unit }（依据：{ $citation }）。
increment_not_positive = 加价幅度须大于零。
bad_schedule = { $reason ->
    [sell_off] 变卖须在再次拍卖结束之后开始。
   *[order] 竞价时间不正确：结束时间须晚于开始时间，开始时间须晚于公告时间。
}
wrong_round = { $round ->
    [first] 轮次不符：第一次拍卖只能在未曾拍卖或买受人悔拍之后进行。
    [second] 轮次不符：再次拍卖须在第一次拍卖流拍或买受人悔拍之后。
   *[sell_off] 轮次不符：变卖须在再次拍卖流拍之后。
}
invalid_round = 请选择拍卖轮次。
invalid_plan = { $field ->
    [title] 请填写标的名称（1 至 { $max } 字）。
    [balance_days] 尾款期限须为 { $min } 至 { $max } 日。
   *[other] 拍卖方案填写不完整。
}
not_auctionable = 该财产不适用拍卖（存款等直接扣划）。
invalid_time = 请填写竞价开始和结束时间。
already_auctioned = 该财产已在拍卖中或已拍卖，请办理其下一轮次。
auction_changed = 拍卖已被他人更新，请刷新后重试。
auction_closed = 拍卖已结束。
bidding_closed = 拍卖已结束（竞价于 { $ends_at } 结束）。
bidding_not_started = 竞价尚未开始（{ $starts_at } 开始）。
bidding_not_over = 竞价尚未结束（{ $ends_at } 结束）。
debtor_may_not_bid = 被执行人不得竞买本案财产。
court_staff_may_not_bid = 法院工作人员不得竞买本院拍卖的财产。
bidder_barred = 悔拍的买受人不得参加重新拍卖。
too_many_bidders = 竞买人数已满。
already_registered = 该竞买人已报名参加本次拍卖。
identity_name_mismatch = 姓名与该证件号码登记的姓名不一致。
invalid_identity = { $field ->
    [staff_id_number] 请填写有效的居民身份证号码（18 位，校验码正确）；留空则不登记。
    [real_name] 请填写真实姓名或名称（1 至 { $max } 字）。
   *[other] 请填写有效的居民身份证号码或统一社会信用代码。
}
not_registered = 该竞买人未报名参加本次拍卖。
bidder_not_found = 没有这个竞买号（{ $paddle }）。
deposit_already_paid = 该竞买人（{ $paddle } 号）的保证金已登记。
deposit_insufficient = 金额与应缴金额不符：保证金为 { $deposit }，登记的是 { $amount }。
already_holder = 该竞买人（{ $paddle } 号）已登记为优先购买权人。
invalid_rank = { $field ->
    [claim] 债权顺位须为费用、优先或普通。
   *[rank] 顺位须为正整数，且不得与已登记的顺位重复。
}
idempotency_key_reused = 该幂等键已用于另一次出价。
invalid_bid = { $reason ->
    [key] 出价须附幂等键（1 至 { $max } 字节）。
    [range] 出价金额超出范围。
   *[full] 出价记录已满。
}
deposit_not_paid = 该竞买人尚未缴纳保证金（{ $deposit }）。
bid_below_minimum = 首次出价不得低于起拍价 { $start_price }。
already_leading = 该竞买人已是最高出价人。
bid_below_increment = 出价不得低于 { $min }（当前价 { $current } 加加价幅度 { $increment }）。
not_sold = 拍卖未成交。
balance_overdue = 已超过尾款期限（{ $due }）。
balance_not_yet_due = 尾款期限（{ $due }）未届满，尚不能认定悔拍。
wrong_amount = 金额与应缴金额不符：尾款为 { $owed }，登记的是 { $amount }。
# 拍卖直播间：本场拍卖公告时确定的延时规则。
auction-extension = 竞价结束前 { $minutes } 分钟内有人出价的，结束时间自该出价时起顺延 { $minutes } 分钟。以服务器时间为准，竞买人以竞买号显示。

## 案款

unbalanced_entry = 记账分录借贷不平衡。
insufficient_funds = 案款不足：可用 { $held }，需要 { $needed }。
no_claims = 请列明 1 至 { $max } 项债权。
duplicate_claim = 当事人 { $party_no } 有两项同一顺位的债权，请合并为一项。
receipt_conflict = 该流水号已登记为第 { $receipt } 号到账，金额 { $amount }。
unknown_party = 本案没有第 { $party_no } 号当事人。
not_an_applicant = 第 { $party_no } 号当事人（{ $name }）是被执行人，案款只发放给申请执行人。
payout_not_proposed = 第 { $no } 号发放已不待审批。
payout_not_approved = 第 { $no } 号发放尚未批准，不能转账。

## 与其他答复共用的代码（invalid_amount、invalid_date、invalid_note、text_too_long、
## reason_required、invalid_reason、invalid_method、invalid_reference）：保留共用代码，
## 由其唯一的问题说明本处的原因。

amount_refused = { $problem ->
    [zero] 金额须大于零。
    [negative] 金额不得为负数。
    [too_large] 金额超出上限。
   *[format] 请填写金额（元），最多两位小数。
}
date_refused = { $field ->
    [received_on] 到账日须在立案日（{ $filed_on }）与今日（{ $today }）之间。
    [seized_on] 财产于 { $seized_on } 才查封、扣押。
   *[other] 日期不正确，请按“年-月-日”填写。
}
note_length = 备注须为 { $min } 至 { $max } 字。
reference_length = 请填写银行流水号（{ $min } 至 { $max } 字）。
decision_reason_length = 理由须为 { $min } 至 { $max } 字。
name_too_long = 填写的名称过长（最多 { $max } 字）。
method_unknown = 请选择确定方式。
move_reason_unknown = 请选择转入理由。
delay_reason_required = 本案款项应于 { $due } 前发放（{ $value }{ unit }，依据：{ $citation }），请说明延期理由。
delay_reason_length = 延期发放理由须为 { $min } 至 { $max } 字。

## 上文各消息共用的部分（被引用的消息取用相同的参数）

# $from、$method、$next、$to 所指的确定参考价方式。
disposal-method-from = { $from ->
    [agreement] 当事人议价
    [targeted_enquiry] 定向询价
    [online_enquiry] 网络询价
    [appraisal] 委托评估
   *[other] { $from }
}
disposal-method-method = { $method ->
    [agreement] 当事人议价
    [targeted_enquiry] 定向询价
    [online_enquiry] 网络询价
    [appraisal] 委托评估
   *[other] { $method }
}
disposal-method-next = { $next ->
    [agreement] 当事人议价
    [targeted_enquiry] 定向询价
    [online_enquiry] 网络询价
    [appraisal] 委托评估
   *[other] { $next }
}
disposal-method-to = { $to ->
    [agreement] 当事人议价
    [targeted_enquiry] 定向询价
    [online_enquiry] 网络询价
    [appraisal] 委托评估
   *[other] { $to }
}
# 拍卖轮次（$round）。
disposal-round = { $round ->
    [first] 第一次拍卖
    [second] 再次拍卖
    [sell_off] 变卖
   *[other] { $round }
}
no_file = 请选择要上传的照片或文件。
auction_over_files = 拍卖已结束，不能再上传标的物照片或文件。
too_many_auction_files = 每场拍卖最多上传 { $max } 个照片或文件（已有 { $have } 个）。
