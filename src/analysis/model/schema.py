"""The country-data schema: every table, field and enumerated code, with its meaning.

This module is the single definition of the data. The validator (``analysis.model.validate``) checks files
against it, the loader (``analysis.model.load``) flattens it into tables, and the codebook
(``docs/codebook.md``) is generated from the descriptions written here. Each enumerated code carries
its definition in ``CODES``; change a definition here and the codebook follows.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from analysis.model.vocab import CODES, MAX_YEAR, MIN_YEAR


def _lit(name: str) -> Any:
    """``Literal[...]`` of a code list (pydantic validates it; the catalogue reads its values)."""
    return Literal[tuple(CODES[name])]


# The type checker sees every code as ``str``; at run time each is the ``Literal`` of its codes.
if TYPE_CHECKING:
    AbsenceFindingCode = str
    ActorCode = str
    BodyRoleCode = str
    BodyScopeCode = str
    BodyStatusCode = str
    BodyTypeCode = str
    CctldStatusCode = str
    CollapseCode = str
    Confidence = str
    DimensionCode = str
    EditionFormatCode = str
    EuStatusCode = str
    EventType = str
    InitiativeKindCode = str
    InitiativeStatusCode = str
    LegalBasisCode = str
    LegalForm = str
    MechanismCode = str
    Membership = str
    OrganiserRoleCode = str
    PauseTypeCode = str
    ReliabilityCode = str
    ScopeRoleCode = str
    SourceKindCode = str
    StakeholderGroup = str
    SubregionCode = str
    Tri = str
    TriU = str
else:
    AbsenceFindingCode = _lit("absence_finding")
    ActorCode = _lit("actor")
    BodyRoleCode = _lit("body_role")
    BodyScopeCode = _lit("body_scope")
    BodyStatusCode = _lit("body_status")
    BodyTypeCode = _lit("body_type")
    CctldStatusCode = _lit("cctld_status")
    CollapseCode = _lit("collapse")
    Confidence = _lit("confidence")
    DimensionCode = _lit("dimension")
    EditionFormatCode = _lit("edition_format")
    EuStatusCode = _lit("eu_status")
    EventType = _lit("event_type")
    InitiativeKindCode = _lit("initiative_kind")
    InitiativeStatusCode = _lit("initiative_status")
    LegalBasisCode = _lit("legal_basis")
    LegalForm = _lit("legal_form")
    MechanismCode = _lit("mechanism")
    Membership = _lit("membership")
    OrganiserRoleCode = _lit("organiser_role")
    PauseTypeCode = _lit("pause_type")
    ReliabilityCode = _lit("reliability")
    ScopeRoleCode = _lit("scope_role")
    SourceKindCode = _lit("source_kind")
    StakeholderGroup = _lit("stakeholder_group")
    SubregionCode = _lit("subregion")
    Tri = _lit("tri")
    TriU = _lit("tri_unknown")

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description="A year (integer).")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_date(value: str) -> str:
    """A date given as a string: YYYY, YYYY-MM or YYYY-MM-DD, year within the allowed range."""
    m = _DATE_RE.match(value)
    if not m:
        raise ValueError(f"'{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}..{MAX_YEAR}")
    parts = [int(p) for p in m.groups() if p is not None]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a valid date ({exc})") from None
    return value


def date_year(value: str | None) -> int | None:
    return int(value[:4]) if value else None


DateStr = Annotated[str, AfterValidator(check_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class Conflict(Strict):
    """An alternative value for one field of the record, kept with its own sources. The record's
    own value is the preferred one; `note` says why this one is not preferred."""

    field: str = Field(description="Name of the field of this record the alternative is for.")
    value: str | int | bool | None = Field(description="The alternative value.")
    sources: list[str] = Field(
        description="Source ids for the alternative value (empty only when it is recalled)."
    )
    confidence: Confidence = Field(description="Confidence in the alternative value.")
    note: str | None = Field(default=None, description="Why the record's value is preferred.")

    @model_validator(mode="after")
    def _cited(self) -> Conflict:
        if not self.sources and self.confidence != "recalled":
            raise ValueError(
                f"sources: must not be empty for a {self.confidence} alternative (only a"
                " recalled one may cite no source)"
            )
        return self


class Fact(Strict):
    """A fact-bearing record: every one carries its sources and a confidence."""

    sources: list[str] = Field(
        description=(
            "Ids of the sources (see the `sources` table) the record rests on; empty only for a"
            " `recalled` record (no source a reader could open)."
        ),
    )
    confidence: Confidence = Field(
        description="How the record's facts are known: sourced, inferred or recalled."
    )
    notes: str | None = Field(default=None, description="Free-text notes and coding reasoning.")
    conflicts: list[Conflict] = Field(
        default_factory=list, description="Alternative values found in other sources."
    )
    field_sources: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Sources for single fields whose sources differ from the record's.",
    )
    field_confidence: dict[str, Confidence] = Field(
        default_factory=dict,
        description="Confidence for single fields whose confidence differs from the record's.",
    )

    @model_validator(mode="after")
    def _check_field_maps(self) -> Fact:
        if not self.sources and not self._may_cite_nothing():
            raise ValueError(
                f"sources: must not be empty for a {self.confidence} record (only a recalled"
                " record, or a not_found absence that lists its searches, may cite no source)"
            )
        for key, ids in self.field_sources.items():
            if not ids and self.confidence_of(key) != "recalled":
                raise ValueError(
                    f"field_sources: '{key}' cites no source, so field_confidence.{key} must be"
                    " recalled"
                )
        names = set(type(self).model_fields) - set(Fact.model_fields)
        for mapname in ("field_sources", "field_confidence"):
            for key in getattr(self, mapname):
                if key not in names:
                    raise ValueError(f"{mapname}: '{key}' is not a field of this record")
        for c in self.conflicts:
            if c.field not in names:
                raise ValueError(f"conflicts: '{c.field}' is not a field of this record")
        return self

    def _may_cite_nothing(self) -> bool:
        return self.confidence == "recalled"

    def confidence_of(self, field: str) -> str:
        return self.field_confidence.get(field, self.confidence)

    def sources_of(self, field: str) -> list[str]:
        return self.field_sources.get(field, self.sources)


class EUStatus(Fact):
    value: EuStatusCode = Field(description="Relation to the European Union.")
    since: int | None = Field(
        default=None,
        ge=1950,
        le=MAX_YEAR,
        description="Year the status was obtained (EU accession may predate 1985).",
    )


class DomainCount(Fact):
    count: int = Field(ge=0, description="Number of registered domain names.")
    as_of: DateStr = Field(description="Date (YYYY, YYYY-MM or YYYY-MM-DD) the count refers to.")


class Event(Fact):
    date: DateStr = Field(description="Date of the event (YYYY, YYYY-MM or YYYY-MM-DD).")
    type: EventType = Field(description="What happened.")
    from_manager: str | None = Field(default=None, description="Manager before the event.")
    to_manager: str | None = Field(default=None, description="Manager after the event.")
    manager_multistakeholder: Tri | None = Field(
        default=None,
        description="Multistakeholder coding of the manager after the event (for the adoption panel).",
    )
    description: str = Field(description="What happened, in one sentence.")


class CcTLD(Fact):
    """One ccTLD or IDN ccTLD delegated to the jurisdiction, with its manager as listed by IANA."""

    tld: str = Field(
        description="The TLD in Unicode, lower case, without the dot (e.g. `rs`, `срб`)."
    )
    idn: bool = Field(description="True for an internationalised (non-ASCII) ccTLD.")
    status: CctldStatusCode = Field(default="active", description="Whether delegated today.")
    manager: str = Field(description="Manager (sponsoring organisation) as listed by IANA.")
    manager_local: str | None = Field(
        default=None, description="Manager's name in the local language."
    )
    registry_operator: str | None = Field(
        default=None, description="Organisation running registry operations, if not the manager."
    )
    legal_form: LegalForm = Field(description="Legal form of the manager.")
    multistakeholder: Tri = Field(
        description="Whether the manager is run on a multistakeholder model."
    )
    ms_rationale: str = Field(description="The facts the multistakeholder coding rests on.")
    manager_since: Year | None = Field(
        default=None, description="Year the current manager took over."
    )
    manager_by: Year | None = Field(
        default=None,
        description=(
            "A sourced bound when `manager_since` is unknown: the current manager held the TLD in"
            " this year at the latest (it took over no later than this year)."
        ),
    )
    delegated: DateStr | None = Field(
        default=None, description="Date the TLD was first delegated/introduced."
    )
    centr: Membership = Field(default="unknown", description="Manager is a CENTR member.")
    ccnso: Membership = Field(default="unknown", description="Manager is a ccNSO member.")
    hosts_igf: TriU = Field(
        default="unknown", description="Manager hosts, organises or funds the national IGF."
    )
    website: str | None = Field(default=None, description="Registry website (host name).")
    domains: list[DomainCount] = Field(
        default_factory=list, description="Domain counts with dates."
    )
    events: list[Event] = Field(default_factory=list, description="Dated delegation history.")

    @field_validator("tld")
    @classmethod
    def _tld(cls, v: str) -> str:
        if v.startswith(".") or v != v.lower() or not v or " " in v:
            raise ValueError(f"'{v}' must be the TLD in lower case without the dot")
        return v

    @model_validator(mode="after")
    def _idn(self) -> CcTLD:
        if self.manager_by is not None and self.manager_since is not None:
            if self.manager_by < self.manager_since:
                raise ValueError(
                    f"manager_by: {self.manager_by} is before manager_since {self.manager_since}"
                )
        if self.idn != (not self.tld.isascii()):
            raise ValueError(
                f"idn is {self.idn} but '{self.tld}' is {'not ' if self.tld.isascii() else ''}non-ASCII"
            )
        return self


class Organiser(Strict):
    name: str = Field(description="Organisation name.")
    group: StakeholderGroup = Field(default="unknown", description="Its stakeholder group.")
    role: OrganiserRoleCode = Field(default="co_organiser", description="Its role.")
    years: list[Year] = Field(
        default_factory=list, description="Years the role is sourced for (empty: unspecified)."
    )


class Edition(Fact):
    year: Year = Field(description="Year the edition was held.")
    number: int | None = Field(default=None, ge=1, description="Ordinal of the edition, as stated.")
    date: DateStr | None = Field(default=None, description="Date (YYYY-MM or YYYY-MM-DD).")
    city: str | None = Field(default=None, description="City (None for online editions).")
    host_country: CountryCode | None = Field(
        default=None, description="Host country (regional initiatives)."
    )
    format: EditionFormatCode = Field(default="unknown", description="In person, online or hybrid.")
    venue: str | None = Field(default=None, description="Venue.")
    participants: int | None = Field(
        default=None, ge=0, description="Number of participants, as stated."
    )

    @model_validator(mode="after")
    def _date_year(self) -> Edition:
        if self.date and int(self.date[:4]) != self.year:
            raise ValueError(f"date {self.date} is not in year {self.year}")
        return self


class Pause(Fact):
    """Years in which a source says an initiative did not meet, paused, or from which it ended."""

    type: PauseTypeCode = Field(description="Not held, paused, or ended.")
    start: Year = Field(description="First year of the pause (or the year it ended).")
    end: Year | None = Field(
        default=None,
        description=(
            "Last year of the pause, inclusive; empty for an open pause (still paused at the"
            " initiative's `status_confirmed`) and for `ended`."
        ),
    )
    description: str = Field(description="What the source says, in one sentence.")

    @model_validator(mode="after")
    def _span(self) -> Pause:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end: {self.end} is before start {self.start}")
        if self.type == "ended" and self.end is not None:
            raise ValueError("end: an ended initiative has no end to its pause; leave it empty")
        return self

    def covers(self, year: int, until: int | None) -> bool:
        """Whether ``year`` falls in the pause (an open pause runs to ``until``)."""
        if self.type == "ended":
            return year >= self.start
        last = self.end if self.end is not None else until
        return self.start <= year and (last is None or year <= last)


class Member(Strict):
    group: StakeholderGroup = Field(description="Stakeholder group.")
    seats: int | None = Field(
        default=None, ge=0, description="Seats or members (None: present, count unknown)."
    )
    note: str | None = Field(default=None, description="Who, as sourced.")


def _one_entry_per_group(members: list[Member]) -> list[Member]:
    """A composition lists each stakeholder group once (the table's key is body and group)."""
    seen: set[str] = set()
    for i, m in enumerate(members):
        if m.group in seen:
            raise ValueError(
                f"[{i}].group: {m.group!r} is listed twice; put what the sources say of it in one"
                " entry's note"
            )
        seen.add(m.group)
    return members


#: A composition by stakeholder group: one entry per group.
Composition = Annotated[list[Member], AfterValidator(_one_entry_per_group)]


class IGFInitiative(Fact):
    id: Slug = Field(description="Unique id, e.g. `rs-igf`.")
    kind: InitiativeKindCode = Field(description="National, youth or regional.")
    name: str = Field(description="Name in English.")
    name_local: str | None = Field(default=None, description="Name in the local language.")
    acronym: str | None = Field(default=None, description="Acronym.")
    established: Year | None = Field(
        default=None,
        description="Year established, as stated by the IGF Secretariat or the initiative.",
    )
    first_year: Year | None = Field(default=None, description="Year of the first edition found.")
    organisers: list[Organiser] = Field(
        default_factory=list, description="Organisers and their roles."
    )
    ms_committee: TriU = Field(
        default="unknown", description="Organised by a multistakeholder committee."
    )
    committee: Composition = Field(
        default_factory=list, description="Organising committee composition by stakeholder group."
    )
    recognised: TriU = Field(
        default="unknown", description="Recognised by the IGF Secretariat as an NRI."
    )
    recognised_year: Year | None = Field(
        default=None, description="Year of recognition, if stated."
    )
    status: InitiativeStatusCode = Field(default="unknown", description="Current status.")
    status_confirmed: Year | None = Field(
        default=None,
        description=(
            "Latest year for which a source confirms `status` (for `active`: the latest edition's"
            " year)."
        ),
    )
    pauses: list[Pause] = Field(
        default_factory=list,
        description="Years a source says it did not meet, paused, or ended.",
    )
    website: str | None = Field(default=None, description="Website (host name).")
    region: str | None = Field(
        default=None, description="Region served (regional initiatives only)."
    )
    editions: list[Edition] = Field(
        default_factory=list, description="Editions found, one per year."
    )

    @model_validator(mode="after")
    def _editions(self) -> IGFInitiative:
        seen: set[int] = set()
        for i, e in enumerate(self.editions):
            if self.first_year is not None and e.year < self.first_year:
                raise ValueError(
                    f"editions[{i}].year: {e.year} is before the initiative's first_year {self.first_year}"
                )
            if e.year in seen:
                raise ValueError(f"editions[{i}].year: {e.year} appears twice")
            seen.add(e.year)
        if self.editions and self.first_year is None:
            raise ValueError("first_year: required when editions are listed")
        self._check_numbers()
        self._check_pauses()
        self._check_status()
        return self

    def _check_numbers(self) -> None:
        """Ordinals must be consistent: one edition a year at most, numbers rising with years."""
        numbered = sorted(
            (e.year, e.number, i) for i, e in enumerate(self.editions) if e.number is not None
        )
        for (y1, n1, _), (y2, n2, j) in itertools.pairwise(numbered):
            if n2 <= n1:
                raise ValueError(
                    f"editions[{j}].number: {n2} in {y2} contradicts number {n1} in {y1}"
                    " (numbers must rise with the years)"
                )
            if n2 - n1 > y2 - y1:
                raise ValueError(
                    f"editions[{j}].number: {n2} in {y2} contradicts number {n1} in {y1}"
                    f" ({n2 - n1} editions in {y2 - y1} years, at most one a year)"
                )

    def _check_pauses(self) -> None:
        held = {e.year for e in self.editions}
        for i, p in enumerate(self.pauses):
            hit = sorted(y for y in held if p.covers(y, self.status_confirmed))
            if hit:
                raise ValueError(
                    f"pauses[{i}].start: the {p.type} pause from {p.start} overlaps the edition"
                    f" held in {hit[0]}"
                )

    def _check_status(self) -> None:
        sc = self.status_confirmed
        if self.status in ("active", "dormant", "ended") and sc is None:
            raise ValueError(f"status_confirmed: required for status {self.status}")
        if sc is None:
            return
        held = {e.year for e in self.editions}
        if self.status == "active" and sc not in held:
            raise ValueError(
                f"status: active needs an edition in status_confirmed ({sc}); none is listed"
            )
        if self.status == "active" and held and sc != max(held):
            raise ValueError(
                f"status_confirmed: {sc} is not the latest edition's year ({max(held)})"
            )
        if self.status == "dormant" and not any(
            p.type != "ended" and p.covers(sc, sc) for p in self.pauses
        ):
            raise ValueError(
                f"status: dormant needs a pauses record covering status_confirmed ({sc})"
            )
        if self.status == "ended" and not any(
            p.type == "ended" and p.start <= sc for p in self.pauses
        ):
            raise ValueError(f"status: ended needs a pauses record of type ended starting by {sc}")


class MSBody(Fact):
    id: Slug = Field(description="Unique id, e.g. `bg-public-council`.")
    name: str = Field(description="Name in English.")
    name_local: str | None = Field(default=None, description="Name in the local language.")
    type: BodyTypeCode = Field(description="Kind of body.")
    role: BodyRoleCode = Field(default="unknown", description="What it does.")
    established: DateStr | None = Field(
        default=None, description="Date established (YYYY[-MM[-DD]])."
    )
    ended: DateStr | None = Field(default=None, description="Date ended or replaced, if so.")
    legal_basis: LegalBasisCode = Field(description="The act it rests on.")
    legal_basis_ref: str | None = Field(default=None, description="The act's number and title.")
    convenor: str | None = Field(default=None, description="Who convenes or chairs it.")
    scope: BodyScopeCode = Field(
        description=(
            "Its remit: `national_policy` bodies form the national-body mechanism; `single_issue`"
            " bodies are recorded but excluded from it by rule (inclusion rule in the codebook)."
        )
    )
    multistakeholder: TriU = Field(
        description=(
            "Whether its membership spans stakeholder groups (same rule as ccTLDs); `unknown` where"
            " the composition was not found (never a reason to leave a body out)."
        )
    )
    composition: Composition = Field(
        default_factory=list, description="Composition by stakeholder group (one entry per group)."
    )
    size: int | None = Field(default=None, ge=0, description="Number of members, as stated.")
    status: BodyStatusCode = Field(default="unknown", description="Status.")
    status_as_of: Year | None = Field(default=None, description="Year the status refers to.")
    last_evidenced: Year | None = Field(
        default=None,
        description=(
            "Latest year a cited source (published in or after that year) dates the body's activity"
            " (a meeting, a decision, a membership list); empty where only its founding is dated."
        ),
    )
    successor: str | None = Field(default=None, description="Id of the body that replaced it.")
    website: str | None = Field(default=None, description="Website (host name).")

    @model_validator(mode="after")
    def _ended(self) -> MSBody:
        if self.ended and self.established and self.ended[:4] < self.established[:4]:
            raise ValueError(f"ended {self.ended} is before established {self.established}")
        return self


class Assessment(Fact):
    mechanism_id: str = Field(
        description="Id of the mechanism: a ccTLD (`tld`), IGF initiative or body `id`."
    )
    dimension: DimensionCode = Field(description="Seed question or BPF 2014 characteristic.")
    value: TriU | None = Field(
        default=None, description="Coding for `bpf_*` dimensions (yes/partly/no/unknown)."
    )
    actors: list[ActorCode] = Field(
        default_factory=list, description="Regional/international actors involved (external_role)."
    )
    text: str = Field(description="The answer or evidence, in the coder's words.")

    @model_validator(mode="after")
    def _value(self) -> Assessment:
        if self.dimension.startswith("bpf_") and self.value is None:
            raise ValueError(f"value: required for dimension {self.dimension}")
        if not self.dimension.startswith("bpf_") and self.value is not None:
            raise ValueError(f"value: only bpf_* dimensions take a value, not {self.dimension}")
        return self


class Search(Strict):
    """One search made for a mechanism that was not found, so that the gap can be audited."""

    query: str = Field(description="The words searched for, as typed.")
    looked_at: str = Field(description="The kinds of sources looked at (sites, archives, news).")
    date: DateStr = Field(description="When the search was made.")


class Absence(Fact):
    mechanism: MechanismCode = Field(description="Which mechanism is absent.")
    finding: AbsenceFindingCode = Field(description="A sourced absence, or not found (unknown).")
    text: str = Field(description="What was searched or what the source says.")
    searched: list[Search] = Field(
        default_factory=list,
        description="The searches that found nothing (for `not_found`), so a gap can be audited.",
    )

    def _may_cite_nothing(self) -> bool:
        # A search that found nothing is its own evidence: it cites no page, but lists the searches.
        return super()._may_cite_nothing() or (self.finding == "not_found" and bool(self.searched))


class CountryFile(Strict):
    """One file `data/countries/<CODE>.yaml`: a jurisdiction and its three mechanisms."""

    code: CountryCode = Field(
        description="ISO 3166-1 alpha-2 code (`XK` for Kosovo*); the file name."
    )
    name: str = Field(description="Short English name.")
    name_local: str | None = Field(default=None, description="Name in the local language(s).")
    subregion: SubregionCode = Field(description="Project classification (no source needed).")
    scope_role: ScopeRoleCode = Field(default="core", description="Core SEE+ or outside reference.")
    languages: list[str] = Field(
        default_factory=list, description="ISO 639-1 codes of official languages."
    )
    footnote: str | None = Field(default=None, description="Designation footnote (Kosovo*).")
    notes: str | None = Field(default=None, description="Notes on the jurisdiction as a whole.")
    eu_status: EUStatus | None = Field(
        default=None, description="Relation to the EU, with its source."
    )
    cctlds: list[CcTLD] = Field(default_factory=list, description="ccTLDs and IDN ccTLDs.")
    igf_initiatives: list[IGFInitiative] = Field(
        default_factory=list, description="National and youth IGFs."
    )
    ms_bodies: list[MSBody] = Field(
        default_factory=list, description="Multistakeholder bodies (and contrast cases)."
    )
    assessments: list[Assessment] = Field(
        default_factory=list, description="Seed questions and BPF coding."
    )
    absences: list[Absence] = Field(
        default_factory=list, description="Mechanisms found absent or not found."
    )


class RegionalFile(Strict):
    """`data/regional.yaml`: regional initiatives (SEEDIG, EuroDIG)."""

    igf_initiatives: list[IGFInitiative] = Field(description="Regional initiatives.")
    assessments: list[Assessment] = Field(default_factory=list, description="Assessments of them.")


class Source(Strict):
    id: Slug = Field(description="Unique id, cited in `sources` lists.")
    title: str = Field(description="Title of the page or document.")
    url: str | None = Field(
        default=None, description="The URL exactly as archived (never reconstructed)."
    )
    repository: str | None = Field(
        default=None,
        pattern=r"^[\w.-]+/[\w.-]+$",
        description="A public code repository (owner/name) holding the source.",
    )
    repo_path: str | None = Field(default=None, description="File path inside `repository`.")
    publisher: str | None = Field(default=None, description="Who published it.")
    kind: SourceKindCode = Field(description="Kind of source.")
    reliability: ReliabilityCode = Field(default="medium", description="How much weight it bears.")
    language: str | None = Field(default=None, description="ISO 639-1 language code of the text.")
    published: DateStr | None = Field(default=None, description="Publication date, if stated.")
    archived: DateStr | None = Field(
        default=None,
        description="The archived copy's own date (capture or page date), where known.",
    )
    accessed: DateStr = Field(description="Date this project read the archived copy.")
    note: str | None = Field(default=None, description="Notes (e.g. archive caveats).")

    @model_validator(mode="after")
    def _where(self) -> Source:
        if not (self.url or self.repository):
            raise ValueError("url: a source needs a url (or a repository and repo_path)")
        if self.url and not re.match(r"^https?://\S+$", self.url):
            raise ValueError(f"url: '{self.url}' is not an http(s) URL")
        return self


class SourcesFile(Strict):
    sources: list[Source] = Field(description="Sources.")


class Term(Fact):
    language: str = Field(description="Language name in English.")
    language_code: str = Field(pattern=r"^[a-z]{2,3}$", description="ISO 639-1 code.")
    countries: list[CountryCode] = Field(
        description="Jurisdictions where the language is official."
    )
    rendering: str = Field(description="How 'multistakeholder' is rendered, as found.")
    back_translation: str = Field(description="Literal sense in English.")
    collapses: CollapseCode = Field(description="Whether it collapses to 'multilateral'.")


class TermsFile(Strict):
    terms: list[Term] = Field(description="Renderings of 'multistakeholder'.")


class PeerGroup(Fact):
    id: Slug = Field(description="Peer-group id, e.g. `eu-members`.")
    name: str = Field(description="Name.")
    members: list[CountryCode] = Field(description="Member jurisdictions (within scope).")


class PeerGroupsFile(Strict):
    peer_groups: list[PeerGroup] = Field(description="Peer groups for comparisons.")


MODELS: dict[str, type[BaseModel]] = {
    "country": CountryFile,
    "regional": RegionalFile,
    "sources": SourcesFile,
    "terms": TermsFile,
    "peer_groups": PeerGroupsFile,
}
