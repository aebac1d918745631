"""Tests of the pure rules: no database, no files but their own data."""
