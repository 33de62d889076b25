"""Fact-level differences between two revisions of the data, and what they change downstream.

:func:`compare` reads the data of two revisions (a git tag, branch or commit, read with ``git
archive`` into a temporary directory; or the working tree) and returns a :class:`DataDiff`:

* **records** added, removed or changed, identified by their ids -- ccTLD ``tld``, initiative and
  body ``id``, edition ``initiative/year``, pause ``initiative/type/start``, event
  ``tld/date/type``, domain count ``tld/as_of``, assessment ``mechanism_id/dimension``, absence
  ``country/mechanism``, source ``id``, term ``language_code``, peer group ``id``, jurisdiction
  ``code`` -- with, for each changed field, the old and new value and the sources and confidence
  the new value rests on (``field_sources`` / ``field_confidence`` where the record has them);
* the **derived effect**: adoption-panel cells whose state changed (grouped into runs of years)
  and Multi-SEE index scores and ranks that moved (same grouping), computed with the library's
  own :func:`~analysis.measures.panel.adoption_panel` and :func:`~analysis.measures.scoring.multisee_index` on both
  sides. The effect needs both sides to validate; when one does not (an old revision written for
  an older schema), the record diff is still given and a note says why the effect is not.

Renderers: :func:`render` (``text`` for the terminal, ``markdown`` for a pull-request
description, ``json``, ``changelog`` for the "data changes" section of ``CHANGELOG.md``, ``html``
for a page). :func:`changes_since_release` is the entry point for pages: the changes since the last
release (:func:`analysis.model.release.last_release`), for the whole dataset or one jurisdiction
(:meth:`DataDiff.for_country`), and :func:`render_changes` a short HTML or Markdown summary of it.
"""

from __future__ import annotations

import html
import json
import math
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from analysis.model import release
from analysis.model.errors import UserError
from analysis.model.paths import data_dir, project_root
from analysis.model.validate import Dataset, Problem, validate_files

#: Record kinds in the order they are reported, with a label for people.
KINDS: dict[str, str] = {
    "country": "jurisdiction",
    "eu_status": "EU status",
    "cctld": "ccTLD",
    "cctld_event": "ccTLD event",
    "cctld_domains": "domain count",
    "igf_initiative": "IGF initiative",
    "igf_edition": "IGF edition",
    "igf_pause": "IGF pause",
    "ms_body": "MS body",
    "assessment": "assessment",
    "absence": "absence",
    "source": "source",
    "term": "term",
    "peer_group": "peer group",
}

#: Fields holding lists of source ids: compared as sets (their order is not a fact).
_ID_LISTS = {"sources"}
#: Per-field provenance maps: compared entry by entry.
_MAPS = {"field_sources", "field_confidence"}
_WORKTREE = "working tree"


# --------------------------------------------------------------------------------------------
# The structure
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One fact-bearing record, flattened: its own fields (child records are records of their own)."""

    kind: str
    key: str
    country: str | None
    file: str
    fields: dict[str, Any]

    def sources_of(self, name: str | None) -> list[str]:
        """The sources of field ``name`` (``None``: of the record)."""
        fs = self.fields.get("field_sources") or {}
        ids = fs.get(name) if isinstance(fs, dict) and name else None
        out = ids if ids is not None else self.fields.get("sources")
        return [str(s) for s in out] if isinstance(out, list) else []

    def confidence_of(self, name: str | None) -> str | None:
        fc = self.fields.get("field_confidence") or {}
        c = fc.get(name) if isinstance(fc, dict) and name else None
        conf = c if c is not None else self.fields.get("confidence")
        return str(conf) if conf is not None else None


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any
    sources: list[str]  #: what the new value rests on (the old one's, for a removed field)
    confidence: str | None


@dataclass
class RecordChange:
    change: str  #: ``added``, ``removed`` or ``changed``
    kind: str
    key: str
    country: str | None
    file: str
    sources: list[str]  #: the record's sources (new side; old side when removed)
    confidence: str | None
    fields: list[FieldChange] = field(default_factory=list)
    url: str | None = None  #: for sources: the URL

    @property
    def label(self) -> str:
        return f"{self.kind} {self.key}"


@dataclass
class CellChange:
    """A run of consecutive panel years of one jurisdiction and mechanism that changed state."""

    country: str
    mechanism: str
    start: int
    end: int
    old_state: str | None  #: ``None``: the cell did not exist (a new jurisdiction or year)
    new_state: str | None
    old_confidence: str | None
    new_confidence: str | None
    sources: list[str]  #: the new cells' sources
    new_evidence: str | None = None  #: ``weak`` or ``strong`` (see the panel)

    @property
    def years(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


@dataclass
class IndexChange:
    """A run of consecutive years in which one jurisdiction's index score or rank moved."""

    country: str
    start: int
    end: int
    old: dict[str, Any]  #: score, low, high, rank, rank_best, rank_worst (``None``: missing)
    new: dict[str, Any]

    @property
    def years(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"

    @property
    def rank_moved(self) -> bool:
        keys = ("rank", "rank_label", "rank_best", "rank_worst")
        return any(self.old.get(k) != self.new.get(k) for k in keys)


@dataclass
class Side:
    label: str  #: ``v0.2.0``, a commit, or ``working tree``
    rev: str | None  #: ``None``: the working tree
    commit: str | None
    note: str | None = None
    problems: list[str] = field(default_factory=list)  #: validation problems (first few)


@dataclass
class DataDiff:
    a: Side
    b: Side
    records: list[RecordChange] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)
    index: list[IndexChange] = field(default_factory=list)
    year: int | None = None  #: the default data year of the newer side (highlighted by renderers)
    notes: list[str] = field(default_factory=list)
    country: str | None = None  #: set by :meth:`for_country`
    effect: bool = True  #: whether the derived effect could be computed
    available: bool = True  #: False when there is nothing to compare with (no git, no release)

    @property
    def empty(self) -> bool:
        return not (self.records or self.cells or self.index)

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0}
        for r in self.records:
            out[r.change] += 1
        out["cells"] = sum(c.end - c.start + 1 for c in self.cells)
        out["rank_moves"] = len({i.country for i in self.index if i.rank_moved})
        return out

    def for_country(self, code: str) -> DataDiff:
        """The changes of one jurisdiction: its records (and the sources in its sources file),
        its panel cells and its index rows (which may move because of changes elsewhere)."""
        code = code.upper()
        return replace(
            self,
            records=[r for r in self.records if r.country == code],
            cells=[c for c in self.cells if c.country == code],
            index=[i for i in self.index if i.country == code],
            country=code,
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["counts"] = self.counts()
        return out

    def bump(self) -> str:
        """The version bump the data changes call for (see CONTRIBUTING.md): ``minor`` when facts
        were added, ``patch`` for corrections only, ``none`` without changes."""
        if any(r.change == "added" for r in self.records):
            return "minor"
        return "patch" if self.records else "none"


# --------------------------------------------------------------------------------------------
# Flattening a dataset into records
# --------------------------------------------------------------------------------------------


def _keyed(
    items: Any, key: Any, seen: dict[tuple[str, str], int], kind: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    for item in items or []:
        if not isinstance(item, dict):
            continue
        k = str(key(item))
        n = seen.get((kind, k), 0) + 1
        seen[(kind, k)] = n
        yield (k if n == 1 else f"{k}#{n}"), item


def _strip(item: dict[str, Any], children: Iterable[str]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in set(children)}


#: A list of records in a data file: its record kind, the field holding it, the key of an item
#: (given the key of the record holding the list, or the file's jurisdiction for a top-level
#: list) and the item's own lists (kept apart, not as fields of the item).
RecordList = tuple[str, str, Callable[[Any, dict[str, Any]], Any], tuple[Any, ...]]

_EDITIONS: RecordList = ("igf_edition", "editions", lambda p, x: f"{p}/{x.get('year')}", ())
_PAUSES: RecordList = (
    "igf_pause",
    "pauses",
    lambda p, x: f"{p}/{x.get('type')}/{x.get('start')}",
    (),
)
_EVENTS: RecordList = (
    "cctld_event",
    "events",
    lambda p, x: f"{p}/{x.get('date')}/{x.get('type')}",
    (),
)
_DOMAINS: RecordList = ("cctld_domains", "domains", lambda p, x: f"{p}/{x.get('as_of')}", ())
_CCTLDS: RecordList = ("cctld", "cctlds", lambda p, x: x.get("tld"), (_EVENTS, _DOMAINS))
_INITIATIVES: RecordList = (
    "igf_initiative",
    "igf_initiatives",
    lambda p, x: x.get("id"),
    (_EDITIONS, _PAUSES),
)
_ASSESSMENTS: RecordList = (
    "assessment",
    "assessments",
    lambda p, x: f"{x.get('mechanism_id', x.get('mechanism'))}/{x.get('dimension')}",
    (),
)
_BODIES: RecordList = ("ms_body", "ms_bodies", lambda p, x: x.get("id"), ())
_ABSENCES: RecordList = ("absence", "absences", lambda p, x: f"{p}/{x.get('mechanism')}", ())
#: The record lists of each kind of data file, in the order the records are listed.
FILE_LISTS: dict[str, tuple[RecordList, ...]] = {
    "country": (_CCTLDS, _INITIATIVES, _ASSESSMENTS, _BODIES, _ABSENCES),
    "regional": (_INITIATIVES, _ASSESSMENTS),
    "sources": (("source", "sources", lambda p, x: x.get("id"), ()),),
    "terms": (("term", "terms", lambda p, x: x.get("language_code"), ()),),
    "peer_groups": (("peer_group", "peer_groups", lambda p, x: x.get("id"), ()),),
}


def records(dataset: Dataset, base: Path) -> dict[tuple[str, str], Record]:
    """Every record of a parsed dataset by (kind, key); works on files that do not validate."""
    out: dict[tuple[str, str], Record] = {}
    seen: dict[tuple[str, str], int] = {}

    def add(kind: str, key: str, country: str | None, file: str, fields: dict[str, Any]) -> None:
        out[(kind, key)] = Record(kind, key, country, file, fields)

    def walk(
        lists: Iterable[RecordList],
        data: dict[str, Any],
        parent: Any,
        country: str | None,
        file: str,
    ) -> None:
        for kind, field_name, key_of, children in lists:
            for key, item in _keyed(
                data.get(field_name), lambda x, p=parent, f=key_of: f(p, x), seen, kind
            ):
                own = _strip(item, [c[1] for c in children]) if children else item
                add(kind, key, country, file, own)
                walk(children, item, key, country, file)

    for doc in sorted(dataset.documents, key=lambda d: str(d.path)):
        data = doc.data
        if not isinstance(data, dict) or doc.kind not in FILE_LISTS:
            continue
        try:
            file = str(Path(doc.path).resolve().relative_to(base.resolve()))
        except ValueError:
            file = str(doc.path)
        country: str | None = None
        if doc.kind == "country":
            country = str(data.get("code") or Path(doc.path).stem)
            lists = [lst[1] for lst in FILE_LISTS["country"]]
            add("country", country, country, file, _strip(data, [*lists, "eu_status"]))
            if isinstance(data.get("eu_status"), dict):
                add("eu_status", country, country, file, data["eu_status"])
        elif doc.kind == "sources":
            stem = Path(doc.path).stem
            country = stem if len(stem) == 2 and stem.isupper() else None
        walk(FILE_LISTS[doc.kind], data, country, country, file)
    return out


def _same(name: str, a: Any, b: Any) -> bool:
    if name in _ID_LISTS and isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b)


def _elementwise(name: str, a: Any, b: Any) -> list[tuple[str, Any, Any]]:
    """The changes of one field: the field itself, or, for two lists (``conflicts``,
    ``searched``, ``languages``), element by element -- an element present on one side only is
    ``name[i]`` added (old ``None``) or removed (new ``None``), one changed in place is reported
    key by key (``name[i].key``) -- so that no change hides behind a shortened list."""
    if not (isinstance(a, list) and isinstance(b, list)):
        return [(name, a, b)]
    out: list[tuple[str, Any, Any]] = []
    gone = [(i, x) for i, x in enumerate(a) if x not in b]
    new = [(i, x) for i, x in enumerate(b) if x not in a]
    while gone and new:  # an element edited in place: paired with the new one at its position
        (_, x), (j, y) = gone.pop(0), new.pop(0)
        if isinstance(x, dict) and isinstance(y, dict):
            for k in list(x) + [k for k in y if k not in x]:
                if x.get(k) != y.get(k):
                    out.append((f"{name}[{j}].{k}", x.get(k), y.get(k)))
        else:
            out.append((f"{name}[{j}]", x, y))
    out += [(f"{name}[{i}]", x, None) for i, x in gone]
    out += [(f"{name}[{j}]", None, y) for j, y in new]
    return out or [(name, a, b)]  # same elements in another order


#: Record kinds whose key ends in a date or year (``initiative/year``): a record removed and one
#: added under the same parent with the same other fields is one record whose year was corrected.
_DATED = {"igf_edition": ("year", "date"), "cctld_event": ("date",), "cctld_domains": ("as_of",)}
_PROVENANCE = {"sources", "confidence", "notes", "field_sources", "field_confidence"}


def _parent(r: RecordChange) -> tuple[str, ...]:
    """The key without its date part (``tld/date/type`` keeps ``tld`` and ``type``)."""
    parts = r.key.split("/")
    return (r.kind, parts[0], *parts[2:]) if r.kind == "cctld_event" else (r.kind, *parts[:-1])


def _facts(rec: Record) -> dict[str, Any]:
    dated = _DATED.get(rec.kind, ())
    return {k: v for k, v in rec.fields.items() if k not in _PROVENANCE and k not in dated}


def _corrections(
    out: list[RecordChange],
    old: dict[tuple[str, str], Record],
    new: dict[tuple[str, str], Record],
) -> list[RecordChange]:
    """Pair a removed and an added dated record of the same parent (an edition of the same
    initiative, an event of the same ccTLD) whose other facts are the same: one record whose year
    or date was corrected (``changed``), not a fact removed and a new fact added."""
    removed = [r for r in out if r.change == "removed" and r.kind in _DATED]
    added = [r for r in out if r.change == "added" and r.kind in _DATED]
    drop: set[int] = set()
    for rem in removed:
        a = old[(rem.kind, rem.key)]
        for add in added:
            if add.change != "added" or _parent(add) != _parent(rem):
                continue
            b = new[(add.kind, add.key)]
            if _facts(a) != _facts(b):
                continue
            fields = [
                FieldChange(
                    f, a.fields.get(f), b.fields.get(f), b.sources_of(f), b.confidence_of(f)
                )
                for f in [*_DATED[rem.kind], *sorted(_PROVENANCE)]
                if not _same(f, a.fields.get(f), b.fields.get(f))
            ]
            add.change, add.fields = "changed", fields
            add.key = f"{rem.key} → {add.key}"
            drop.add(id(rem))
            break
    return [r for r in out if id(r) not in drop]


def diff_records(
    old: dict[tuple[str, str], Record], new: dict[tuple[str, str], Record]
) -> list[RecordChange]:
    """Records added, removed and changed (field by field), in :data:`KINDS` order."""
    order = {k: i for i, k in enumerate(KINDS)}
    out: list[RecordChange] = []
    for ident in sorted(set(old) | set(new), key=lambda x: (order.get(x[0], 99), x[1])):
        a, b = old.get(ident), new.get(ident)
        rec = b or a
        assert rec is not None
        url = rec.fields.get("url") if rec.kind == "source" else None
        if a is None or b is None:
            out.append(
                RecordChange(
                    "added" if a is None else "removed",
                    rec.kind,
                    rec.key,
                    rec.country,
                    rec.file,
                    rec.sources_of(None),
                    rec.confidence_of(None),
                    url=url if isinstance(url, str) else None,
                )
            )
            continue
        changes = []
        for name in list(a.fields) + [k for k in b.fields if k not in a.fields]:
            va, vb = a.fields.get(name), b.fields.get(name)
            if _same(name, va, vb):
                continue
            if name in _MAPS and isinstance(va or {}, dict) and isinstance(vb or {}, dict):
                # field_sources / field_confidence: report the single fields whose entry changed
                da, db = va or {}, vb or {}
                for sub in list(da) + [k for k in db if k not in da]:
                    if not _same("sources", da.get(sub), db.get(sub)):
                        src = b if sub in db else a
                        changes.append(
                            FieldChange(
                                f"{name}.{sub}",
                                da.get(sub),
                                db.get(sub),
                                src.sources_of(sub),
                                src.confidence_of(sub),
                            )
                        )
                continue
            src = b if name in b.fields else a
            for sub, old_v, new_v in _elementwise(name, va, vb):
                changes.append(
                    FieldChange(sub, old_v, new_v, src.sources_of(name), src.confidence_of(name))
                )
        if changes:
            out.append(
                RecordChange(
                    "changed",
                    b.kind,
                    b.key,
                    b.country,
                    b.file,
                    b.sources_of(None),
                    b.confidence_of(None),
                    changes,
                    url=url if isinstance(url, str) else None,
                )
            )
    return _corrections(out, old, new)


# --------------------------------------------------------------------------------------------
# The derived effect
# --------------------------------------------------------------------------------------------


def _na(x: Any) -> Any:
    """A compared value: plain (:func:`analysis.model.values.plain`), floats to 6 decimals."""
    from analysis.model.values import plain  # pandas: only once a panel is compared

    x = plain(x)
    if isinstance(x, float):
        return round(x, 6)
    return x.item() if hasattr(x, "item") else x


def _runs(rows: list[tuple[str, str, int, Any]]) -> Iterator[tuple[str, str, int, int, Any]]:
    """Group (country, mechanism, year, payload) rows into runs of consecutive years."""
    rows = sorted(rows, key=lambda r: (r[0], r[1], r[2]))
    cur: list[Any] | None = None
    for c, m, y, p in rows:
        if cur and cur[0] == c and cur[1] == m and cur[3] == y - 1 and cur[4] == p:
            cur[3] = y
            continue
        if cur:
            yield cur[0], cur[1], cur[2], cur[3], cur[4]
        cur = [c, m, y, y, p]
    if cur:
        yield cur[0], cur[1], cur[2], cur[3], cur[4]


def panel_changes(old: Any, new: Any) -> list[CellChange]:
    """Runs of panel cells (country, mechanism, year) whose state changed, or that appeared or
    disappeared (a new jurisdiction); a panel extended by a year is not reported cell by cell."""
    keys = ["country", "year", "mechanism"]
    m = old.merge(new, on=keys, how="outer", suffixes=("_a", "_b"), indicator=True)
    common_years = set(old["year"]) & set(new["year"])
    m = m[m["year"].isin(common_years)]
    rows: list[tuple[str, str, int, Any]] = []
    for r in m.itertuples(index=False):
        sa, sb = _na(r.state_a), _na(r.state_b)
        if sa == sb:
            continue
        payload = (
            sa,
            sb,
            _na(r.confidence_a),
            _na(r.confidence_b),
            _na(r.sources_b) or "",
            _na(r.evidence_b),
        )
        rows.append((str(r.country), str(r.mechanism), int(r.year), payload))
    out = []
    for c, mech, s, e, (sa, sb, ca, cb, src, ev) in _runs(rows):
        ids = [x for x in str(src).split("; ") if x]
        out.append(CellChange(c, mech, s, e, sa, sb, ca, cb, ids, ev))
    return out


_INDEX_FIELDS = ("score", "low", "high", "rank", "rank_best", "rank_worst", "rank_label")


def _with_labels(index: Any) -> Any:
    """The index with ``rank_label`` (``=3`` for a shared rank) per year."""
    from analysis.measures.scoring import rank_labels

    out = index.copy()
    out["rank_label"] = ""
    for _, grp in out.groupby("year"):
        out.loc[grp.index, "rank_label"] = rank_labels(list(grp["rank"]))
    return out


def _moved(a: Any, b: Any) -> bool:
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return bool(a != b)
    return not math.isclose(a, b, abs_tol=1e-9)


def index_changes(old: Any, new: Any) -> list[IndexChange]:
    """Runs of years in which a jurisdiction's index score, bounds or ranks moved."""
    old, new = _with_labels(old), _with_labels(new)
    m = old.merge(new, on=["country", "year"], how="inner", suffixes=("_a", "_b"))
    rows: list[tuple[str, str, int, Any]] = []
    for r in m.to_dict("records"):
        a = {f: _na(r[f"{f}_a"]) for f in _INDEX_FIELDS}
        b = {f: _na(r[f"{f}_b"]) for f in _INDEX_FIELDS}
        moved = any(_moved(a[f], b[f]) for f in _INDEX_FIELDS)
        if moved:
            payload = (tuple(a.items()), tuple(b.items()))
            rows.append((str(r["country"]), "", int(r["year"]), payload))
    return [IndexChange(c, s, e, dict(pa), dict(pb)) for c, _m, s, e, (pa, pb) in _runs(rows)]


# --------------------------------------------------------------------------------------------
# Reading revisions and comparing
# --------------------------------------------------------------------------------------------


@dataclass
class _Loaded:
    side: Side
    base: Path  #: the project-like directory holding ``data/``
    dataset: Dataset
    problems: list[Problem]


def _load_side(rev: str | None, root: Path, tmp: Path, label: str | None = None) -> _Loaded:
    if rev is None:
        side = Side(_WORKTREE, None, None)
        base = root
        ddir = data_dir(root)
    else:
        commit = release.resolve(rev, root)
        side = Side(label or rev, rev, commit)
        base = tmp / commit[:12]
        base.mkdir(parents=True, exist_ok=True)
        ddir = release.export_data(commit, base, root)
    dataset, problems = validate_files([ddir])
    if rev is not None:  # name the files as in the repository, not in the temporary copy
        prefix = str(base.resolve()) + "/"
        problems = [replace(p, file=p.file.removeprefix(prefix)) for p in problems]
    side.problems = [str(p) for p in problems[:5]]
    return _Loaded(side, base, dataset, problems)


def _tables(loaded: _Loaded) -> Any:
    from analysis.model.load import build_tables, data_hash

    return build_tables(loaded.dataset, data_hash(root=loaded.base / "data"))


def compare(
    rev_a: str | None = None,
    rev_b: str | None = None,
    root: Path | None = None,
    effect: bool = True,
) -> DataDiff:
    """Compare revision ``rev_a`` (default: the last release) with ``rev_b`` (default: the working
    tree). ``effect=False`` skips the panel and index (faster)."""
    from analysis.measures.panel import adoption_panel
    from analysis.measures.scoring import multisee_index
    from analysis.measures.selection import complete_year

    root = root or project_root()
    if not release.is_repository(root):
        raise UserError(f"{root} is not a git repository: there are no revisions to compare")
    notes: list[str] = []
    label_a = why = None
    if rev_a is None:
        rel_ = release.last_release(root)
        rev_a, label_a, why = rel_.rev, rel_.label, rel_.why
    with tempfile.TemporaryDirectory(prefix="multisee-diff-") as tmpdir:
        tmp = Path(tmpdir)
        la = _load_side(rev_a, root, tmp, label_a)
        la.side.note = why or f"base: {rev_a}, as given"
        lb = _load_side(rev_b, root, tmp)
        ra, rb = records(la.dataset, la.base), records(lb.dataset, lb.base)
        out = DataDiff(la.side, lb.side, diff_records(ra, rb), notes=notes)
        if not effect:
            out.effect = False
            return out
        bad = [ld for ld in (la, lb) if ld.problems]
        if bad:
            ld = bad[0]
            out.effect = False
            out.notes.append(
                f"derived effect not computed: the data at {ld.side.label} do not validate with"
                " this version's schema"
                f" ({len(ld.problems)} problem(s); first: {ld.problems[0]})"
            )
            return out
        ta, tb = _tables(la), _tables(lb)
        pa, pb = adoption_panel(ta), adoption_panel(tb)
        out.cells = panel_changes(pa, pb)
        out.index = index_changes(multisee_index(pa), multisee_index(pb))
        out.year = complete_year(tb)
        ya, yb = int(pa["year"].max()), int(pb["year"].max())
        if ya != yb:
            out.notes.append(f"the panel now runs to {yb} (was {ya}); only common years compared")
    return out


def changes_since_release(
    country: str | None = None, root: Path | None = None, effect: bool = True
) -> DataDiff:
    """The changes since the last release (working tree vs :func:`release.last_release`), for the
    whole dataset or one jurisdiction. Never raises for a missing repository or release: the
    result is then ``available=False`` with a note, so a page can say so."""
    try:
        d = compare(None, None, root=root, effect=effect)
    except UserError as exc:
        d = DataDiff(
            Side("last release", None, None), Side(_WORKTREE, None, None), notes=[str(exc)]
        )
        d.available = False
        d.effect = False
    return d.for_country(country) if country else d


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

FORMATS = ("text", "markdown", "json", "changelog", "html")


def _short(value: Any, width: int = 70) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        text = "[" + ", ".join(_short(v, 1000) for v in value) + "]"
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _prov(sources: list[str], confidence: str | None) -> str:
    ids = ", ".join(sources) if sources else "no source"
    return f"{confidence or '?'}: {ids}"


def _fmt_num(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _index_text(i: IndexChange) -> str:
    o, n = i.old, i.new
    parts = []
    if _moved(o["score"], n["score"]):
        parts.append(f"score {_fmt_num(o['score'])} → {_fmt_num(n['score'])}")
    if _moved(o["low"], n["low"]) or _moved(o["high"], n["high"]):
        parts.append(
            f"bounds {_fmt_num(o['low'])}–{_fmt_num(o['high'])} →"
            f" {_fmt_num(n['low'])}–{_fmt_num(n['high'])}"
        )
    if o.get("rank_label") != n.get("rank_label") or o["rank"] != n["rank"]:
        ro = o.get("rank_label") or _fmt_num(o["rank"])
        rn = n.get("rank_label") or _fmt_num(n["rank"])
        parts.append(f"rank {ro} → {rn}")
    if (o["rank_best"], o["rank_worst"]) != (n["rank_best"], n["rank_worst"]):
        parts.append(
            f"rank interval {_fmt_num(o['rank_best'])}–{_fmt_num(o['rank_worst'])} →"
            f" {_fmt_num(n['rank_best'])}–{_fmt_num(n['rank_worst'])}"
        )
    return "; ".join(parts)


def _cell_prov(c: CellChange) -> str:
    what = [c.new_confidence, "weak evidence" if c.new_evidence == "weak" else None]
    return ", ".join(x for x in what if x)


def _cell_text(c: CellChange) -> str:
    prov = _cell_prov(c)
    return f"{c.old_state or '(no cell)'} → {c.new_state or '(no cell)'}" + (
        f" ({prov})" if prov else ""
    )


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _headline(d: DataDiff) -> str:
    n = d.counts()
    records = (
        f"{_n(n['added'] + n['changed'] + n['removed'], 'record')} changed"
        f" ({n['added']} added, {n['changed']} corrected, {n['removed']} removed)"
    )
    if d.country and not d.records:
        records = f"no record of {d.country} changed"
    parts = [records]
    if d.effect:
        parts.append(f"{_n(n['cells'], 'panel cell')} changed state")
        if d.country:
            years = sorted({i.years for i in d.index if i.rank_moved})
            moved = f"its index rank moved in {', '.join(years)}" if years else "no rank moved"
            if years and not d.records:
                moved += " (because of changes elsewhere)"
            parts.append(moved)
        else:
            parts.append(f"index ranks moved for {_n(n['rank_moves'], 'jurisdiction')}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _title(d: DataDiff) -> str:
    return f"Data changes: {d.a.label} → {d.b.label}"


def _is_prov(name: str) -> bool:
    return name in ("sources", "confidence") or name.split(".")[0] in _MAPS


def _record_prov(r: RecordChange) -> str:
    if r.url:
        return r.url
    return _prov(r.sources, r.confidence) if r.confidence else ""


def _field_prov(f: FieldChange) -> str:
    return "" if _is_prov(f.field) or not f.confidence else _prov(f.sources, f.confidence)


def render_text(d: DataDiff, limit: int = 40) -> str:
    out = [_title(d), *([d.a.note] if d.a.note else []), *[f"note: {n}" for n in d.notes]]
    if not d.available:
        return "\n".join(out) + "\n"
    out.append(_headline(d))
    if d.empty:
        out.append("no changes")
        return "\n".join(out) + "\n"
    mark = {"added": "+", "removed": "-", "changed": "~"}
    if d.records:
        out += ["", "records (+ added, - removed, ~ changed)  [confidence: sources]"]
    for r in d.records:
        where = f" ({r.country})" if r.country else ""
        prov = _record_prov(r) if r.change != "changed" else ""
        out.append(
            f"  {mark[r.change]} {r.label}{where}  {r.file}" + (f"  [{prov}]" if prov else "")
        )
        for f in r.fields:
            fp = _field_prov(f)
            out.append(
                f"      {f.field}: {_short(f.old)} → {_short(f.new)}" + (f"  [{fp}]" if fp else "")
            )
    if d.cells:
        out.append("")
        out.append("adoption panel: cells whose state changed")
        for c in d.cells[:limit]:
            out.append(f"  {c.country} {c.mechanism} {c.years}: {_cell_text(c)}")
        if len(d.cells) > limit:
            out.append(f"  … and {len(d.cells) - limit} more (use --format json)")
    if d.index:
        out.append("")
        out.append("Multi-SEE index: scores and ranks that moved")
        for i in d.index[:limit]:
            star = " *" if d.year is not None and i.start <= d.year <= i.end else ""
            out.append(f"  {i.country} {i.years}{star}: {_index_text(i)}")
        if len(d.index) > limit:
            out.append(f"  … and {len(d.index) - limit} more (use --format json)")
        if d.year is not None and any(i.start <= d.year <= i.end for i in d.index):
            out.append(f"  (* includes {d.year}, the latest complete data year)")
    return "\n".join(out) + "\n"


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(d: DataDiff, limit: int = 60) -> str:
    out = [f"## {_title(d)}", ""]
    notes = ([d.a.note] if d.a.note else []) + d.notes
    out += [f"> {n}" for n in notes] + ([""] if notes else [])
    if not d.available:
        return "\n".join(out)
    out += [f"**{_headline(d)}**", ""]
    if d.empty:
        return "\n".join([*out, "No changes.", ""])
    if d.records:
        out += [
            "### Records",
            "",
            "| change | record | jurisdiction | field | before | after | confidence: sources |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in d.records:
            rec = f"{KINDS.get(r.kind, r.kind)} `{_md(r.key)}`"
            if r.change != "changed":
                prov = _record_prov(r)
                out.append(f"| {r.change} | {rec} | {r.country or ''} | | | | {_md(prov)} |")
            for f in r.fields:
                out.append(
                    f"| changed | {rec} | {r.country or ''} | `{f.field}` | {_md(_short(f.old))}"
                    f" | {_md(_short(f.new))} | {_md(_field_prov(f))} |"
                )
        out.append("")
    if d.effect and d.cells:
        out += [
            "### Effect on the adoption panel",
            "",
            "| jurisdiction | mechanism | years | before | after | confidence |",
            "|---|---|---|---|---|---|",
        ]
        for c in d.cells[:limit]:
            out.append(
                f"| {c.country} | {c.mechanism} | {c.years} | {c.old_state or '(no cell)'}"
                f" | {c.new_state or '(no cell)'} | {_cell_prov(c)} |"
            )
        if len(d.cells) > limit:
            out.append(f"\n… and {len(d.cells) - limit} more runs of cells.")
        out.append("")
    if d.effect and d.index:
        out += [
            "### Effect on the Multi-SEE index",
            "",
            "| jurisdiction | years | what moved |",
            "|---|---|---|",
        ]
        for i in d.index[:limit]:
            star = " (latest complete year)" if d.year and i.start <= d.year <= i.end else ""
            out.append(f"| {i.country} | {i.years}{star} | {_md(_index_text(i))} |")
        if len(d.index) > limit:
            out.append(f"\n… and {len(d.index) - limit} more.")
        out.append("")
    return "\n".join(out)


def render_changelog(d: DataDiff, version: str | None = None) -> str:
    """The "data changes" section for ``CHANGELOG.md``."""
    out = [f"### Data changes since {d.a.label}", ""]
    if not d.available:
        return "\n".join([*out, *[f"- {n}" for n in d.notes], ""])
    if d.empty:
        return "\n".join([*out, "- None.", ""])
    groups = [("added", "Added"), ("changed", "Corrected or completed"), ("removed", "Removed")]
    for change, title in groups:
        recs = [r for r in d.records if r.change == change]
        if not recs:
            continue
        out.append(f"{title}:")
        out.append("")
        for r in recs:
            where = f" ({r.country})" if r.country else ""
            what = f"{KINDS.get(r.kind, r.kind)} `{r.key}`{where}"
            if change == "changed":
                fields = ", ".join(
                    f"`{f.field}` {_short(f.old, 30)} → {_short(f.new, 30)}" for f in r.fields
                )
                out.append(f"- {what}: {fields}")
            elif r.kind == "source":
                out.append(f"- {what}: {r.url or ''}")
            else:
                prov = _record_prov(r)
                out.append(f"- {what}" + (f", {prov}" if prov else ""))
        out.append("")
    if d.effect:
        n = d.counts()
        movers = sorted({i.country for i in d.index if i.rank_moved})
        out.append(
            f"Effect: {_n(n['cells'], 'adoption-panel cell')} changed state"
            + (
                f"; index ranks moved for {', '.join(movers)}"
                if movers
                else "; no index rank moved"
            )
            + "."
        )
        out.append("")
    bump = d.bump()
    if version and bump != "none":
        out.append(
            f"Version: {bump} bump from {version} ({'new facts' if bump == 'minor' else 'corrections only'};"
            " a renamed or removed column also bumps the minor version while < 1.0)."
        )
        out.append("")
    return "\n".join(out)


def field_words(path: str) -> str:
    """A field path as a reader says it: ``field_sources.manager_since`` → "sources of manager
    since", ``editions.2016.url`` → "url of editions 2016"."""
    parts = [p.replace("_", " ") for p in str(path).split(".")]
    if parts[0] == "field sources" and len(parts) > 1:
        return "sources of " + " ".join(parts[1:])
    return " of ".join([parts[-1], " ".join(parts[:-1])]) if len(parts) > 1 else parts[0]


def _in_words(value: Any) -> Any:
    """A value for a page: a mapping as "key: value; ..." (never JSON), a list joined."""
    if isinstance(value, dict):
        return "; ".join(
            f"{field_words(k)}: {_short(_in_words(v), 1000)}" for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(_short(_in_words(v), 1000) for v in value)
    return value


def render_html(d: DataDiff, limit: int = 20, all_years: bool = False) -> str:
    """A self-contained HTML fragment (no scripts, no external resources) for a page: the index
    moves of the latest complete year only, unless ``all_years``."""
    e = html.escape
    since = e(d.a.label)
    head = f"<h2>Changes since {since}</h2>"
    if not d.available:
        note = e(d.notes[0]) if d.notes else "not available"
        return f'<section class="multisee-changes">{head}<p>Not available: {note}</p></section>\n'
    parts = ['<section class="multisee-changes">', head, f"<p>{e(_headline(d))}.</p>"]
    if d.empty:
        parts.append("<p>No changes.</p>")
    if d.records:
        parts.append('<ul class="records">')
        for r in d.records[:limit]:
            fields = ", ".join(
                f"{e(field_words(f.field))} {e(_short(_in_words(f.old), 40))} →"
                f" {e(_short(_in_words(f.new), 40))}"
                for f in r.fields
            )
            prov = e(_record_prov(r))
            parts.append(
                f"<li>{e(r.change)}: {e(KINDS.get(r.kind, r.kind))} <code>{e(r.key)}</code>"
                + (f": {fields}" if fields else (f" <small>({prov})</small>" if prov else ""))
                + "</li>"
            )
        if len(d.records) > limit:
            parts.append(f"<li>… and {len(d.records) - limit} more</li>")
        parts.append("</ul>")
    if d.cells:
        parts.append('<p>Adoption panel:</p><ul class="cells">')
        for c in d.cells[:limit]:
            parts.append(
                f"<li>{e(c.country)} {e(c.mechanism)} {e(c.years)}: {e(_cell_text(c))}</li>"
            )
        if len(d.cells) > limit:
            parts.append(f"<li>… and {len(d.cells) - limit} more</li>")
        parts.append("</ul>")
    if d.index:
        latest = [i for i in d.index if d.year is not None and i.start <= d.year <= i.end]
        if all_years:
            latest = []
        shown = latest or d.index[: limit if not all_years else None]
        label = f"Multi-SEE index in {d.year}:" if latest else "Multi-SEE index:"
        parts.append(f'<p>{e(label)}</p><ul class="index">')
        for i in shown[:limit]:
            parts.append(f"<li>{e(i.country)} {e(i.years)}: {e(_index_text(i))}</li>")
        parts.append("</ul>")
    for n in d.notes:
        parts.append(f'<p class="note"><small>{e(n)}</small></p>')
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def render_page(d: DataDiff) -> str:
    """A whole HTML page (doctype, charset, title; no scripts, no external resources) with every
    record, every panel run and the index moves of all years (``multisee diff --format html``)."""
    e = html.escape
    body = render_html(d, limit=10**9, all_years=True).replace(
        f"<h2>Changes since {e(d.a.label)}</h2>", f"<h1>{e(_title(d))}</h1>", 1
    )
    base = f"<p><small>{e(d.a.note)}</small></p>\n" if d.a.note else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(_title(d))}</title>\n</head>\n<body>\n{base}{body}</body>\n</html>\n"
    )


def render(d: DataDiff, fmt: str = "text", version: str | None = None) -> str:
    if fmt == "text":
        return render_text(d)
    if fmt == "markdown":
        return render_markdown(d)
    if fmt == "json":
        return json.dumps(d.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "changelog":
        return render_changelog(d, version)
    if fmt == "html":
        return render_page(d)
    raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def render_changes(d: DataDiff, fmt: str = "html") -> str:
    """A short summary of :func:`changes_since_release` for a page: ``html`` or ``markdown``."""
    if fmt == "html":
        return render_html(d)
    if fmt == "markdown":
        return render_markdown(d, limit=20)
    raise UserError(f"format must be html or markdown, not {fmt!r}")
