// Heap measurement with a forced full GC, without requiring `node --expose-gc` on the command line.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** @type {() => void} */
const gc = runInNewContext('gc');

/** Heap in use after two full collections (the second catches what finalisers freed). */
export function settledHeapBytes() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
