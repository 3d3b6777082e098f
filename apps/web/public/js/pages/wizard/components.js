// Step 2 of the wizard: the components of the procedure, each with its files uploaded at once (with progress),
// taken with the camera on a phone, or chosen from the citizen's stored files.
import { api, uploadFile } from '../../api.js';
import { h, longText, replace } from '../../dom.js';
import { ACCEPT, checkFile, uploadErrorMessage } from '../../files.js';
import { fmtSize } from '../../format.js';
import { t } from '../../i18n.js';
import { chooseFromStore } from './store.js';

/** The required components of procedure `d` that draft `state` has no file for. */
export const missingRequired = (d, state) =>
  d.components.filter((c) => c.required && !(state.components[c.code]?.length > 0));

/** The components step of wizard `w`: render() draws it into `w.body`. */
export function componentsStep(w) {
  const { ctx, d } = w;
  const { changed } = w.saver;

  function render() {
    const title = h('h2', { id: 'step-title' }, `2. ${t('stepComponents')}`);
    if (d.components.length === 0) {
      replace(w.body, title, h('p', {}, t('noComponents')));
      return;
    }
    replace(
      w.body,
      title,
      h('p', { class: 'hint' }, t('componentsUploadHint')),
      h(
        'ol',
        { class: 'upload-list' },
        d.components.map((c, i) => h('li', {}, componentBlock(c, i))),
      ),
    );
  }
  function componentBlock(c, i) {
    const list = h('ul', { class: 'files', 'aria-label': t('filesOf', { n: i + 1 }) });
    const error = h('p', { class: 'field-error', id: `comp-${c.code}-err`, role: 'alert', hidden: true });
    const files = () => (w.state.components[c.code] ??= []);
    const drawFiles = () => {
      replace(
        list,
        files().map((f) =>
          h(
            'li',
            { class: 'file' },
            h('span', { class: 'file-name' }, f.name),
            h('span', { class: 'meta' }, ` ${fmtSize(f.size)}${f.fromStore ? ` · ${t('fromStore')}` : ''}`),
            h(
              'button',
              {
                type: 'button',
                class: 'btn secondary small',
                'aria-label': t('removeFile', { name: f.name }),
                'on:click': async () => {
                  w.state.components[c.code] = files().filter((x) => x.id !== f.id);
                  changed();
                  drawFiles();
                  if (!f.fromStore) api(`/api/files/${f.id}`, { method: 'DELETE' }).catch(() => {});
                  ctx.announce(t('fileRemoved', { name: f.name }));
                  pick.focus();
                },
              },
              t('remove'),
            ),
          ),
        ),
      );
    };
    const showError = (msgs) => {
      error.hidden = msgs.length === 0;
      replace(
        error,
        msgs.map((m, j) => [j ? h('br') : null, m]),
      );
    };
    async function handle(fileList) {
      const msgs = [];
      const chosen = [...fileList];
      const ok = [];
      for (const file of chosen) {
        const m = checkFile(file);
        if (m) msgs.push(m);
        else ok.push(file);
      }
      showError(msgs);
      for (const file of ok) {
        const progress = h('progress', {
          max: '100',
          value: '0',
          'aria-label': t('uploading', { name: file.name }),
        });
        const row = h(
          'li',
          { class: 'file uploading' },
          h('span', { class: 'file-name' }, file.name),
          progress,
          h('span', { class: 'meta' }, ` ${fmtSize(file.size)}`),
        );
        list.append(row);
        try {
          const up = uploadFile(file, (p) => {
            progress.value = Math.round(p * 100);
          });
          const r = await up.promise;
          files().push({
            id: r.id,
            name: r.name ?? file.name,
            size: r.size ?? file.size,
            mime: r.mime ?? file.type,
          });
          changed();
          ctx.announce(t('fileUploaded', { name: file.name }));
        } catch (err) {
          msgs.push(uploadErrorMessage(err, file.name));
          showError(msgs);
          if (err.status === 401) w.sessionExpired();
        } finally {
          row.remove();
          drawFiles();
        }
      }
    }
    const inputId = `upload-${c.code}`;
    const pick = h('input', {
      type: 'file',
      id: inputId,
      accept: ACCEPT,
      multiple: true,
      class: 'file-input',
      'aria-describedby': `comp-${c.code}-name comp-${c.code}-err`,
      'on:change': (e) => {
        handle(e.target.files).finally(() => {
          e.target.value = '';
        });
      },
    });
    const camera = matchMedia('(pointer: coarse)').matches
      ? h('input', {
          type: 'file',
          id: `camera-${c.code}`,
          accept: 'image/jpeg,image/png',
          capture: 'environment',
          class: 'file-input',
          'on:change': (e) => handle(e.target.files).finally(() => (e.target.value = '')),
        })
      : null;
    drawFiles();
    return h(
      'div',
      { class: 'component', 'data-component': c.code },
      h(
        'div',
        { class: 'comp-name', id: `comp-${c.code}-name` },
        h('span', { class: c.required ? 'tag required' : 'tag' }, c.required ? t('required') : t('optional')),
        ' ',
        longText(c.name, 220, t('showFullText')),
      ),
      list,
      error,
      h(
        'div',
        { class: 'upload-actions' },
        h('label', { for: inputId, class: 'btn secondary file-label' }, t('uploadFile')),
        pick,
        camera
          ? [
              h('label', { for: `camera-${c.code}`, class: 'btn secondary file-label' }, t('takePhoto')),
              camera,
            ]
          : null,
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            'on:click': () => chooseFromStore(c, files, drawFiles, changed),
          },
          t('chooseFromStore'),
        ),
      ),
      h('p', { class: 'hint' }, t('fileRules')),
    );
  }
  return { render };
}
