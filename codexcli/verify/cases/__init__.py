"""Input cases for a function: examples, type hints, inferred types, random draws."""
