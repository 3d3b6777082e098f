export * from './counts.js';
export * from './formulas.js';
export * from './periods.js';
export * from './score.js';
