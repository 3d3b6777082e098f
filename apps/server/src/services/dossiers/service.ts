import { appendAudit, auditValues, type Database, retryOnConflict } from '@tinhso/db';
import {
  type Actor,
  availableActions,
  type DeadlineClock,
  DomainError,
  type DossierCommand,
  type DossierEvent,
  deadlineLight,
  decide,
  evolve,
  formatDossierCode,
  forwardTarget,
  STATUS,
  submitEvent,
  validateEform,
  vietnamDate,
} from '@tinhso/domain';
import type { Principal } from '../../auth/principal.js';
import { actorOf, forbidden } from '../../auth/principal.js';
import type { CalendarService } from '../calendar.js';
import type { Catalogue } from '../catalogue.js';
import type { CreateDossier } from '../dossier-input.js';
import {
  actionRows,
  appendEvents,
  dossierNotFound,
  isUniqueViolation,
  newDossierId,
  nextSequence,
  placeDossier,
  resolveWorkflow,
  snapshot,
  versionConflict,
} from '../dossier-store.js';
import type { UnitDirectory } from '../units.js';
import { checkAssignee, checkStepUnit } from './checks.js';
import { ownerOf } from './owner.js';
import { findByIdempotencyKey, readDossier } from './read.js';
import type {
  DossierChange,
  DossierListener,
  DossierRow,
  SystemPrincipal,
  WithinTransaction,
} from './types.js';

/** Use cases on dossiers: open (counter, online, post), act, read. Each write is one transaction with its log and audit. */
export class DossierService {
  constructor(
    private readonly database: Database,
    private readonly units: UnitDirectory,
    private readonly calendar: CalendarService,
    private readonly catalogue: Catalogue,
  ) {}

  private readonly listeners: DossierListener[] = [];

  /** Registers a listener called inside every transaction that appends events to a dossier. */
  onChange(listener: DossierListener): void {
    this.listeners.push(listener);
  }

  private async notify(change: DossierChange): Promise<void> {
    for (const l of this.listeners) await l(change);
  }

  /** The clock of a dossier: the working hours of its competent unit (or the province's). */
  clock(competentUnit?: string): DeadlineClock {
    const unit = competentUnit ? this.units.find(competentUnit) : null;
    return this.calendar.clock(unit?.workingHours);
  }

  /**
   * Opens a dossier: officers register counter/post dossiers (with the reception outcome in the same transaction),
   * citizens submit online. An idempotency key makes a retried request return the first dossier.
   */
  async create(
    input: CreateDossier,
    principal: Principal,
    opts: { idempotencyKey?: string | undefined; ip?: string; now?: Date; within?: WithinTransaction } = {},
  ): Promise<{ dossier: DossierRow; replayed: boolean }> {
    const now = opts.now ?? new Date();
    const today = vietnamDate(now);
    if (principal.kind === 'citizen' && input.channel !== 'online') throw forbidden();
    if (principal.kind === 'officer' && input.channel === 'online') {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Cán bộ chỉ đăng ký hồ sơ trực tiếp hoặc qua bưu chính.',
        'Officers register counter or postal dossiers; online dossiers come from the portal.',
      );
    }
    const { id: procedureId, version, definition: def } = await this.catalogue.get(input.procedureCode);
    if (def.effectiveFrom > today || (def.effectiveTo !== null && def.effectiveTo < today)) {
      throw new DomainError(
        'PROCEDURE_NOT_EFFECTIVE',
        'Thủ tục không còn (hoặc chưa) có hiệu lực.',
        'The procedure is not in force on this date.',
      );
    }
    if (!def.channels.includes(input.channel)) {
      throw new DomainError(
        'CHANNEL_NOT_OFFERED',
        'Thủ tục này không tiếp nhận qua kênh đã chọn.',
        `This procedure is not offered through the ${input.channel} channel.`,
      );
    }
    const componentCodes = new Set(def.components.map((c) => c.code));
    const unknown = input.components.find((c) => !componentCodes.has(c.code));
    if (unknown) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Thành phần hồ sơ "${unknown.code}" không thuộc thủ tục.`,
        `Unknown component "${unknown.code}".`,
      );
    }
    if (input.outcome && principal.kind !== 'officer') throw forbidden();
    if (input.channel === 'online' && def.eform) {
      const issues = validateEform(def.eform, input.formData);
      if (issues.length > 0) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `Tờ khai điện tử chưa hợp lệ: ${issues.map((i) => i.message).join('; ')}`,
          'The e-form is invalid.',
          { issues },
        );
      }
    }
    const { receiving, competent } = placeDossier(this.units, def, input, principal, today);
    const workflow = resolveWorkflow(this.units, def, receiving, competent);
    const events: DossierEvent[] = [
      submitEvent({
        channel: input.channel,
        submittedAt: now,
        receivingUnit: receiving.code,
        competentUnit: competent.code,
        processingDays: def.processingDays[input.channel] ?? 0,
        supplementPolicy: def.supplementPolicy,
        workflow,
      }),
    ];
    let state = evolve(null, events[0]!);
    if (input.outcome) {
      const actor = actorOf(principal, this.units, null);
      const e = decide(state, input.outcome as DossierCommand, actor, {
        now,
        clock: this.clock(competent.code),
      });
      events.push(e);
      state = evolve(state, e);
    }
    // A replayed request (its idempotency key already opened a dossier) is found in the same round trip that
    // takes the day's number, after the checks above: they are pure and in memory, and a replay repeats the same
    // request. The applicant's citizen account comes with it.
    const numbering = await nextSequence(this.database.db, receiving.code, today, {
      idempotencyKey: opts.idempotencyKey,
      personalId: principal.kind === 'citizen' ? undefined : input.applicant.idNumber,
    });
    const seq =
      numbering.seq ?? (await this.replayOrNumber(opts.idempotencyKey!, principal, receiving.code, today));
    if (typeof seq !== 'number') return seq;
    const citizenId =
      principal.kind === 'citizen' ? principal.id : ownerOf(numbering.citizen, input.applicant);
    try {
      const dossier = await retryOnConflict(() =>
        this.database.db.transaction().execute(async (tx) => {
          const code = formatDossierCode(receiving.code, today, seq);
          // One statement writes the dossier, its log, its components and its audit record (data-modifying
          // WITH queries): one round trip instead of four. The foreign keys are checked at the statement's end.
          const id = newDossierId(now);
          const given = new Map(input.components.map((c) => [c.code, c]));
          const components = def.components.map((c) => ({
            dossier_id: id,
            code: c.code,
            name: c.name,
            required: c.required,
            provided: given.get(c.code)?.provided ?? false,
            digitized: given.get(c.code)?.digitized ?? false,
            reused: given.get(c.code)?.reused ?? false,
          }));
          const written = tx
            .with('d', (db) =>
              db.insertInto('dossiers').values({
                id,
                code,
                procedure_id: procedureId,
                procedure_version: version,
                channel: input.channel,
                applicant_kind: input.applicant.kind,
                applicant_name: input.applicant.name,
                applicant_id: input.applicant.idNumber,
                applicant_citizen_id: citizenId,
                applicant_contact: JSON.stringify({
                  phone: input.applicant.phone,
                  email: input.applicant.email,
                  address: input.applicant.address,
                }),
                receiving_unit_id: receiving.id,
                competent_unit_id: competent.id,
                submitted_at: now,
                form_data: JSON.stringify(input.formData),
                idempotency_key: opts.idempotencyKey ?? null,
                ...snapshot(this.units, state),
                version: events.length,
              }),
            )
            .with('a', (db) =>
              db.insertInto('dossier_actions').values(actionRows(this.units, id, 0, events, principal)),
            );
          const audit = auditValues({
            actorType: principal.kind,
            actorId: principal.id,
            action: 'dossier.create',
            entityType: 'dossier',
            entityId: code,
            ip: opts.ip ?? null,
            details: { channel: input.channel, procedure: def.code, outcome: input.outcome?.type ?? null },
          });
          if (components.length > 0) {
            await written
              .with('c', (db) => db.insertInto('dossier_components').values(components))
              .insertInto('audit_log')
              .values(audit)
              .execute();
          } else {
            await written.insertInto('audit_log').values(audit).execute();
          }
          const dossier: DossierRow = {
            id,
            code,
            version: events.length,
            state,
            applicantCitizenId: citizenId,
          };
          await opts.within?.(tx, dossier);
          await this.notify({ tx, dossier, before: null, events });
          return dossier;
        }),
      );
      return { dossier, replayed: false };
    } catch (e) {
      // Two identical requests raced: the loser returns the winner's dossier.
      if (opts.idempotencyKey && isUniqueViolation(e)) {
        const existing = await findByIdempotencyKey(this.database.db, opts.idempotencyKey);
        if (existing) return this.replay(existing, principal);
      }
      throw e;
    }
  }

  /** The first dossier of a replayed key, or (if it is not visible after all) a number for a new one. */
  private async replayOrNumber(key: string, principal: Principal, agency: string, today: string) {
    const existing = await findByIdempotencyKey(this.database.db, key);
    if (existing) return this.replay(existing, principal);
    return (await nextSequence(this.database.db, agency, today)).seq!;
  }

  private replay(existing: DossierRow & { createdBy: string | null }, principal: Principal) {
    if (existing.createdBy !== principal.id) {
      throw new DomainError(
        'IDEMPOTENCY_CONFLICT',
        'Khoá chống trùng lặp đã được dùng cho một yêu cầu khác.',
        'This idempotency key was already used by another request.',
      );
    }
    return { dossier: existing, replayed: true };
  }

  /** Loads a dossier the principal may see, or DOSSIER_NOT_FOUND (no hint that it exists elsewhere). */
  async load(code: string, principal: Principal | null): Promise<DossierRow> {
    const d = await readDossier(this.database.db, code);
    if (!this.canSee(d, principal)) throw dossierNotFound(code);
    return d;
  }

  /** Officers see dossiers their units received, decide, or were routed; citizens see their own. */
  canSee(d: DossierRow, principal: Principal | null): boolean {
    if (!principal) return false;
    if (principal.kind === 'citizen') return d.applicantCitizenId === principal.id;
    const s = d.state;
    const units = new Set([s.receivingUnit, s.competentUnit, ...s.steps.map((st) => st.unit)]);
    // Administrators manage configuration, not citizens' files: the admin role alone shows no dossier.
    return principal.roles.some(
      (r) => r.role !== 'admin' && [...units].some((u) => this.units.covers(r.unit, u)),
    );
  }

  /** Applies one command with optimistic concurrency: a stale `expectedVersion` gets VERSION_CONFLICT. */
  async act(
    code: string,
    command: DossierCommand,
    expectedVersion: number,
    principal: Principal,
    opts: { ip?: string; now?: Date; within?: WithinTransaction } = {},
  ): Promise<DossierRow> {
    const d = await this.load(code, principal);
    if (d.version !== expectedVersion) throw versionConflict(d.version);
    if (command.type === 'forward' && command.toUnit) {
      const target = this.units.get(command.toUnit);
      if (!this.units.isActive(target, vietnamDate(opts.now ?? new Date()))) {
        throw new DomainError(
          'UNIT_INACTIVE',
          `Đơn vị "${target.name}" không còn hoạt động.`,
          'Unit inactive.',
        );
      }
      await checkStepUnit(this.database.db, this.units, d, target.code);
      command = { ...command, toUnit: target.code };
    }
    if (command.type === 'assign' || (command.type === 'forward' && command.assignee)) {
      // A forward hands over the step it starts, which may be at another unit (the workflow's or the transfer agency).
      const unit = command.type === 'forward' ? forwardTarget(d.state, command.toUnit)?.unit : undefined;
      await checkAssignee(this.database.db, this.units, command.assignee!, d, unit);
    }
    const actor: Actor = actorOf(principal, this.units, d.applicantCitizenId);
    return this.commit(d, command, actor, principal, opts);
  }

  /**
   * A command the system sends on its own behalf (e.g. `confirm_payment` after the payment gateway confirmed),
   * on the dossier's current version; the domain decides whether the system may send it.
   */
  async actAsSystem(
    code: string,
    command: DossierCommand,
    name: string,
    opts: { ip?: string; now?: Date; within?: WithinTransaction } = {},
  ): Promise<DossierRow> {
    const d = await readDossier(this.database.db, code);
    return this.commit(d, command, { kind: 'system', name }, { kind: 'system', id: null, name }, opts);
  }

  /** Decides, evolves and writes one command on version `d.version` (VERSION_CONFLICT if someone was faster). */
  private async commit(
    d: DossierRow,
    command: DossierCommand,
    actor: Actor,
    principal: Principal | SystemPrincipal,
    opts: { ip?: string; now?: Date; within?: WithinTransaction },
  ): Promise<DossierRow> {
    const expectedVersion = d.version;
    const now = opts.now ?? new Date();
    const event = decide(d.state, command, actor, { now, clock: this.clock(d.state.competentUnit) });
    const state = evolve(d.state, event);
    // A deadlock or serialization abort wrote nothing: the same write is tried again (the version check still holds).
    return retryOnConflict(() =>
      this.database.db.transaction().execute(async (tx) => {
        const updated = await tx
          .updateTable('dossiers')
          .set({ ...snapshot(this.units, state), version: d.version + 1, updated_at: now })
          .where('id', '=', d.id)
          .where('version', '=', expectedVersion)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw versionConflict(null);
        await appendEvents(this.units, tx, d.id, d.version, [event], principal);
        await appendAudit(tx, {
          actorType: principal.kind,
          actorId: principal.id,
          action: `dossier.${command.type}`,
          entityType: 'dossier',
          entityId: d.code,
          ip: opts.ip ?? null,
          details: { statusAfter: event.statusAfter },
        });
        const after: DossierRow = { ...d, version: d.version + 1, state };
        await opts.within?.(tx, after);
        await this.notify({ tx, dossier: after, before: d.state, events: [event] });
        return after;
      }),
    );
  }

  /** What the principal may do now, and the deadline light. */
  view(d: DossierRow, principal: Principal | null, now = new Date()) {
    const actor = principal ? actorOf(principal, this.units, d.applicantCitizenId) : null;
    const s = d.state;
    const open =
      s.dueAt !== null &&
      [STATUS.RECEIVED, STATUS.PROCESSING, STATUS.SUPPLEMENT, STATUS.PAYMENT].includes(s.status as 2);
    const clock = this.clock(s.competentUnit);
    const light = open && s.pause === null ? deadlineLight(now, s.dueAt!, clock) : null;
    // The current step's own light (Mẫu 05: each hand-over has its due date), on the same working-day clock.
    const step = s.step !== null ? s.steps[s.steps.length - 1] : undefined;
    const stepDeadline =
      open && s.pause === null && step && !step.completedAt ? deadlineLight(now, step.dueAt, clock) : null;
    // Within one working day of the due date (or past it) without an apology for that date: Mẫu 04 is due.
    const apologised = s.apologies.at(-1)?.newDueAt === s.dueAt;
    // Not received yet: the appointment it would get if received now (the official one is set at reception).
    const expectedDueAt =
      s.status === STATUS.NEW ? clock.addWorkingDays(now, s.processingDays).toISOString() : null;
    return {
      availableActions: actor ? availableActions(s, actor) : [],
      deadline: light,
      stepDeadline,
      apologyDue: light !== null && light !== 'green' && !apologised,
      expectedDueAt,
    };
  }
}
