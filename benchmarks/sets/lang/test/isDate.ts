// Held-out benchmark input (issue 32), copied from npm rxjs@7.8.2, rxjs/src/internal/util/isDate.ts (Apache-2.0).
// Chosen functions: isValidDate.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

export function isValidDate(value: any): value is Date {
  return value instanceof Date && !isNaN(value as any);
}
