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
