-- The command centre's alerts (issue 7, item 2). Counts per court and kind are rolled up the
-- court hierarchy on every dashboard view, so counting must read an index, never the table:
-- open alerts only (cleared ones pile up forever), by court then kind, the id next so that
-- one court's list filtered by kind pages along it. `cleared_at` (always NULL here) is the
-- last column only so that SQLite sees the index as covering the count.
CREATE INDEX alerts_open_court_kind ON alerts (court_id, kind, id, cleared_at) WHERE cleared_at IS NULL;
-- One court's list newest first. It replaces `alerts_court` (0004), which also held every
-- cleared alert.
DROP INDEX alerts_court;
CREATE INDEX alerts_open_court ON alerts (court_id, id) WHERE cleared_at IS NULL;
-- Clearing a case's alerts when it closes or is touched must find them by the case, not scan.
CREATE INDEX alerts_open_case ON alerts (case_id) WHERE cleared_at IS NULL;
-- One kind across a subtree (the list's kind filter), and the worker's per-kind reconciling.
CREATE INDEX alerts_open_kind ON alerts (kind, id) WHERE cleared_at IS NULL;

-- How far the watch worker's date-driven steps got (the day the deadline and untouched-case
-- pass last ran), so that a pass every minute does the once-a-day work once a day.
CREATE TABLE watch_marks (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
