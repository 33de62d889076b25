"""The ways in for a contributor without Git: the pull-request template and the "report a
source" form (issue 22)."""

from __future__ import annotations

import re

from conftest import ROOT


def test_the_templates_carry_the_reviewers_checklist() -> None:
    """The pull-request template and the "report a source" form carry the reviewer's checklist of
    CONTRIBUTING.md, item for item."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Reviewer's checklist\n", 1)[1].split("\n## ", 1)[0]
    items = [" ".join(x.split()) for x in re.split(r"\n(?=- \[ \])", section.strip())]
    assert len(items) >= 8 and all(x.startswith("- [ ] ") for x in items)
    for name in ("pull_request_template.md", "ISSUE_TEMPLATE/report-a-source.md"):
        other = " ".join((ROOT / ".github" / name).read_text(encoding="utf-8").split())
        missing = [x for x in items if x not in other]
        assert missing == [], f".github/{name} lacks {missing}"
