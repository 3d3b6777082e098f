-- A payment the gateway confirms when it can no longer settle anything (the dossier was closed: withdrawn, refused,
-- stopped or returned; or the same fee was already paid by another attempt) is still recorded as paid (the money
-- was taken) but flagged for a refund: it never counts toward what the dossier has paid.
ALTER TABLE payments ADD COLUMN refund_needed boolean NOT NULL DEFAULT false;
ALTER TABLE payments ADD CONSTRAINT payments_refund_needed_paid CHECK (NOT refund_needed OR status = 'paid');
-- A dossier's fee (or one requested obligation) is settled at most once; refunds-to-be are outside that rule.
DROP INDEX payments_paid_once_idx;
CREATE UNIQUE INDEX payments_paid_once_idx ON payments(dossier_id, purpose) WHERE status = 'paid' AND NOT refund_needed;
