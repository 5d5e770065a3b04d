// Held-out benchmark input (issue 32), copied from npm arrify@3.0.0, arrify/index.js (MIT).
// Chosen functions: arrify.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

export default function arrify(value) {
	if (value === null || value === undefined) {
		return [];
	}

	if (Array.isArray(value)) {
		return value;
	}

	if (typeof value === 'string') {
		return [value];
	}

	if (typeof value[Symbol.iterator] === 'function') {
		return [...value];
	}

	return [value];
}
