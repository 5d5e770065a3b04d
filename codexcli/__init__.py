"""codex: turn a quantized local code model into verified edits of real source files."""

__version__ = "0.1.0"
