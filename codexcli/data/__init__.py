"""The Codex data pipeline: corpus readers, filters, dedup, pair extraction, engines."""
