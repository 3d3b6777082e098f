import { z } from 'zod';

/**
 * Citizen satisfaction with one dossier (domain.md §12): the three-level vote reported as a share of forms
 * (Rất hài lòng / Hài lòng / Không hài lòng, feeding Decision 766 MDHL) and, optionally, the nine criteria of the
 * Circular 01/2018 evaluation tool, 0–2 points each (18 at most).
 */
export const SatisfactionLevel = z.enum(['very_satisfied', 'satisfied', 'unsatisfied']);
export type SatisfactionLevel = z.infer<typeof SatisfactionLevel>;

export const SATISFACTION_LABELS: Record<SatisfactionLevel, { vi: string; en: string }> = {
  very_satisfied: { vi: 'Rất hài lòng', en: 'Very satisfied' },
  satisfied: { vi: 'Hài lòng', en: 'Satisfied' },
  unsatisfied: { vi: 'Không hài lòng', en: 'Not satisfied' },
};

/** The nine criteria, in the order of the evaluation tool. */
export const SATISFACTION_CRITERIA = [
  { key: 'c1', vi: 'Tổng thời gian giải quyết so với quy định', en: 'Total time against the legal limit' },
  { key: 'c2', vi: 'Thời gian xử lý của từng cơ quan tham gia', en: 'Time taken by each agency involved' },
  {
    key: 'c3',
    vi: 'Số lần liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ',
    en: 'Contacts needed to complete the dossier',
  },
  { key: 'c4', vi: 'Số cơ quan phải liên hệ', en: 'Number of agencies contacted' },
  {
    key: 'c5',
    vi: 'Tiếp nhận, giải quyết, trả kết quả qua Bộ phận Một cửa',
    en: 'Reception, processing and return through the one-stop unit',
  },
  { key: 'c6', vi: 'Công khai thủ tục hành chính', en: 'Publication of the procedure' },
  { key: 'c7', vi: 'Thái độ của cán bộ, công chức', en: 'Officials’ attitude' },
  { key: 'c8', vi: 'Tiếp nhận và xử lý phản ánh, kiến nghị', en: 'Handling of feedback and complaints' },
  {
    key: 'c9',
    vi: 'Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến',
    en: 'Progress and quality of the online service',
  },
] as const;

const point = z.number().int().min(0).max(2);

export const SatisfactionCriteria = z
  .object(
    Object.fromEntries(SATISFACTION_CRITERIA.map((c) => [c.key, point])) as Record<
      (typeof SATISFACTION_CRITERIA)[number]['key'],
      typeof point
    >,
  )
  .strict();
export type SatisfactionCriteria = z.infer<typeof SatisfactionCriteria>;

export const RatingInput = z.object({
  level: SatisfactionLevel,
  criteria: SatisfactionCriteria.optional(),
  comment: z.string().trim().max(2000).optional(),
});
export type RatingInput = z.infer<typeof RatingInput>;

/** Sum of the nine criteria (0–18), or null when they were not given. */
export function criteriaScore(c: SatisfactionCriteria | null | undefined): number | null {
  return c ? SATISFACTION_CRITERIA.reduce((n, k) => n + c[k.key], 0) : null;
}
