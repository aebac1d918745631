"""Timeframe profiles: the packaged numbers (from DOMAIN.md and the seeds) and validation."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from complaints_cli.domain.profiles import (
    get_profile,
    load_profile_set,
    load_profiles,
    profile_names,
)
from complaints_cli.errors import ComplaintsError
from tests.domain.rule_cases import WEEKS

PACKAGED = [
    "spruce",
    "hos-code-2024",
    "homes-plus-england",
    "homes-plus-scotland",
    "southern-housing",
    "hos-code-2022",
]


def test_packaged_file_ships_in_the_package() -> None:
    assert resources.files("complaints_cli.domain").joinpath("profiles.toml").is_file()


def test_packaged_profiles() -> None:
    assert profile_names() == PACKAGED
    assert load_profile_set().default == "spruce"
    assert get_profile().name == "spruce"
    assert get_profile(" Spruce ").name == "spruce"
    assert set(load_profiles()) == set(PACKAGED)


def test_unknown_profile() -> None:
    with pytest.raises(ComplaintsError, match=r"unknown timeframe profile 'acme'.*spruce"):
        get_profile("acme")


# (key, stage, from, working_days, weeks, done_by, kind, log_column)
SPRUCE = [
    # Not in DOMAIN.md's table: the service dissatisfaction (issue 7, part 1).
    ("dissatisfaction_response", "informal", ("informal_received",), 5, None,
     "informal_responded", "deadline", None),
    ("contact", "stage1", ("received",), 1, None, "acknowledged", "deadline", None),
    ("acknowledge", "stage1", ("received",), 3, None, "acknowledged", "deadline",
     "Met HOS acknowledgment timeframe"),
    ("stage1_response", "stage1", ("ack_due",), 10, None, "stage1_responded", "deadline",
     "Met HOS code response timeframe?"),
    ("update", "any", ("last_update",), 5, None, None, "deadline", None),
    ("close_if_not_escalated", "stage1", ("stage1_responded",), 20, None, None, "window", None),
    ("stage2_acknowledge", "stage2", ("escalation_received",), 5, None, "stage2_acknowledged",
     "deadline", None),
    ("stage2_response", "stage2", ("escalation_received",), 20, None, "stage2_responded",
     "deadline", "Stage 2 HOS code timeframe met?"),
    ("ombudsman_evidence", "ombudsman", ("ombudsman_requested",), 15, None,
     "ombudsman_evidence_sent", "deadline", None),
]  # fmt: skip
# No "resident may refer to the Ombudsman" window: DOMAIN.md's table says "at once" (the
# procedure's 8 weeks ended on 1 October 2022).


def test_spruce_is_domain_timeframes_table() -> None:
    profile = get_profile("spruce")
    got = [
        (r.key, r.stage, r.start, r.working_days, r.weeks, r.done_by, r.kind, r.log_column)
        for r in profile.milestones
    ]
    assert got == SPRUCE
    assert dict(profile.extension_caps) == {"stage1": 10, "stage2": 10}
    assert [r.key for r in profile.milestones if r.extendable] == [
        "stage1_response",
        "stage2_response",
    ]
    assert profile.milestone("close_if_not_escalated").unless == ("escalation_received",)
    assert profile.milestone("update").while_open
    assert profile.nation == "england-and-wales"
    assert all(r.source for r in profile.milestones)


@pytest.mark.parametrize(
    ("name", "nation", "caps", "rules"),
    [
        (
            "hos-code-2024",
            "england-and-wales",
            {"stage1": 10, "stage2": 20},
            [
                ("acknowledge", ("received",), 5),
                ("stage1_response", ("ack_due",), 10),
                ("stage2_acknowledge", ("escalation_received",), 5),
                ("stage2_response", ("stage2_ack_due",), 20),
            ],
        ),
        (
            "homes-plus-england",
            "england-and-wales",
            {"stage1": 10, "stage2": 20},
            [
                ("acknowledge", ("received",), 5),
                ("stage1_response", ("received",), 10),
                ("stage2_acknowledge", ("escalation_received",), 5),
                ("stage2_response", ("escalation_received",), 20),
            ],
        ),
        (
            "homes-plus-scotland",
            "scotland",
            {"stage2": 10},
            [
                ("stage1_response", ("received",), 5),
                ("stage2_acknowledge", ("escalation_received",), 3),
                ("stage2_response", ("escalation_received",), 20),
            ],
        ),
        (
            "southern-housing",
            "england-and-wales",
            {"stage1": 10, "stage2": 10},
            [
                ("dissatisfaction_response", ("informal_received",), 5),
                ("acknowledge", ("received",), 3),
                ("stage1_response", ("received",), 10),
                ("stage2_acknowledge", ("escalation_received",), 1),
                ("panel_meeting", ("escalation_received",), 17),
                ("stage2_response", ("escalation_received",), 20),
                ("stage2_compensation_response", ("escalation_received",), 10),
                ("close_after_stage2", ("stage2_responded",), 0),
            ],
        ),
    ],
)
def test_other_profiles_follow_their_seeds(
    name: str, nation: str, caps: dict[str, int], rules: list[tuple[str, tuple[str, ...], int]]
) -> None:
    profile = get_profile(name)
    assert profile.nation == nation
    assert dict(profile.extension_caps) == caps
    assert [(r.key, r.start, r.working_days) for r in profile.milestones] == rules
    assert all(r.source for r in profile.milestones)


def test_southern_review_types() -> None:
    profile = get_profile("southern-housing")
    assert profile.milestone("stage2_response").review == ("manager", "panel")
    assert profile.milestone("stage2_compensation_response").review == ("compensation",)
    assert profile.milestone("panel_meeting").review == ("panel",)
    assert profile.milestone("stage2_acknowledge").review == ("manager", "compensation")
    assert profile.reviews == ("manager", "compensation", "panel")
    assert profile.milestone("panel_meeting").done_by == "panel_meeting"


@pytest.mark.parametrize(
    ("name", "reviews", "complaint_months", "escalation_days", "escalation_months", "informal"),
    [
        ("spruce", ("manager", "compensation"), 12, 20, None, True),
        ("hos-code-2024", ("manager", "compensation"), None, None, None, False),
        ("homes-plus-england", ("manager", "compensation"), 12, None, None, False),
        ("homes-plus-scotland", ("manager", "compensation"), 6, None, 2, False),
        ("southern-housing", ("manager", "compensation", "panel"), 6, None, None, True),
    ],
)
def test_review_types_time_limits_and_informal_stage_follow_the_seeds(
    name: str,
    reviews: tuple[str, ...],
    complaint_months: int | None,
    escalation_days: int | None,
    escalation_months: int | None,
    informal: bool,
) -> None:
    profile = get_profile(name)
    limits = profile.time_limits
    assert profile.reviews == reviews
    assert (limits.complaint_months, limits.escalation_working_days) == (
        complaint_months,
        escalation_days,
    )
    assert limits.escalation_months == escalation_months
    assert profile.has_informal_stage is informal


def test_limit_text() -> None:
    profile = get_profile("spruce")
    assert profile.milestone("contact").limit_text == "1 working day"
    assert profile.milestone("stage2_response").limit_text == "20 working days"
    assert WEEKS.milestone("ombudsman_referral").limit_text == "8 weeks"
    with pytest.raises(ComplaintsError, match="no milestone 'ombudsman_referral'"):
        profile.milestone("ombudsman_referral")


def test_missing_milestone_key() -> None:
    with pytest.raises(ComplaintsError, match="profile 'spruce' has no milestone 'nope'"):
        get_profile("spruce").milestone("nope")


# --------------------------------------------------------------------------------------------
# A team's own file, and validation
# --------------------------------------------------------------------------------------------

GOOD = """
default = "team"

[profiles.team]
label = "Our team"
nation = "Scotland"

[profiles.team.extensions]
stage1 = 5

[[profiles.team.milestones]]
key = "acknowledge"
label = "Acknowledge"
stage = "stage1"
from = "received"
working_days = 2
done_by = "acknowledged"

[[profiles.team.milestones]]
key = "stage1_response"
label = "Respond"
stage = "stage1"
from = "ack_due"
working_days = 7
done_by = "stage1_responded"
extendable = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_team_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    profile = get_profile(path=path)
    assert profile.name == "team"
    assert profile.nation == "scotland"
    assert profile.milestone("stage1_response").working_days == 7
    assert dict(profile.extension_caps) == {"stage1": 5}
    assert list(load_profiles(path)) == ["team"]
    assert get_profile("team", path).label == "Our team"


def test_team_file_single_profile_needs_no_default(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('default = "team"', ""))
    assert get_profile(path=path).name == "team"


def _break(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _break('from = "received"', 'from = "recieved"'),
            "profile 'team', milestone 'acknowledge': unknown event 'recieved'",
        ),
        (
            _break('done_by = "acknowledged"', 'done_by = "ack_due"'),
            "milestone 'acknowledge': unknown event 'ack_due'",
        ),
        (
            _break("working_days = 2", "working_days = -2"),
            "milestone 'acknowledge': 'working_days' must not be negative (got -2)",
        ),
        (
            _break("working_days = 2", "working_days = 2.5"),
            "milestone 'acknowledge': 'working_days' must be a whole number",
        ),
        (
            _break("working_days = 2", "working_days = true"),
            "milestone 'acknowledge': 'working_days' must be a whole number",
        ),
        (
            _break("working_days = 2", ""),
            "milestone 'acknowledge': give exactly one of 'working_days' or 'weeks'",
        ),
        (
            _break("working_days = 2", "working_days = 2\nweeks = 1"),
            "milestone 'acknowledge': give exactly one of 'working_days' or 'weeks'",
        ),
        (
            _break('label = "Acknowledge"\n', ""),
            "profile 'team', milestone 'acknowledge': missing 'label'",
        ),
        (
            _break('key = "acknowledge"\n', ""),
            "profile 'team', milestone '#1': missing 'key'",
        ),
        (
            _break('from = "received"\n', ""),
            "milestone 'acknowledge': missing 'from'",
        ),
        (
            _break('stage = "stage1"', 'stage = "stage3"'),
            "milestone 'acknowledge': unknown stage 'stage3'",
        ),
        (
            _break("working_days = 2", "working_days = 2\nworkingdays = 3"),
            "milestone 'acknowledge': unknown field(s) workingdays",
        ),
        (
            _break('key = "stage1_response"', 'key = "acknowledge"'),
            "milestone 'acknowledge': duplicate milestone key",
        ),
        (
            _break("stage1 = 5", "stage2 = 5"),
            "milestone 'stage1_response': is extendable but the profile has no "
            "'extensions.stage1' cap",
        ),
        (
            _break("stage1 = 5", "stage1 = -1"),
            "profile 'team': 'extensions.stage1' must not be negative",
        ),
        (
            _break('done_by = "acknowledged"', 'done_by = "stage1_responded"'),
            "milestone 'stage1_response': counts from 'ack_due', which needs a milestone "
            "'acknowledge' done_by 'acknowledged'",
        ),
        (
            _break('done_by = "acknowledged"', 'done_by = "acknowledged"\nkind = "window"'),
            "milestone 'acknowledge': a window has no 'done_by'",
        ),
        (
            _break('from = "received"', 'from = "received"\nreview = ["boss"]'),
            "milestone 'acknowledge': unknown review type 'boss'",
        ),
        (
            _break('nation = "Scotland"', 'nation = "Wessex"'),
            "profile 'team': unknown nation 'Wessex'",
        ),
        (
            _break('label = "Our team"\n', ""),
            "profile 'team': missing 'label'",
        ),
        (
            _break('default = "team"', 'default = "other"'),
            "default profile 'other' is not one of the profiles (team)",
        ),
        (
            _break("[profiles.team]", "[profiles.team]\ncolour = 'red'"),
            "profile 'team': unknown field(s) colour",
        ),
        (
            _break("extendable = true", "extendable = 'yes'"),
            "milestone 'stage1_response': 'extendable' must be true or false",
        ),
        ('default = "x"\n', "no profiles"),
        ("[profiles.team\n", "not valid TOML"),
        (
            '[profiles.Team]\nlabel = "x"\nmilestones = []\n',
            "profile 'Team': a profile name must be lower-case",
        ),
        (
            '[profiles.team]\nlabel = "x"\n',
            "profile 'team': missing 'milestones'",
        ),
    ],
)
def test_validation_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ComplaintsError) as caught:
        load_profiles(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ComplaintsError, match="profiles file not found"):
        load_profiles(tmp_path / "nope.toml")
