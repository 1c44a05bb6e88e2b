# Answers shared by every context.

# Several problems at once: $count of them, already put in words in $problems.
problems = { $count } problems: { $problems }
internal = an internal error occurred; it has been logged
unavailable = the database is unavailable; try again

# A unit of a rule of the rule book, after its figure.
-unit = { $unit ->
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
