// Held-out benchmark input (issue 32), copied from npm rxjs@7.8.2, rxjs/src/internal/util/not.ts (Apache-2.0).
// Chosen functions: not.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

export function not<T>(pred: (value: T, index: number) => boolean, thisArg: any): (value: T, index: number) => boolean {
  return (value: T, index: number) => !pred.call(thisArg, value, index); 
}