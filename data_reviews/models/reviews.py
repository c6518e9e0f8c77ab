"""Data reviews: successes, precise problem statements, contributing factors, plans."""

__all__: list[str] = []
