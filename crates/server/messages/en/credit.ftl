# Credit discipline: the dishonest-debtor list and consumption restriction orders. Figures of
# the law (periods, ages) come as parameters ($value, $citation, $min, $max), never written here.

credit-field = { $field ->
    [facts] the facts
    [reason] the reason
    [bound_person] a bound person's name
    [note] the warning's text
    [amended_facts] the amended facts
   *[other] the text
}

## Input to correct

invalid_text = { credit-field } needs { $min } to { $max } characters.
invalid_listing = { $count } problems.
no_ground = Name at least one ground of art. 1 (1–6).
invalid_ground = Ground { $ground } does not exist: art. 1 has grounds 1 to 6.
invalid_trigger = Choose the trigger of the removal (expiry is recorded by the system).
invalid_decision = The decision must be accept or reject.
invalid_correction = A rejected request amends nothing: leave the amended facts empty.
invalid_extension = An extension is { $min } to { $max } years.
trigger_in_future = The trigger ({ $trigger_on }) cannot be later than today ({ $today }).
party_not_found = Only a respondent of this case can be listed or restricted (no party { $party_no }).
not_a_respondent = Only a respondent of this case can be listed or restricted ({ $name } is an applicant).
listing_not_found = No listing { $no } on this case.
correction_not_found = No correction request { $no } on this case.
order_not_found = No restriction order { $no } on this case.
minor = { $name } is under { $value } on { $on } and is never listed ({ $citation }).
ground_not_applicable = { $by ->
    [security] Ground 1 does not apply: the security given ({ $covered }) covers what is still due ({ $unpaid }).
   *[controlled] Ground 1 does not apply: property under control ({ $covered }) covers what is still due ({ $unpaid }).
}
bound_persons_required = An order on an organisation binds its legal representative or other named persons: name at least one.
bound_persons_not_applicable = An order on a natural person binds that person; named persons are for organisations.
not_extendable = A listing on ground 1 lasts until performance and has no period to extend.
trigger_not_shown = { $unpaid } is still unpaid: the debtor has not performed in full.
invalid_warning = The credit warning has { $count } problems.
invalid_grace = The grace must be { $min } to { $max } days (the court sets it).

## Not allowed in the present state

already_listed = { $name } is already listed on this case.
already_extended = The listing was already extended: it can be extended once.
already_removed = The listing was already removed.
not_expired = The listing period has not ended.
correction_pending = A correction request on this listing awaits review.
already_decided = The correction request was already decided.
already_ordered = An order on { $name } is already in force.
already_lifted = The restriction order was already lifted.
still_listed = The person is still listed (listing { $listing_no }): remove the listing first.
listing_facts_missing = The facts the grounds need are not on the case yet ({ $count }).
notice_missing = No enforcement notice and property report order has been issued: the respondent cannot be listed on ground { $ground }.
perform_period_running = The period to perform stated in the enforcement notice runs from { $from } to { $until }: listing on ground 1 only once it has passed without performance.
report_period_running = The period to report property stated in the report order runs from { $from } to { $until }: listing on ground 4 only once it has passed without a report.
property_reported = The respondent reported its property on { $on } (period to { $until }) and no false report is recorded: ground 4 does not apply.
no_restriction_in_force = No consumption restriction order is in force on this respondent: ground 5 (breach of a restriction) does not apply.
settlement_breach_missing = No settlement agreement left unperformed is recorded on the case: ground 6 does not apply.
in_warning_grace = A credit warning was sent to { $name } on { $on }; its grace runs to { $until }, and no listing until then.
already_warned = { $name } was already warned; the grace runs to { $until }.

## Data-sharing agreements

invalid_agreement = The draft agreement has problems.
agency_name_invalid = agency_name: 1 to { $max } printable characters
agency_code_invalid = agency_code: 1 to { $max } of A–Z, a–z, 0–9, '-' and '_'
legal_basis_invalid = legal_basis: 1 to { $max } printable characters
no_shared_field = fields: name at least one field
shared_field_twice = fields: "{ $field }" is named twice
shared_field_unknown = fields: unknown field "{ $field }"; known: { $known }
validity_date_invalid = { $field }: a date YYYY-MM-DD
validity_reversed = valid_from ({ $valid_from }) must not be after valid_to ({ $valid_to })
validity_ended = valid_to { $valid_to } is in the past (today is { $today })
revocation_reason_invalid = reason: 1 to { $max } characters
own_agreement = the drafter of an agreement cannot approve it: a division head other than the drafter approves it
agreement_not_draft = only a draft agreement is approved; this one is no longer a draft
agreement_expired = the agreement's validity has ended: draft a new one
agreement_not_active = keys are issued for approved agreements only; this one is a draft or revoked
already_revoked = the agreement is already revoked

## Announcements

invalid_announcement = The announcement has problems.
announcement_title_invalid = title: 1 to { $max } characters
announcement_body_invalid = body: 1 to { $max } characters
announcement_court_forbidden = announcements are posted for your own court (administrators: it or a court below it)
