# The public portal: a party's own view, announcements.

access_denied = the case number or the access code is wrong
access_locked = too many wrong codes for this case number; try again later
search_too_long = The search text is too long; shorten it and search again.
announcement_not_found = There is no such announcement.
clue_applicant_only = Property clues are given by the applicant; a respondent reports their property instead.
receipt_not_found = There is no submission with this receipt number for this case and code.
