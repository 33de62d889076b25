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

:func:`changes_since_release` is the entry point for pages: the changes since the last release
(:func:`analysis.model.release.last_release`), for the whole dataset or one jurisdiction
(:meth:`DataDiff.for_country`). The diff is rendered (text, Markdown, JSON, the changelog section,
an HTML fragment or page) by :mod:`analysis.products.diff_render`.
"""

from __future__ import annotations

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
FIELD_MAPS = frozenset({"field_sources", "field_confidence"})
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
            if name in FIELD_MAPS and isinstance(va or {}, dict) and isinstance(vb or {}, dict):
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


def moved(a: Any, b: Any) -> bool:
    """Whether an index value moved (numbers: beyond rounding noise)."""
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
        if any(moved(a[f], b[f]) for f in _INDEX_FIELDS):
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
