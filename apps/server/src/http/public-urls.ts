/** Public addresses printed on paper and sent in messages; one place so the QR codes and e-mails agree. */

/** The public status page of a dossier: what the QR codes on Mẫu 01 and on the portal's receipt open. */
export function publicStatusUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/?ma=${encodeURIComponent(code)}`;
}
