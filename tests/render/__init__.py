"""Tests of listings and views."""
