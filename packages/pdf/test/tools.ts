/**
 * Reads PDFs like a person would, with Debian's poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm) and
 * zbar-tools (zbarimg). CI installs both; locally: `apt-get install -y poppler-utils zbar-tools`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE: Record<string, string> = {
  pdftotext: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  zbarimg: 'zbar-tools',
};

export function run(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string; status?: number };
    if (err.code === 'ENOENT') {
      throw new Error(
        `${tool} is not installed: install ${PACKAGE[tool] ?? tool} (apt-get install -y poppler-utils zbar-tools)`,
      );
    }
    throw new Error(`${tool} ${args.join(' ')} failed (exit ${err.status}): ${err.stderr ?? err.message}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tinhso-pdf-test-'));

/** Renders land here as PNG for people to look at. */
export const PNG_DIR = join(tmpdir(), 'tinhso-forms');
mkdirSync(PNG_DIR, { recursive: true });

export function save(name: string, pdf: Buffer): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** `pdftotext -layout`, optionally one page (1-based). */
export function text(file: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return run('pdftotext', ['-layout', ...range, file, '-']);
}

/** Text with runs of blanks collapsed (justified lines and the two header columns add spaces). */
export function flat(file: string, page?: number): string {
  return text(file, page).replace(/[ \t]+/g, ' ');
}

export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Words with their boxes (points, origin top-left), page by page. */
export function words(file: string): Word[][] {
  const html = run('pdftotext', ['-bbox', file, '-']);
  return html
    .split('<page ')
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: m[5]!
          .replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"'),
      })),
    );
}

/** Font names from `pdffonts` (subset prefix removed), and whether each is embedded. */
export function fonts(file: string): { name: string; embedded: boolean }[] {
  return run('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      const name = cols[0]!.replace(/^[A-Z]{6}\+/, '');
      // columns from the right: emb sub uni object ID → "yes yes yes 9 0"
      const embedded = cols[cols.length - 5] === 'yes';
      return { name, embedded };
    });
}

export function info(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', ['-isodates', file]).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

/** Renders one page to PNG (in the test directory and in PNG_DIR) and returns its path. */
export function png(file: string, name: string, page = 1, dpi = 200): string {
  const base = join(dir, `${name}-p${page}`);
  run('pdftoppm', [
    '-r',
    String(dpi),
    '-png',
    '-singlefile',
    '-f',
    String(page),
    '-l',
    String(page),
    file,
    base,
  ]);
  const out = `${base}.png`;
  run('pdftoppm', [
    '-r',
    '100',
    '-png',
    '-singlefile',
    '-f',
    String(page),
    '-l',
    String(page),
    file,
    join(PNG_DIR, `${name}-p${page}`),
  ]);
  return out;
}

/** Decoded QR/bar codes of an image (`zbarimg --raw -q`), one per line. */
export function decode(pngFile: string): string[] {
  return run('zbarimg', ['--raw', '-q', pngFile])
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
