# Held-out benchmark input (issue 27), copied verbatim from distlib.version:
# distlib 0.4.4 (Vinay Sajip), PSF-2.0.
# Chosen functions: _match_prefix.
# Built by benchmarks/make_heldout_sets.py; do not edit by hand.

def _match_prefix(x, y):
    x = str(x)
    y = str(y)
    if x == y:
        return True
    if not x.startswith(y):
        return False
    n = len(y)
    return x[n] == '.'
