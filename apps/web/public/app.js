// Tỉnh Số web shell: no build step, no framework. Vietnamese first, English available.
const T = {
  vi: {},
  en: {
    skip: 'Skip to main content',
    motto: 'Socialist Republic of Viet Nam',
    portal: 'Public service portal',
    searchTitle: 'Find an administrative procedure',
    searchLabel: 'Procedure name or code (accents optional)',
    search: 'Search',
    field: 'Field',
    allFields: 'All fields',
    lookupTitle: 'Track a dossier',
    lookupLabel: 'Dossier code (printed on the receipt)',
    lookup: 'Track',
    citizenTitle: 'Citizens',
    citizenLogin: 'Citizen sign-in (VNeID)',
    myDossiers: 'My dossiers',
    noDossiers: 'You have no dossiers yet.',
    officerTitle: 'Officer sign-in',
    username: 'Username',
    password: 'Password',
    login: 'Sign in',
    logout: 'Sign out',
    dossiers: 'Dossiers in your units',
    code: 'Dossier code',
    procedure: 'Procedure',
    applicant: 'Applicant',
    status: 'Status',
    due: 'Due',
    apiDocs: 'API reference',
    demoNote: 'Demo: units, officers and dossiers are sample data.',
  },
};
let lang = localStorage.getItem('lang') === 'en' ? 'en' : 'vi';
let csrf = null;
const $ = (id) => document.getElementById(id);
const vnDate = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const vnTime = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
});
const fmtDate = (iso) => (iso ? `${vnDate.format(new Date(iso))} ${vnTime.format(new Date(iso))}` : '—');
const fmtMoney = (n) =>
  n === null || n === undefined ? 'Theo quy định' : `${new Intl.NumberFormat('vi-VN').format(n)} ₫`;
const esc = (s) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const CHANNEL = { counter: 'Trực tiếp', online: 'Trực tuyến', post: 'Bưu chính' };
const ONLINE = { TOAN_TRINH: 'Toàn trình', MOT_PHAN: 'Một phần', KHONG: 'Không trực tuyến' };

function applyLang() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.dataset.vi ??= el.textContent;
    el.textContent = lang === 'en' ? (T.en[el.dataset.i18n] ?? el.dataset.vi) : el.dataset.vi;
  }
  $('lang').textContent = lang === 'en' ? 'Tiếng Việt' : 'English';
  $('lang').setAttribute('aria-pressed', String(lang === 'en'));
}

async function api(path, init = {}) {
  const headers = {
    accept: 'application/json',
    ...(init.body ? { 'content-type': 'application/json' } : {}),
  };
  if (csrf && init.method && init.method !== 'GET') headers['x-csrf-token'] = csrf;
  const res = await fetch(path, {
    ...init,
    headers: { ...headers, ...init.headers },
    credentials: 'same-origin',
  });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok)
    throw new Error(
      body?.error ? (lang === 'en' ? body.error.messageEn : body.error.message) : res.statusText,
    );
  return body;
}

async function search(e) {
  e?.preventDefault();
  const q = $('q').value.trim();
  const params = new URLSearchParams({ limit: '20' });
  if (q) params.set('q', q);
  if ($('field').value) params.set('field', $('field').value);
  $('search-status').textContent = '…';
  try {
    const { items, total } = await api(`/api/procedures?${params}`);
    $('search-status').textContent = `${total} ${lang === 'en' ? 'procedures' : 'thủ tục'}`;
    $('results').innerHTML = items
      .map(
        (p) =>
          `<li><a href="#" data-code="${esc(p.code)}">${esc(p.name)}</a><br><span class="meta">${esc(p.code)} · ${esc(p.field)} · <span class="badge">${esc(ONLINE[p.onlineLevel])}</span></span></li>`,
      )
      .join('');
  } catch (err) {
    $('search-status').innerHTML = `<span class="error">${esc(err.message)}</span>`;
  }
}

async function showProcedure(code) {
  const { definition: d, version } = await api(`/api/procedures/${encodeURIComponent(code)}`);
  const days = Object.entries(d.processingDays)
    .map(([c, n]) => `${CHANNEL[c]}: ${String(n).replace('.', ',')} ngày làm việc`)
    .join('; ');
  const el = $('procedure');
  el.hidden = false;
  el.innerHTML = `<h2>${esc(d.name)}</h2>
    <dl class="kv"><dt>Mã thủ tục</dt><dd>${esc(d.code)} (phiên bản ${version})</dd>
    <dt>Lĩnh vực</dt><dd>${esc(d.field)}</dd><dt>Cấp thực hiện</dt><dd>${d.level === 'commune' ? 'Cấp xã' : 'Cấp tỉnh'}</dd>
    <dt>Mức độ trực tuyến</dt><dd>${esc(ONLINE[d.onlineLevel])}</dd><dt>Thời hạn giải quyết</dt><dd>${esc(days)}</dd>
    <dt>Phí, lệ phí</dt><dd>${d.fees.length ? d.fees.map((f) => `${esc(f.name)}: ${fmtMoney(f.amountVnd)}`).join('<br>') : 'Không'}</dd></dl>
    <h3>Thành phần hồ sơ</h3><ol>${d.components.map((c) => `<li>${esc(c.name)}${c.required ? '' : ' <span class="meta">(nếu có)</span>'}</li>`).join('')}</ol>
    <h3>Trình tự xử lý</h3><ol>${d.workflow.map((s) => `<li>${esc(s.name)} — ${String(s.durationDays).replace('.', ',')} ngày</li>`).join('')}</ol>
    <h3>Căn cứ pháp lý</h3><ul>${d.legalBases.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>`;
  el.scrollIntoView({ behavior: 'smooth' });
}

async function lookup(e) {
  e.preventDefault();
  const out = $('lookup-result');
  try {
    const d = await api(`/api/lookup/${encodeURIComponent($('code').value.trim())}`);
    out.innerHTML = `<dl class="kv"><dt>Mã hồ sơ</dt><dd>${esc(d.code)}</dd><dt>Thủ tục</dt><dd>${esc(d.procedureName)}</dd>
      <dt>Người nộp</dt><dd>${esc(d.applicant)}</dd><dt>Trạng thái</dt><dd><strong>${esc(lang === 'en' ? d.statusLabelEn : d.statusLabel)}</strong></dd>
      <dt>Ngày tiếp nhận</dt><dd>${fmtDate(d.receivedAt)}</dd><dt>Hẹn trả</dt><dd>${fmtDate(d.dueAt)}</dd>
      ${d.waitingFor ? `<dt>Cần làm</dt><dd>${esc(d.waitingFor)}</dd>` : ''}</dl>`;
  } catch (err) {
    out.innerHTML = `<p class="error">${esc(err.message)}</p>`;
  }
}

async function showOfficer(me) {
  csrf = me.csrfToken;
  $('login-form').hidden = true;
  $('officer').hidden = false;
  $('officer-name').textContent = `${me.name} — ${me.roles.map((r) => `${r.role}@${r.unit}`).join(', ')}`;
  const { items } = await api('/api/dossiers?limit=20');
  $('dossier-rows').innerHTML = items
    .map(
      (d) =>
        `<tr><td>${esc(d.code)}</td><td>${esc(d.procedureName)}</td><td>${esc(d.applicantName)}</td><td>${esc(d.statusLabel)}</td><td>${fmtDate(d.dueAt)}</td></tr>`,
    )
    .join('');
}

/** A citizen logged in through OpenID Connect (VNeID, or the demo provider): their name and their own dossiers. */
async function showCitizen(me) {
  csrf = me.csrfToken;
  $('citizen-login').hidden = true;
  $('citizen').hidden = false;
  $('citizen-name').textContent = me.name;
  const { items } = await api('/api/dossiers?limit=50');
  $('my-dossiers-empty').hidden = items.length > 0;
  $('my-dossier-rows').innerHTML = items
    .map(
      (d) =>
        `<tr><td>${esc(d.code)}</td><td>${esc(d.procedureName)}</td><td>${esc(d.statusLabel)}</td><td>${fmtDate(d.dueAt)}</td></tr>`,
    )
    .join('');
}

async function login(e) {
  e.preventDefault();
  try {
    const me = await api('/api/auth/login', {
      method: 'POST',
      body: JSON.stringify({ username: $('username').value, password: $('password').value }),
    });
    $('login-status').textContent = '';
    await showOfficer(me);
  } catch (err) {
    $('login-status').innerHTML = `<span class="error">${esc(err.message)}</span>`;
  }
}

async function init() {
  applyLang();
  $('lang').addEventListener('click', () => {
    lang = lang === 'vi' ? 'en' : 'vi';
    localStorage.setItem('lang', lang);
    applyLang();
  });
  $('search-form').addEventListener('submit', search);
  $('lookup-form').addEventListener('submit', lookup);
  $('login-form').addEventListener('submit', login);
  // The QR code on a receipt opens /?ma={dossier code}: show that dossier's status at once.
  const code = new URLSearchParams(location.search).get('ma');
  if (code) {
    $('code').value = code;
    lookup(new Event('submit'));
    $('lookup-title').scrollIntoView();
  }
  for (const id of ['logout', 'citizen-logout']) {
    $(id).addEventListener('click', async () => {
      await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
      location.reload();
    });
  }
  $('results').addEventListener('click', (e) => {
    const a = e.target.closest('a[data-code]');
    if (a) {
      e.preventDefault();
      showProcedure(a.dataset.code);
    }
  });
  const { items } = await api('/api/procedures/fields');
  $('field').insertAdjacentHTML(
    'beforeend',
    items.map((f) => `<option value="${esc(f.field)}">${esc(f.field)} (${f.count})</option>`).join(''),
  );
  const me = await api('/api/auth/me').catch(() => null);
  if (me?.kind === 'officer') await showOfficer(me);
  if (me?.kind === 'citizen') await showCitizen(me);
  search();
}
init();
