"""Models for data_reviews."""
