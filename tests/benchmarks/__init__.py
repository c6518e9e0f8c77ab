"""`make bench`: district-scale benchmarks against PostgreSQL (QUALITY.md P2-P4). Not collected by pytest."""
