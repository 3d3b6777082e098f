/** HTML the server writes itself: the demo identity provider's and the sandbox bank's pages, e-mail bodies. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML element or a quoted attribute value. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * A whole page of one of the process's demo stand-ins (simulated VNeID, sandbox bank): no script, inline style only
 * (the app's CSP allows it), not indexed, with the banner that says it is not the real service.
 */
export function demoPage(p: { title: string; style: string; banner: string; body: string }): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(p.title)}</title>
<style>${p.style}</style>
</head>
<body>
<main>
${p.banner}
${p.body}
</main>
</body>
</html>`;
}
