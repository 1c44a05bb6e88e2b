# The command centre's alerts, worded on the page from the code and parameters the app stored
# beside each (`command_centre::alerts::words`). A parameter that names a domain value (a
# measure's kind, a review's kind…) arrives already named in the page's language.
alert_node_overdue = 「{ $title }」已于 { $due } 届满，尚未完成（{ $citation }）
alert_deadline_due_soon = 「{ $title }」将于 { $due } 届满，请及时办理（{ $citation }）
alert_case_untouched = 案件自 { $last } 起已逾 { $days } 日无任何办理动态
alert_listing_past_end = { $name }（失信名单 { $no }）纳入期限已于 { $ends } 届满，仍在公布：请核查并删除
alert_calendar_missing = 尚未载入 { $year } 年的官方节假日安排：涉及该年的期限暂按周末计算、标为暂定。请在国务院办公厅公布通知后载入该年工作日历（须另一名系统管理员批准）
alert_dishonest_removal_due = { $name }（失信名单 { $no }）：{ $trigger }，应于 { $due } 前删除失信信息
alert_restriction_lift_due = { $name }（限制消费令 { $no }）：已履行完毕，应解除限制消费令
alert_measure_expired = 控制措施已于 { $until } 到期失效（未续行）：财产可能已不受控制
alert_measure_expiring = { $measure }措施将于 { $until } 到期，剩 { $left } 天：请在期满前续行{ $renewing ->
        [yes] （续行已申请，待机构回复）
       *[no] { "" }
    }
alert_funds_overdue = 案款 { $amount } 元于 { $received } 到账，应于 { $due } 前发放，尚有 { $outstanding } 元未发放
alert_document_unserved = 《{ $document }》于 { $issued } 制作，至 { $due } 仍未向 { $party } 送达：期间自送达起算，请及时送达
alert_property_found = 终本后定期查控发现财产（{ $institution }，{ $found } 项）：建议恢复执行
alert_supervision_overdue = 督办事项“{ $title }”已于 { $deadline } 到期，{ $court } 未回复
alert_entrusted_overdue = 委托{ $act }事项（{ $number }）应于 { $due } 前办结，{ $court } 尚未回复结果
alert_entrusted_overdue_received = 受托{ $act }事项（{ $number }，{ $court } 委托）应于 { $due } 前办结，已超期
alert_complaint_overdue = 执行信访（{ $channel }，{ $received } 收到）应于 { $due } 前办结，已逾期
alert_review_overdue = { $review }案件 { $number } 应于 { $due } 前审查完毕，已逾期
