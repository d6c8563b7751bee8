"""Intent: what a design file may say (pydantic models, validated once at the edge)."""
