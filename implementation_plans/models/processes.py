"""District processes: types, versions, approvals."""

__all__: list[str] = []
