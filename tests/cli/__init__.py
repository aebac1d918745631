"""Tests of the commands, in-process and as real processes."""
