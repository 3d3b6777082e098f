// The content fields of the result templates (packages/pdf), as POST /api/dossiers/:code/documents expects them: a
// decision (subject, authority, legal bases, proposal, articles) or another document (title, information lines,
// paragraphs). The document itself is always in Vietnamese.
import { h } from '../../dom.js';
import { t } from '../../i18n.js';

export const textarea = (rows, max, value = '') => {
  const el = h('textarea', { rows: String(rows), maxlength: String(max) });
  el.value = value;
  return el;
};
export const input = (max, value = '') => h('input', { type: 'text', maxlength: String(max), value });
/** Non-blank lines with their line number (1-based) in the box. */
export const linesOf = (el) =>
  el.value
    .split('\n')
    .map((x, i) => ({ text: x.trim(), line: i + 1 }))
    .filter((x) => x.text);

/** "công chức Tư pháp - Hộ tịch" → "Theo đề nghị của công chức Tư pháp - Hộ tịch." (printed as given). */
const proposalLine = (v) => {
  const x = v.trim().replace(/^theo đề nghị của\s*/i, '');
  return `Theo đề nghị của ${x}${/[.;]$/.test(x) ? '' : '.'}`;
};

/**
 * The fields of a decision for the template choice `c`, and collect() → { issues, body }. `fld(name, label, control,
 * opts)` makes a field and keeps its control for the errors; `recipients` is the box shared by the templates.
 */
export function decisionFields(c, { meta, unit, fld, recipients }) {
  const resultName = c.result?.name ?? '';
  const subject = input(500, resultName.replace(/^quyết định\s+(về việc\s+)?/i, ''));
  const authority = input(
    300,
    unit ? `${unit.level === 'department' ? 'Giám đốc' : 'Chủ tịch'} ${unit.name}` : '',
  );
  const bases = textarea(
    6,
    20_000,
    meta.legalBases
      .slice(0, 20)
      .map((b) => `Căn cứ ${b.replace(/[.;]\s*$/, '')};`)
      .join('\n'),
  );
  const proposal = input(500);
  const articles = [];
  const artBox = h('div', { id: 'ws-draft-articles' });
  const addArticle = (value = '') => {
    const n = articles.length + 1;
    const el = textarea(n === 1 ? 4 : 2, 33_000, value);
    articles.push(el);
    artBox.append(
      fld(`articles.${n - 1}`, t('oDraftArticle', { n }), el, {
        required: n === 1,
        hint: n === 1 ? t('oDraftArticleHint') : undefined,
      }),
    );
    return el;
  };
  addArticle();
  addArticle('Quyết định này có hiệu lực kể từ ngày ký.');
  addArticle();
  const more = h(
    'button',
    {
      type: 'button',
      class: 'btn secondary small',
      id: 'ws-draft-add-article',
      'on:click': () => {
        addArticle().focus();
        if (articles.length >= 20) more.hidden = true;
      },
    },
    t('oDraftAddArticle'),
  );
  const fields = [
    fld('subject', t('oDraftSubject'), subject, { required: true, hint: t('oDraftSubjectHint') }),
    fld('authority', t('oDraftAuthority'), authority, {
      required: true,
      hint: t('oDraftAuthorityHint'),
    }),
    fld('bases', t('oDraftBases'), bases, { required: true, hint: t('oDraftBasesHint') }),
    fld('proposal', t('oDraftProposal'), proposal, { hint: t('oDraftProposalHint') }),
    artBox,
    h('p', {}, more),
    fld('recipients', t('oDraftRecipients'), recipients, { hint: t('oDraftRecipientsHint') }),
  ];
  const collect = () => {
    const issues = [];
    const filled = articles.map((el) => linesOf(el));
    while (filled.length > 1 && filled.at(-1).length === 0) filled.pop();
    filled.forEach((ls, i) => {
      if (ls.length === 0)
        issues.push({
          path: `/articles/${i}`,
          message: t(i === 0 ? 'oErrFieldRequired' : 'oErrArticleGap'),
        });
    });
    if (!subject.value.trim()) issues.push({ path: '/subject', message: t('oErrFieldRequired') });
    if (!authority.value.trim()) issues.push({ path: '/authority', message: t('oErrFieldRequired') });
    if (linesOf(bases).length === 0) issues.push({ path: '/bases', message: t('oErrFieldRequired') });
    return {
      issues,
      body: {
        kind: 'decision',
        subject: subject.value.trim(),
        authority: authority.value.trim(),
        bases: linesOf(bases).map((x) => x.text),
        ...(proposal.value.trim() ? { proposal: proposalLine(proposal.value) } : {}),
        articles: filled.map(([first, ...items]) =>
          items.length ? { text: first.text, items: items.map((x) => x.text) } : first?.text,
        ),
      },
    };
  };
  return { fields, collect };
}

/** The fields of any other document for the template choice `c`, and collect() → { issues, body, infoCount }. */
export function documentFields(c, { d, fld, recipients }) {
  const resultName = c.result?.name ?? '';
  const title = input(
    300,
    resultName ||
      (c.kind === 'document'
        ? `Kết quả giải quyết ${d.details?.procedure?.name ?? ''}`.trim()
        : { certificate: 'Giấy chứng nhận', licence: 'Giấy phép', confirmation: 'Văn bản xác nhận' }[c.kind]),
  );
  title.value = title.value.slice(0, 300);
  const subtitle = input(300);
  const info = textarea(4, 20_000);
  info.placeholder = 'Họ và tên: Nguyễn Văn A';
  const paragraphs = textarea(4, 60_000);
  const fields = [
    fld('title', t('oDraftTitle'), title, { required: true }),
    fld('subtitle', t('oDraftSubtitle'), subtitle, { hint: t('oDraftSubtitleHint') }),
    fld('info', t('oDraftInfo'), info, { hint: t('oDraftInfoHint') }),
    fld('paragraphs', t('oDraftParagraphs'), paragraphs, { hint: t('oDraftBodyHint') }),
    c.kind === 'document'
      ? fld('recipients', t('oDraftRecipients'), recipients, { hint: t('oDraftRecipientsHint') })
      : null,
  ];
  const collect = () => {
    const issues = [];
    const kv = linesOf(info).map(({ text, line }) => {
      const at = text.indexOf(':');
      const label = at > 0 ? text.slice(0, at).trim() : '';
      const value = at > 0 ? text.slice(at + 1).trim() : '';
      if (!label || !value)
        issues.push({ path: '/info', message: `${t('oLineN', { n: line })}: ${t('oErrInfoLine')}` });
      return { label, value };
    });
    const paras = linesOf(paragraphs).map((x) => x.text);
    if (!title.value.trim()) issues.push({ path: '/title', message: t('oErrFieldRequired') });
    if (kv.length + paras.length === 0) issues.push({ path: '/paragraphs', message: t('oErrBodyEmpty') });
    return {
      issues,
      infoCount: kv.length,
      body: {
        kind: c.kind,
        title: title.value.trim(),
        ...(subtitle.value.trim() ? { subtitle: subtitle.value.trim() } : {}),
        body: [...kv, ...paras],
      },
    };
  };
  return { fields, collect };
}
