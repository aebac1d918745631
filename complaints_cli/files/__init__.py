"""The edge with files: untrusted spreadsheets, cells and headers, the xlsx and CSV writers,
Word documents and the case folders on the shared drive."""
