# Review cases: objections, reconsideration, supervision (DOMAIN §4b)
review_target_mismatch = A { $kind } cannot challenge what was chosen: an objection challenges an act, an outsider's objection the property, a reconsideration a ruling on an objection.
objection_wrong_court = An objection is filed with the court that enforces.
reconsideration_wrong_court = Reconsideration is sought at the court one level above the court that ruled on the objection.
supervision_not_above = Supervision is exercised by a court above the court that enforces.
outsider_objection_too_late = Enforcement of this property has ended: an outsider's objection must come before it ends.
reconsideration_not_allowed = Only a ruling on an objection to an act can be reconsidered; against a ruling on an outsider's objection there is a suit or a retrial.
ruling_unserved = The ruling has not been served: the period to seek reconsideration has not begun.
reconsideration_period_over = Reconsideration is sought within { $value } { unit } of the ruling's service ({ $citation }): served on { $served_on }, the period ended on { $until }.
review_extension_invalid = The days of extension are not valid.
review_extension_not_allowed = Only a reconsideration's examination may be extended, with the president's approval.
review_extension_too_long = A reconsideration's examination is extended by at most { $value } { unit } ({ $citation }); { $asked } days were asked.
property_under_review = While { $review } is examined, this property may not be disposed of ({ $disposal }), unless the applicant gives adequate security to continue.
