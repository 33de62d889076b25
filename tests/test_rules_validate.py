"""Cross-file rules of the validator (``analysis.model.validate.cross_check``), one case per rule.

Each case builds a few data files with :mod:`builders` and checks the validator's verdict: the
message it must give (a piece of it), or no problem at all.
"""

from __future__ import annotations

import pytest
from builders import assessment, body, cctld, country, initiative, problems, source

# (name, countries, keyword arguments of the builder, piece of the one problem or None)
CASES = [
    (
        "initiative id in a country file and in regional.yaml",
        [country("AA", igf=[initiative("seedig")])],
        {"regional": [initiative("seedig", kind="regional")]},
        "duplicate id 'seedig'",
    ),
    (
        "body id in two country files",
        [country("AA", bodies=[body("council")]), country("BB", bodies=[body("council")])],
        {},
        "duplicate id 'council'",
    ),
    (
        "a ccTLD and a body sharing an id",
        [country("AA", cctlds=[cctld("aa")], bodies=[body("aa")])],
        {},
        "duplicate id 'aa'",
    ),
    (
        "distinct ids across files",
        [country("AA", bodies=[body("aa-council")]), country("BB", bodies=[body("bb-council")])],
        {"regional": [initiative("seedig", kind="regional")]},
        None,
    ),
    (
        "assessment of a mechanism in another file",
        [
            country("AA", cctlds=[cctld("aa")]),
            country("BB", assessments=[assessment("aa", "bpf_open", "yes")]),
        ],
        {},
        "'aa' is not a ccTLD, initiative or body id in this file",
    ),
    (
        "assessment of a mechanism in its own file",
        [country("AA", cctlds=[cctld("aa")], assessments=[assessment("aa", "bpf_open", "yes")])],
        {},
        None,
    ),
    (
        "successor in a file read later",
        [
            country("AA", bodies=[body("aa-old", successor="bb-new")]),
            country("BB", bodies=[body("bb-new")]),
        ],
        {},
        "'bb-new' is not a body id in this file",
    ),
    (
        "successor in a file read earlier",
        [
            country("AA", bodies=[body("aa-new")]),
            country("BB", bodies=[body("bb-old", successor="aa-new")]),
        ],
        {},
        "'aa-new' is not a body id in this file",
    ),
    (
        "successor in the same file",
        [country("AA", bodies=[body("aa-old", successor="aa-new"), body("aa-new")])],
        {},
        None,
    ),
    (
        "source id cited but not registered",
        [country("AA", bodies=[body("aa-council", sources=["nowhere"])])],
        {},
        "unknown source id 'nowhere'",
    ),
    (
        "source id registered twice in one file",
        [country("AA")],
        {"sources": [source(), source()]},
        "duplicate source id 'test-source'",
    ),
    (
        "source id registered in two files",
        [country("AA")],
        {"sources": {"common": [source()], "AA": [source()]}},
        "duplicate source id 'test-source'",
    ),
    (
        "a sources file with a bad URL still registers its ids",
        [country("AA", bodies=[body("aa-council")])],
        {"sources": [source(url="ftp://example.org/x")]},
        "is not an http(s) URL",
    ),
    (
        "a country file with a schema error still names its jurisdiction",
        [country("AA", bodies=[body("aa-council", multistakeholder="maybe")]), country("BB")],
        {"peer_groups": [{"id": "g", "name": "G", "members": ["AA"]}]},
        "'maybe' is not one of",
    ),
    (
        "unknown source id in field_sources",
        [
            country(
                "AA",
                bodies=[
                    body("aa-c", established="2014", field_sources={"established": ["nowhere"]})
                ],
            )
        ],
        {},
        "unknown source id 'nowhere'",
    ),
    (
        "country code that is not the file name",
        [country("AA", name="A")],
        {"rename": ("AA", "AB")},
        "code 'AA' differs from the file name 'AB.yaml'",
    ),
    (
        "peer group naming a jurisdiction without a file",
        [country("AA")],
        {"peer_groups": [{"id": "g", "name": "G", "members": ["AA", "ZZ"]}]},
        "'ZZ' is not a jurisdiction with a data file",
    ),
]


def _problems(countries, kw):
    kw = dict(kw)
    rename = kw.pop("rename", None)
    if kw.get("peer_groups"):
        kw["peer_groups"] = [
            {
                "id": g["id"],
                "name": g["name"],
                "members": g["members"],
                "sources": ["test-source"],
                "confidence": "sourced",
            }
            for g in kw["peer_groups"]
        ]
    if rename:
        old, new = rename
        return problems(*countries, rename_file={old: new}, **kw)
    return problems(*countries, **kw)


@pytest.mark.parametrize("name, countries, kw, piece", CASES, ids=[c[0] for c in CASES])
def test_cross_file_rule(name, countries, kw, piece):
    found = _problems(countries, kw)
    if piece is None:
        assert found == []
    else:
        assert len(found) == 1 and piece in found[0], found
