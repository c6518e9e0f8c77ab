"""Models for implementation_plans."""
