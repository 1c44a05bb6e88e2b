# Answers shared by every context.

# Several problems at once: $count of them, already put in words in $problems.
problems = { $count } problems: { $problems }
internal = an internal error occurred; it has been logged
unavailable = the database is unavailable; try again

# A unit of a rule of the rule book, after its figure.
unit = { $unit ->
    [days] days
    [working_days] working days
    [hours] hours
    [minutes] minutes
    [months] months
    [years] years
    [percent] %
    [fen] fen
   *[other] { $unit }
}
version_conflict = the case was changed by someone else meanwhile; reload it and try again
rule_unavailable = the rule book or the working-day calendar cannot give the period this needs; the administrator has to check them
invalid_reason = give a reason
court_not_found = no such court, or not one you may reach

## The one check of typed text (names, addresses, reasons, notes…). $field is the field's
## code, $char the refused character (U+XXXX), $min and $max the bounds in characters.

text-field = { $field ->
    [name] the name
    [legal_representative] the legal representative
    [issuing_body] the issuing body
    [document_number] the basis's document number
    [duties] the duties
    [late_reason] the reason for the late filing
    [address] the address
    [reason] the reason
    [note] the note
    [title] the title
    [body] the text
    [content] the content
    [description] the description
    [facts] the facts
    [display_name] the name
   *[other] the text
}
text_control_character = { text-field } holds a control character ({ $char }); remove it and send again.
text_bidi_control = { text-field } holds a character that changes the direction of text ({ $char }); remove it and send again.
text_invisible = { text-field } must not be empty or hold only spaces or invisible characters.
text_too_short = { text-field } needs at least { $min } characters.
text_too_long = { text-field } may have at most { $max } characters.

# Cross-site protection: the submission did not come from the platform's own page, or it lacks (or has a wrong) form token. Nothing was changed.
csrf_rejected = not done, nothing was changed: this submission did not come from the platform's own page, or the page has expired; reload the platform's page and submit again
