/**
 * Folds Vietnamese text for search: lower case, no diacritics, đ → d, punctuation to spaces, single spaces.
 * Mirrors the SQL function `ts_fold` (migration 0001) for letters.
 */
export function foldVietnamese(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}.]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Damerau–Levenshtein distance, giving up (returning max + 1) as soon as it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Initial letters Vietnamese spellers confuse (s/x, d/gi/r, ch/tr, l/n): a typo may change one into another. */
const INITIAL_GROUP: Record<string, string> = {
  s: 's',
  x: 's',
  d: 'd',
  g: 'd',
  r: 'd',
  c: 'c',
  t: 'c',
  l: 'l',
  n: 'l',
};
const sameInitial = (a: string, b: string) =>
  a[0] === b[0] || (!!INITIAL_GROUP[a[0]!] && INITIAL_GROUP[a[0]!] === INITIAL_GROUP[b[0]!]);

/** How well a query word matches a text word: 1 exact, 0.9 prefix of the last word typed, 0.8 a typo, else 0. */
function wordMatch(q: string, w: string, last: boolean): number {
  if (q === w) return 1;
  if (last && q.length >= 2 && w.startsWith(q)) return 0.9;
  // Typos rarely change the first letter except between confusable initials; this keeps matching cheap.
  if (q.length < 2 || !sameInitial(q, w)) return 0;
  const max = q.length >= 8 ? 2 : 1;
  return editDistance(q, w, max) <= max ? 0.8 : 0;
}

interface Entry<T> {
  item: T;
  code: string;
  folded: string;
  weight: number;
}

/**
 * An in-memory search index over a small, rarely changing collection (the procedure catalogue: ~1,500 entries).
 * Words map to the entries that contain them; a query scores each entry by the average match of its words
 * (exact, typo, or prefix for the last word), plus 1 when the entry contains the whole folded query and 4 for an
 * exact code. An entry matches when at least `threshold` of the query's words match, when it contains the query,
 * or when its code starts with a code-like query. Ties go to the entry where the whole query starts earliest ("cấp
 * giấy phép…" before "cấp lại giấy phép…"), then to the heavier one (for procedures: the one people use most), then to
 * the shorter text (the more specific one).
 */
export class SearchIndex<T> {
  private entries: Entry<T>[] = [];
  private postings = new Map<string, number[]>();

  constructor(items: readonly T[], text: (item: T) => { code: string; text: string; weight?: number }) {
    items.forEach((item, i) => {
      const { code, text: t, weight = 0 } = text(item);
      const folded = foldVietnamese(t);
      this.entries.push({ item, code, folded, weight });
      for (const word of new Set(folded.split(' '))) {
        if (!word) continue;
        const list = this.postings.get(word);
        if (list) list.push(i);
        else this.postings.set(word, [i]);
      }
    });
  }

  get size(): number {
    return this.entries.length;
  }

  search(
    raw: string,
    opts: { filter?: (item: T) => boolean; threshold?: number } = {},
  ): { item: T; score: number }[] {
    const threshold = opts.threshold ?? 0.75;
    const query = raw.trim();
    const folded = foldVietnamese(query);
    const words = folded.split(' ').filter(Boolean);
    if (words.length === 0) return [];
    const perWord = words.map(() => new Map<number, number>());
    for (const [word, docs] of this.postings) {
      words.forEach((q, k) => {
        const m = wordMatch(q, word, k === words.length - 1);
        if (m === 0) return;
        const scores = perWord[k]!;
        for (const d of docs) if ((scores.get(d) ?? 0) < m) scores.set(d, m);
      });
    }
    const codeLike = /^\d[\d.]*$/.test(query);
    const candidates = new Set<number>();
    for (const scores of perWord) for (const d of scores.keys()) candidates.add(d);
    if (codeLike) {
      for (const [i, e] of this.entries.entries()) if (e.code.startsWith(query)) candidates.add(i);
    }
    const out: { item: T; score: number; at: number; weight: number; length: number }[] = [];
    for (const i of candidates) {
      const e = this.entries[i]!;
      if (opts.filter && !opts.filter(e.item)) continue;
      const coverage = perWord.reduce((a, s) => a + (s.get(i) ?? 0), 0) / words.length;
      const at = e.folded.indexOf(folded);
      const contains = at !== -1;
      const codePrefix = codeLike && e.code.startsWith(query);
      if (coverage < threshold && !contains && !codePrefix) continue;
      const score = (e.code === query ? 4 : 0) + (codePrefix ? 0.5 : 0) + (contains ? 1 : 0) + coverage;
      out.push({
        item: e.item,
        score,
        at: contains ? at : e.folded.length,
        weight: e.weight,
        length: e.folded.length,
      });
    }
    out.sort((a, b) => b.score - a.score || a.at - b.at || b.weight - a.weight || a.length - b.length);
    return out.map(({ item, score }) => ({ item, score }));
  }
}
