export { QUEUE_KEYS, QUEUE_LABELS, type QueueKey } from './keys.js';
export { COUNT_CAP, likeEscape } from './predicates.js';
export { QueueService } from './service.js';
export type { QueueFilters, QueueItem, QueueScope } from './types.js';
