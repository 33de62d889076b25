"""What a pydantic field of ``schema.py`` is as a table column: its Table Schema type and constraints.

:func:`field_type` reads a field's annotation and metadata (``Literal`` codes, ``Ge``/``Le`` bounds,
``MinLen``, patterns, the date validator, ``Optional``, lists) and :func:`is_nested` says whether
the field holds records that the loader flattens into a table of their own. The table catalogue
(:mod:`analysis.model.catalog`) builds its column specifications from them.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le, MinLen
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from analysis.model import schema, vocab

#: Pattern of the date strings (YYYY, YYYY-MM or YYYY-MM-DD).
DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"


@dataclass
class FieldType:
    """The Table Schema view of one annotation."""

    type: str = "string"  # string, integer, number, boolean, year
    codes: str | None = None  # key of vocab.CODES
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    is_list: bool = False
    is_date: bool = False
    optional: bool = False  # None is allowed
    min_len: int = 0
    element: str | None = None  # the list elements, in words ("years", "`actor` codes")
    mixed: bool = False  # a union of several types


def _flatten_meta(meta: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for m in meta:
        if isinstance(m, FieldInfo):
            out.extend(_flatten_meta(m.metadata))
        else:
            out.append(m)
    return out


def _codes_for(values: tuple[Any, ...], field_name: str) -> str:
    candidates = [k for k, v in vocab.CODES.items() if tuple(v) == tuple(values)]
    if not candidates:
        raise ValueError(f"field {field_name}: no CODES entry with values {values}")
    for k in candidates:  # several codes share values: prefer the one the field is named after
        if k == field_name:
            return k
    for k in candidates:
        if k in field_name or field_name in k:
            return k
    return candidates[0]


def field_type(ann: Any, metadata: Sequence[Any], field_name: str) -> FieldType:
    """Table Schema type, codes and constraints of a pydantic annotation."""
    out = FieldType()
    meta = list(metadata)
    while True:
        origin = get_origin(ann)
        if origin is Annotated:
            ann, *extra = get_args(ann)
            meta.extend(extra)
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(ann) if a is not type(None)]
            if len(args) < len(get_args(ann)):
                out.optional = True
            if len(args) == 1:
                ann = args[0]
                continue
            out.mixed = True
            return out
        break
    for m in _flatten_meta(meta):
        if isinstance(m, Ge):
            out.minimum = int(m.ge)  # type: ignore[call-overload]
        elif isinstance(m, Le):
            out.maximum = int(m.le)  # type: ignore[call-overload]
        elif isinstance(m, MinLen):
            out.min_len = m.min_length
        elif isinstance(m, AfterValidator) and m.func is schema.check_date:
            out.is_date = True
        elif isinstance(getattr(m, "pattern", None), str):
            out.pattern = m.pattern.removeprefix("^").removesuffix("$")
    if out.is_date:
        out.pattern = DATE_PATTERN
    if get_origin(ann) is list:
        inner = field_type(get_args(ann)[0], (), field_name)
        out.is_list = True
        out.codes = inner.codes
        out.element = _element_name(inner)
        out.minimum = out.maximum = None
        out.pattern = None
        return out
    if get_origin(ann) is Literal:
        out.codes = _codes_for(get_args(ann), field_name)
    elif ann is bool:
        out.type = "boolean"
    elif ann is int:
        is_year = out.minimum == vocab.MIN_YEAR and out.maximum == vocab.MAX_YEAR
        out.type = "year" if is_year else "integer"
    elif ann is float:
        out.type = "number"
    return out


def _element_name(a: FieldType) -> str:
    if a.codes:
        return f"`{a.codes}` codes"
    if a.type == "year":
        return "years"
    if a.pattern == "[A-Z]{2}":
        return "country codes"
    return {"string": "strings", "integer": "integers"}.get(a.type, a.type)


def is_nested(model: type[BaseModel], fname: str) -> bool:
    """Whether the field holds records (a model, a list of models or a mapping): these are not
    columns of the model's table but rows of tables of their own (or provenance maps)."""

    def has_model(ann: Any) -> bool:
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return True
        return any(has_model(a) for a in get_args(ann))

    ann = model.model_fields[fname].annotation
    return has_model(ann) or get_origin(ann) is dict
