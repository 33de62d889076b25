"""The new records ``multisee new`` writes (an edition, a source, a body, an absence, a search, a ccTLD event, a conflict), with placeholders where the caller gave nothing.

Each builder returns a :class:`~analysis.model.yamledit.Record`.

What the caller does not give is a *placeholder* (``TODO``, with a comment saying what belongs
there) or a commented-out optional key, never a plausible value: the validator reports every
placeholder until a person fills it in from a source (see ``CONTRIBUTING.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.model.vocab import CODES
from analysis.model.yamledit import TODO, Record, plain_url


def _codes(name: str) -> str:
    return " | ".join(CODES[name])


def fact_fields(r: Record, sources: Sequence[str], confidence: str | None) -> None:
    """The keys every fact ends with (sources, confidence, notes), placeholders where not given."""
    if sources:
        r.put("sources", list(sources))
    else:
        r.put("sources", [TODO], "ids from data/sources/ (multisee new source)")
    r.need("confidence", confidence, _codes("confidence"))
    r.optional("notes", "how the facts were read; the reasoning for inferred ones")


def edition_record(
    year: int,
    sources: Sequence[str] = (),
    confidence: str | None = None,
    number: int | None = None,
    date: str | None = None,
    city: str | None = None,
    venue: str | None = None,
    format: str | None = None,
) -> Record:
    """A new edition of an IGF initiative."""
    r = Record()
    r.put("year", year)
    if number is not None:
        r.put("number", number)
    else:
        r.optional("number", "the ordinal, only as a source states it")
    if date:
        r.put("date", date, quote=True)
    else:
        r.optional("date", f'"{year}-MM-DD" or "{year}-MM"')
    for key, value, hint in (
        ("city", city, "city (leave out for an online edition)"),
        ("venue", venue, "venue"),
    ):
        if value:
            r.put(key, value)
        else:
            r.optional(key, hint)
    if format:
        r.put("format", format)
    else:
        r.optional("format", _codes("edition_format"))
    r.optional("participants", "number of participants, as stated")
    fact_fields(r, sources, confidence)
    return r


def source_record(
    ident: str,
    title: str,
    url: str,
    publisher: str,
    kind: str | None = None,
    reliability: str | None = None,
    accessed: str | None = None,
    archived: str | None = None,
    published: str | None = None,
    language: str | None = None,
) -> Record:
    """A new source of the registry (its URL plain, as the data files write URLs, unless it would
    not read back so)."""
    r = Record()
    r.put("id", ident)
    r.put("title", title, quote=True)
    r.put("url", url, quote=not plain_url(url))
    r.put("publisher", publisher)
    r.need("kind", kind, _codes("source_kind"))
    r.need("reliability", reliability, "high | medium | low (see the codebook)")
    if language:
        r.put("language", language)
    else:
        r.optional("language", "ISO 639-1 code of the text, e.g. en")
    if published:
        r.put("published", published, quote=True)
    else:
        r.optional("published", '"YYYY-MM-DD": publication date, if the page states it')
    if archived:
        r.put("archived", archived, quote=True)
    else:
        r.optional("archived", '"YYYY-MM-DD": the archived copy\'s own date (capture or page date)')
    r.need("accessed", accessed, '"YYYY-MM-DD": the date you read the archived copy', quote=True)
    r.optional("note", "archive caveats, what the page is")
    return r


def body_record(
    ident: str | None,
    name: str | None,
    type: str | None = None,
    legal_basis: str | None = None,
    multistakeholder: str | None = None,
    sources: Sequence[str] = (),
    confidence: str | None = None,
    established: str | None = None,
    scope: str | None = None,
) -> Record:
    """A new multistakeholder body."""
    r = Record()
    r.need("id", ident, "lower-case slug: the country code, then a short name")
    r.need("name", name, "name in English, as the source gives it")
    r.optional("name_local", "name in the local language")
    r.need("type", type, _codes("body_type"))
    r.optional("role", _codes("body_role"))
    if established:
        r.put("established", established, quote=True)
    else:
        r.optional("established", '"YYYY-MM-DD" (or YYYY-MM, YYYY)')
    r.optional("ended", '"YYYY-MM-DD", if ended or replaced')
    r.need("legal_basis", legal_basis, _codes("legal_basis"))
    r.optional("legal_basis_ref", "the act's number and title")
    r.optional("convenor", "who convenes or chairs it")
    r.need("scope", scope, _codes("body_scope"))
    r.need(
        "multistakeholder",
        multistakeholder,
        "yes | partly | no | unknown: its membership spans stakeholder groups",
    )
    r.optional("composition", "by stakeholder group, one line each:")
    r.comment("#   - {group: government, seats: ..., note: ...}")
    r.optional("size", "number of members, as stated")
    r.optional("status", _codes("body_status"))
    r.optional("status_as_of", "the year the status refers to")
    r.optional("last_evidenced", "latest year a source dates its activity")
    r.optional("website", "host name")
    fact_fields(r, sources, confidence)
    return r


def search_record(query: str | None, looked_at: str | None, date: str) -> Record:
    """One search of an absence: what was typed, where, when."""
    r = Record()
    r.need("query", query, "as typed")
    r.need("looked_at", looked_at, "the kinds of sources looked at")
    r.put("date", date, quote=True)
    return r


def absence_record(
    mechanism: str,
    finding: str | None,
    text: str | None,
    query: str | None,
    date: str,
    sources: Sequence[str] = (),
    confidence: str | None = None,
) -> Record:
    """An absence with one search (``not_found``: the searches are its evidence)."""
    r = Record()
    r.put("mechanism", mechanism)
    r.need("finding", finding, "none | not_found")
    r.need("text", text, "what was searched")
    r.put("searched", [search_record(query, None, date)])
    if finding == "not_found" and not sources:  # a search that found nothing cites no page
        r.put("sources", [])
        r.need("confidence", confidence, _codes("confidence"))
        r.optional("notes", "what the search covered and what it did not")
    else:
        fact_fields(r, sources, confidence)
    return r


def event_record(
    date: str,
    type: str | None,
    description: str | None,
    to_manager: str | None,
    sources: Sequence[str],
    confidence: str | None,
) -> Record:
    """An event of a ccTLD (created, delegation, redelegation, ...)."""
    r = Record()
    r.put("date", date, quote=True)
    r.need("type", type, _codes("event_type"))
    if to_manager:
        r.put("to_manager", to_manager)
    else:
        r.optional("to_manager", "the manager after the event")
    r.need("description", description, "what happened, in one sentence")
    fact_fields(r, sources, confidence)
    return r


def conflict_record(
    field: str,
    value: str | int,
    sources: Sequence[str],
    confidence: str | None,
    note: str | None,
) -> Record:
    """An alternative value of one field of a record, with its own sources."""
    r = Record()
    r.put("field", field)
    r.put("value", value)
    if sources:
        r.put("sources", list(sources))
    else:
        r.put("sources", [TODO], "ids of the sources of this value")
    r.need("confidence", confidence, _codes("confidence"))
    r.need("note", note, "why the record's value is preferred")
    return r
