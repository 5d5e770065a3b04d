"""Static checks that run nothing: syntax, names that resolve, a definition by its qualified
name."""
