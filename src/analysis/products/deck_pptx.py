"""The session deck as an editable PowerPoint file (python-pptx).

A moderator can edit every word: each slide's title (the title placeholder, read by screen
readers and the outline), subtitle, bullets and footnotes are native text boxes, the comparison is
a native table, and the speaker notes say what the slide shows, its numbers and its caveat. Maps
and charts are pictures whose alt text (``descr``) describes them from the figure's data (title,
year, what it shows); the sources slide's QR code likewise. The slides are the
:class:`analysis.products.deck_slide.Slide` objects the PDF pages are drawn from, so both files say the
same. Text is at least :data:`analysis.products.deck_slide.MIN_PT` points.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.model.atomic import atomic_path
from analysis.model.vocab import INK, MUTED
from analysis.products.deck_slide import MIN_PT, PAGE_SIZE, Slide

__all__ = ["picture_size", "write_pptx"]

_MARGIN = 0.3  # inches
_TITLE_PT, _SUBTITLE_PT, _BULLET_PT, _TABLE_PT, _FOOT_PT = 28, 16, 20, MIN_PT, MIN_PT


def picture_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a PNG, from its header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    w, h = struct.unpack(">II", png[16:24])
    return int(w), int(h)


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#"))


def _lines(text: str, pt: float, width_in: float, em: float = 0.55) -> int:
    """How many lines ``text`` wraps to at ``pt`` points in ``width_in`` inches (an estimate:
    ``em`` of the point size per character, on the safe side for the default font)."""
    per_line = max(int(width_in * 72 / (pt * em)), 10)
    return max(1, -(-len(text) // per_line))


def _height(lines: int, pt: float) -> float:
    """Inches that ``lines`` lines of ``pt`` points take in a text box (with its insets)."""
    return lines * pt * 1.2 / 72 + 0.12


def _title_pt(text: str, width: float) -> tuple[float, int]:
    """(points, lines) of a slide title: the largest size from 28 down to 20 points that fits in
    two lines, else 20 points on as many lines as it takes."""
    for pt in range(_TITLE_PT, 19, -2):
        lines = _lines(text, pt, width, 0.62)
        if lines <= 2:
            return float(pt), lines
    return 20.0, _lines(text, 20, width, 0.62)


def _textbox(
    slide: Any,
    box: tuple[float, float, float, float],
    paragraphs: Sequence[str],
    pt: float,
    *,
    colour: str = INK,
    bold: bool = False,
    bullets: bool = False,
    name: str = "",
) -> Any:
    from pptx.util import Inches, Pt

    left, top, width, height = box
    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    for i, text in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.text = text
        p.font.size = Pt(pt)
        p.font.bold = bold
        p.font.color.rgb = _rgb(colour)
        if bullets:
            _bullet(p, pt)
            p.space_before = Pt(pt * 0.4)
    return shape


def _bullet(paragraph: Any, pt: float) -> None:
    """A real bullet (``a:buChar``) with a hanging indent: a list to the screen reader too."""
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(int(Pt(pt * 1.2))))
    ppr.set("indent", str(-int(Pt(pt * 1.2))))
    char = ppr.makeelement(qn("a:buChar"), {"char": "•"})
    ppr.append(char)


def _title(slide: Any, text: str, width: float, top: float) -> float:
    """The title placeholder (the slide's title for the outline and screen readers) at ``top``;
    returns its bottom (inches)."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    pt, lines = _title_pt(text, width)
    height = _height(lines, pt)
    shape = slide.shapes.title
    shape.left, shape.top = Inches(_MARGIN), Inches(top)
    shape.width, shape.height = Inches(width), Inches(height)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.text = text
    for p in frame.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        p.font.size = Pt(pt)
        p.font.bold = True
        p.font.color.rgb = _rgb(INK)
    return top + height


def _picture(
    slide: Any, png: bytes, alt: str, box: tuple[float, float, float, float], name: str
) -> Any:
    """``png`` fitted into ``box`` (inches), centred, with ``alt`` as its description."""
    from pptx.util import Inches

    left, top, width, height = box
    px_w, px_h = picture_size(png)
    scale = min(width / px_w, height / px_h)
    w, h = px_w * scale, px_h * scale
    pic = slide.shapes.add_picture(
        io.BytesIO(png),
        Inches(left + (width - w) / 2),
        Inches(top + (height - h) / 2),
        Inches(w),
        Inches(h),
    )
    pic.name = name
    pic._element.nvPicPr.cNvPr.set("descr", alt)
    return pic


def _table(slide: Any, table: tuple[list[str], list[list[str]]], box: tuple[float, ...]) -> Any:
    from pptx.util import Inches, Pt

    header, rows = table
    left, top, width, height = box
    row_h = min(0.42, height / (len(rows) + 1))
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(header),
        Inches(left),
        Inches(top),
        Inches(width),
        Inches(row_h * (len(rows) + 1)),
    )
    shape.name = "Comparison table"
    grid = shape.table
    # columns as wide as their longest cell (a header may take two lines)
    need = [max([len(h) / 2 + 1, *(len(r[j]) + 1 for r in rows)]) for j, h in enumerate(header)]
    for j, col in enumerate(grid.columns):
        col.width = Inches(width * need[j] / sum(need))
    for i, cells in enumerate([header, *rows]):
        grid.rows[i].height = Inches(row_h)
        for j, text in enumerate(cells):
            cell = grid.cell(i, j)
            cell.text = text
            cell.margin_top = cell.margin_bottom = Inches(0.02)
            for p in cell.text_frame.paragraphs:
                p.font.size = Pt(_TABLE_PT)
                p.font.bold = i == 0
    return shape


def _add_slide(prs: Any, slide: Slide, picture: bytes | None) -> None:
    page_w, page_h = PAGE_SIZE
    width = page_w - 2 * _MARGIN
    s = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    top = _title(s, slide.title, width, 0.15)
    if slide.subtitle:
        height = _height(_lines(slide.subtitle, _SUBTITLE_PT, width), _SUBTITLE_PT)
        _textbox(
            s,
            (_MARGIN, top, width, height),
            [slide.subtitle],
            _SUBTITLE_PT,
            colour=MUTED,
            name="Subtitle",
        )
        top += height
    top += 0.1
    foot_lines = sum(_lines(t, _FOOT_PT, width) for t in slide.footnotes)
    foot_h = _height(foot_lines, _FOOT_PT)
    foot_top = page_h - 0.05 - foot_h
    if slide.footnotes:
        _textbox(
            s,
            (_MARGIN, foot_top, width, foot_h),
            slide.footnotes,
            _FOOT_PT,
            colour="#333333",
            name="Footnotes",
        )
    area = (_MARGIN, top, width, foot_top - 0.05 - top)
    if slide.table is not None:
        _table(s, slide.table, area)
    elif slide.bullets and picture is not None:  # text left, picture (QR code) right
        side = min(area[3], 3.6)
        text_w = width - side - _MARGIN
        _textbox(s, (_MARGIN, top, text_w, area[3]), slide.bullets, _BULLET_PT, bullets=True)
        _picture(s, picture, slide.alt, (_MARGIN + text_w + _MARGIN, top, side, side), "QR code")
    elif slide.bullets:
        _textbox(s, area, slide.bullets, _BULLET_PT, bullets=True, name="Text")
    elif picture is not None:
        _picture(s, picture, slide.alt, area, f"Chart: {slide.title}")
    s.notes_slide.notes_text_frame.text = slide.notes or slide.title


def write_pptx(
    out: Path,
    slides: Sequence[Slide],
    pictures: Sequence[bytes | None],
    core_properties: Mapping[str, Any] | None = None,
) -> Path:
    """A 16:9 PPTX of ``slides`` (``pictures[i]``: slide ``i``'s picture, or ``None``), each
    with native title, text, table and speaker notes. Written atomically."""
    from pptx import Presentation
    from pptx.util import Inches

    if len(slides) != len(pictures):
        raise ValueError("one picture (or None) per slide")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(PAGE_SIZE[0]), Inches(PAGE_SIZE[1])
    props = dict(core_properties or {})
    prs.core_properties.title = str(props.get("Title", ""))
    prs.core_properties.author = str(props.get("Author", "multisee"))
    prs.core_properties.subject = str(props.get("Subject", ""))
    prs.core_properties.keywords = str(props.get("Keywords", ""))
    for slide, picture in zip(slides, pictures, strict=True):
        _add_slide(prs, slide, picture)
    with atomic_path(Path(out)) as tmp:
        prs.save(str(tmp))
    return Path(out)
