// The components of a dossier and their files, as the applicant sees them (provided, missing, digitized, reused).
import { h } from '../../dom.js';
import { fmtSize } from '../../format.js';
import { t } from '../../i18n.js';

/** The card of the components `comps` (GET /api/dossiers/:code/components). */
export function componentsCard(comps) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'comps-title' },
    h('h2', { id: 'comps-title' }, t('componentsAndFiles')),
    h(
      'ul',
      { class: 'plain comps', id: 'dossier-components' },
      comps.items.map((c) =>
        h(
          'li',
          {},
          h('p', {}, c.name.length > 220 ? `${c.name.slice(0, 220)}…` : c.name),
          h(
            'p',
            { class: 'meta' },
            c.provided
              ? t('provided')
              : c.required
                ? h('span', { class: 'error' }, t('missingRequired'))
                : t('notProvided'),
            c.digitized ? ` · ${t('digitized')}` : '',
            c.reused ? ` · ${t('reused')}` : '',
          ),
          c.files?.length
            ? h(
                'ul',
                { class: 'files' },
                c.files.map((f) =>
                  h(
                    'li',
                    {},
                    h(
                      'a',
                      {
                        href: `/api/files/${encodeURIComponent(f.id)}`,
                        target: '_blank',
                        rel: 'noopener',
                      },
                      f.name,
                    ),
                    h(
                      'span',
                      { class: 'meta' },
                      ` ${fmtSize(f.size)}${f.phase === 'supplement' ? ` · ${t('phaseSupplement')}` : ''}`,
                    ),
                  ),
                ),
              )
            : null,
        ),
      ),
    ),
  );
}
