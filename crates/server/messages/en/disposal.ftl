# Disposal: the reference price (参考价), online judicial auctions (网络司法拍卖) and the case
# account (案款). Figures of the law come in as parameters with the rule's citation
# ($rule, $citation, $value, $unit); none is written here.


## The reference price (参考价)

price_already_determined = the reference price was already determined by { disposal-method-method }
wrong_method = { $reason ->
    [failed] from { disposal-method-from }（{ $from }）a failure leads to { $next ->
        [none] no further method
       *[other] { disposal-method-next }
    }, not { disposal-method-to }（{ $to }）
    [parties_request] from { disposal-method-from }（{ $from }）the parties may ask for a later method, not { disposal-method-to }（{ $to }）
    [required_by_law] from { disposal-method-from }（{ $from }）a law requires 委托评估, not { disposal-method-to }（{ $to }）
   *[order] the determination is at { disposal-method-from }（{ $from }）, not { disposal-method-to }（{ $to }）: methods are tried in order
}
enquiry_not_commissioned = no platform was asked yet
enquiry_already_commissioned = the platforms were already asked
enquiry_has_answers = platforms answered in time: conclude the enquiry with their average
answers_pending = { $answered } of { $asked } platforms answered; the others have until { $due }
no_timely_answer = no platform answered in time (by { $due }): the online enquiry failed, move on to an appraisal
invalid_platforms = { $reason ->
    [too_many] at most { $max } platforms
   *[other] name each listed platform once (at least one)
}
unknown_platform = "{ $platform }" was not asked
already_answered = "{ $platform }" already answered
appraisal_already_commissioned = an appraiser ({ $appraiser }) was already commissioned
appraisal_not_commissioned = no appraiser was commissioned
invalid_asset = an asset is required
invalid_agency = the agency asked is required
invalid_appraiser = the appraiser is required
invalid_objection = who objects is required
invalid_price = { $field }: a price is an amount in fen above zero
invalid_validity = the validity ends ({ $valid_until }) before the result's date ({ $on })
validity_too_long = a result is valid at most until { $max } ({ $value } { unit }, { $rule }: { $citation }), not { $valid_until }
no_reference_price = { $method ->
    [none] no price determination of asset { $asset } was started
   *[other] the price is still being determined by { disposal-method-method }
}
not_objectionable = a price by { disposal-method-method } is not a report open to objection
objection_pending = an objection to the report waits for the court's ruling
objection_period_over = objections were due by { $until } ({ $value } { unit }, { $rule }: { $citation })
objection_period_open = the parties may object to the report until { $until }
no_objection = no objection is pending
objection_already_ruled = objection { $no } was already ruled on
reference_price_expired = the reference price was valid until { $valid_until } ({ $rule }): determine it again
asset_not_seized = asset { $asset } is under no seizure or detention (查封/扣押) of the case in effect: only such property is priced for sale
valuation_in_progress = a valuation of this asset is in progress
reference_price_valid = valuation { $valuation } determined a price valid until { $valid_until }: determine it again after that

## The online auction (网络司法拍卖)

start_price_too_low = the starting price { $start_price } is below { $min_percent }% of the reference price { $reference_price } ({ $rule }: { $citation })
price_cut_too_large = the second starting price { $start_price } is more than { $max_cut_percent }% below the first, { $first_start_price } ({ $rule }: { $citation })
second_auction_too_late = the second auction must be held by { $last }, within { $value } { unit } of the failure on { $failed_on } ({ $rule }: { $citation })
deposit_out_of_range = the deposit { $deposit } is outside { $min_percent }%–{ $max_percent }% of the starting price { $start_price } ({ $rule }: { $citation })
announcement_too_short = announced on { $announced_on }, the auction may start on { $earliest } at the earliest ({ $days } days, { $rule }: { $citation })
bidding_too_short = bidding lasts at least { $value } { unit } ({ $rule }: { $citation })
increment_not_positive = the increment (加价幅度) must be above zero
bad_schedule = { $reason ->
    [sell_off] the sell-off opens after the second auction ended
   *[order] the announcement comes before the start, and the start before the end
}
wrong_round = { $round ->
    [first] a first auction (first) follows nothing, or a first auction the buyer defaulted on
    [second] a second auction (second) follows a failed first auction, or a second the buyer defaulted on
   *[sell_off] a sell-off (sell_off) follows a second auction that failed (二拍流拍)
}
invalid_round = round: first, second or sell_off, not { $value }
invalid_plan = { $field ->
    [title] title: 1 to { $max } characters
    [balance_days] balance_days: { $min } to { $max }
    [auction_id] an auction id is required
   *[other] the plan is incomplete
}
not_auctionable = { $kind ->
    [deposit] money in an account is deducted (扣划), not auctioned
   *[other] { $kind } is not sold by auction
}
invalid_time = { $field }: an RFC 3339 time with its offset from UTC
already_auctioned = an auction of this property is { $status }: announce its next round
auction_changed = the auction changed meanwhile; try again
auction_closed = the auction is closed
bidding_closed = bidding ended at { $ends_at }
bidding_not_started = bidding starts at { $starts_at }
bidding_not_over = bidding ends at { $ends_at }
debtor_may_not_bid = the debtor (被执行人) may not bid for its own property
court_staff_may_not_bid = the court's own staff may not bid in its auctions
bidder_barred = a buyer who defaulted (悔拍) may not bid in the re-auction
too_many_bidders = no more bidders
already_registered = this person is already registered for this auction
identity_name_mismatch = the name is not the one this ID number is registered under
invalid_identity = { $field ->
    [staff_id_number] a valid 18-digit resident ID number is required (or leave it blank)
    [real_name] real_name: 1 to { $max } characters
   *[other] a valid resident ID number or unified social credit code is required
}
not_registered = the bidder has not registered for this auction
bidder_not_found = no bidder number { $paddle }
deposit_already_paid = the deposit of bidder { $paddle } is already paid
deposit_insufficient = the deposit is { $deposit }, not { $amount }
already_holder = bidder { $paddle } is already registered as a preemptive-right holder
invalid_rank = { $field ->
    [claim] rank is costs, priority or ordinary, not "{ $value }"
   *[rank] ranks start at 1
}
idempotency_key_reused = this idempotency key was used for another bid
invalid_bid = { $reason ->
    [key] an idempotency key (1–{ $max } bytes) is required
    [range] amount out of range
   *[full] the bid log is full
}
deposit_not_paid = a deposit of { $deposit } is paid before bidding
bid_below_minimum = the first bid is at least the starting price { $start_price }
already_leading = the bidder already holds the highest bid
bid_below_increment = a bid is at least { $min } (the current price { $current } plus the increment { $increment })
not_sold = nothing is owed on this auction ({ $status })
balance_overdue = the balance was due by { $due }
balance_not_yet_due = the buyer has until { $due }
wrong_amount = the balance is { $owed }, not { $amount }
# The live room: the rule of the auction's extension, as fixed when it was announced.
auction-extension = A bid in the last { $minutes } minutes moves the end to { $minutes } minutes after that bid. The server's clock rules; bidders are shown by number.

## The case account (案款)

unbalanced_entry = an entry needs a debit and a credit, and its debits must equal its credits
insufficient_funds = { $account } holds { $held }; { $needed } was asked for
no_claims = name 1 to { $max } claims
duplicate_claim = party { $party_no } has two { $rank } claims; add them up into one
receipt_conflict = receipt { $receipt } was booked with { $amount } under this reference
unknown_party = the case has no party { $party_no }
not_an_applicant = party { $party_no } ({ $name }) is a respondent; money is paid out to applicants
payout_not_proposed = payout { $no } is { $status } and awaits no decision
payout_not_approved = payout { $no } is { $status }; only an approved payout is transferred

## Problems under codes other answers share (invalid_amount, invalid_date, invalid_note,
## text_too_long, reason_required, invalid_reason, invalid_method, invalid_reference): the
## refusal keeps the shared code, its one reason says this context's words.

amount_refused = { $problem ->
    [zero] { $field }: an amount above zero, in fen
    [negative] { $field }: an amount cannot be negative
    [too_large] { $field }: the amount is too large
   *[format] { $field }: an amount in yuan, at most two decimals
}
date_refused = { $field ->
    [received_on] received_on lies between the filing ({ $filed_on }) and today ({ $today })
    [seized_on] the property is seized only on { $seized_on }
   *[other] { $field } must be a date YYYY-MM-DD
}
note_length = { $field } takes { $min } to { $max } characters
reference_length = { $field }: the bank's reference, { $min } to { $max } characters
decision_reason_length = { $field } takes { $min } to { $max } characters
name_too_long = { $field } is at most { $max } characters
method_unknown = unknown method "{ $value }": { $allowed }
move_reason_unknown = unknown reason "{ $value }": { $allowed }
delay_reason_required = money of this case was due to be paid out by { $due } ({ $value } { unit }, { $rule }: { $citation }); give the reason for the delay (delay_reason)
delay_reason_length = delay_reason takes { $min } to { $max } characters

## Pieces the messages above share (a message referred to sees the same parameters)

# The method of price determination named by $from, $method, $next or $to.
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
# The round of an auction ($round).
disposal-round = { $round ->
    [first] first auction
    [second] second auction
    [sell_off] sell-off
   *[other] { $round }
}
no_file = choose a photo or file to upload
auction_over_files = the auction is over: no more photos or files can be attached
too_many_auction_files = an auction has at most { $max } photos or files ({ $have } already)
