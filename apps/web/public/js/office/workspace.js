// Dossier workspace /can-bo/ho-so/:code: applicant and form data, components with their files viewed in the page,
// the Mẫu 05 control sheet, deadline lights, the actions allowed now (each a small form with exactly the fields its
// command needs, sent with expectedVersion), and the result documents (draft → sign → issue). The parts of the page
// are in office/workspace/.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { cleanupAll, invalidateQueues, layout, requireOfficer, shortcuts, unitDirectory } from './common.js';
import { actionForm, actionsCard } from './workspace/actions.js';
import { applicantCard } from './workspace/applicant.js';
import { componentsCard } from './workspace/components.js';
import { dossierHead } from './workspace/header.js';
import { resultsCard } from './workspace/results.js';
import { controlSheet } from './workspace/sheet.js';

export async function render(ctx) {
  const me = requireOfficer(ctx);
  if (!me) return cleanupAll();
  const code = ctx.params[0];
  const enc = encodeURIComponent(code);
  ctx.setTitle(t('dossierTitle', { code }));
  let notice = null; // a message carried over a reload (e.g. a version conflict)

  async function load() {
    const opt = (p) => p.catch(() => null);
    const [d, comps, docs] = await Promise.all([
      api(`/api/dossiers/${enc}`),
      opt(api(`/api/dossiers/${enc}/components`)),
      opt(api(`/api/dossiers/${enc}/documents`)),
    ]);
    return { d, comps: comps?.items ?? [], docs: docs?.items ?? [] };
  }

  let data;
  try {
    data = await load();
  } catch (err) {
    layout(
      ctx,
      me,
      'dossier',
      h('h1', {}, t('dossierTitle', { code })),
      h('p', { class: 'field-error', role: 'alert', id: 'ws-error' }, err.message),
      h('p', {}, h('a', { href: '/can-bo' }, t('oBackHome'))),
    );
    return cleanupAll();
  }
  const units = await unitDirectory();
  const uname = (c) => units.find((u) => u.code === c)?.name ?? c;

  // What the parts share: the dossier shown (a reload replaces it) and the reload itself.
  const page = { me, enc, units, current: () => data, reload };
  const openAction = actionForm(page);
  const results = resultsCard(page);

  function draw() {
    const { d, comps, docs } = data;
    const [head, apology, apologyLink] = dossierHead(d, { enc, openAction });
    layout(
      ctx,
      me,
      'dossier',
      h('p', { class: 'crumbs-line' }, h('a', { href: '/can-bo', id: 'ws-back' }, `← ${t('oBackHome')}`)),
      head,
      apology,
      apologyLink,
      h(
        'div',
        { class: 'o-ws-grid' },
        h('div', {}, actionsCard(d, notice, openAction), applicantCard(d, uname)),
        h('div', {}, componentsCard(comps), results(d, docs)),
      ),
      controlSheet(d, enc, uname),
    );
  }

  async function reload(msg) {
    notice = msg;
    data = await load();
    invalidateQueues();
    draw();
  }

  draw();
  const off = shortcuts(ctx);
  return cleanupAll(off);
}
