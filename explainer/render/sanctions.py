"""The sanctions, from data/sanctions.yml: the table of actions and the
matrix of issuers against targets, as HTML for a page.

Pure functions: a loaded ``Data`` in, Markdown (HTML blocks whose cells are
Markdown, so that citations work) out. The page shows them with
``{{ sanctions("table") }}`` and ``{{ sanctions("matrix") }}``
(``explainer/macros.py``). Each row of the table carries its action's id, a
permanent anchor; each cell of the matrix links to the rows it stands for.
"""

from __future__ import annotations

from explainer.config import MONTHS
from explainer.data import datetext
from explainer.data.bundle import MATRIX_ID, Data, as_list
from explainer.render.text import attr, md_text

TABLE_ID = "sanctions-table"


def _complete(action: object) -> bool:
    # An action missing a field is the checks' to report (path:line); it is
    # left out here so that the build ends with their message, not a traceback.
    return isinstance(action, dict) and all(action.get(f) for f in ("id", "date", "issuers", "what", "on_whom")) \
        and not datetext.check_date(str(action["date"]))


def actions(d: Data) -> list[dict]:
    """The actions in table order: by date (a month before its days' dates
    is after them, as on the timeline), then id."""
    rows = [a for a in (d.sanctions or {}).get("actions", []) if _complete(a)]
    return sorted(rows, key=lambda a: (str(a["date"]) + "-99" * (2 - str(a["date"]).count("-")), str(a["id"])))


def date_text(action: dict) -> str:
    """'24 February 2025', 'March 2025', 'By June 2025'."""
    text = datetext.human_date(str(action["date"]))
    return f"By {text}" if action.get("by") else text


def short_date(action: dict) -> str:
    """'24 Feb 2025', 'Mar 2025', 'by Jun 2025' (the matrix)."""
    parts = str(action["date"]).split("-")
    month = MONTHS[int(parts[1]) - 1][:3] if len(parts) > 1 else ""
    text = " ".join(p for p in (str(int(parts[2])) if len(parts) > 2 else "", month, parts[0]) if p)
    return f"by {text}" if action.get("by") else text


def issuer_names(d: Data, action: dict) -> str:
    names = {str(i.get("id")): str(i.get("name")) for i in d.sanctions["issuers"]}
    return ", ".join(names.get(i, i) for i in as_list(action.get("issuers")))


def cite(keys: list[str]) -> str:
    return "".join(f"[^{k}]" for k in keys)


def render_table(d: Data) -> str:
    """Every action, one row each: date (the row header), who, what (with its
    citations), on whom."""
    rows = []
    for a in actions(d):
        # md_in_html parses a cell's Markdown (its citations) only when every
        # tag stands on its own line and each parent is marked markdown="1".
        rows.append("\n".join([
            f'<tr id="{attr(a["id"])}" markdown="1">',
            f'<th scope="row"><time datetime="{attr(a["date"])}">{md_text(date_text(a))}</time></th>',
            f'<td>{md_text(issuer_names(d, a))}</td>',
            f'<td markdown="span">{md_text(a["what"])}{cite(as_list(a.get("sources")))}</td>',
            f'<td data-label="On whom">{md_text(a["on_whom"])}</td>',
            "</tr>",
        ]))
    return (
        # (A <caption> inside a table marked markdown="1" would come out
        # wrapped in <p>: the line above it is the visible caption, and the
        # table is named by aria-label, which survives the print page's
        # renaming of ids where aria-labelledby would not.)
        f'<p class="table-caption" id="{TABLE_ID}-caption">Sanction actions by date. Each row has its own link; '
        "its sources are cited in its “What” cell.</p>\n"
        '<div class="sanctions-wrap" markdown="1">\n'
        # No ARIA roles on the table's parts: HTML forbids them inside a
        # <table> (the W3C Nu checker refuses them). On a phone the rows are
        # laid out as blocks (extra.css); Chromium keeps the table, row and
        # cell semantics of such a table (tests/browser/test_brief.py).
        f'<table class="sanctions-table" id="{TABLE_ID}" aria-label="Sanction actions by date" '
        'markdown="1">\n'
        '<thead>\n<tr><th scope="col">Date</th>'
        '<th scope="col">Who</th><th scope="col">What</th>'
        '<th scope="col">On whom</th></tr>\n</thead>\n'
        '<tbody markdown="1">\n' + "\n".join(rows) + "\n</tbody>\n</table>\n</div>\n"
    )


def render_matrix(d: Data) -> str:
    """Issuers with ``matrix: true`` (columns) against every target (rows);
    a cell lists the dates of the actions by that issuer that name that
    target, each linking to its row of the table; an empty cell says that
    the table has none."""
    issuers = [i for i in d.sanctions["issuers"] if i.get("matrix")]
    rows = []
    for target in d.sanctions["targets"]:
        cells = []
        for issuer in issuers:
            hits = [a for a in actions(d) if issuer.get("id") in as_list(a.get("issuers"))
                    and target.get("id") in as_list(a.get("targets"))]
            if hits:
                links = "<br>".join(f'<a href="#{attr(a["id"])}">{md_text(short_date(a))}</a>' for a in hits)
                cells.append(f'<td class="hit">{links}</td>')
            else:
                cells.append('<td class="none"><span aria-hidden="true">–</span>'
                             '<span class="visually-hidden">none in the table</span></td>')
        rows.append(f'<tr><th scope="row">{md_text(target.get("name"))}</th>{"".join(cells)}</tr>')
    head = "".join(f'<th scope="col">{md_text(i.get("name"))}</th>' for i in issuers)
    return (
        f'<div class="sanctions-wrap">\n<table class="sanctions-matrix" id="{MATRIX_ID}">\n'
        "<caption>Who has sanctioned whom: each date links to its row in the table above; a dash means "
        "the table has no such action.</caption>\n"
        f'<thead><tr><th scope="col">Target</th>{head}</tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>\n"
    )


def render(d: Data, view: str) -> str:
    if view == "table":
        return render_table(d)
    if view == "matrix":
        return render_matrix(d)
    raise ValueError(f"sanctions({view!r}): use 'table' or 'matrix'")
