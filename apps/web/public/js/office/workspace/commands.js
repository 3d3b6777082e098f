// What each action of the dossier workspace asks for: the fields of its form (exactly those its command needs) and
// the command built from them for POST /api/dossiers/:code/actions.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { lang, t } from '../../i18n.js';
import { field, roleLabel, unitDirectory } from '../common.js';

/** Shown instead of the officer list when the dossier goes to a unit whose officers this officer may not list. */
const ASSIGNED_THERE = {
  vi: 'Đơn vị nhận hồ sơ sẽ tự giao việc cho cán bộ của mình.',
  en: 'The receiving unit assigns the work to its own officers.',
};

/**
 * Does `me` hold one of `roles` on `unit` or on a unit above it (how the server decides whom a role reaches)?
 * `units`: the unit directory, each unit with its parent's code.
 */
function holdsOn(me, roles, unit, units) {
  const reach = new Set([unit]);
  for (let u = units.find((x) => x.code === unit); u; u = units.find((x) => x.code === u.parent))
    reach.add(u.code);
  return (me?.roles ?? []).some((r) => roles.includes(r.role) && reach.has(r.unit));
}

/**
 * The fields of action `type` on the dossier ({ d, comps }) for the officer `me` (`units`: the unit directory): the
 * elements, and a getter per field name.
 */
export async function actionFields(type, { d, comps }, { me, units }) {
  const fields = [];
  const get = {};
  const textarea = (name, label, opts = {}) => {
    const el = h('textarea', { rows: opts.rows ?? '3', maxlength: opts.max ?? '2000' });
    if (opts.value) el.value = opts.value;
    fields.push(field(`ws-f-${name}`, label, el, { required: !opts.optional, hint: opts.hint }));
    get[name] = () => el.value.trim();
    return el;
  };
  const input = (name, label, attrs = {}, opts = {}) => {
    const el = h('input', { type: 'text', ...attrs });
    fields.push(field(`ws-f-${name}`, label, el, { required: !opts.optional, hint: opts.hint }));
    get[name] = () => el.value.trim();
    return el;
  };
  const select = (name, label, options, opts = {}) => {
    const el = h(
      'select',
      {},
      options.map(([v, l]) => h('option', { value: v }, l)),
    );
    fields.push(field(`ws-f-${name}`, label, el, { required: !opts.optional, hint: opts.hint }));
    get[name] = () => el.value;
    return el;
  };
  const officersOf = async (unit) => {
    // GET /api/officers is for the unit's heads and administrators (assigning work); anyone else forwards without
    // choosing a person, and the page does not ask for a list the server refuses.
    if (!holdsOn(me, ['head', 'admin'], unit, units)) return null;
    try {
      const r = await api(`/api/officers?unit=${encodeURIComponent(unit)}`);
      return r.items.filter((o) => o.active !== false);
    } catch {
      return null;
    }
  };
  const cur = d.state.steps.at(-1);
  switch (type) {
    case 'refuse':
    case 'send_back':
    case 'stop':
      textarea('reason', type === 'refuse' ? t('oRefuseReasons') : t('reason'));
      break;
    case 'request_supplement': {
      textarea('reason', t('reason'), { value: t('oSupplementReasonDefault') });
      const missing = comps.filter((c) => c.required && !c.provided).map((c) => `${c.code}: ${c.name}`);
      textarea('items', t('oSupplementItems'), {
        rows: '5',
        max: '20000',
        value: missing.join('\n'),
        hint: t('oSupplementItemsHint'),
      });
      break;
    }
    case 'forward': {
      const next = d.state.workflow[(d.state.step ?? -1) + 1];
      fields.push(
        h(
          'p',
          { class: 'hint', id: 'ws-forward-next' },
          next ? t('oForwardNext', { name: next.name, role: roleLabel(next.role) }) : t('oForwardLast'),
        ),
      );
      textarea('note', t('oNote'), { optional: true });
      const all = await unitDirectory();
      const today = new Date().toISOString().slice(0, 10);
      const toUnit = select(
        'toUnit',
        t('oToUnit'),
        [
          ['', t('oToUnitWorkflow')],
          ...all
            .filter(
              (u) => u.level === 'department' && u.validFrom <= today && (!u.validTo || u.validTo >= today),
            )
            .map((u) => [u.code, `${u.name} (${u.code})`]),
        ],
        { optional: true, hint: t('oToUnitHint') },
      );
      // The server takes an assignee only from the unit of the step the dossier moves into: the transfer agency
      // chosen, else the workflow's unit for the next step (which may not be this one). The list follows that unit;
      // where the officer may not list it, the receiving unit assigns its own people.
      const slot = h('div', { id: 'ws-forward-assignee', 'aria-live': 'polite' });
      fields.push(slot);
      let pick = null;
      get.assignee = () => pick?.value ?? '';
      let drawn = 0;
      const drawAssignee = async () => {
        const unit = toUnit.value || next?.unit;
        const mine = ++drawn;
        const people = unit ? await officersOf(unit) : null;
        if (mine !== drawn) return; // another agency was chosen meanwhile
        pick = null;
        if (people?.length) {
          pick = h(
            'select',
            {},
            [['', t('oNobody')], ...people.map((o) => [o.id, o.name])].map(([v, l]) =>
              h('option', { value: v }, l),
            ),
          );
          replace(slot, field('ws-f-assignee', t('oAssigneeOptional'), pick));
        } else if (unit && unit !== cur?.unit) {
          replace(slot, h('p', { class: 'hint', id: 'ws-forward-assignee-hint' }, ASSIGNED_THERE[lang()]));
        } else replace(slot);
      };
      toUnit.addEventListener('change', drawAssignee);
      await drawAssignee();
      break;
    }
    case 'assign': {
      const people = cur ? await officersOf(cur.unit) : null;
      if (people?.length)
        select('assignee', t('oAssignee'), [
          ['', t('choose')],
          ...people.map((o) => [o.id, `${o.name} (${o.username})`]),
        ]);
      else
        input(
          'assignee',
          t('oAssigneeId'),
          { maxlength: '36', autocomplete: 'off' },
          { hint: t('oAssigneeIdHint') },
        );
      break;
    }
    case 'request_payment':
      textarea('reason', t('reason'));
      input('amount', t('oAmountVnd'), { inputmode: 'numeric', maxlength: '13' });
      break;
    case 'apologize': {
      textarea('reason', t('oApologyReason'));
      const due = d.state.dueAt ? new Date(d.state.dueAt) : new Date();
      due.setDate(due.getDate() + 3);
      input('newDue', t('oNewDueAt'), { type: 'datetime-local' }, { hint: t('oNewDueHint') });
      fields.at(-1).querySelector('input').value = toLocalInput(due);
      break;
    }
    case 'finish':
      select('outcome', t('oFinishOutcome'), [
        ['approved', t('oFinish_approved')],
        ['rejected', t('oFinish_rejected')],
      ]);
      textarea('reason', t('oFinishReason'), { optional: true, hint: t('oFinishReasonHint') });
      break;
    case 'return_result': {
      const m = d.details?.delivery?.method ?? 'counter';
      const sel = select('method', t('oReturnMethod'), [
        ['counter', t('delivery_counter')],
        ['post', t('delivery_post')],
        ['online', t('delivery_online')],
      ]);
      sel.value = m;
      const tn = input(
        'tracking',
        t('oTracking'),
        { maxlength: '40', autocomplete: 'off' },
        { optional: true, hint: t('oTrackingHint') },
      );
      const sync = () => {
        tn.closest('.field').hidden = sel.value !== 'post';
      };
      sel.addEventListener('change', sync);
      sync();
      break;
    }
    case 'provide_supplement':
      // A paper dossier: the applicant brought the documents to the counter (scan them under the components).
      textarea('note', t('oNote'), { optional: true, hint: t('oProvideSupplementHint') });
      break;
    case 'confirm_payment':
      input(
        'reference',
        t('oPaymentReference'),
        { maxlength: '200', autocomplete: 'off' },
        { hint: t('oPaymentReferenceHint') },
      );
      break;
    case 'comment':
      textarea('text', t('oCommentText'), { max: '4000', hint: t('oCommentHint') });
      break;
    default:
      fields.push(h('p', { class: 'hint' }, t(`oConfirm_${type}`)));
  }
  return { fields, get };
}

const pad = (n) => String(n).padStart(2, '0');
/** A Date as the value of <input type=datetime-local> in Vietnam time (UTC+7). */
function toLocalInput(d) {
  const v = new Date(d.getTime() + 7 * 3600_000);
  return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`;
}
/** datetime-local (Vietnam time) → ISO instant. */
const fromLocalInput = (s) => (s ? new Date(`${s}:00+07:00`).toISOString() : null);

/** The command for an action from its form, or an error message. */
export function buildCommand(type, get) {
  const reasonOk = (r) => r && r.length >= 3;
  switch (type) {
    case 'refuse':
    case 'send_back':
    case 'stop':
      return reasonOk(get.reason()) ? { type, reason: get.reason() } : t('oErrReason');
    case 'request_supplement': {
      const items = [
        ...new Set(
          get
            .items()
            .split('\n')
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ];
      if (!reasonOk(get.reason())) return t('oErrReason');
      if (items.length === 0) return t('oErrItems');
      return { type, reason: get.reason(), items };
    }
    case 'forward': {
      const c = { type };
      if (get.note()) c.note = get.note();
      if (get.toUnit()) c.toUnit = get.toUnit();
      if (get.assignee?.()) c.assignee = get.assignee();
      return c;
    }
    case 'assign':
      return /^[0-9a-f-]{36}$/i.test(get.assignee()) ? { type, assignee: get.assignee() } : t('oErrAssignee');
    case 'request_payment': {
      const n = Number(get.amount().replace(/[.\s,₫]/g, ''));
      if (!reasonOk(get.reason())) return t('oErrReason');
      if (!Number.isInteger(n) || n < 1) return t('oErrAmount');
      return { type, reason: get.reason(), amountVnd: n };
    }
    case 'apologize': {
      const due = fromLocalInput(get.newDue());
      if (!reasonOk(get.reason())) return t('oErrReason');
      if (!due) return t('oErrNewDue');
      return { type, reason: get.reason(), newDueAt: due };
    }
    case 'finish':
      return { type, outcome: get.outcome(), ...(get.reason() ? { reason: get.reason() } : {}) };
    case 'return_result': {
      const m = get.method();
      if (m === 'post' && get.tracking().length < 4) return t('oErrTracking');
      return { type, method: m, ...(m === 'post' ? { trackingNumber: get.tracking() } : {}) };
    }
    case 'provide_supplement':
      return get.note() ? { type, note: get.note() } : { type };
    case 'confirm_payment':
      return get.reference() ? { type, reference: get.reference() } : t('oErrReference');
    case 'comment':
      return get.text() ? { type, text: get.text() } : t('oErrComment');
    default:
      return { type };
  }
}
