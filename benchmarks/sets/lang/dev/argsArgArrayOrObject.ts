// Held-out benchmark input (issue 32), copied from npm rxjs@7.8.2, rxjs/src/internal/util/argsArgArrayOrObject.ts (Apache-2.0).
// Chosen functions: argsArgArrayOrObject, isPOJO.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

const { isArray } = Array;
const { getPrototypeOf, prototype: objectProto, keys: getKeys } = Object;

export function argsArgArrayOrObject<T, O extends Record<string, T>>(args: T[] | [O] | [T[]]): { args: T[]; keys: string[] | null } {
  if (args.length === 1) {
    const first = args[0];
    if (isArray(first)) {
      return { args: first, keys: null };
    }
    if (isPOJO(first)) {
      const keys = getKeys(first);
      return {
        args: keys.map((key) => first[key]),
        keys,
      };
    }
  }

  return { args: args as T[], keys: null };
}

function isPOJO(obj: any): obj is object {
  return obj && typeof obj === 'object' && getPrototypeOf(obj) === objectProto;
}
