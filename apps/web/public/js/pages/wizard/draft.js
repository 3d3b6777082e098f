// The draft of an online submission: the newer of the server's and this device's copy, a new one prefilled from
// the profile, and saving (to the server, debounced, and mirrored in localStorage at once).
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { fmtTime } from '../../format.js';
import { t } from '../../i18n.js';
import { loginHref } from '../../main.js';

const localKey = (me, code) => `tinhso:draft:${me.id}:${code}`;
const uuid = () =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
  );

/** The draft to resume: the newer of the server's (`serverDraft`) and this device's copy, or null. */
export function storedDraft(me, code, serverDraft) {
  let local = null;
  try {
    local = JSON.parse(localStorage.getItem(localKey(me, code)) ?? 'null');
  } catch {}
  const server = serverDraft?.data && typeof serverDraft.data === 'object' ? serverDraft.data : null;
  return (
    [server, local]
      .filter((x) => x && x.v === 1)
      .sort((a, b) => String(b.savedAt ?? '').localeCompare(String(a.savedAt ?? '')))[0] ?? null
  );
}

/** A new draft: the fields of the e-form prefilled from the profile `prof`, with its own idempotency key. */
export function freshDraft(fields, prof, unitChoices) {
  const formData = {};
  for (const f of fields) {
    const v = f.prefill ? prof[f.prefill] : null;
    if (v) formData[f.name] = String(v);
  }
  return {
    v: 1,
    step: 0,
    formData,
    components: {},
    delivery: { method: 'online', address: prof.address ?? '' },
    competentUnit: unitChoices.length === 1 ? unitChoices[0].code : '',
    idempotencyKey: uuid(),
    savedAt: null,
    confirmMissing: false,
  };
}

/** Removes this device's copy of the draft. */
export function dropLocal(me, code) {
  localStorage.removeItem(localKey(me, code));
}

/**
 * Saving of the draft `w.state` of wizard `w` ({me, code, here, state}): `status` is the line saying when it was
 * last saved; changed() saves a second after the last change, saveNow() at once, and a pending save is made when
 * the page is hidden. pending() tells whether a save waits, cancel() drops it, stop() stops watching the page.
 */
export function draftSaver(w) {
  const status = h('p', {
    id: 'draft-status',
    class: 'draft-status',
    role: 'status',
    'aria-live': 'polite',
  });
  let timer = null;
  let saving = Promise.resolve();
  let serverDrafts = true;
  function writeLocal() {
    try {
      localStorage.setItem(localKey(w.me, w.code), JSON.stringify(w.state));
    } catch {}
  }
  function changed() {
    w.state.savedAt = new Date().toISOString();
    writeLocal();
    clearTimeout(timer);
    timer = setTimeout(saveNow, 1000);
  }
  function saveNow() {
    clearTimeout(timer);
    timer = null;
    w.state.savedAt ??= new Date().toISOString();
    writeLocal();
    const data = JSON.parse(JSON.stringify(w.state));
    saving = saving.then(async () => {
      if (!serverDrafts) {
        status.textContent = t('draftSavedLocal', { time: fmtTime(w.state.savedAt) });
        return;
      }
      try {
        const r = await api(`/api/me/drafts/${encodeURIComponent(w.code)}`, {
          method: 'PUT',
          body: { data },
        });
        status.textContent = t('draftSaved', {
          time: fmtTime(r?.updatedAt ?? new Date().toISOString()),
        });
      } catch (err) {
        if (err.status === 401) {
          status.replaceChildren(
            t('draftSessionExpired'),
            ' ',
            h('a', { href: loginHref(w.here), 'data-reload': '' }, t('loginAgain')),
          );
        } else if (err.code === 'NOT_FOUND') {
          serverDrafts = false; // this server has no draft store yet: this device keeps it
          status.textContent = t('draftSavedLocal', { time: fmtTime(w.state.savedAt) });
        } else {
          status.textContent = t('draftSaveFailed', { time: fmtTime(w.state.savedAt) });
        }
      }
    });
    return saving;
  }
  const onHide = () => {
    if (document.visibilityState === 'hidden' && timer) saveNow();
  };
  document.addEventListener('visibilitychange', onHide);
  return {
    status,
    writeLocal,
    changed,
    saveNow,
    pending: () => Boolean(timer),
    cancel() {
      clearTimeout(timer);
      timer = null;
    },
    stop: () => document.removeEventListener('visibilitychange', onHide),
  };
}
