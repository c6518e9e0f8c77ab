"""Search across the district: one box in the top bar, results grouped by kind of record.

`kinds.py` says what is searched and who may see it (each kind's own selector), `index.py` keeps
the `SearchEntry` rows current, `selectors.py` answers a query: PostgreSQL full-text search on a
stored, GIN-indexed vector in production, `icontains` over the same words on SQLite.
"""
