"""The session deck (one multi-page PDF) and the adoption animation (GIF)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from analysis import deck, maps
from analysis.errors import UserError
from analysis.load import load
from analysis.mapping import states_for
from analysis.panel import panel_for
from analysis.selection import select

SESSION = "SEEDIG test session: MS at home"
PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


@pytest.fixture(scope="module")
def wb_deck(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("deck") / "wb.pdf"
    return deck.make_deck(
        out, SESSION, countries="western-balkans", year=2019, years_small_multiples=[2010, 2019]
    )


def _expected_pages(sections: dict[str, int]) -> int:
    # 1 title + 3 maps + 3 small multiples + 1 comparison + 1 timeline + N source pages
    return 1 + 3 + 3 + 1 + 1 + sections["sources"]


def test_deck_page_count_matches_inputs(wb_deck: dict[str, Any]) -> None:
    assert wb_deck["sections"]["sources"] >= 1
    assert wb_deck["sections"] == {
        "title": 1,
        "maps": 3,
        "small_multiples": 3,
        "comparison": 1,
        "timeline": 1,
        "sources": wb_deck["sections"]["sources"],
    }
    assert wb_deck["pages"] == _expected_pages(wb_deck["sections"])
    data = Path(wb_deck["path"]).read_bytes()
    assert len(PAGE.findall(data)) == wb_deck["pages"]
    assert re.search(rb"/Count\s+" + str(wb_deck["pages"]).encode() + rb"\b", data)


def test_deck_is_a_pdf_with_the_session_title(wb_deck: dict[str, Any]) -> None:
    path = Path(wb_deck["path"])
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/Title (" + SESSION.encode() + b")" in data
    assert b"/CreationDate" not in data  # reproducible: no date
    # written atomically: no temporary file left beside it
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_deck_reports_its_parameters(wb_deck: dict[str, Any]) -> None:
    assert (
        wb_deck["countries"]
        == list(select("western-balkans").codes)
        == ["AL", "BA", "ME", "MK", "RS", "XK"]
    )
    assert wb_deck["year"] == 2019
    assert wb_deck["years_small_multiples"] == [2010, 2019]


def test_source_pages_hold_every_cited_source() -> None:
    info, sections = deck.plan_deck(SESSION, countries=["RS"], year=2019)
    assert info["countries"] == ["RS"]
    assert len(sections["sources"]) >= 1
    fig = deck.draw_page(sections["sources"][0], 1, 1)
    text = "\n".join(t.get_text() for t in fig.texts)
    assert "rs-" in text  # Serbia's sources are named rs-...


def test_every_map_page_carries_source_boundary_and_kosovo_notes() -> None:
    _info, sections = deck.plan_deck(SESSION, countries="western-balkans", year=2019)
    pages = sections["maps"] + sections["small_multiples"]
    for i, draw in enumerate(pages, start=1):
        fig = deck.draw_page(draw, i, len(pages))
        texts = [t.get_text() for t in fig.texts]
        assert maps.BOUNDARY_NOTE in texts
        assert maps.KOSOVO_FOOTNOTE in texts
        assert any(t.startswith("Source: ") for t in texts)
        assert maps.hatched_codes(fig)  # ME and XK have weak evidence in 2019


def test_map_page_hatches_weak_evidence_of_selection_only() -> None:
    _info, sections = deck.plan_deck(SESSION, countries="western-balkans", year=2019)
    panel = panel_for(load())
    for mech, draw in zip(("cctld", "igf", "body"), sections["maps"], strict=True):
        fig = deck.draw_page(draw, 1, 1)
        _states, weak = states_for(panel, mech, 2019)
        assert maps.hatched_codes(fig) == sorted(weak & set(list(select("western-balkans").codes)))


def test_other_content_pages_carry_kosovo_footnote_when_selected() -> None:
    _info, sections = deck.plan_deck(SESSION, countries="western-balkans", year=2019)
    for name in ("comparison", "timeline"):
        texts = [t.get_text() for t in deck.draw_page(sections[name][0], 1, 1).texts]
        assert maps.KOSOVO_FOOTNOTE in texts
    _info, sections = deck.plan_deck(SESSION, countries=["RS", "AM"], year=2019)
    texts = [t.get_text() for t in deck.draw_page(sections["comparison"][0], 1, 1).texts]
    assert maps.KOSOVO_FOOTNOTE not in texts


def test_default_small_multiple_years_end_with_latest_year() -> None:
    panel = panel_for(load())
    latest = int(panel["year"].max())
    assert deck.small_multiple_years(panel) == sorted({2005, 2010, 2015, 2020, latest})


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"countries": "no-such-group"}, "unknown selection"),
        ({"countries": ["RS", "ZZ"]}, "unknown country"),
        ({"year": 1900}, "no data for year 1900"),
        ({"years_small_multiples": [2010, 3000]}, "no data for year"),
        ({"session": "  "}, "session must be"),
    ],
)
def test_bad_parameters_give_user_error(
    tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    args: dict[str, Any] = {"out": tmp_path / "bad.pdf", "session": SESSION, **kwargs}
    with pytest.raises(UserError, match=message):
        deck.make_deck(**args)
    assert not list(tmp_path.iterdir()), "nothing written on a bad parameter"


def test_key_events_are_dated_and_limited_to_selection() -> None:
    events = deck.key_events(load(), ["RS"])
    assert set(events["country"]) == {"RS"}
    assert set(events["mechanism"]) <= {"cctld", "igf", "body"}
    first_igf = events[events["mechanism"] == "igf"]
    assert list(first_igf["date"]) == ["2022"]  # rs-igf: first edition 2022


def test_animation_has_one_frame_per_year(tmp_path: Path) -> None:
    out = deck.make_animation(tmp_path / "igf.gif", "igf", 2015, 2019)
    assert out == tmp_path / "igf.gif"
    with Image.open(out) as im:
        assert im.format == "GIF"
        assert im.n_frames == 5
    assert [p.name for p in tmp_path.iterdir()] == ["igf.gif"]


@pytest.mark.parametrize(
    "mechanism, start, end, message",
    [("nope", 2015, 2019, "unknown mechanism"), ("igf", 2019, 2015, "after end year")],
)
def test_animation_bad_parameters(
    tmp_path: Path, mechanism: str, start: int, end: int, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        deck.make_animation(tmp_path / "x.gif", mechanism, start, end)


@pytest.mark.slow
def test_full_deck_for_every_jurisdiction(tmp_path: Path) -> None:
    res = deck.make_deck(tmp_path / "all.pdf", SESSION)
    assert len(res["countries"]) == len(load().countries)
    assert res["pages"] == _expected_pages(res["sections"])
    assert len(PAGE.findall((tmp_path / "all.pdf").read_bytes())) == res["pages"]
    assert res["seconds"] < 60  # ~8-10 s on a 2-core machine; the target is ~20 s
