# The command centre's alerts, worded on the page from the code and parameters the app stored
# beside each (`command_centre::alerts::words`). A parameter that names a domain value (a
# measure's kind, a review's kind…) arrives already named in the page's language; a citation
# is the law's own Chinese text, a name or a title typed by a person stays as typed.
alert_node_overdue = “{ $title }” was due on { $due } and is not done ({ $citation })
alert_deadline_due_soon = “{ $title }” falls due on { $due }: act in time ({ $citation })
alert_case_untouched = Nothing has been done on the case since { $last }: more than { $days } days
alert_listing_past_end = { $name } (dishonest list { $no }): the listing ended on { $ends } but is still published: check it and remove it
alert_calendar_missing = The official holidays of { $year } are not loaded: deadlines in that year count weekends only and are marked provisional. Load that year's working calendar once the State Council's General Office publishes it (another administrator approves)
alert_dishonest_removal_due = { $name } (dishonest list { $no }): { $trigger }; remove the listing by { $due }
alert_restriction_lift_due = { $name } (consumption restriction order { $no }): performed in full; lift the order
alert_measure_expired = The measure lapsed on { $until } without renewal: the property may no longer be held
alert_measure_expiring = Measure “{ $measure }” ends on { $until }, in { $left } days: renew it before then{ $renewing ->
        [yes] {" "}(renewal requested, awaiting the institution)
       *[no] { "" }
    }
alert_funds_overdue = { $amount } received on { $received } was to be paid out by { $due }; { $outstanding } is still unpaid
alert_document_unserved = “{ $document }”, made on { $issued }, is still not served on { $party } at { $due }: its periods run from service; serve it
alert_property_found = The periodic search after terminating the round found property ({ $institution }, { $found } items): consider resuming enforcement
alert_supervision_overdue = The supervision order “{ $title }” was due on { $deadline }; { $court } has not replied
alert_entrusted_overdue = Entrusted task “{ $act }” ({ $number }) was due by { $due }; { $court } has not reported the result
alert_entrusted_overdue_received = Task “{ $act }” entrusted to this court ({ $number }, by { $court }) was due by { $due } and is overdue
alert_complaint_overdue = Complaint ({ $channel }, received { $received }) was due to be resolved by { $due } and is overdue
alert_review_overdue = { $review } case { $number } was to be examined by { $due } and is overdue
