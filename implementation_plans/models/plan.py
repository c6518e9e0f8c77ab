"""The District Implementation Plan, capacity assessments, initiatives, barriers, practices."""

__all__: list[str] = []
