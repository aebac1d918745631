"""Issue 7 in the profiles: the Stage 2 review types offered, the policy's time limits, and the
informal stage, validated like every other part of a team's profiles file."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_cli.domain.profiles import get_profile, load_profiles
from complaints_cli.errors import ComplaintsError
from tests.process_steps import Day, warnings

TEAM = """
[profiles.team]
label = "Our team"
reviews = ["manager", "panel"]

[profiles.team.time_limits]
complaint_months = 9
complaint_source = "our policy 3.1"
escalation_months = 1

[[profiles.team.milestones]]
key = "informal"
label = "Answer informally"
stage = "informal"
from = "informal_received"
working_days = 2
done_by = "informal_responded"

[[profiles.team.milestones]]
key = "acknowledge"
label = "Acknowledge"
stage = "stage1"
from = "received"
working_days = 2
done_by = "acknowledged"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_team_file_with_reviews_time_limits_and_an_informal_stage(tmp_path: Path) -> None:
    profile = get_profile(path=write(tmp_path, TEAM))
    assert profile.reviews == ("manager", "panel")
    limits = profile.time_limits
    assert (limits.complaint_months, limits.escalation_months) == (9, 1)
    assert (limits.complaint_source, limits.escalation_source) == ("our policy 3.1", None)
    assert profile.has_informal_stage


def test_without_them_a_profile_offers_manager_and_compensation_reviews(tmp_path: Path) -> None:
    text = TEAM.replace('reviews = ["manager", "panel"]\n', "").split("[profiles.team.time")[0]
    text += '\n[[profiles.team.milestones]]\nkey = "a"\nlabel = "A"\nstage = "stage1"\n'
    text += 'from = "received"\nworking_days = 1\n'
    profile = get_profile(path=write(tmp_path, text))
    assert profile.reviews == ("manager", "compensation")
    assert profile.time_limits.complaint_months is None
    assert not profile.has_informal_stage


def _break(old: str, new: str) -> str:
    assert old in TEAM, old
    return TEAM.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_break('"manager", "panel"', '"manager", "tribunal"'), "unknown review type 'tribunal'"),
        (_break('reviews = ["manager", "panel"]', "reviews = []"), "'reviews' names no Stage 2"),
        (
            _break('reviews = ["manager", "panel"]', 'reviews = ["panel"]'),
            "default_review 'manager' is not one of its reviews (panel)",
        ),
        (
            _break("escalation_months = 1", "escalation_months = 1\nescalation_working_days = 20"),
            "give one of time_limits.escalation_working_days or escalation_months",
        ),
        (_break("complaint_months = 9", "complaint_months = -9"), "must not be negative"),
        (_break("complaint_months = 9", "complaint_years = 1"), "unknown time_limits field(s)"),
        (
            _break("[profiles.team.time_limits]\n", "time_limits = 3\n[profiles.x]\n"),
            "'time_limits' must be a table",
        ),
    ],
)
def test_validation_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ComplaintsError) as caught:
        load_profiles(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_homes_plus_scotland_asks_for_stage2_within_two_months(
    day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stage 1 answered Mon 10/02/2025: the request is due by Thu 10/04/2025 (para 17)."""
    monkeypatch.setenv("COMPLAINTS_PROFILE", "homes-plus-scotland")
    day.log("2025-02-03")
    day.ok("2025-02-10", "respond", "SPRUCE001", "--summary", "Not upheld")
    args = ("--review", "manager", "--details", "x", "--handler", "Jordan Blake")
    (warning,) = warnings(
        day.ok("2025-04-11", "escalate", "SPRUCE001", "--received", "11/04/2025", *args)
    )
    assert warning.startswith(
        "the Stage 2 request (11/04/2025) came more than 2 months after the Stage 1 response "
        "(10/02/2025): the limit was 10/04/2025 (Homes Plus policy, para 17)"
    )
