import { z } from 'zod';

/** Levels of units in the organisation tree (after the 2025 two-level local-government reform). */
export const UnitLevel = z.enum([
  'province', // UBND tỉnh
  'department', // Sở, ban, ngành
  'division', // Phòng thuộc sở / đơn vị trực thuộc
  'service_center', // Trung tâm Phục vụ hành chính công tỉnh
  'service_branch', // Chi nhánh / điểm tiếp nhận của Trung tâm
  'commune', // UBND xã, phường, đặc khu
  'district_legacy', // UBND huyện (đã giải thể 01/07/2025, giữ cho lịch sử)
]);
export type UnitLevel = z.infer<typeof UnitLevel>;

export const UNIT_LEVEL_LABELS: Record<UnitLevel, { vi: string; en: string }> = {
  province: { vi: 'UBND tỉnh', en: "Provincial People's Committee" },
  department: { vi: 'Sở, ban, ngành', en: 'Department' },
  division: { vi: 'Phòng, đơn vị trực thuộc', en: 'Division' },
  service_center: { vi: 'Trung tâm Phục vụ hành chính công', en: 'Public-administration service centre' },
  service_branch: { vi: 'Chi nhánh Trung tâm PVHCC', en: 'Service-centre branch' },
  commune: { vi: 'UBND xã, phường', en: "Commune/ward People's Committee" },
  district_legacy: { vi: 'UBND huyện (cũ)', en: 'District (legacy, abolished 2025)' },
};
