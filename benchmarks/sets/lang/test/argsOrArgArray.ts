// Held-out benchmark input (issue 32), copied from npm rxjs@7.8.2, rxjs/src/internal/util/argsOrArgArray.ts (Apache-2.0).
// Chosen functions: argsOrArgArray.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

const { isArray } = Array;

export function argsOrArgArray<T>(args: (T | T[])[]): T[] {
  return args.length === 1 && isArray(args[0]) ? args[0] : (args as T[]);
}
