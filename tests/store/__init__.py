"""Tests of the store on a real SQLite file and a real PostgreSQL server."""
