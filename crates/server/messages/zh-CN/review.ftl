# 执异、执复、执监（DOMAIN §4b）
review_target_mismatch = { $kind }不能针对所选对象提出：执行行为异议针对执行行为，案外人异议针对执行标的，执行复议针对异议裁定。
objection_wrong_court = 执行异议应当向负责执行的人民法院提出。
reconsideration_wrong_court = 执行复议应当向作出异议裁定的人民法院的上一级人民法院申请。
supervision_not_above = 执行监督由上级人民法院对下级人民法院的执行工作进行。
outsider_objection_too_late = 该执行标的的执行程序已经终结，案外人异议应当在执行标的执行终结之前提出。
reconsideration_not_allowed = 只有对执行行为异议作出的裁定可以申请复议；对案外人异议裁定不服的，可依法提起执行异议之诉或者申请再审。
ruling_unserved = 异议裁定尚未送达，复议期间尚未开始计算。
reconsideration_period_over = 申请复议应当自裁定送达之日起{ $value }{ unit }内提出（{ $citation }）：裁定于 { $served_on } 送达，期间已于 { $until } 届满。
review_extension_invalid = 延长的天数不正确。
review_extension_not_allowed = 只有执行复议案件经院长批准可以延长审查期限。
review_extension_too_long = 复议审查期限延长不得超过{ $value }{ unit }（{ $citation }），申请延长 { $asked } 日。
property_under_review = 案外人异议（或裁定中止执行）{ $review } 审查期间，不得对该财产{ $disposal }；申请执行人提供充分、有效的担保请求继续执行的除外。
