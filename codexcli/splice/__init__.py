"""libcst edits that change one thing in a file and leave every other byte as it was."""
