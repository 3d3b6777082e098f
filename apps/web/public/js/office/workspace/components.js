// The components of a dossier in the workspace, with their files viewed in the page (an image, or a PDF in a frame).
import { h, longText, replace } from '../../dom.js';
import { fmtSize } from '../../format.js';
import { t } from '../../i18n.js';

/** The card listing the components `comps` and their files, with the viewer the files open in. */
export function componentsCard(comps) {
  const viewer = h('div', { class: 'o-viewer', id: 'ws-viewer', hidden: true });
  const showFile = (f) => {
    const url = `/api/files/${f.id}`;
    viewer.hidden = false;
    replace(
      viewer,
      h(
        'div',
        { class: 'o-viewer-bar' },
        h('strong', {}, f.name),
        h('a', { href: url, target: '_blank', rel: 'noopener', id: 'ws-viewer-tab' }, t('oOpenNewTab')),
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: 'ws-viewer-close',
            'on:click': () => {
              viewer.hidden = true;
              replace(viewer);
            },
          },
          t('oCloseViewer'),
        ),
      ),
      f.mime.startsWith('image/')
        ? h('img', { src: url, alt: f.name, class: 'o-img' })
        : h('iframe', { src: url, title: f.name, class: 'o-pdf' }),
    );
    viewer.scrollIntoView({ block: 'nearest' });
  };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'ws-h-comps' },
    h('h2', { id: 'ws-h-comps' }, t('componentsAndFiles')),
    comps.length === 0
      ? h('p', { class: 'meta' }, t('noComponents'))
      : h(
          'ol',
          { class: 'o-comps', id: 'ws-components' },
          comps.map((c) =>
            h(
              'li',
              { 'data-code': c.code },
              h(
                'p',
                {},
                h('span', { class: 'o-code' }, `${c.code} `),
                c.required ? h('span', { class: 'tag required' }, t('required')) : null,
                ' ',
                c.provided
                  ? h('span', { class: 'badge status-ok' }, t('provided'))
                  : h('span', { class: 'badge status-warn' }, t('oNotProvided')),
                c.digitized ? [' ', h('span', { class: 'badge' }, t('digitized'))] : null,
                c.reused ? [' ', h('span', { class: 'badge' }, t('reused'))] : null,
              ),
              h('p', { class: 'comp-name' }, longText(c.name, 200, t('showFullText'))),
              c.files.length
                ? h(
                    'ul',
                    { class: 'files' },
                    c.files.map((f) =>
                      h(
                        'li',
                        { class: 'file' },
                        h('span', { class: 'file-name' }, f.name),
                        h(
                          'span',
                          { class: 'meta' },
                          `${fmtSize(f.size)}${f.phase === 'supplement' ? ` · ${t('phaseSupplement')}` : ''}`,
                        ),
                        h(
                          'button',
                          {
                            type: 'button',
                            class: 'btn secondary small',
                            'data-file': f.id,
                            'aria-label': t('oViewFile', { name: f.name }),
                            'on:click': () => showFile(f),
                          },
                          t('oView'),
                        ),
                      ),
                    ),
                  )
                : null,
            ),
          ),
        ),
    viewer,
  );
}
