"""Checks the dataset itself must pass (issue: the complete SEE+ dataset)."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from analysis.model.load import load

SCOPE = set("AL AM AZ BA BG CH CY GE GR HR HU MD ME MK RO RS RU SI TR UA XK".split())
SHEET = ROOT.parent / "shared" / "reference" / "cctld.md"


@pytest.fixture(scope="module")
def t():
    return load()


def test_all_21_jurisdictions(t) -> None:
    assert set(t.countries["code"]) == SCOPE
    assert t.countries.set_index("code").loc["CH", "scope_role"] == "reference"


def test_idn_set_is_exactly_the_eight(t) -> None:
    idn = t.cctlds[t.cctlds["idn"] & (t.cctlds["status"] == "active")]
    assert set(idn["tld"]) == {"срб", "бг", "рф", "укр", "мкд", "հայ", "გე", "ελ"}
    assert len(t.cctlds[t.cctlds["status"] == "active"]) == 28
    assert set(t.cctlds[t.cctlds["status"] == "historical"]["tld"]) == {"yu"}


def test_kosovo_has_no_cctld_and_says_so(t) -> None:
    assert t.cctlds[t.cctlds["country"] == "XK"].empty
    ab = t.absences[(t.absences["country"] == "XK") & (t.absences["mechanism"] == "cctld")]
    assert list(ab["finding"]) == ["none"]
    assert "UNSCR 1244/1999" in t.countries.set_index("code").loc["XK", "footnote"]


def test_every_source_has_a_location_and_is_cited(t) -> None:
    src = t.sources
    has = src["url"].notna() | src["repository"].notna()
    assert has.all(), list(src[~has]["id"])
    for url in src["url"].dropna():
        assert re.match(r"^https?://\S+$", url) and "…" not in url, url


def test_every_cited_source_can_be_opened(t) -> None:
    """No citation of internal notes: every source id names a page a reader can open (a URL or a
    public repository file), and a record citing nothing is recalled."""
    assert not t.sources["id"].str.startswith("sheet-").any()
    assert "via" not in t.sources and "path" not in t.sources
    assert not t.sources["kind"].isin(["fact_sheet"]).any()
    for name in ("cctlds", "igf_initiatives", "ms_bodies", "cctld_events", "igf_editions"):
        df = getattr(t, name)
        bare = df[df["sources"].fillna("") == ""]
        assert (bare["confidence"] == "recalled").all(), (name, list(bare.index))
        assert not df["sources"].fillna("").str.contains("sheet-").any(), name


def _iana_names() -> dict[str, str]:
    text = SHEET.read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if "IANA" not in line and "snapshot" not in line:
            continue
        for tld, name in re.findall(r"\"\.(\S+) country-code ([^\"]+)\"", line):
            out[tld] = name
        m = re.search(r"\"\.(\S+)\" and \"\.(\S+)\": \"([^\"]+)\"", line)
        if m:
            out[m.group(1)] = out[m.group(2)] = m.group(3)
        m = re.search(r"\"\.(\w+) … ([^\"]+)\"", line)
        if m:
            out[m.group(1)] = m.group(2)
        if 'the same for ".հայ"' in line and "am" in out:
            out["հայ"] = out["am"]
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("'", '"')).strip()


@pytest.mark.skipif(
    not SHEET.exists(), reason="shared/reference/cctld.md is not beside the checkout"
)
def test_manager_names_match_the_iana_listing(t) -> None:
    iana = _iana_names()
    assert len(iana) >= 20
    active = t.cctlds[t.cctlds["status"] == "active"]
    checked = 0
    for row in active.itertuples():
        if row.tld in iana:
            assert _norm(row.manager) == _norm(iana[row.tld]), row.tld
            checked += 1
    assert checked >= 20


def test_every_jurisdiction_has_each_mechanism_researched(t) -> None:
    for code in SCOPE:
        have = {
            "cctld": not t.cctlds[t.cctlds["country"] == code].empty,
            "igf": not t.igf_initiatives[t.igf_initiatives["country"] == code].empty,
            "body": not t.ms_bodies[t.ms_bodies["country"] == code].empty,
        }
        ab = set(t.absences[t.absences["country"] == code]["mechanism"])
        for mech, present in have.items():
            assert present or mech in ab, f"{code}: {mech} neither recorded nor listed as absent"


def test_conflicts_keep_both_values(t) -> None:
    ro = t.conflicts[(t.conflicts["country"] == "RO")]
    assert not ro.empty
    cited = t.conflicts["alternative_sources"].fillna("").str.len() > 0
    assert (cited | (t.conflicts["alternative_confidence"] == "recalled")).all()


def test_regional_initiatives(t) -> None:
    reg = t.igf_initiatives[t.igf_initiatives["kind"] == "regional"].set_index("id")
    assert reg.loc["seedig", "first_year"] == 2015 and reg.loc["eurodig", "first_year"] == 2008
    ed = t.igf_editions
    assert ed[(ed["initiative"] == "seedig") & (ed["year"] == 2015)]["city"].item() == "Sofia"
    assert 2022 not in set(ed[ed["initiative"] == "seedig"]["year"]), "2022 was a gap year"


def test_terms_cover_the_region(t) -> None:
    assert len(t.terms) >= 12
    assert {"yes", "no"} <= set(t.terms["collapses"])


def test_urls_are_exactly_as_read_never_invented() -> None:
    """Every URL in the registry appears verbatim in the research logs under research/ (the dated
    logs give the quote read at each URL, of at least research_log.MIN_QUOTE characters;
    research/fact-sheets.md the URLs the fact sheets gave), so no URL can have been typed from
    memory. The same check runs in `multisee validate` (tests/test_research_log.py)."""
    from analysis.model import research_log
    from analysis.model.validate import validate_files

    dataset, problems = validate_files()
    assert problems == []
    assert [str(p) for p in research_log.check(dataset, ROOT / "research")] == []


@pytest.mark.skipif(not SHEET.exists(), reason="shared/reference/ is not beside the checkout")
def test_fact_sheet_urls_are_verbatim_in_the_sheets() -> None:
    sheets = "".join(p.read_text(encoding="utf-8") for p in SHEET.parent.glob("*.md"))
    log = (ROOT / "research" / "fact-sheets.md").read_text(encoding="utf-8")
    urls = re.findall(r"^\| `[^`]+` \| `[^`]+` \| (\S+) \|$", log, flags=re.M)
    assert len(urls) > 100
    assert [u for u in urls if u not in sheets] == []
