-- The watch worker's 终本 re-investigation scan read every 终本 case of the last five years on
-- every pass, each with a correlated MAX(requested_at) over its investigations and a search of
-- all cases for a resumption (no index on resumed_from): 1–1.9 s on the 2,000-case demo.
-- Instead, each 终本 case whose periodic re-investigation is still owed has a mark holding
-- when its interval last began (the start of its closure day, China time, or its latest
-- investigation, whichever is later); the scan reads only the marks old enough to be due,
-- along `zhongben_rechecks_since`. Closing a case as 终本 makes the mark, any investigation
-- of the case moves it, resuming the case or the end of the period removes it.
CREATE INDEX cases_resumed_from ON cases (resumed_from) WHERE resumed_from IS NOT NULL;

CREATE TABLE zhongben_rechecks (
    case_id   BIGINT PRIMARY KEY REFERENCES cases (id),
    court_id  TEXT NOT NULL,
    closed_on TEXT NOT NULL,
    since_us  BIGINT NOT NULL
);
CREATE INDEX zhongben_rechecks_since ON zhongben_rechecks (since_us, case_id);

INSERT INTO zhongben_rechecks (case_id, court_id, closed_on, since_us)
SELECT c.id, c.court_id, c.closed_on,
       GREATEST((CAST(EXTRACT(EPOCH FROM CAST(c.closed_on AS DATE)::timestamp) AS BIGINT) - 28800) * 1000000,
           COALESCE((SELECT MAX(i.requested_at) FROM investigations i WHERE i.case_id = c.id), 0))
FROM cases c
WHERE c.status = 'closed' AND c.closure_mode = 'zhongben' AND c.closed_on IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM cases r WHERE r.resumed_from = c.id);
