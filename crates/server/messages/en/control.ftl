# Investigation and control (查控): online investigation, the institutions of the network,
# control measures (freeze, seize, detain, deduct), traditional investigation and the legacy
# adapter. Periods of the law come as parameters ($max, $rule), never written here.

control-measure = { $measure ->
    [freeze] freeze
    [seize] seizure
    [detain] detention
    [deduct] deduction
   *[other] { $measure }
}
control-status = { $status ->
    [requested] requested
    [active] in effect
    [queued] waiting in line
    [done] carried out
    [refused] refused
    [released] released
    [expired] expired
   *[other] { $status }
}

## Control measures

invalid_measure = The measure cannot be asked for as it is.
held_by_other_court = The property is frozen by another court.
amount_above_due = The amount is above what is still due and not yet under control.
unknown_measure_kind = Unknown measure { $kind }: freeze, seize, detain or deduct.
unknown_property_kind = Unknown kind of property { $asset_kind }.
measure_not_applicable = A { control-measure } does not apply to { $asset_kind }.
already_held = This case already holds the property with a { control-measure }.
measure_amount_required = A freeze or a deduction needs an amount.
measure_amount_zero = The amount must be above zero.
measure_amount_negative = The amount ({ $amount_fen } fen) cannot be negative.
measure_amount_unreadable = The amount { $value } is not an amount in yuan.
measure_until_unreadable = The last day { $value } is not a date.
amount_above_room = The amount { $amount } is above what is still due and not yet controlled ({ $room }).
measure_takes_no_amount = A { control-measure } takes no amount.
frozen_by_other_court = The property is frozen by another court: a deduction needs that court's measure lifted first.
until_in_past = The last day ({ $until }) lies in the past (today is { $today }).
until_beyond_maximum = The last day { $until } is beyond the legal maximum ({ $max }, rule { $rule }).
deduction_has_no_period = A deduction has no period.
measure_date_out_of_range = The measure's last day ({ $until }) is out of range.
measure_not_supported = { $institution } does not take { control-measure } requests over the network.
measure_busy = A renewal or release of this measure is still awaiting the institution's answer.
not_renewable = { $why ->
    [deduction] A deduction has no period to renew.
    [not_in_effect] The measure has no last day yet (it is not in effect).
   *[status] Only a measure in effect is renewed (this one is { control-status }).
}
measure_expired = The measure expired on { $until }: an expired hold cannot be renewed, a new measure is needed.
invalid_renewal = { $why ->
    [not_after] The new last day ({ $requested }) must come after the current one ({ $until }).
   *[beyond] A renewal lasts at most one legal period: { $max } at the latest (rule { $rule }).
}
invalid_release = A release needs a reason of { $min } to { $max } characters.
not_releasable = Only a measure in effect or waiting is released (this one is { control-status }).

## Traditional investigation

control-field-method = { $method ->
    [field_visit] field visit
    [search] search
    [reward_notice] reward notice
    [audit] audit
   *[other] { $method }
}
invalid_field_investigation = The record of the investigation has several problems.
too_many_attachments = Too many attachments.
unknown_method = Unknown method of investigation.
unknown_field_method = Unknown method { $method }: field_visit, search, reward_notice or audit.
field_date_invalid = The day of the investigation ({ $on }) must be a date YYYY-MM-DD.
field_date_in_future = The investigation date { $on } is after today ({ $today }).
field_date_before_filing = The investigation date { $on } is before the case was filed ({ $filed_on }).
field_place_required = A { control-field-method } must say where it took place.
field_place_too_long = The place has at most { $max } characters.
field_findings_length = Record the findings in 1 to { $max } characters.
field_too_many_attachments = At most { $max } attachments per record.
form_field_unknown = Unknown field { $field }: method, on, place, findings, version and attachment.
form_field_repeated = { $field } is given more than once.
form_field_too_long = { $field } is too long.
form_field_not_text = { $field } is not UTF-8 text.
form_version_invalid = The { $field } is an integer.

## The network of institutions and their replies

invalid_institution = The institution cannot be registered as it is.
institution_id_invalid = The id has 1 to { $max } ASCII letters, digits, '-', '.' or '_'.
institution_name_required = A name is required.
institution_kind_unknown = Unknown kind of institution { $kind }.
institution_measure_unknown = Unknown measure { $measure }: query, freeze, seize, detain, deduct, renew, release.
institution_channel_unknown = The channel is national or local, not { $channel }.
institution_endpoint_invalid = The endpoint must be an http(s) URL.
institution_key_invalid = The public key is not a base64 Ed25519 key.
institution_concurrency = The concurrency is { $min } to { $max }.
national_institution_at_spc = National institutions are registered by an administrator of the SPC; this court registers local institutions of its own region only.
institution_region_outside = A local institution's region must lie within the administrator's (begin with its division code).
invalid_message = The message is malformed: { $detail }
stale_message = The message is not fresh: { $detail }
not_a_reply = This endpoint takes replies only.
unknown_sender = Unknown sender: { $detail }
bad_signature = The signature does not verify: { $detail }
unknown_message = The reply answers no request sent to this institution.

## The legacy adapter (XML)

legacy_root_element = The root element is <{ $name }>; an investigation request is <CKQQ>.
legacy_request_unreadable = <CKQQ>: { $detail }
unsupported_version = Version { $version } is not supported; this adapter speaks { $supported }.
unsupported_request_type = QQLX { $kind } is not supported by this adapter: only CX (查询, an online investigation) is.
legacy_case_number_invalid = AH { $number }: { $detail }
no_institutions = No institution on the network answers queries for this court.
