// Held-out benchmark input (issue 32), copied from npm rxjs@7.8.2, rxjs/src/internal/util/createObject.ts (Apache-2.0).
// Chosen functions: createObject.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

export function createObject(keys: string[], values: any[]) {
  return keys.reduce((result, key, i) => ((result[key] = values[i]), result), {} as any);
}
