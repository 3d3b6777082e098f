export * from './clock.js';
export * from './decide.js';
export * from './evolve.js';
export * from './rules.js';
export * from './status.js';
export * from './timing.js';
export * from './types.js';
