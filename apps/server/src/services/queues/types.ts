import type { Role } from '@tinhso/domain';

/** Unit ids an officer's roles reach, per purpose, with the instants a request is evaluated against. */
export interface QueueScope {
  /** Units whose dossiers the officer may see (current, receiving or competent unit). */
  visible: string[];
  /** Units where the officer holds `reception` (to receive, to return). */
  reception: string[];
  /** Units where the officer is head (any step there). */
  head: string[];
  /** Per step role: units where the officer holds it. */
  stepRoles: { role: Role; ids: string[] }[];
  now: Date;
  /** The instant one working day from now (working-day clock): due_at ≤ this and > now is "due soon". */
  dueSoonUntil: Date;
  /** Vietnam midnight 29 days before today: "returned" covers the last 30 calendar days, today included. */
  returnedSince: Date;
  returnedSinceDay: string;
}

export interface QueueFilters {
  procedure?: string | undefined;
  channel?: 'counter' | 'online' | 'post' | undefined;
  /** Vietnam calendar dates (YYYY-MM-DD), inclusive, on the submission date. */
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

export interface QueueItem {
  code: string;
  version: number;
  status: number;
  statusLabel: string;
  statusLabelEn: string;
  channel: string;
  applicantName: string;
  applicantId: string | null;
  procedureCode: string;
  procedureName: string;
  currentUnit: string;
  currentStep: { name: string; role: string } | null;
  assignee: { id: string; name: string } | null;
  submittedAt: string;
  receivedAt: string | null;
  dueAt: string | null;
  stepDueAt: string | null;
  deadline: 'green' | 'amber' | 'red' | null;
}
