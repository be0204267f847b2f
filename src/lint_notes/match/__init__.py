"""Matching: the alias index, polarity, and claim checks."""
