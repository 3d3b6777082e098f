// Answering a supplement request: the items asked for, files uploaded per component and a note, sent with the
// dossier's version.
import { api, uploadFile } from '../../api.js';
import { h, replace } from '../../dom.js';
import { ACCEPT, checkFile, uploadErrorMessage } from '../../files.js';
import { fmtSize } from '../../format.js';
import { t } from '../../i18n.js';

/** The answer to the supplement request `action` of `dossier`; `components` are its components (or null). */
export function supplementBlock(ctx, dossier, action, components) {
  const code = dossier.code;
  const items = Array.isArray(action.payload?.items) ? action.payload.items : [];
  const chosen = {};
  const comps = components ?? [];
  const err = h('div', { class: 'field-error', role: 'alert', hidden: true, id: 'supplement-error' });
  const note = h('textarea', { id: 'supplement-note', rows: '3', maxlength: '2000' });
  const send = h('button', { type: 'submit', class: 'btn', id: 'send-supplement' }, t('sendSupplement'));
  const rows = comps.map((c) => {
    const list = h('ul', { class: 'files' });
    const cerr = h('p', { class: 'field-error', hidden: true, role: 'alert' });
    const id = `supp-${c.code}`;
    chosen[c.code] = [];
    const draw = () =>
      replace(
        list,
        chosen[c.code].map((f) =>
          h(
            'li',
            { class: 'file' },
            h('span', { class: 'file-name' }, f.name),
            h('span', { class: 'meta' }, ` ${fmtSize(f.size)}`),
            h(
              'button',
              {
                type: 'button',
                class: 'btn secondary small',
                'aria-label': t('removeFile', { name: f.name }),
                'on:click': () => {
                  chosen[c.code] = chosen[c.code].filter((x) => x.id !== f.id);
                  api(`/api/files/${f.id}`, { method: 'DELETE' }).catch(() => {});
                  draw();
                },
              },
              t('remove'),
            ),
          ),
        ),
      );
    const input = h('input', {
      type: 'file',
      id,
      accept: ACCEPT,
      multiple: true,
      class: 'file-input',
      'on:change': async (e) => {
        const msgs = [];
        for (const file of [...e.target.files]) {
          const m = checkFile(file);
          if (m) {
            msgs.push(m);
            continue;
          }
          const progress = h('progress', {
            max: '100',
            value: '0',
            'aria-label': t('uploading', { name: file.name }),
          });
          list.append(h('li', {}, file.name, ' ', progress));
          try {
            const r = await uploadFile(file, (p) => (progress.value = Math.round(p * 100))).promise;
            chosen[c.code].push({ id: r.id, name: r.name ?? file.name, size: r.size ?? file.size });
            ctx.announce(t('fileUploaded', { name: file.name }));
          } catch (ex) {
            msgs.push(uploadErrorMessage(ex, file.name));
          }
          draw();
        }
        cerr.hidden = msgs.length === 0;
        cerr.textContent = msgs.join(' ');
        e.target.value = '';
      },
    });
    return h(
      'li',
      { class: 'component' },
      h('p', { class: 'comp-name' }, c.name.length > 220 ? `${c.name.slice(0, 220)}…` : c.name),
      list,
      cerr,
      h(
        'div',
        { class: 'upload-actions' },
        h('label', { for: id, class: 'btn secondary file-label' }, t('uploadFile')),
        input,
      ),
    );
  });
  const form = h(
    'form',
    {
      id: 'supplement-form',
      'on:submit': async (e) => {
        e.preventDefault();
        const components = Object.entries(chosen)
          .filter(([, fs]) => fs.length)
          .map(([c, fs]) => ({ code: c, fileIds: fs.map((f) => f.id) }));
        // The answer to a supplement request is the documents asked for (the note only accompanies them).
        if (components.length === 0) {
          err.hidden = false;
          err.textContent = t('supplementEmpty');
          return;
        }
        send.disabled = true;
        send.textContent = t('sending');
        try {
          await api(`/api/dossiers/${encodeURIComponent(code)}/supplement`, {
            method: 'POST',
            body: { expectedVersion: dossier.version, note: note.value.trim() || undefined, components },
          });
          ctx.announce(t('supplementSent'));
          await ctx.navigate(`/ho-so/${encodeURIComponent(code)}`, { replace: true });
        } catch (ex) {
          send.disabled = false;
          send.textContent = t('sendSupplement');
          err.hidden = false;
          err.textContent = ex.code === 'VERSION_CONFLICT' ? t('versionConflict') : ex.message;
        }
      },
    },
    rows.length ? h('ol', { class: 'upload-list' }, rows) : null,
    h('div', { class: 'field' }, h('label', { for: 'supplement-note' }, t('supplementNote')), note),
    err,
    send,
  );
  return h(
    'div',
    { class: 'supplement', id: 'supplement' },
    h('h3', {}, t('supplementAsked')),
    action.reason ? h('p', {}, action.reason) : null,
    items.length
      ? h(
          'ul',
          { id: 'supplement-items' },
          items.map((x) => h('li', {}, h('strong', {}, x))),
        )
      : null,
    h('p', { class: 'hint' }, t('supplementClock')),
    form,
  );
}
