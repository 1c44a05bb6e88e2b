# The steps of a case on the party's page (`portal::public_step`), worded from the code and
# parameters the app gives: a domain value (`action`, `mode`, `method`) arrives named in the
# page's language, an amount already in yuan; a document's title is glossed where its kind has
# one title (the document itself stays Chinese).
step_filed = Case filed
step_officer_assigned = Officer assigned
step_action = { $action }
step_payment = Payment of { $amount }
step_funds_received = { $amount } received into the case account
step_suspended = Enforcement suspended
step_suspension_ended = Enforcement resumed (suspension over)
step_extended = Time limit extended by { $months } months
step_closed = Closed: { $mode }
step_served_by_announcement = Served by announcement: { $document } (deemed served on { $served })
step_served = Served: { $document } ({ $method })
step_consent_given = Agreed to electronic service
step_consent_revoked = Withdrew consent to electronic service
step_resumed_as = Enforcement resumed as case { $number }
step_dishonest_listed = Put on the dishonest list
step_dishonest_extended = Dishonest listing extended
step_dishonest_removed = Removed from the dishonest list
step_restriction_ordered = Consumption restriction order issued
step_restriction_lifted = Consumption restriction order lifted
step_security_provided = Security for enforcement provided
step_credit_warning = Credit warning (until { $until })
