import { z } from 'zod';

/** Officer roles (vai trò cán bộ). A role is always granted on one unit (and, for most roles, its sub-units). */
export const Role = z.enum([
  'reception', // Cán bộ tiếp nhận (Bộ phận Một cửa)
  'specialist', // Chuyên viên xử lý
  'head', // Lãnh đạo phòng/đơn vị (trưởng phòng)
  'signer', // Người ký (lãnh đạo có thẩm quyền ký)
  'clerk', // Văn thư (cấp số, đóng dấu số)
  'admin', // Quản trị hệ thống
  'leader', // Lãnh đạo theo dõi (chỉ xem)
]);
export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  reception: { vi: 'Cán bộ tiếp nhận', en: 'Reception officer' },
  specialist: { vi: 'Chuyên viên xử lý', en: 'Specialist' },
  head: { vi: 'Lãnh đạo phòng', en: 'Head of unit' },
  signer: { vi: 'Người ký', en: 'Signer' },
  clerk: { vi: 'Văn thư', en: 'Clerk' },
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
  leader: { vi: 'Lãnh đạo theo dõi', en: 'Leader (viewer)' },
};

/**
 * Roles that work on dossiers: every role but `admin` (configuration) and `leader` (who only watches). A dossier is
 * assigned only to an officer holding one of them; the leaders' load view counts their holders.
 */
export const WORKING_ROLES: readonly Role[] = ['reception', 'specialist', 'head', 'signer', 'clerk'];

/** Submission / return channels (kênh nộp hồ sơ). */
export const Channel = z.enum(['counter', 'online', 'post']);
export type Channel = z.infer<typeof Channel>;

export const CHANNEL_LABELS: Record<Channel, { vi: string; en: string }> = {
  counter: { vi: 'Trực tiếp', en: 'At the counter' },
  online: { vi: 'Trực tuyến', en: 'Online' },
  post: { vi: 'Dịch vụ bưu chính', en: 'By post' },
};
