"""Tasks: targets, prompt context, answer parsing and verification for each subcommand."""
