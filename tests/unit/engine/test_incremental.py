"""What `make serve` rebuilds after a save (explainer/engine/incremental.py)."""

from __future__ import annotations

import os
import time

from explainer.engine import incremental


def _tree(tmp_path):
    for rel, text in {"mkdocs.yml": "site_name: x\n", "docs/a.md": "# A\n", "docs/b.md": "# B\n",
                      "docs/style.css": "p{}\n", "data/sources.yml": "sources: []\n",
                      "explainer/x.py": "x = 1\n"}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _touch(path, text):
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5  # a new modification time whatever the clock's grain
    os.utime(path, (later, later))


def test_first_build_is_full(tmp_path):
    assert incremental.changed_pages(None, incremental.snapshot(_tree(tmp_path))) is None


def test_nothing_changed_rebuilds_no_page(tmp_path):
    root = _tree(tmp_path)
    snap = incremental.snapshot(root)
    assert incremental.changed_pages(snap, incremental.snapshot(root)) == []


def test_page_text_alone_is_a_page_rebuild(tmp_path):
    root = _tree(tmp_path)
    before = incremental.snapshot(root)
    _touch(root / "docs/b.md", "# B\n\nMore.\n")
    assert incremental.changed_pages(before, incremental.snapshot(root)) == ["b.md"]


def test_anything_else_is_a_full_rebuild(tmp_path):
    root = _tree(tmp_path)
    for rel in ("data/sources.yml", "mkdocs.yml", "docs/style.css", "explainer/x.py"):
        before = incremental.snapshot(root)
        _touch(root / rel, (root / rel).read_text(encoding="utf-8") + "\n")
        assert incremental.changed_pages(before, incremental.snapshot(root)) is None, rel


def test_added_or_deleted_page_is_a_full_rebuild(tmp_path):
    root = _tree(tmp_path)
    before = incremental.snapshot(root)
    (root / "docs/c.md").write_text("# C\n", encoding="utf-8")
    assert incremental.changed_pages(before, incremental.snapshot(root)) is None
    before = incremental.snapshot(root)
    (root / "docs/a.md").unlink()
    assert incremental.changed_pages(before, incremental.snapshot(root)) is None


def test_bytecode_is_not_an_input(tmp_path):
    root = _tree(tmp_path)
    before = incremental.snapshot(root)
    (root / "explainer/__pycache__").mkdir()
    (root / "explainer/__pycache__/x.cpython-311.pyc").write_bytes(b"\0")
    assert incremental.changed_pages(before, incremental.snapshot(root)) == []


def test_written_since(tmp_path):
    old, new = tmp_path / "old.html", tmp_path / "new.html"
    old.write_text("x", encoding="utf-8")
    os.utime(old, (0, 0))
    start = time.time() - 1
    new.write_text("y", encoding="utf-8")
    assert incremental.written_since([old, new, tmp_path / "gone.html"], start) == [new]
