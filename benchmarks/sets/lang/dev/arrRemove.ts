// Held-out benchmark input (issue 32), copied from npm rxjs@7.8.2, rxjs/src/internal/util/arrRemove.ts (Apache-2.0).
// Chosen functions: arrRemove.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

export function arrRemove<T>(arr: T[] | undefined | null, item: T) {
  if (arr) {
    const index = arr.indexOf(item);
    0 <= index && arr.splice(index, 1);
  }
}
