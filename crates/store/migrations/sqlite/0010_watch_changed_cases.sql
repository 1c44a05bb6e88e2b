-- The watch worker proposes removals from the dishonest list and lifts of restriction orders
-- when a case's data shows a trigger (paid, closed). A trigger appears only when a case
-- changes, so after its first pass the worker reads only the cases changed since its last
-- pass, instead of every listing in force (millions at national scale) every minute.
CREATE INDEX cases_updated ON cases (updated_at);
