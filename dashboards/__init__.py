"""dashboards (see architecture.md); filled by later issues."""
