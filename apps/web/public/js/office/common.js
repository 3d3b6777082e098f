// Back office (cán bộ): the frame every officer page shares — sign-in guard, side menu with queue counts, unit
// picker, deadline lights, role checks, small form helpers. Desktop first, everything reachable from the keyboard.
import { api, setCsrf } from '../api.js';
import { h, replace } from '../dom.js';
import { fmtDateTime, fmtIsoDay, parseDmy } from '../format.js';
import { lang, t } from '../i18n.js';
import { getMe, loadMe } from '../main.js';

/** The queue keys of the contract, in menu order. */
export const QUEUE_KEYS = [
  'to_receive',
  'to_process',
  'waiting_citizen',
  'due_soon',
  'overdue',
  'to_return',
  'returned',
  'all',
];

/** Does the officer hold `role` (any of `roles`) on some unit? */
export const hasRole = (me, ...roles) => Boolean(me?.roles?.some((r) => roles.includes(r.role)));
export const unitsWith = (me, ...roles) => [
  ...new Set((me?.roles ?? []).filter((r) => roles.includes(r.role)).map((r) => r.unit)),
];
/** Units the officer works in (not the admin role alone). */
export const workUnits = (me) => [
  ...new Set((me?.roles ?? []).filter((r) => r.role !== 'admin').map((r) => r.unit)),
];

const UNIT_KEY = 'office.unit';
/** The unit chosen in the picker ('' = all my units). */
export function currentUnit(me) {
  let u = '';
  try {
    u = sessionStorage.getItem(UNIT_KEY) ?? '';
  } catch {}
  return u && workUnits(me).includes(u) ? u : '';
}
export function setCurrentUnit(u) {
  try {
    sessionStorage.setItem(UNIT_KEY, u ?? '');
  } catch {}
  queueCache = null;
}

let unitNames = null;
/** Unit code → name (GET /api/units, once). */
export async function unitDirectory() {
  if (!unitNames) {
    unitNames = api('/api/units')
      .then((r) => r.items)
      .catch(() => []);
  }
  return unitNames;
}
export async function unitName(code) {
  const u = (await unitDirectory()).find((x) => x.code === code);
  return u ? u.name : code;
}

let queueCache = null;
/** GET /api/queues (null when the endpoint is not there yet). Cached for a few seconds across pages. */
export async function loadQueues(me, { fresh = false } = {}) {
  const unit = currentUnit(me);
  if (!fresh && queueCache && queueCache.unit === unit && Date.now() - queueCache.at < 5000)
    return queueCache.data;
  const data = await api(`/api/queues${unit ? `?unit=${encodeURIComponent(unit)}` : ''}`)
    .then((r) => r.items)
    .catch(() => null);
  queueCache = { unit, at: Date.now(), data };
  return data;
}
export const invalidateQueues = () => {
  queueCache = null;
};
export const queueLabel = (q) =>
  (lang() === 'en' ? q?.labelEn : q?.label) || t(`oq_${q?.key ?? q}`) || String(q?.key ?? q);

/** A deadline light with words, not only colour: green/amber/red → "Còn hạn" / "Sắp đến hạn" / "Quá hạn". */
export function lightBadge(light, { id } = {}) {
  if (!light) return h('span', { class: 'light light-none', id }, t('oLightNone'));
  return h(
    'span',
    { class: `light light-${light}`, id, 'data-light': light },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    t(`oLight_${light}`),
  );
}

/** Early / on time / late (Mẫu 05 step timing). */
export function timingBadge(timing) {
  if (!timing) return h('span', { class: 'meta' }, t('oTimingOpen'));
  const light = timing === 'late' ? 'red' : 'green';
  return h('span', { class: `light light-${light}`, 'data-timing': timing }, t(`oTiming_${timing}`));
}

export const roleLabel = (r) => t(`oRole_${r}`);
export const dt = fmtDateTime;

/** A labelled field: label + control (+ hint), ids wired. */
export function field(id, label, control, { hint, required } = {}) {
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  if (required) control.required = true;
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { for: id },
      label,
      required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
    ),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
  );
}

/** A status line for errors/success inside a form (role=alert for errors). */
export function statusLine(id) {
  const el = h('p', { id, class: 'o-status', hidden: true });
  return {
    el,
    error(msg) {
      el.hidden = false;
      el.className = 'o-status field-error';
      el.setAttribute('role', 'alert');
      el.textContent = msg;
    },
    ok(msg, ...more) {
      el.hidden = false;
      el.className = 'o-status ok-line';
      el.setAttribute('role', 'status');
      replace(el, msg, ...more);
    },
    clear() {
      el.hidden = true;
      el.textContent = '';
    },
  };
}

/** Shows `msg` under a control made by field() (aria-invalid, aria-describedby); null clears it. */
export function fieldError(control, msg) {
  const id = `${control.id}-error`;
  document.getElementById(id)?.remove();
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== id);
  if (msg) {
    control.setAttribute('aria-invalid', 'true');
    ids.push(id);
    (control.closest('.field') ?? control.parentElement).append(h('p', { class: 'field-error', id }, msg));
  } else control.removeAttribute('aria-invalid');
  if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
  else control.removeAttribute('aria-describedby');
}

/**
 * A from–to pair of date boxes (`from`, `to`, for field()). Dates are typed dd/mm/yyyy whatever the browser's
 * language (an <input type=date> follows it) and come in and go out as YYYY-MM-DD; a missing date is an empty box.
 */
export function dateRange(fromIso, toIso) {
  const box = (iso) =>
    h('input', {
      type: 'text',
      inputmode: 'numeric',
      placeholder: 'dd/mm/yyyy',
      maxlength: '10',
      autocomplete: 'off',
      value: iso ? fmtIsoDay(iso) : '',
    });
  const from = box(fromIso);
  const to = box(toIso);
  /**
   * The typed dates ('' for an empty box) and what is wrong, in box order: [box, 'date' | 'order'] for a date that
   * does not exist or is mistyped (an empty one too when `required`), or a "to" before the "from".
   */
  const check = ({ required = false } = {}) => {
    const dates = { from: parseDmy(from.value), to: parseDmy(to.value) };
    const wrong = [];
    if (dates.from === null || (required && !dates.from)) wrong.push([from, 'date']);
    if (dates.to === null || (required && !dates.to)) wrong.push([to, 'date']);
    if (dates.from && dates.to && dates.from > dates.to) wrong.push([to, 'order']);
    return { dates, wrong };
  };
  /** The typed dates, or null after putting the message under each wrong box (fieldError) and focusing the first. */
  const read = () => {
    const { dates, wrong } = check();
    for (const x of [from, to]) {
      const why = wrong.find(([b]) => b === x)?.[1];
      if (!why) fieldError(x, null);
      else fieldError(x, why === 'order' ? t('oErrDateOrder') : t('oErrDate', { value: x.value.trim() }));
    }
    if (wrong.length) {
      wrong[0][0].focus();
      return null;
    }
    return dates;
  };
  return { from, to, check, read };
}

/** Random UUID (idempotency keys). */
export const uuid = () =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
  );

/** The sign-in form (POST /api/auth/login). After success: onDone(). Keeps the portal's ids. */
export function loginForm(onDone) {
  const me = getMe();
  const status = h('p', { id: 'login-status', role: 'alert', class: 'field-error', hidden: true });
  const user = h('input', {
    id: 'username',
    name: 'username',
    autocomplete: 'username',
    required: true,
    maxlength: '100',
  });
  const pass = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    maxlength: '200',
  });
  const btn = h('button', { type: 'submit', class: 'btn', id: 'login-submit' }, t('login'));
  return h(
    'section',
    { class: 'card narrow', 'aria-labelledby': 'officer-h1' },
    h('h1', { id: 'officer-h1' }, t('officerTitle')),
    me?.kind === 'citizen' ? h('p', { class: 'notice' }, t('officerCitizenNote')) : null,
    h(
      'form',
      {
        id: 'login-form',
        'on:submit': async (e) => {
          e.preventDefault();
          btn.disabled = true;
          status.hidden = true;
          try {
            const who = await api('/api/auth/login', {
              method: 'POST',
              body: { username: user.value, password: pass.value },
            });
            setCsrf(who.csrfToken);
            await loadMe();
            invalidateQueues();
            await onDone();
          } catch (err) {
            btn.disabled = false;
            status.hidden = false;
            status.textContent = err.message;
            pass.focus();
          }
        },
      },
      h('div', { class: 'field' }, h('label', { for: 'username' }, t('username')), user),
      h('div', { class: 'field' }, h('label', { for: 'password' }, t('password')), pass),
      status,
      btn,
    ),
  );
}

/**
 * The officer frame: returns the signed-in officer, or renders the sign-in form (then re-renders the page) and
 * returns null. Sets the wide desktop layout; the returned cleanup removes it.
 */
export function requireOfficer(ctx) {
  const me = getMe();
  document.body.classList.add('office');
  if (me?.kind === 'officer') return me;
  ctx.setTitle(t('officerTitle'));
  replace(
    ctx.main,
    loginForm(() => ctx.navigate(location.pathname + location.search, { replace: true })),
  );
  return null;
}
export const leaveOffice = () => document.body.classList.remove('office');

/**
 * Side menu + content. `active`: 'home' | 'intake' | 'queue:<key>' | 'leader'. Queue counts load in the background.
 */
export function layout(ctx, me, active, ...content) {
  const counts = h('ul', { class: 'o-menu-queues', id: 'o-menu-queues' });
  const link = (href, key, label, extra) =>
    h(
      'li',
      {},
      h(
        'a',
        { href, id: `o-nav-${key}`, 'aria-current': active === key ? 'page' : null },
        h('span', { class: 'lbl' }, label),
        extra ?? null,
      ),
    );
  const units = workUnits(me);
  const picker =
    units.length > 1
      ? h(
          'div',
          { class: 'field o-unit' },
          h('label', { for: 'o-unit' }, t('oUnit')),
          h(
            'select',
            {
              id: 'o-unit',
              'on:change': (e) => {
                setCurrentUnit(e.target.value);
                ctx.navigate(location.pathname + location.search, { replace: true });
              },
            },
            h('option', { value: '' }, t('oAllUnits')),
            units.map((u) => h('option', { value: u, selected: currentUnit(me) === u }, u)),
          ),
        )
      : null;
  const menu = h(
    'nav',
    { class: 'o-menu', 'aria-label': t('oMenu') },
    h(
      'p',
      { class: 'o-who' },
      h('strong', {}, me.name),
      h('br'),
      h(
        'span',
        { class: 'meta' },
        (me.roles ?? []).map((r) => `${roleLabel(r.role)} · ${r.unit}`).join('; '),
      ),
    ),
    picker,
    h(
      'ul',
      {},
      link('/can-bo', 'home', t('oHome')),
      hasRole(me, 'reception')
        ? link('/can-bo/tiep-nhan', 'intake', t('oIntake'), h('kbd', {}, 'Alt+N'))
        : null,
      hasRole(me, 'head', 'leader') ? link('/can-bo/lanh-dao', 'leader', t('oLeader')) : null,
      hasRole(me, 'admin') ? link('/can-bo/quan-tri', 'admin', t('oAdmin')) : null,
    ),
    h('h2', { class: 'o-menu-h' }, t('oQueues')),
    counts,
  );
  (async () => {
    const items = await loadQueues(me);
    if (!items) {
      replace(
        counts,
        h('li', {}, h('a', { href: '/can-bo/hang-doi/all', id: 'o-nav-queue-all' }, t('oq_all'))),
        h('li', { class: 'meta' }, t('oQueuesUnavailable')),
      );
      return;
    }
    replace(
      counts,
      items.map((q) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: `/can-bo/hang-doi/${q.key}`,
              id: `o-nav-queue-${q.key}`,
              'aria-current': active === `queue:${q.key}` ? 'page' : null,
              class: q.key === 'overdue' && q.count > 0 ? 'hot' : null,
            },
            h('span', { class: 'lbl' }, queueLabel(q)),
            h('span', { class: 'count', 'aria-label': t('dossierCount', { n: q.count }) }, String(q.count)),
          ),
        ),
      ),
    );
  })();
  replace(ctx.main, h('div', { class: 'o-frame' }, menu, h('div', { class: 'o-content' }, content)));
}

/** Global shortcuts on officer pages: "/" focuses search, Alt+N opens the counter. Returns a remover. */
export function shortcuts(ctx, extra = {}) {
  const onKey = (e) => {
    const tag = e.target?.tagName;
    const typing = tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.target?.isContentEditable;
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const s = document.querySelector('[data-search]');
      if (s) {
        e.preventDefault();
        s.focus();
        s.select?.();
      }
    } else if (e.altKey && (e.key === 'n' || e.key === 'N')) {
      e.preventDefault();
      ctx.navigate('/can-bo/tiep-nhan');
    } else if (!typing && extra[e.key]) {
      extra[e.key](e);
    }
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}

/** Renders a page body for officers; returns the router cleanup. */
export function cleanupAll(...fns) {
  return () => {
    leaveOffice();
    for (const f of fns) f?.();
  };
}
