// Choosing files for a component from the citizen's stored files (earlier uploads and results), in a dialog.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { fmtDateTime, fmtSize } from '../../format.js';
import { t } from '../../i18n.js';

/**
 * Opens the dialog for component `c`: the stored files not taken yet, to tick; the ones added go into `files()`,
 * then `changed()` saves the draft and `drawFiles()` shows them.
 */
export async function chooseFromStore(c, files, drawFiles, changed) {
  const dialogTitle = h('h2', { id: 'store-title' }, t('myStore'));
  const content = h('div', {}, h('p', {}, t('loading')));
  const dialog = h(
    'dialog',
    { class: 'store', 'aria-labelledby': 'store-title' },
    dialogTitle,
    h('p', { class: 'meta' }, c.name.length > 160 ? `${c.name.slice(0, 160)}…` : c.name),
    content,
  );
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
  const close = h(
    'button',
    { type: 'button', class: 'btn secondary', 'on:click': () => dialog.close() },
    t('cancel'),
  );
  try {
    const { items } = await api('/api/me/files');
    const taken = new Set(files().map((f) => f.id));
    const avail = items.filter((f) => !taken.has(f.id));
    if (avail.length === 0) {
      replace(content, h('p', {}, t('storeEmpty')), close);
      return;
    }
    const boxes = avail.map((f) =>
      h(
        'li',
        {},
        h('input', { type: 'checkbox', id: `store-${f.id}`, value: f.id }),
        h(
          'label',
          { for: `store-${f.id}` },
          f.name,
          h(
            'span',
            { class: 'meta' },
            ` — ${fmtSize(f.size)}, ${fmtDateTime(f.createdAt)}${f.source === 'result' ? `, ${t('storeResult', { code: f.dossierCode ?? '' })}` : ''}`,
          ),
        ),
      ),
    );
    const add = h(
      'button',
      {
        type: 'button',
        class: 'btn',
        'on:click': () => {
          for (const li of boxes) {
            const box = li.querySelector('input');
            if (!box.checked) continue;
            const f = avail.find((x) => x.id === box.value);
            files().push({ id: f.id, name: f.name, size: f.size, mime: f.mime, fromStore: true });
          }
          changed();
          drawFiles();
          dialog.close();
        },
      },
      t('addSelected'),
    );
    replace(content, h('ul', { class: 'store-list' }, boxes), h('div', { class: 'row-buttons' }, add, close));
    boxes[0]?.querySelector('input')?.focus();
  } catch (err) {
    replace(
      content,
      h('p', { class: 'error' }, err.code === 'NOT_FOUND' ? t('storeUnavailable') : err.message),
      close,
    );
    close.focus();
  }
}
