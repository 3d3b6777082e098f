// Leaders /can-bo/lanh-dao: load and lateness per unit and officer (GET /api/leader/load) and a batch approval of the
// "to process" queue (POST /api/dossiers/batch, forward or finish) with a result per dossier.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { announce } from '../main.js';
import {
  cleanupAll,
  currentUnit,
  dateRange,
  dt,
  field,
  invalidateQueues,
  layout,
  lightBadge,
  requireOfficer,
  shortcuts,
  statusLine,
} from './common.js';

const num = (n) => new Intl.NumberFormat('vi-VN').format(n ?? 0);
const pct = (a, b) => (b > 0 ? `${Math.round((a / b) * 100)}%` : '—');

export async function render(ctx) {
  const me = requireOfficer(ctx);
  if (!me) return cleanupAll();
  ctx.setTitle(t('oLeaderTitle'));
  const unit = currentUnit(me);
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 8)}01`;
  const from = ctx.query.get('from') || monthStart;
  const to = ctx.query.get('to') || today;

  // The period is kept in the address as YYYY-MM-DD.
  const dates = dateRange(from, to);
  const period = h(
    'form',
    {
      class: 'o-filters',
      id: 'leader-period',
      'on:submit': (e) => {
        e.preventDefault();
        const d = dates.read();
        if (!d) return;
        // An empty date falls back to the default period (this month).
        const p = new URLSearchParams();
        if (d.from) p.set('from', d.from);
        if (d.to) p.set('to', d.to);
        ctx.navigate(`/can-bo/lanh-dao${p.size ? `?${p}` : ''}`);
      },
    },
    field('leader-from', t('oFrom'), dates.from),
    field('leader-to', t('oTo'), dates.to),
    h(
      'div',
      { class: 'o-row-btn' },
      h('button', { type: 'submit', class: 'btn small', id: 'leader-apply' }, t('oShow')),
    ),
  );
  const loadBox = h(
    'section',
    { class: 'card', 'aria-labelledby': 'leader-h-load', id: 'leader-load' },
    h('h2', { id: 'leader-h-load' }, t('oLoad')),
    h('p', { class: 'loading' }, t('loading')),
  );
  const batchBox = h(
    'section',
    { class: 'card', 'aria-labelledby': 'leader-h-batch', id: 'leader-batch' },
    h('h2', { id: 'leader-h-batch' }, t('oBatch')),
    h('p', { class: 'loading' }, t('loading')),
  );
  layout(ctx, me, 'leader', h('h1', {}, t('oLeaderTitle')), period, loadBox, batchBox);

  // ---- load ----
  const lp = new URLSearchParams({ from, to });
  if (unit) lp.set('unit', unit);
  try {
    const r = await api(`/api/leader/load?${lp}`);
    const th = (xs) =>
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          xs.map((x) => h('th', { scope: 'col' }, x)),
        ),
      );
    replace(
      loadBox,
      h('h2', { id: 'leader-h-load' }, t('oLoad')),
      h('h3', {}, t('oByUnit')),
      h(
        'div',
        { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('oTableRegion') },
        h(
          'table',
          { class: 'grid', id: 'leader-units' },
          th([
            t('oColUnit'),
            t('oOpen'),
            t('oDueSoon'),
            t('oOverdue'),
            t('oFinished'),
            t('oOnTime'),
            t('oLate'),
            t('oOnTimeRate'),
          ]),
          h(
            'tbody',
            {},
            r.units.map((u) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, u.name, h('span', { class: 'meta block' }, u.code)),
                h('td', { class: 'num' }, num(u.open)),
                h('td', { class: 'num' }, num(u.dueSoon)),
                h('td', { class: `num${u.overdue ? ' o-bad' : ''}` }, num(u.overdue)),
                h('td', { class: 'num' }, num(u.finished)),
                h('td', { class: 'num' }, num(u.onTime)),
                h('td', { class: `num${u.late ? ' o-bad' : ''}` }, num(u.late)),
                h('td', { class: 'num' }, pct(u.onTime, u.onTime + u.late)),
              ),
            ),
          ),
        ),
      ),
      h('h3', {}, t('oByOfficer')),
      r.officers.length === 0
        ? h('p', { class: 'meta' }, t('oNone'))
        : h(
            'div',
            { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('oTableRegion') },
            h(
              'table',
              { class: 'grid', id: 'leader-officers' },
              th([t('oOfficer'), t('oOpen'), t('oOverdue')]),
              h(
                'tbody',
                {},
                r.officers.map((o) =>
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'row' }, o.name),
                    h('td', { class: 'num' }, num(o.open)),
                    h('td', { class: `num${o.overdue ? ' o-bad' : ''}` }, num(o.overdue)),
                  ),
                ),
              ),
            ),
          ),
      h('p', { class: 'hint' }, t('oReassignHint')),
    );
  } catch (err) {
    replace(
      loadBox,
      h('h2', { id: 'leader-h-load' }, t('oLoad')),
      h(
        'p',
        { class: err.status === 404 ? 'notice' : 'field-error', id: 'leader-load-error' },
        err.status === 404 ? t('oLoadUnavailable') : err.message,
      ),
    );
  }

  // ---- batch approval ----
  const st = statusLine('leader-batch-status');
  let items = [];
  try {
    const p = new URLSearchParams({ limit: '50', offset: '0' });
    if (unit) p.set('unit', unit);
    items = (await api(`/api/queues/to_process?${p}`)).items;
  } catch (err) {
    replace(
      batchBox,
      h('h2', { id: 'leader-h-batch' }, t('oBatch')),
      h(
        'p',
        { class: err.status === 404 ? 'notice' : 'field-error', id: 'leader-batch-error' },
        err.status === 404 ? t('oQueuesUnavailable') : err.message,
      ),
    );
    return cleanupAll(shortcuts(ctx));
  }
  const cmdSel = h(
    'select',
    {},
    h('option', { value: 'forward' }, t('oBatchForward')),
    h('option', { value: 'finish' }, t('oBatchFinish')),
  );
  const all = h('input', {
    type: 'checkbox',
    id: 'leader-all',
    'aria-label': t('oSelectAll'),
    'on:change': (e) => {
      for (const b of batchBox.querySelectorAll('input[data-code]')) b.checked = e.target.checked;
    },
  });
  const results = h('div', { id: 'leader-results', 'aria-live': 'polite' });
  const run = h('button', { type: 'submit', class: 'btn', id: 'leader-run' }, t('oBatchRun'));
  replace(
    batchBox,
    h('h2', { id: 'leader-h-batch' }, t('oBatch')),
    h('p', { class: 'hint' }, t('oBatchHint')),
    items.length === 0
      ? h('p', { id: 'leader-batch-empty' }, t('oQueueEmpty'))
      : h(
          'form',
          {
            id: 'leader-batch-form',
            'on:submit': async (e) => {
              e.preventDefault();
              st.clear();
              const chosen = [...batchBox.querySelectorAll('input[data-code]:checked')].map((b) => ({
                code: b.dataset.code,
                expectedVersion: Number(b.dataset.version),
              }));
              if (chosen.length === 0) return st.error(t('oBatchNone'));
              const command =
                cmdSel.value === 'finish' ? { type: 'finish', outcome: 'approved' } : { type: 'forward' };
              run.disabled = true;
              try {
                const r = await api('/api/dossiers/batch', {
                  method: 'POST',
                  body: { command, items: chosen },
                });
                invalidateQueues();
                const ok = r.results.filter((x) => x.ok).length;
                replace(
                  results,
                  h(
                    'p',
                    {
                      class: ok === r.results.length ? 'banner ok' : 'banner warn',
                      role: 'status',
                      id: 'leader-summary',
                    },
                    t('oBatchDone', { ok, n: r.results.length }),
                  ),
                  h(
                    'ul',
                    { class: 'plain', id: 'leader-result-list' },
                    r.results.map((x) =>
                      h(
                        'li',
                        { 'data-code': x.code, 'data-ok': String(x.ok) },
                        h('a', { href: `/can-bo/ho-so/${encodeURIComponent(x.code)}` }, x.code),
                        ' — ',
                        x.ok
                          ? h('span', { class: 'ok' }, t('oBatchItemOk', { status: t(`status_${x.status}`) }))
                          : h(
                              'span',
                              { class: 'error' },
                              `${x.error?.message ?? ''} (${x.error?.code ?? ''})`,
                            ),
                      ),
                    ),
                  ),
                );
                announce(t('oBatchDone', { ok, n: r.results.length }));
                for (const x of r.results)
                  if (x.ok)
                    batchBox
                      .querySelector(`input[data-code="${CSS.escape(x.code)}"]`)
                      ?.closest('tr')
                      ?.remove();
              } catch (err) {
                st.error(err.status === 404 ? t('oBatchUnavailable') : err.message);
              } finally {
                run.disabled = false;
              }
            },
          },
          h(
            'div',
            { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('oTableRegion') },
            h(
              'table',
              { class: 'grid', id: 'leader-batch-table' },
              h('caption', { class: 'sr-only' }, t('oBatch')),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, all),
                  [t('dossierCode'), t('applicant'), t('procedure'), t('oColStep'), t('dueAt')].map((x) =>
                    h('th', { scope: 'col' }, x),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                items.map((d, i) =>
                  h(
                    'tr',
                    {},
                    h(
                      'td',
                      {},
                      h('input', {
                        type: 'checkbox',
                        id: `leader-pick-${i}`,
                        'data-code': d.code,
                        'data-version': String(d.version),
                        'aria-label': t('oSelectDossier', { code: d.code }),
                      }),
                    ),
                    h(
                      'td',
                      { class: 'nowrap' },
                      h('a', { href: `/can-bo/ho-so/${encodeURIComponent(d.code)}` }, d.code),
                    ),
                    h('td', {}, d.applicantName),
                    h('td', {}, d.procedureName),
                    h('td', {}, d.currentStep?.name ?? '—'),
                    h('td', { class: 'nowrap' }, dt(d.dueAt), ' ', lightBadge(d.deadline)),
                  ),
                ),
              ),
            ),
          ),
          h(
            'div',
            { class: 'o-filters' },
            field('leader-command', t('oBatchCommand'), cmdSel),
            h('div', { class: 'o-row-btn' }, run),
          ),
          st.el,
          results,
        ),
  );
  return cleanupAll(shortcuts(ctx));
}
