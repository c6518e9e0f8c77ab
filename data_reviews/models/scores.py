"""Screener results, imports, decision rules and tier snapshots."""

__all__: list[str] = []
