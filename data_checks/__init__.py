"""data_checks (see architecture.md); filled by later issues."""
