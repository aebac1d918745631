"""What people read: listings as a table, JSON, CSV or Markdown, and the case view."""
