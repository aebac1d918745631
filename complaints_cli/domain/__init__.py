"""The rules of complaint handling as pure functions over data: no database, no files.

The vocabulary and the log's columns, references, dates, working days, timeframe profiles,
deadlines, the lifecycle and process rules, intake checks, retention and letter content.
"""
