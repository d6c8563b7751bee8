"""Diff: per-device config diffs between two revisions of a design, for terminals and pull requests."""
