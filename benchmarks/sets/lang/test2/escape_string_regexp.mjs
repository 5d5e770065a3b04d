// Held-out benchmark input (issue 32), copied from npm escape-string-regexp@5.0.0, escape-string-regexp/index.js (MIT).
// Chosen functions: escapeStringRegexp.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

export default function escapeStringRegexp(string) {
	if (typeof string !== 'string') {
		throw new TypeError('Expected a string');
	}

	// Escape characters with special meaning either inside or outside character sets.
	// Use a simple backslash escape when it’s always valid, and a `\xnn` escape when the simpler form would be disallowed by Unicode patterns’ stricter grammar.
	return string
		.replace(/[|\\{}()[\]^$+*?.]/g, '\\$&')
		.replace(/-/g, '\\x2d');
}
