"""indicators (see architecture.md); filled by later issues."""
