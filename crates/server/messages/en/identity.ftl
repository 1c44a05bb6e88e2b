# Identity and platform: accounts, passwords, courts, the rule book.

weak_password = A password needs at least { $min } characters and has at most { $max }.
invalid_username = A username has { $min } to { $max } characters: a–z, 0–9, '.', '_' or '-'.
invalid_display_name = A display name has { $min } to { $max } characters.
invalid_roles = The roles cannot be given as they are.
no_role = Give at least one role.
unknown_role = Unknown role { $role }.
invalid_scope = The scope cannot be read: { $detail }
invalid_rule = The rule version cannot be taken as it is.
rule_version_invalid = { $detail }
rule_date_invalid = { $field } must be a date YYYY-MM-DD.
rule_unit_unknown = Unknown unit { $unit }.
username_taken = The username { $username } is taken.
rule_version_exists = A version of rule { $rule } from { $effective_from } exists already.
metrics_forbidden = the metrics are for the operators' addresses or token
login_locked = Too many failed sign-ins for this account name; try again later.
login_rate_limited = Too many sign-in attempts from this address; try again later.
login_busy = Too many sign-ins at once; try again shortly.

## Training mode's clock (演练模式).
clock_not_simulated = The clock is the real time: only training mode (zhixing demo --simulated-clock) has a clock that can be advanced.
clock_backwards = The clock only moves forward: it is already { $now } (Beijing time); choose a later moment.
clock_days_invalid = Advance the clock by 1 to { $max } days.
clock_time_invalid = Give the moment as a date (2026-02-01) or a date and time (2026-02-01 09:30, Beijing time).
clock_advance_invalid = Give either a number of days or a moment to advance the clock to, not both.

# Four eyes on the rule book: proposals of rule versions and of years' official calendars.
invalid_calendar = The calendar cannot be taken as it is.
calendar_text_invalid = { $detail }
calendar_exists = The official calendar of { $year } is loaded already; it is not replaced.
proposal_decided = This proposal is { $status ->
    [approved] approved
   *[rejected] rejected
} already.
proposal_not_found = No such proposal.
rejection_reason = Say why the proposal is rejected (at least { $min } characters).

# Account administration: disable, enable, password reset, roles; changing one's own password.
user_not_found = There is no such account.
own_account_disable = You cannot disable your own account: the court could be left with nobody to manage accounts.
own_administrator_role = You cannot remove your own administrator role: the court could be left with nobody to manage accounts.
account_already_disabled = The account { $username } is disabled already.
account_already_enabled = The account { $username } is enabled already.
current_password_wrong = The current password is not right.
password_unchanged = The new password must differ from the current one.
password_change_required = An administrator reset your password: choose a new one first.
