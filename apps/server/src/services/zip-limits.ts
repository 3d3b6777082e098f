import { inflateRawSync } from 'node:zlib';

/**
 * Checks what a ZIP (an XLSX workbook) really holds before a library inflates it whole into memory: at most
 * `maxEntries` entries, stored or deflated, inflating to at most `maxBytes` in all. Each entry is inflated with a
 * cap on its output (the sizes written in the file may lie), so a "ZIP bomb" costs at most `maxBytes` of work.
 * Returns null when the file is within the limits, otherwise why not (the caller makes it a 400).
 */
export function zipLimitProblem(
  data: Buffer,
  limits: { maxEntries: number; maxBytes: number },
): 'not_zip' | 'too_many_entries' | 'too_large' | null {
  // End of central directory: 22 bytes plus a comment of at most 65,535 bytes, at the end of the file.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65_535); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'not_zip';
  const entries = data.readUInt16LE(eocd + 10);
  if (entries > limits.maxEntries) return 'too_many_entries';
  let at = data.readUInt32LE(eocd + 16);
  let budget = limits.maxBytes;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return 'not_zip';
    const method = data.readUInt16LE(at + 10);
    const compressed = data.readUInt32LE(at + 20);
    const local = data.readUInt32LE(at + 42);
    at += 46 + data.readUInt16LE(at + 28) + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) return 'not_zip';
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (start + compressed > data.length) return 'not_zip';
    const body = data.subarray(start, start + compressed);
    if (method === 0) budget -= compressed;
    else if (method === 8) {
      try {
        budget -= inflateRawSync(body, { maxOutputLength: Math.max(1, budget + 1) }).length;
      } catch (e) {
        return (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'not_zip';
      }
    } else return 'not_zip';
    if (budget < 0) return 'too_large';
  }
  return null;
}
