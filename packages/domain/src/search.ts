/**
 * Folds Vietnamese text for search: lower case, no diacritics, đ → d, single spaces.
 * Mirrors the SQL function `ts_fold` (migration 0001) so both sides compare the same strings.
 */
export function foldVietnamese(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
