-- When the watch worker raised the unserved-document alert for a recipient: it then reads only
-- the recipients not yet alerted, in bounded batches, instead of every overdue one on every
-- pass. A service removes the row and clears the alert in its own transaction.
ALTER TABLE unserved_documents ADD COLUMN alerted_at BIGINT;
CREATE INDEX unserved_documents_to_alert ON unserved_documents (due_on) WHERE alerted_at IS NULL;
