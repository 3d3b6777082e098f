// Step 3 of the reception counter: the components of the procedure, each ticked as received on paper, scanned
// (uploaded at once, in the background) or taken from the person's stored files.
import { api, uploadFile } from '../../api.js';
import { h, longText, replace } from '../../dom.js';
import { fmtSize } from '../../format.js';
import { t } from '../../i18n.js';
import { announce } from '../../main.js';
import { statusLine } from '../common.js';

const FILE_MAX = 10 * 1024 * 1024;

/**
 * The components card and render(), which draws the list for `state.def` (state.comps: code → { provided, files,
 * reuse }). Uploads under way are in `uploads` (aborted when the page is left); `onChange()` follows each change.
 */
export function componentsStep(state, { uploads, onChange }) {
  const compList = h('ol', { class: 'o-comps', id: 'intake-components' });
  const compCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'intake-h-comps' },
    h('h2', { id: 'intake-h-comps' }, t('oStepComponents')),
    h('p', { class: 'hint' }, t('oComponentsHint')),
    compList,
  );

  function renderComponents() {
    if (!state.def) {
      replace(compList, h('li', { class: 'meta' }, t('oChooseProcedureFirst')));
      return;
    }
    if (state.def.components.length === 0) {
      replace(compList, h('li', { class: 'meta' }, t('noComponents')));
      return;
    }
    replace(
      compList,
      state.def.components.map((c, i) => {
        const st = state.comps.get(c.code);
        const cid = `comp-${i}`;
        const box = h('input', {
          type: 'checkbox',
          id: `${cid}-provided`,
          'data-component': c.code,
          checked: st.provided,
          'on:change': (e) => {
            st.provided = e.target.checked;
            onChange();
          },
        });
        const filesUl = h('ul', { class: 'files', id: `${cid}-files` });
        const drawFiles = () =>
          replace(
            filesUl,
            st.files.map((f) =>
              h(
                'li',
                { class: `file${f.uploading ? ' uploading' : ''}` },
                h('span', { class: 'file-name' }, f.name),
                h('span', { class: 'meta' }, f.uploading ? t('uploading', { name: '' }) : fmtSize(f.size)),
                f.uploading
                  ? null
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'link',
                        'aria-label': t('removeFile', { name: f.name }),
                        'on:click': () => {
                          st.files = st.files.filter((x) => x !== f);
                          api(`/api/files/${f.id}`, { method: 'DELETE' }).catch(() => {});
                          drawFiles();
                          announce(t('fileRemoved', { name: f.name }));
                          onChange();
                        },
                      },
                      t('remove'),
                    ),
              ),
            ),
          );
        drawFiles();
        const fileInput = h('input', {
          type: 'file',
          id: `${cid}-file`,
          class: 'file-input',
          accept: 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png',
          multiple: true,
          'aria-describedby': `${cid}-name`,
          'on:change': async (e) => {
            const chosen = [...e.target.files];
            e.target.value = '';
            for (const file of chosen) {
              if (file.size > FILE_MAX) {
                compErr.error(t('errFileTooLarge', { name: file.name, size: fmtSize(file.size) }));
                continue;
              }
              const entry = { id: null, name: file.name, size: file.size, uploading: true };
              st.files.push(entry);
              drawFiles();
              const up = uploadFile(file);
              uploads.add(up);
              try {
                const saved = await up.promise;
                Object.assign(entry, { id: saved.id, size: saved.size, uploading: false });
                st.provided = true;
                box.checked = true;
                compErr.clear();
                announce(t('fileUploaded', { name: file.name }));
              } catch (err) {
                st.files = st.files.filter((x) => x !== entry);
                if (err.name !== 'AbortError') compErr.error(`${file.name}: ${err.message}`);
              } finally {
                uploads.delete(up);
                drawFiles();
                onChange();
              }
            }
          },
        });
        const compErr = statusLine(`${cid}-err`);
        const reuse =
          c.reusable && state.storedFiles.length
            ? h(
                'div',
                { class: 'field o-reuse' },
                h('label', { for: `${cid}-reuse` }, t('oReuseStored')),
                h(
                  'select',
                  {
                    id: `${cid}-reuse`,
                    'on:change': (e) => {
                      st.reuse = e.target.value;
                      if (st.reuse) {
                        st.provided = true;
                        box.checked = true;
                      }
                      onChange();
                    },
                  },
                  h('option', { value: '' }, t('oReuseNone')),
                  state.storedFiles.map((f) =>
                    h('option', { value: f.id, selected: st.reuse === f.id }, f.name),
                  ),
                ),
              )
            : null;
        return h(
          'li',
          { class: 'o-comp', 'data-code': c.code },
          h(
            'div',
            { class: 'check' },
            box,
            h(
              'label',
              { for: `${cid}-provided`, id: `${cid}-name` },
              h('span', { class: 'o-code' }, `${c.code} `),
              c.required
                ? h('span', { class: 'tag required' }, t('required'))
                : h('span', { class: 'tag' }, t('optional')),
              ' ',
              t('oReceivedPaper'),
            ),
          ),
          h('p', { class: 'comp-name' }, longText(c.name, 220, t('showFullText'))),
          h('p', { class: 'meta' }, t('originalsCopies', { o: c.originals, c: c.copies })),
          h(
            'div',
            { class: 'upload-actions' },
            h('label', { for: `${cid}-file`, class: 'btn secondary small file-label' }, t('oScanUpload')),
            fileInput,
          ),
          filesUl,
          compErr.el,
          reuse,
        );
      }),
    );
  }

  return { card: compCard, render: renderComponents };
}
