"""Output: build directories, tables for `show`, JSON Schemas, atomic file writes."""
