// Rating a returned dossier: the three-level vote and the optional nine criteria, or the rating already given.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { fmtDate } from '../../format.js';
import { t } from '../../i18n.js';

const CRITERIA = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'];
const LEVELS = ['very_satisfied', 'satisfied', 'unsatisfied'];

/**
 * The rating card of dossier `code`; `data` is GET /api/dossiers/:code/rating (the rating given, or whether one
 * may be given).
 */
export function ratingBlock(code, data) {
  const box = h(
    'section',
    { class: 'card', 'aria-labelledby': 'rating-title', id: 'rating' },
    h('h2', { id: 'rating-title' }, t('ratingTitle')),
  );
  if (data.rating) {
    box.append(
      h(
        'p',
        { id: 'rating-done' },
        t('ratingDone', { level: t(`rate_${data.rating.level}`), date: fmtDate(data.rating.createdAt) }),
      ),
    );
    // The score only when the citizen gave the nine criteria (Node.append would print a null as "null").
    if (data.rating.criteria)
      box.append(
        h(
          'p',
          { class: 'meta', id: 'rating-score' },
          t('ratingScore', { n: CRITERIA.reduce((sum, c) => sum + (data.rating.criteria[c] ?? 0), 0) }),
        ),
      );
    return box;
  }
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true, id: 'rating-error' });
  const levels = h(
    'fieldset',
    { class: 'rating-levels' },
    h('legend', {}, t('ratingQuestion')),
    LEVELS.map((l) =>
      h(
        'div',
        { class: 'radio' },
        h('input', { type: 'radio', name: 'level', id: `rate-${l}`, value: l }),
        h('label', { for: `rate-${l}` }, t(`rate_${l}`)),
      ),
    ),
  );
  const criteria = h(
    'details',
    {},
    h('summary', {}, t('ratingCriteria')),
    h('p', { class: 'hint' }, t('ratingCriteriaHint')),
    CRITERIA.map((c, i) =>
      h(
        'fieldset',
        { class: 'criterion' },
        h('legend', {}, `${i + 1}. ${t(`crit_${c}`)}`),
        [2, 1, 0].map((v) =>
          h(
            'span',
            { class: 'radio inline' },
            h('input', { type: 'radio', name: c, id: `${c}-${v}`, value: String(v) }),
            h('label', { for: `${c}-${v}` }, t(`critScore_${v}`)),
          ),
        ),
      ),
    ),
  );
  const comment = h('textarea', { id: 'rating-comment', rows: '3', maxlength: '2000' });
  const btn = h('button', { type: 'submit', class: 'btn', id: 'rating-submit' }, t('sendRating'));
  const form = h(
    'form',
    {
      id: 'rating-form',
      'on:submit': async (e) => {
        e.preventDefault();
        const fd = new FormData(form);
        const level = fd.get('level');
        if (!level) {
          err.hidden = false;
          err.textContent = t('ratingChoose');
          form.querySelector('input[name=level]').focus();
          return;
        }
        const crit = {};
        let any = false;
        for (const c of CRITERIA) {
          const v = fd.get(c);
          if (v !== null) {
            crit[c] = Number(v);
            any = true;
          }
        }
        if (any && Object.keys(crit).length < CRITERIA.length) {
          err.hidden = false;
          err.textContent = t('ratingAllCriteria');
          return;
        }
        btn.disabled = true;
        try {
          const r = await api(`/api/dossiers/${encodeURIComponent(code)}/rating`, {
            method: 'POST',
            body: {
              level,
              ...(any ? { criteria: crit } : {}),
              ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
            },
          });
          replace(
            box,
            h('h2', { id: 'rating-title' }, t('ratingTitle')),
            h(
              'p',
              { id: 'rating-done', role: 'status' },
              t('ratingThanks', { level: t(`rate_${r.rating?.level ?? level}`) }),
            ),
          );
        } catch (ex) {
          btn.disabled = false;
          err.hidden = false;
          err.textContent = ex.code === 'ALREADY_RATED' ? t('alreadyRated') : ex.message;
        }
      },
    },
    levels,
    criteria,
    h('div', { class: 'field' }, h('label', { for: 'rating-comment' }, t('ratingComment')), comment),
    err,
    btn,
  );
  box.append(h('p', {}, t('ratingIntro')), form);
  return box;
}
