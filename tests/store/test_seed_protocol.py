"""The seed protocol: every LMCS and DCS line of the Line of Sight protocol, ready on first run."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from diary_testing import NOW

from los_tui.db.seed import seed_lines
from los_tui.domain.model import Frequency, Role
from los_tui.domain.protocol import infer_frequency
from los_tui.services.diary import Diary

# The protocol's two lists, kept in the repository so the word-for-word test runs in every checkout; the
# shared source document, when it sits beside the checkout, is checked to say the same.
SEED_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "line-of-sight-2017.txt"
SHARED_SOURCE = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_3b5ae96de6bda229.txt"


def protocol_bullets(text: str) -> dict[Role, list[str]]:
    lmcs, _, rest = text.partition("### DCS")
    dcs = rest.partition("### WHAT")[0]
    return {
        Role.LMCS: [b.strip() for b in re.findall(r"^- (.+)$", lmcs, re.M)],
        Role.DCS: [b.strip() for b in re.findall(r"^- (.+)$", dcs, re.M)],
    }


def test_sixteen_lead_member_lines_and_eighteen_director_lines() -> None:
    roles = Counter(line.role for line in seed_lines())
    assert roles == {Role.LMCS: 16, Role.DCS: 18}


def test_slugs_are_unique_and_carry_their_role() -> None:
    slugs = [line.slug for line in seed_lines()]
    assert len(slugs) == len(set(slugs))
    assert all(line.slug.startswith(f"{line.role.value}-") for line in seed_lines())


def test_every_protocol_bullet_is_kept_word_for_word() -> None:
    bullets = protocol_bullets(SEED_TEXT.read_text(encoding="utf-8"))
    assert {role: len(lines) for role, lines in bullets.items()} == {Role.LMCS: 16, Role.DCS: 18}
    for role, lines in bullets.items():
        assert sorted(lines) == sorted(line.wording for line in seed_lines() if line.role == role)


@pytest.mark.skipif(
    not SHARED_SOURCE.exists(), reason="the shared source documents are not beside this checkout"
)
def test_the_kept_protocol_text_is_the_source_documents() -> None:
    kept = protocol_bullets(SEED_TEXT.read_text(encoding="utf-8"))
    assert kept == protocol_bullets(SHARED_SOURCE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("slug", "frequency"),
    [
        ("lmcs-improvement-board", Frequency.MONTHLY),
        ("lmcs-psw-practice-audit", Frequency.QUARTERLY),
        ("lmcs-asye-meeting", Frequency.BIMONTHLY),
        ("lmcs-pulse-survey", Frequency.QUARTERLY),
        ("lmcs-corporate-parenting-panel", Frequency.AD_HOC),
        ("lmcs-cicc", Frequency.AD_HOC),
        ("lmcs-team-visits", Frequency.AD_HOC),
        ("lmcs-fostering-panel", Frequency.ANNUAL),
        ("lmcs-complaints-lado", Frequency.AD_HOC),
        ("lmcs-case-reviews", Frequency.AD_HOC),
        ("dcs-improvement-board", Frequency.AD_HOC),
        ("dcs-psw-meeting", Frequency.MONTHLY),
        ("dcs-asye-forum", Frequency.BIMONTHLY),
        ("dcs-cicc", Frequency.AD_HOC),
        ("dcs-foster-carers", Frequency.BIANNUAL),
        ("dcs-staff-conference", Frequency.ANNUAL),
    ],
)
def test_frequency_is_read_from_the_protocol_wording(slug: str, frequency: Frequency) -> None:
    line = next(line for line in seed_lines() if line.slug == slug)
    assert line.frequency == frequency


@pytest.mark.parametrize(
    ("wording", "frequency"),
    [
        ("Bi annual meeting with foster carers", Frequency.BIANNUAL),
        ("Annual attendance at Adoption Panel.", Frequency.ANNUAL),
        ("Bi monthly ASYE Forum with the LMCS.", Frequency.BIMONTHLY),
        ("Monthly meeting with PSW, to include quarterly with the LMCS.", Frequency.MONTHLY),
        ("Meet as agreed", Frequency.AD_HOC),
        ("Twice a year review", Frequency.BIANNUAL),
    ],
)
def test_infer_frequency_reads_the_first_stated_frequency(wording: str, frequency: Frequency) -> None:
    assert infer_frequency(wording) == frequency


def test_joint_lines_point_at_each_other(diary: Diary) -> None:
    by_slug = {c.slug: c for c in diary.commitments.list()}
    assert by_slug["dcs-asye-forum"].joint_slug == "lmcs-asye-meeting"
    assert by_slug["lmcs-asye-meeting"].joint_slug == "dcs-asye-forum"
    for commitment in by_slug.values():
        if commitment.joint_slug:
            assert by_slug[commitment.joint_slug].joint_slug == commitment.slug


def test_seeded_commitments_have_no_invented_dates(diary: Diary) -> None:
    assert all(not c.is_scheduled for c in diary.commitments.list())


def test_init_for_one_role_loads_only_that_role_then_adds_the_other(db_path: Path) -> None:
    diary = Diary.open(db_path, clock=lambda: NOW)
    assert diary.init("lmcs") == 16
    assert {c.role for c in diary.commitments.list()} == {Role.LMCS}
    assert diary.role_choice() == "lmcs"
    assert diary.init("dcs") == 18
    assert diary.role_choice() == "both"
    assert diary.commitments.get("dcs-asye-forum").joint_slug == "lmcs-asye-meeting"
    assert diary.init("both") == 0
    diary.close()
