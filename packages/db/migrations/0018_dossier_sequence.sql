-- The next number of an agency's daily dossier sequence in one round trip (issue 7, ADR 0007).
--
-- nextSequence (services/dossier-store.ts) took it in its own short transaction before the dossier's: BEGIN,
-- SET LOCAL synchronous_commit TO off, the upsert, COMMIT — four round trips, and on these machines each round trip
-- costs the app ~0.2 ms of CPU in the socket write alone (a profile of the submission scenario: 40 % of the app's
-- CPU in writev). As one statement outside any transaction: the same lock (one row, one statement), the same
-- commit without waiting for the WAL flush (the dossier's own commit flushes past it), one round trip.
--
-- Call it only OUTSIDE a transaction: set_config(…, true) lasts to the end of the transaction it runs in, and a
-- surrounding transaction would commit without waiting for its flush too.
CREATE FUNCTION next_dossier_seq(agency_code text, on_day date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  INSERT INTO dossier_counters AS c (agency, day, last_seq) VALUES (agency_code, on_day, 1)
    ON CONFLICT (agency, day) DO UPDATE SET last_seq = c.last_seq + 1
    RETURNING c.last_seq INTO n;
  RETURN n;
END $$;
