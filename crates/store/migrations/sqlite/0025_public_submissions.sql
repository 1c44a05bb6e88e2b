-- What parties submit online through the public portal with their case number and access
-- code (网上提交): a property clue (财产线索) or a complaint (网上信访). The clue itself lives
-- on the case (a `case.clue_submitted` event, its number `clue_no`), the complaint in
-- `complaints`; this row is the receipt (回执) the party follows them by, and who gave it.
-- The receipt alone opens nothing: following it needs the party's access code too.
CREATE TABLE public_submissions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt      TEXT NOT NULL UNIQUE,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    party_no     BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('clue', 'complaint')),
    clue_no      BIGINT,
    complaint_id BIGINT REFERENCES complaints (id),
    submitted_at BIGINT NOT NULL,
    CHECK ((kind = 'clue' AND clue_no IS NOT NULL AND complaint_id IS NULL)
        OR (kind = 'complaint' AND complaint_id IS NOT NULL AND clue_no IS NULL))
);
CREATE INDEX public_submissions_case ON public_submissions (case_id, party_no, id);
CREATE INDEX public_submissions_complaint ON public_submissions (complaint_id) WHERE complaint_id IS NOT NULL;
