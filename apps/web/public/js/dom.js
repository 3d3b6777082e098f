// Building DOM nodes instead of HTML strings: every value is text, nothing is ever parsed as markup.
import { t } from './i18n.js';

/**
 * h('a', {href: '/x', class: 'btn'}, 'text', child, [more]) → element.
 * Attributes: `class`, `text`, `on:<event>` (listener), `data-*`, boolean true → empty attribute, false/null → none.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on:')) el.addEventListener(k.slice(3), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden' || k === 'required')
      el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let uid = 0;
/** A unique id for label/aria wiring. */
export const newId = (prefix = 'id') => `${prefix}-${++uid}`;

export const $ = (sel, root = document) => root.querySelector(sel);

/** Long catalogue text (component names run to 2,000 characters): the start, and the rest behind "Xem đầy đủ". */
export function longText(text, max, moreLabel) {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  const head = text.slice(0, cut > max * 0.6 ? cut : max);
  return [
    `${head}… `,
    h('details', { class: 'more-text' }, h('summary', {}, moreLabel), h('span', {}, text)),
  ];
}

/**
 * The portal's breadcrumb trail: the home page, then each `[label, href]`; an item without href is the current page.
 */
export function crumbs(...items) {
  const li = ([label, href]) =>
    href ? h('li', {}, h('a', { href }, label)) : h('li', { 'aria-current': 'page' }, label);
  return h(
    'nav',
    { 'aria-label': t('breadcrumb'), class: 'crumbs' },
    h('ol', {}, [[t('home'), '/'], ...items].map(li)),
  );
}
