-- Service of documents (送达, DOMAIN §4c). The service records themselves are case events (the
-- case's state holds them); what lives here is what does not belong in an event:
--
-- * the proofs uploaded with a service (the signed return, the record of a refusal, the postal
--   return, the announcement): bytes in the database as for field investigations (0006), so a
--   service and its proof commit together and a backup holds both; never changed;
-- * the address a party gave for notices of electronic service, sealed like party identifiers;
-- * the outbox of those notices (SMS or e-mail), sent by a worker through the sender interface.

CREATE TABLE service_proofs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    court_id     TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png', 'video/mp4')),
    size         BIGINT NOT NULL CHECK (size > 0 AND size <= 10485760),
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    at_us        BIGINT NOT NULL,
    by_actor     TEXT NOT NULL
);
CREATE INDEX service_proofs_case ON service_proofs (case_id, id);

CREATE TRIGGER service_proofs_no_update BEFORE UPDATE ON service_proofs
BEGIN
    SELECT RAISE(ABORT, 'proofs of service are immutable');
END;
CREATE TRIGGER service_proofs_no_delete BEFORE DELETE ON service_proofs
BEGIN
    SELECT RAISE(ABORT, 'proofs of service are immutable');
END;

CREATE TABLE service_contacts (
    case_id        BIGINT NOT NULL REFERENCES cases (id),
    party_no       BIGINT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    address_cipher TEXT NOT NULL,
    at_us          BIGINT NOT NULL,
    PRIMARY KEY (case_id, party_no)
);

CREATE TABLE service_notices (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        BIGINT NOT NULL REFERENCES cases (id),
    party_no       BIGINT NOT NULL,
    document_id    BIGINT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    address_cipher TEXT NOT NULL,
    body           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts       BIGINT NOT NULL DEFAULT 0,
    next_at_us     BIGINT NOT NULL,
    created_us     BIGINT NOT NULL,
    sent_us        BIGINT,
    last_error     TEXT
);
CREATE INDEX service_notices_due ON service_notices (status, next_at_us);

-- Each recipient of a document not yet served, with the day after which the command centre
-- alerts (issue + the rule book's lead time): written with the document, removed with its
-- service, so that the watch worker reads only what is due.
CREATE TABLE unserved_documents (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    document_id BIGINT NOT NULL,
    party_no    BIGINT NOT NULL,
    court_id    TEXT NOT NULL,
    title       TEXT NOT NULL,
    party_name  TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    PRIMARY KEY (case_id, document_id, party_no)
);
CREATE INDEX unserved_documents_due ON unserved_documents (due_on);

-- The division head's queue: payouts proposed at a court, awaiting the decision.
CREATE INDEX fund_payouts_court_status ON fund_payouts (court_id, status, proposed_at);
