# Case handling (统一办案): filing, every change to a case, closure, resumption.
#
# A few codes are shared with other answers (a malformed query answers `invalid_date` or
# `unknown_case_type` too, other contexts `invalid_amount` or `reason_required`): a case refusal
# under such a code carries its words on its one reason (`reasons`), whose code is the case's
# own and has its message here.

## The state of the case does not allow it now

case_closed = the case is closed
closure_pending = a closure already awaits approval
case_suspended = end the suspension first; a suspended case can only be terminated or withdrawn
no_closure_pending = no closure awaits approval
own_proposal = { $what ->
    [closure] a closure is approved by a division head other than who proposed it; the proposer may neither approve nor send it back
    [payout] a payout is approved by someone other than who proposed it
    [extension] an extension is decided by a court president other than who asked for it
    [rule_version] a rule version is approved by an administrator other than who proposed it
    [calendar] an official calendar is approved by an administrator other than who proposed it
   *[other] this is approved by someone other than who proposed it
}
respondent_not_found = Related cases are found for a respondent: this party is not a respondent of the case.
related_cases_not_allowed = Only those who handle a case against this respondent, or a supervisor or division head above both courts, see the related cases.
not_open = only an open case can be suspended
not_suspended = the case is not suspended
not_terminated = only a case closed by 终结本次执行程序 can be resumed
already_resumed = already resumed as { $number }

## Steps of the process, clues, payments, security

unknown_action = unknown action "{ $action }"
invalid_note = a note has at most { $max } characters
note_required = record what was said, or why (at least { $min } characters)
notice_periods_required = the notice must state its periods: { $count } problems
invalid_notice_period = { $field ->
    [perform_days] the period to perform
   *[report_days] the period to report property
} must be a whole number of days from { $min } to { $max }
notice_periods_not_applicable = periods to perform and to report are stated only when issuing the enforcement notice
already_done = { $what ->
    [clue] the clue was already verified
   *[notice] the enforcement notice was already issued
}
officer_not_eligible = the officer must be an active officer or judge of the case's court
already_assigned = that officer already handles the case
invalid_clue = describe the clue in 1–{ $max } characters
invalid_result = record the result of the verification
clue_not_found = no clue { $no }
invalid_security = the security is not recorded as given
security_provider = provider: who gave the security, 1 to { $max } characters
security_description = description: what the security is, 1 to { $max } characters
reason_too_short = { $for ->
    [suspension] state the ground of suspension (at least { $min } characters)
    [resumption] state why enforcement resumes (at least { $min } characters)
    [extension] state why the case needs more time (at least { $min } characters)
    [refusal] state why it is refused (at least { $min } characters)
   *[send_back] say why the closure is sent back
}

## Extension of the time to conclude

extension_months = an extension is { $min } to { $max } months
extension_pending = an extension already awaits the president's decision
no_extension_pending = no extension awaits a decision
# $value $unit: the lead time (the rule book's), $due: the day the time to conclude ends, $last_day: the last day to ask.
extension_too_late = an extension is asked for { $value } { unit } before the time to conclude ends: it ends on { $due }, so the last day to ask was { $last_day }

## Closure: the refusal, and each condition (the checklist shows the same words)

unknown_closure_mode = unknown closure mode "{ $mode }"
closure_conditions_unmet = the conditions of this closure are not met
amount_paid = everything owed has been paid
duties_performed = the non-monetary duties have been performed
notice_issued = (1) the enforcement notice was issued and the respondent ordered to report its property
consumption_restriction = (2) every respondent is bound by a consumption restriction order in force on the day of closure (for an organisation, binding its legal representative and the other persons named)
dishonest_decided = (2) the respondent was put on the dishonest-debtor list where the conditions hold (or why not was recorded)
online_investigation = (3) property was searched for through the online investigation and control system
traditional_investigation = (3) traditional investigation measures were taken
clues_verified = (3) the property clues given by the applicant were verified
no_property = (3) no enforceable property was found, or what was found cannot be disposed of
# $value $unit: the rule book's least time since filing; $until: the day it runs to.
three_months = (4) more than { $value } { unit } have passed since filing
debtor_search = (5) a missing respondent was searched for and obstruction of enforcement punished
interview = the applicant was interviewed and its opinion recorded
unpaid_remains = an amount remains unpaid
measures_answered = { $count ->
    [0] every control measure has been answered by its institution
   *[other] every control measure has been answered by its institution (awaiting an answer: measures { $measures })
}
account_settled = the money in the case account has been paid out or its payout approved (not yet approved: { $undistributed })
account_paid_out = the money in the case account has been paid out (held now: { $held })
closure_reason = the reason for the closure is given (at least { $min } characters)

## Filing (立案): every problem at once

resumption_only = a 执恢 case is filed by resuming a terminated (终本) case: POST /api/v1/cases/{ "{" }id{ "}" }/resumption
unsupported_case_type = { $case_type } cases cannot be filed here yet
case_type_unknown = unknown case type "{ $case_type }": use 执, 执恢 or 执保
unknown_case_type = unknown case type "{ $case_type }"
invalid_party = { $problem ->
    [address] party { $no } ({ $name }): the address has at most { $max } characters
    [name] party { $no }: a name of 1–{ $max } characters is required
    [id_number_missing] party { $no } ({ $name }): a natural person needs a resident ID number
    [legal_representative] party { $no } ({ $name }): an organisation needs its legal representative
    [credit_code_missing] party { $no } ({ $name }): an organisation needs its unified social credit code
    [kind] party { $no }: kind "{ $kind }" is neither person nor organisation
    [no_applicant] at least one applicant (申请执行人) is required
    [no_respondent] at least one respondent (被执行人) is required
   *[too_many] at most { $max } parties
}
invalid_id_number = party { $no } ({ $name }): { $problem ->
    [birth_date] the resident ID number's birth date is not a real date
    [checksum] the resident ID number's check character is wrong
   *[shape] a resident ID number has 18 characters: 17 digits and a digit or X
}
invalid_credit_code = party { $no } ({ $name }): { $problem ->
    [checksum] the unified social credit code's check character is wrong
   *[shape] a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V, Z
}
invalid_basis = { $problem ->
    [deadline_before_effective] the performance period cannot end before the basis takes effect
    [unknown_kind] unknown basis kind "{ $kind }"
   *[document] the basis needs its issuing body and document number
}
# The field of the basis, as the API names it.
case-date-field = basis.{ $field }
date_invalid = { case-date-field } must be a date YYYY-MM-DD
basis_not_effective = the basis takes effect on { $effective_date }, after today
invalid_duties = non-monetary duties: at most { $max } characters
nothing_to_enforce = give an amount or a non-monetary duty
# $value $unit: the limitation period of the rule book; $ended_on: the day it ended.
limitation_expired = the limitation period of { $value } { unit } ended on { $ended_on }; record the reason for accepting a late application (late_reason)

## Amounts: $field is principal, interest, delay_interest, costs, total, payment or value

# The amount, as the API names it.
case-amount-field = { $field }
case-amount-problem = { $problem ->
    [negative] an amount cannot be negative
    [too_large] an amount above { $max } is refused
    [zero] an amount above zero
   *[overflow] the total would overflow
}
amount_invalid = { $field ->
    [payment] { case-amount-problem }
   *[other] { case-amount-field }: { case-amount-problem }
}
# An amount typed in yuan on the filing form.
amount_text_invalid = { case-amount-field }: { $problem ->
    [too_large] the amount is too large
   *[not_an_amount] give an amount in yuan, with at most two decimals
}

## Pieces the messages above share (a message referred to sees the same parameters)

review_case_type = A { $case_type } review case is not filed here: file it from the page of the enforcement case it concerns ("执行审查").

## Filing from the enforcement basis (smart filing drafts)

draft_document_empty = the document holds no text
draft_document_too_long = the document has more than { $max } characters; it is not an enforcement basis
draft_document_binary = the document is not text: upload the text of the judgment or other basis, or a PDF with a text layer
draft_document_not_legal = this was not recognised as a judgment, mediation statement, ruling, arbitral award or notarised debt instrument: check the document uploaded
draft_document_scanned = this PDF has no text layer (a scan): upload a PDF with a text layer, or paste the document's text
draft_document_unreadable = the PDF file cannot be read
draft_document_type = upload text (text/plain) or a PDF (application/pdf)
