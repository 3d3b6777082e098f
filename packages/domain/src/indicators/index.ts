export * from './counts.js';
export * from './formulas.js';
export * from './score.js';
export * from './periods.js';
