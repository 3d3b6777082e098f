// Unknown address, and the page shown when a page could not load.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';

export async function render(ctx) {
  ctx.setTitle(t('notFoundTitle'));
  replace(
    ctx.main,
    h(
      'section',
      { class: 'card narrow' },
      h('h1', {}, t('notFoundTitle')),
      h('p', {}, t('notFoundText')),
      h('p', {}, h('a', { href: '/' }, t('home'))),
    ),
  );
}

export function renderError(ctx, err) {
  const notFound = err?.status === 404;
  ctx.setTitle(notFound ? t('notFoundTitle') : t('errorTitle'));
  replace(
    ctx.main,
    h(
      'section',
      { class: 'card narrow', role: 'alert' },
      h('h1', {}, notFound ? t('notFoundTitle') : t('errorTitle')),
      h('p', {}, err?.message ?? String(err)),
      h('p', {}, h('a', { href: '/' }, t('home'))),
    ),
  );
}
