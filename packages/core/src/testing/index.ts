export * from './arbitraries.js';
