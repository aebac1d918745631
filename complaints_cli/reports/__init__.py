"""The monthly EMT performance report and the annual Code and TSM figures.

* :mod:`.periods`: months and financial years as date ranges;
* :mod:`.figures`: what one figure is (a count, a share, money, a rate) and the cases behind it;
* :mod:`.cases`: reading the cases a report needs from the log, and judging their deadlines;
* :mod:`.emt` and :mod:`.annual`: the two reports, built from the log;
* :mod:`.output`: the reports as a table, Markdown or JSON; :mod:`.workbook`: as an Excel file.

Everything here reads the log through the raw driver (no SQLAlchemy): counts come from SQL
aggregate queries, and deadlines are worked out only for the cases of the period.
"""
