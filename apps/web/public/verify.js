// Public verification page: /verify/{token} (from the QR code on a result) or an uploaded PDF.
const $ = (id) => document.getElementById(id);
const esc = (s) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const when = (iso) =>
  iso
    ? new Intl.DateTimeFormat('vi-VN', {
        timeZone: 'Asia/Ho_Chi_Minh',
        dateStyle: 'short',
        timeStyle: 'medium',
      }).format(new Date(iso))
    : '—';
const yes = (ok, good, bad) => `<span class="${ok ? 'ok' : 'error'}">${ok ? `✔ ${good}` : `✘ ${bad}`}</span>`;

function render(r) {
  const doc = r.document;
  const status = {
    issued: 'Đang có hiệu lực',
    revoked: `Đã bị thu hồi${doc?.revokedReason ? `: ${esc(doc.revokedReason)}` : ''}`,
    superseded: 'Đã được thay thế bằng văn bản khác',
  };
  const head = r.valid
    ? '<p class="verdict ok">✔ VĂN BẢN HỢP LỆ — chữ ký số hợp lệ, đúng tệp đã đăng ký</p>'
    : `<p class="verdict error">✘ KHÔNG HỢP LỆ — ${esc(r.reason ?? 'xem chi tiết bên dưới')}</p>`;
  const docHtml = doc
    ? `<dl class="kv"><dt>Văn bản</dt><dd>${esc(doc.title)}</dd><dt>Số, ký hiệu</dt><dd>${esc(doc.numberSymbol ?? '—')}</dd>
       <dt>Cơ quan ban hành</dt><dd>${esc(doc.issuingUnit)}</dd><dt>Ngày ban hành</dt><dd>${when(doc.issuedAt)}</dd>
       <dt>Hồ sơ</dt><dd>${esc(doc.dossierCode ?? '—')}</dd><dt>Tình trạng</dt><dd>${esc(status[doc.status] ?? doc.status)}</dd>
       <dt>Đúng tệp đã đăng ký</dt><dd>${r.registryMatch === null ? '—' : yes(r.registryMatch, 'Trùng khớp', 'Tệp khác với tệp đã đăng ký')}</dd></dl>`
    : `<p>${r.registryMatch === false ? 'Tệp này không có trong sổ đăng ký văn bản của tỉnh.' : ''}</p>`;
  const sigs = (r.signatures ?? [])
    .map(
      (
        s,
        i,
      ) => `<li><strong>Chữ ký ${i + 1}: ${esc(s.signer)}</strong>${s.organization ? ` — ${esc(s.organization)}` : ''}<br>
      Thời điểm ký: ${when(s.signingTime)}<br>
      ${yes(s.integrity && s.signatureValid, 'Chữ ký hợp lệ, nội dung không bị thay đổi', 'Chữ ký không hợp lệ hoặc nội dung đã bị thay đổi')}<br>
      ${yes(s.chainTrusted, 'Chứng thư số do tổ chức tin cậy cấp', 'Chứng thư số không thuộc tổ chức tin cậy')}</li>`,
    )
    .join('');
  $('result').innerHTML =
    `${head}${docHtml}<h2>Chữ ký số</h2>${sigs ? `<ol>${sigs}</ol>` : '<p>Không có chữ ký số.</p>'}`;
}

async function show(res) {
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    $('result').innerHTML = `<p class="error">${esc(body?.error?.message ?? res.statusText)}</p>`;
    return;
  }
  render(body);
}

const token = location.pathname.split('/verify/')[1];
if (token) fetch(`/api/verify/${encodeURIComponent(token)}`).then(show);

$('upload').addEventListener('submit', async (e) => {
  e.preventDefault();
  const file = $('file').files[0];
  if (!file) return;
  $('result').textContent = 'Đang kiểm tra…';
  show(
    await fetch('/api/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: file,
    }),
  );
});
