-- Durable outbound messages (transactional outbox): a row is written in the same transaction as the change that
-- causes it (a dossier event → an e-mail, an SMS; later the national-portal sync), then delivered by a worker on any
-- app node. Claimed with SELECT … FOR UPDATE SKIP LOCKED plus a lease (locked_until): a node that dies mid-send
-- leaves its rows to be claimed again once the lease expires. See docs/adr/0005-outbox.md.
CREATE TABLE outbox (
  id              bigserial PRIMARY KEY,
  topic           text NOT NULL,                 -- selects the handler: notify.email, notify.sms, …
  dedupe_key      text NOT NULL UNIQUE,          -- the same key enqueued twice (a retried transaction) is one row
  ref             text,                          -- what the message is about, for listing (e.g. dossier:<uuid>)
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts        integer NOT NULL DEFAULT 0,    -- counted when a worker claims the row
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until    timestamptz,                   -- lease of the worker that claimed the row
  locked_by       text,                          -- that worker (only it may record the outcome)
  last_error      text,
  delivery        jsonb,                         -- what the receiver answered (message id, provider reference, 'log')
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_ref_idx ON outbox (ref) WHERE ref IS NOT NULL;
