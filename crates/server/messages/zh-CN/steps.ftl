# The steps of a case on the party's page (`portal::public_step`), worded from the code and
# parameters the app gives: a domain value (`action`, `mode`, `method`) arrives named in the
# page's language, an amount already in yuan.
step_filed = 立案受理
step_officer_assigned = 确定承办人
step_action = { $action }
step_payment = 履行 { $amount } 元
step_funds_received = 案款到账 { $amount } 元
step_suspended = 中止执行
step_suspension_ended = 恢复执行（中止结束）
step_extended = 执行期限延长 { $months } 个月
step_closed = 结案：{ $mode }
step_served_by_announcement = 公告送达：{ $document }（视为送达日 { $served }）
step_served = 送达：{ $document }（{ $method }）
step_consent_given = 同意电子送达
step_consent_revoked = 撤回电子送达同意
step_resumed_as = 恢复执行，新案号 { $number }
step_dishonest_listed = 纳入失信被执行人名单
step_dishonest_extended = 失信期限延长
step_dishonest_removed = 移出失信被执行人名单
step_restriction_ordered = 发出限制消费令
step_restriction_lifted = 解除限制消费令
step_security_provided = 提供执行担保
step_credit_warning = 信用惩戒预警（期限至 { $until }）
