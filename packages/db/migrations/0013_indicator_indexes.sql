-- Indicators at 1,000,000 dossiers (issue 6, measured with bench/src/indicators.ts).
--
-- "In progress, overdue" is counted at query time over the running facts. 0012's partial index was keyed by
-- (unit, day received): a province-wide year read all ~105,000 running facts and their heap rows to find the ~2,500
-- past due (0.5–0.8 s on a busy machine, 9 s at 16 concurrent requests). Keyed by the legal due date instead, the
-- scan stops at "now": only dossiers already past due are read, from the index alone. The at-risk list (due before
-- now + 1 working day) uses the same index. (A paused dossier's clock stopped at paused_from: it is overdue when its
-- due date passed before that, so it is within "due_at < now" too.)
DROP INDEX IF EXISTS dossier_facts_running_idx;
CREATE INDEX dossier_facts_running_due_idx ON dossier_facts (due_at)
  INCLUDE (unit_id, receiving_unit_id, procedure_id, received_on, paused_from) WHERE outcome = 'running';
-- Province-wide drill-down pages, newest first, without a unit to narrow by.
CREATE INDEX dossier_facts_day_idx ON dossier_facts (received_on);
