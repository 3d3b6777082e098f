/** A safe display name: no path, no control or reserved characters, NFC, the extension of the verified type. */
export function cleanFileName(raw: string | undefined, ext: string): string {
  const last = (raw ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  const base = last
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|]/g, ' ')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150)
    // The cut may split an emoji (a surrogate pair): a lone surrogate cannot be stored (jsonb audit details).
    .replace(/[\uD800-\uDBFF]$/, '')
    .trim();
  return `${base || 'tep-tin'}.${ext}`;
}

/** RFC 5987 / 8187 value for `filename*=UTF-8''…`. */
export function encodeRfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function resultName(r: { title: string; number: number | null; symbol: string | null }): string {
  const no = r.number !== null ? ` số ${r.number}${r.symbol ? `-${r.symbol}` : ''}` : '';
  return `${r.title}${no}`.replace(/\//g, '-');
}
