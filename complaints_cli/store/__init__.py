"""The log's database: every SQL statement and every write.

The raw driver for fast reads, the SQLAlchemy engine and SQLModel tables for writes, the
Alembic migrations, and the bulk paths (import, copy, purge, subject access).
"""
