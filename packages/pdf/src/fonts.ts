import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * Tinos (Apache 2.0 / OFL, metric-compatible with Times New Roman, which Decree 30/2020 requires), loaded from the
 * installed `@expo-google-fonts/tinos` package — never from the machine's fonts, so output is the same everywhere.
 */
export const FONT_FILES = {
  regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
  bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
  italic: '@expo-google-fonts/tinos/400Regular_Italic/Tinos_400Regular_Italic.ttf',
  boldItalic: '@expo-google-fonts/tinos/700Bold_Italic/Tinos_700Bold_Italic.ttf',
} as const;

export type FontStyle = keyof typeof FONT_FILES;

/** Names under which the faces are registered in every document. */
export const FONT: Record<FontStyle, string> = {
  regular: 'Tinos',
  bold: 'Tinos-Bold',
  italic: 'Tinos-Italic',
  boldItalic: 'Tinos-BoldItalic',
};

const require = createRequire(import.meta.url);
let cache: Record<FontStyle, Buffer> | null = null;

/** The four TTF files, read once per process. */
export function fontData(): Record<FontStyle, Buffer> {
  if (!cache) {
    const load = (style: FontStyle) => readFileSync(require.resolve(FONT_FILES[style]));
    cache = {
      regular: load('regular'),
      bold: load('bold'),
      italic: load('italic'),
      boldItalic: load('boldItalic'),
    };
  }
  return cache;
}

/** Absolute path of one face (for tools and tests). */
export function fontPath(style: FontStyle): string {
  return require.resolve(FONT_FILES[style]);
}

/**
 * The faces as parsed font objects (fontkit, through pdfkit), parsed once per process and shared by every document.
 * Parsing the TTF tables is most of the cost of a small document (≈ 50 ms of ≈ 65 ms for a receipt); each
 * document still builds its own subset. pdfkit accepts a parsed font wherever it accepts a file
 * (`PDFFontFactory.open`: "typeof src.layout === 'function'"); when a future pdfkit stops exposing it, the cache
 * falls back to the file bytes.
 *
 * One catch: fontkit caches glyph objects together with the characters they were first created for, and a subset
 * creates the components of composite glyphs (U inside Ủ) with none. A later document using that glyph would get an
 * empty ToUnicode entry ("UBND" extracted as " BND"). So every document starts with an empty glyph cache
 * (`freshFontSources`); the expensive tables stay parsed. This is safe because a document is drawn and ended
 * synchronously (nothing awaits between `createDocument` and `doc.end()`), so two documents never interleave.
 */
type ParsedFont = { layout: (...args: unknown[]) => unknown; _glyphs?: Record<number, unknown> };
let parsed: { fonts: Record<FontStyle, ParsedFont>; sources: Record<FontStyle, Buffer> } | null | false =
  null;

function parseOnce(): typeof parsed {
  if (parsed !== null) return parsed;
  try {
    const data = fontData();
    const probe = new PDFDocument({ autoFirstPage: false });
    const fonts = {} as Record<FontStyle, ParsedFont>;
    for (const style of Object.keys(FONT_FILES) as FontStyle[]) {
      probe.font(data[style]);
      const font = (probe as unknown as { _font?: { font?: ParsedFont } })._font?.font;
      if (typeof font?.layout !== 'function' || typeof font._glyphs !== 'object') {
        throw new Error('pdfkit did not expose the parsed font');
      }
      fonts[style] = font;
    }
    // typed as the bytes pdfkit's declarations know; pdfkit takes a parsed font as is
    parsed = { fonts, sources: fonts as unknown as Record<FontStyle, Buffer> };
  } catch {
    parsed = false;
  }
  return parsed;
}

/** Font sources for one new document: the shared parsed faces with an empty glyph cache, or the file bytes. */
export function freshFontSources(): Record<FontStyle, Buffer> {
  const p = parseOnce();
  if (!p) return fontData();
  for (const f of Object.values(p.fonts)) f._glyphs = {};
  return p.sources;
}
