/**
 * The checks an officer's command makes against the officers on record: who may be assigned a step, and which unit
 * an inter-agency transfer may go to.
 */
import type { Database } from '@tinhso/db';
import { DomainError, WORKING_ROLES } from '@tinhso/domain';
import type { UnitDirectory } from '../units.js';
import type { DossierRow } from './types.js';

/** The assignee works on `unit` (default: the current step's): an active officer with a working role covering it. */
export async function checkAssignee(
  db: Database['db'],
  units: UnitDirectory,
  assignee: string,
  d: DossierRow,
  unit?: string,
) {
  const s = d.state;
  const stepUnit = unit ?? s.steps[s.steps.length - 1]?.unit ?? s.competentUnit;
  const roles = await db
    .selectFrom('officer_roles as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('officers as o', 'o.id', 'r.officer_id')
    .select(['u.code'])
    .where('r.officer_id', '=', assignee)
    .where('o.active', '=', true)
    .where('r.role', 'in', WORKING_ROLES) // not administrators or leaders who only watch
    .execute();
  if (!roles.some((r) => units.covers(r.code, stepUnit))) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Cán bộ được giao không thuộc đơn vị đang xử lý.',
      'The assignee does not belong to the unit handling this step.',
    );
  }
}

/**
 * An inter-agency transfer (liên thông) goes only to a unit where someone can do the next step: an active
 * officer holding that step's role (or head) on the unit itself or on a unit above it.
 */
export async function checkStepUnit(db: Database['db'], units: UnitDirectory, d: DossierRow, target: string) {
  const next = d.state.workflow[(d.state.step ?? -1) + 1];
  if (!next) return; // decide() refuses a forward past the last step
  const rows = await db
    .selectFrom('officer_roles as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('officers as o', 'o.id', 'r.officer_id')
    .select(['u.code'])
    .where('r.role', 'in', [next.role, 'head'])
    .where('o.active', '=', true)
    .execute();
  if (!rows.some((r) => units.covers(r.code, target))) {
    throw new DomainError(
      'UNIT_NOT_COMPETENT',
      `Đơn vị nhận không có cán bộ thực hiện bước "${next.name}".`,
      `No officer at the receiving unit can do the step "${next.name}".`,
    );
  }
}
