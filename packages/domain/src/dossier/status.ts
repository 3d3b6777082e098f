/**
 * National dossier status codes (TrangThaiHoSo), as used by the National Public Service Portal sync
 * (Circular 04/2025/TT-VPCP) — domain.md §1.
 */
export const STATUS = {
  NEW: 1, // Mới đăng ký
  RECEIVED: 2, // Được tiếp nhận
  REFUSED: 3, // Không được tiếp nhận
  PROCESSING: 4, // Đang xử lý
  SUPPLEMENT: 5, // Yêu cầu bổ sung giấy tờ
  PAYMENT: 6, // Yêu cầu thực hiện nghĩa vụ tài chính
  WITHDRAWN: 7, // Công dân yêu cầu rút hồ sơ
  STOPPED: 8, // Dừng xử lý
  DONE: 9, // Đã xử lý xong
  RETURNED: 10, // Đã trả kết quả
} as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

export const STATUS_LABELS: Record<StatusCode, { vi: string; en: string }> = {
  1: { vi: 'Mới đăng ký', en: 'Submitted' },
  2: { vi: 'Được tiếp nhận', en: 'Received' },
  3: { vi: 'Không được tiếp nhận', en: 'Refused at reception' },
  4: { vi: 'Đang xử lý', en: 'Processing' },
  5: { vi: 'Yêu cầu bổ sung giấy tờ', en: 'Supplement requested' },
  6: { vi: 'Yêu cầu thực hiện nghĩa vụ tài chính', en: 'Payment of financial obligation requested' },
  7: { vi: 'Công dân yêu cầu rút hồ sơ', en: 'Withdrawn by the applicant' },
  8: { vi: 'Dừng xử lý', en: 'Processing stopped' },
  9: { vi: 'Đã xử lý xong', en: 'Processed, result ready' },
  10: { vi: 'Đã trả kết quả', en: 'Result returned' },
};

/** States from which nothing but comments may follow. */
export const TERMINAL_STATUSES: readonly StatusCode[] = [3, 7, 8, 10];
/** States in which the legal clock is running or paused (the dossier is "open"). */
export const OPEN_STATUSES: readonly StatusCode[] = [1, 2, 4, 5, 6];
