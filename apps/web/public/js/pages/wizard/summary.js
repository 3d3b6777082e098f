// The error summary at the top of the wizard: a title and the problems found, each a link to the field it
// concerns.
import { h, replace } from '../../dom.js';
import { checkField } from '../../eform.js';

/**
 * The summary box `el` (hidden at first); show(title, items) fills it with items {text, target?} and focuses it.
 */
export function errorSummary() {
  const el = h('div', {
    id: 'error-summary',
    class: 'error-summary',
    role: 'alert',
    tabindex: '-1',
    hidden: true,
  });
  function show(title, items) {
    el.hidden = false;
    replace(
      el,
      h('h2', {}, title),
      items.length
        ? h(
            'ul',
            {},
            items.map((it) =>
              h(
                'li',
                {},
                it.target
                  ? h(
                      'a',
                      {
                        href: `#${it.target}`,
                        'on:click': (e) => {
                          e.preventDefault();
                          document.getElementById(it.target)?.focus();
                        },
                      },
                      it.text,
                    )
                  : it.text,
              ),
            ),
          )
        : null,
    );
    el.focus();
  }
  return { el, show };
}

/** The summary's items for e-form fields `bad` of `formData`: "label: problem", each a link to its field. */
export const fieldProblems = (bad, formData) =>
  bad.map((f) => ({ text: `${f.label}: ${checkField(f, formData[f.name])}`, target: `f-${f.name}` }));
