"""Property-based tests: the validator never crashes, it only reports."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.model.validate import Problem, validate_files

REAL = sorted((ROOT / "data" / "countries").glob("*.yaml"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
keys = st.sampled_from(
    [
        "code",
        "name",
        "subregion",
        "cctlds",
        "tld",
        "idn",
        "manager",
        "sources",
        "confidence",
        "igf_initiatives",
        "editions",
        "year",
        "first_year",
        "id",
        "legal_form",
        "ms_bodies",
        "assessments",
        "absences",
        "x",
    ]
) | st.text(max_size=8)
documents = st.recursive(
    scalars,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(keys, kids, max_size=6),
    max_leaves=25,
)


def _check(tmp: Path, text: str, name: str = "QQ.yaml") -> None:
    countries = tmp / "countries"
    countries.mkdir(exist_ok=True)
    f = countries / name
    f.write_text(text, encoding="utf-8")
    _, problems = validate_files([f])
    assert all(isinstance(p, Problem) and str(p) for p in problems)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=documents)
def test_random_documents_never_crash(doc, tmp_path_factory) -> None:
    import yaml

    _check(tmp_path_factory.mktemp("fz"), yaml.safe_dump(doc, allow_unicode=True))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.sampled_from(REAL),
    pos=st.floats(0, 1),
    length=st.integers(0, 40),
    insert=st.text(alphabet=st.sampled_from(list(" :-[]{}#'\"\n\t&*!|>yes1985abc")), max_size=12),
)
def test_mutated_real_files_never_crash(which, pos, length, insert, tmp_path_factory) -> None:
    text = which.read_text(encoding="utf-8")
    i = int(pos * len(text))
    mutated = text[:i] + insert + text[i + length :]
    _check(tmp_path_factory.mktemp("mut"), mutated, which.name)
