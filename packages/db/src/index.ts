export * from './audit.js';
export * from './connect.js';
export * from './lock.js';
export * from './migrate.js';
export * from './prepared.js';
export * from './retry.js';
export type * from './schema.js';
