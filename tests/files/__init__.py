"""Tests of the file edge: cells, headers, folder names, spreadsheets and writers."""
