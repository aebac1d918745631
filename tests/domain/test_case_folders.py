"""Which folder is a case's (domain/case_folders.py): the marker's claim and the address check."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from complaints_cli.domain.case_folders import CaseClaim, creation_stamp, same_address


def test_creation_stamp_is_utc_to_the_microsecond() -> None:
    naive = datetime(2025, 2, 3, 10, 48, 25, 168942)
    assert creation_stamp(naive) == "2025-02-03T10:48:25.168942+00:00"
    bst = datetime(2025, 6, 3, 11, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    assert creation_stamp(bst) == "2025-06-03T10:00:00.000000+00:00"


def test_creation_stamp_reads_a_naive_time_as_utc_whatever_the_local_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert creation_stamp(datetime(2025, 6, 3, 10, 0)) == "2025-06-03T10:00:00.000000+00:00"
        bst = datetime(2025, 6, 3, 11, 0, tzinfo=timezone(timedelta(hours=1)))
        assert creation_stamp(bst) == "2025-06-03T10:00:00.000000+00:00"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_claims_match_on_log_reference_and_creation() -> None:
    claim = CaseClaim("log-1", "SPRUCE041", "2025-02-03T10:00:00.000000+00:00")
    assert claim.matches(CaseClaim("log-1", "spruce041", "2025-02-03T10:00:00.000000+00:00"))
    assert claim.matches(CaseClaim("log-1", "SPRUCE041"))
    assert CaseClaim("log-1", "SPRUCE041").matches(claim)
    assert not claim.matches(CaseClaim("log-2", "SPRUCE041", claim.created))
    assert not claim.matches(CaseClaim("log-1", "SPRUCE042", claim.created))
    assert not claim.matches(CaseClaim("log-1", "SPRUCE041", "2025-02-03T10:00:00.000001+00:00"))


@pytest.mark.parametrize(
    ("part", "address", "same"),
    [
        ("1 Essex Brewery", "1 essex  brewery", True),
        ("Flat 2, Élan Court", "flat 2 elan court", True),
        ("", "1 Essex Brewery", True),
        ("1 Essex", "", False),
        ("...", "1 Essex Brewery", True),
        ("1 Essex", "1 Essex Brewery", False),
        ("1 Essex…", "1 Essex Brewery", True),
        ("1 Essex… ", "1 Essex Brewery", True),
        ("2 Essex…", "1 Essex Brewery", False),
        ("1 Essex Brewery", "1 Essex", False),
        ("ﬁeld House", "Field House", True),
    ],
)
def test_same_address(part: str, address: str, same: bool) -> None:
    assert same_address(part, address) is same
