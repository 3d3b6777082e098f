-- The audit hash chain is sealed after commit instead of inside every writing transaction (issue 7, ADR 0007).
--
-- Until now every audited write took one advisory lock, read the last hash and inserted its record chained to it,
-- holding the lock until COMMIT: all writes of the platform queued behind one another (under load, most backends
-- waited on "Lock: advisory"). Now a write only inserts its record (seq, prev_hash and hash empty); the sealer
-- (packages/db/src/audit.ts sealAudit, run every AUDIT_SEAL_MS by each app node, one at a time under the lock)
-- gives the committed records their place in the chain (seq) and their hashes, in id order, within about a second.
-- Records chained before this migration keep their hashes: they were chained in id order, so seq numbers them in
-- id order (1, 2, 3…: ids have gaps where a transaction rolled back; seq has none, so a missing seq is a deleted
-- record).
ALTER TABLE audit_log ADD COLUMN seq bigint;
UPDATE audit_log a SET seq = n.rn
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM audit_log) n
 WHERE a.id = n.id;
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL;
CREATE UNIQUE INDEX audit_log_seq_idx ON audit_log (seq);
CREATE INDEX audit_log_unsealed_idx ON audit_log (id) WHERE seq IS NULL;
-- The head of the chain (last sealed seq and its hash), written by the sealer in the same transaction: the next
-- record continues from it, and the verifier checks that the chain ends there (a deleted last record shows).
CREATE TABLE audit_chain_head (
  one  boolean PRIMARY KEY DEFAULT true CHECK (one),
  seq  bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_chain_head (one, seq, hash)
  SELECT true, seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
