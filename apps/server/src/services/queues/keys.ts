/** The queues of an officer's work, their labels, and the sets of queues and statuses they are built from. */

export const QUEUE_KEYS = [
  'to_receive',
  'to_process',
  'waiting_citizen',
  'due_soon',
  'overdue',
  'to_return',
  'returned',
  'all',
] as const;
export type QueueKey = (typeof QUEUE_KEYS)[number];

export const QUEUE_LABELS: Record<QueueKey, { vi: string; en: string }> = {
  to_receive: { vi: 'Chờ tiếp nhận', en: 'To receive' },
  to_process: { vi: 'Chờ xử lý', en: 'To process' },
  waiting_citizen: {
    vi: 'Chờ công dân bổ sung, thực hiện nghĩa vụ tài chính',
    en: 'Waiting for the applicant',
  },
  due_soon: { vi: 'Sắp đến hạn (trong 1 ngày làm việc)', en: 'Due within 1 working day' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  to_return: { vi: 'Chờ trả kết quả', en: 'Result to return' },
  returned: { vi: 'Đã trả kết quả (30 ngày gần nhất)', en: 'Returned (last 30 days)' },
  all: { vi: 'Tất cả hồ sơ', en: 'All dossiers' },
};

/** Queues of work still to do: soonest due date first. The others: newest first. */
export const OPEN_QUEUES: ReadonlySet<QueueKey> = new Set([
  'to_receive',
  'to_process',
  'waiting_citizen',
  'due_soon',
  'overdue',
]);

/** Statuses in which the clock runs (received, processing): the ones that can be due soon or overdue. */
export const RUNNING = [2, 4];
export const OPEN = [1, 2, 4, 5, 6];
/** Queues that depend on the clock: counted on `dossiers`, not on the count table. */
export const CLOCK_QUEUES: ReadonlySet<QueueKey> = new Set(['due_soon', 'overdue']);
