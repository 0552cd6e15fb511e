"""The post-build pass's pure parts (explainer/postbuild), without a build:
the header generator refuses markup a strict CSP cannot allow, and the
link-preview images are drawn from their text and cached by it."""

from __future__ import annotations

import pytest

from explainer.postbuild import headers as security_headers


def test_generator_refuses_inline_event_handlers(tmp_path):
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>x</title><p>ok</p>\n", encoding="utf-8")
    (site / "about" / "index.html").write_text(
        '<!doctype html><title>x</title>\n<p>\n<button onclick="copy()">Copy</button>\n'
        '<a href="javascript:alert(1)">x</a>\n', encoding="utf-8")
    with pytest.raises(ValueError) as exc:
        security_headers.generate(site, None)
    text = str(exc.value)
    assert "about/index.html:3: inline event handler onclick=" in text, text
    assert "about/index.html:4: javascript: URL" in text, text


def test_preview_image_draws_the_title(tmp_path):
    """Two titles give two different images; the renderer is not a stub."""
    from PIL import Image, ImageChops

    from explainer.postbuild import previews as preview_images

    a = preview_images.render("What is the focus group?", "A description.", tmp_path / "a.png")
    b = preview_images.render("Mining data centres in Komi", "A description.", tmp_path / "b.png")
    with Image.open(a) as one, Image.open(b) as two:
        assert ImageChops.difference(one.convert("RGB"), two.convert("RGB")).getbbox() is not None


def test_preview_image_cache_is_keyed_on_its_text(tmp_path):
    from explainer.postbuild import previews as preview_images

    cache = tmp_path / "cache"
    cold = preview_images.render("Title", "A description.", tmp_path / "cold.png", cache=None)
    warm_first = preview_images.render("Title", "A description.", tmp_path / "a.png", cache=cache)
    warm_again = preview_images.render("Title", "A description.", tmp_path / "b.png", cache=cache)
    assert cold.read_bytes() == warm_first.read_bytes() == warm_again.read_bytes()
    other = preview_images.render("Title", "Another description.", tmp_path / "c.png", cache=cache)
    assert other.read_bytes() != cold.read_bytes() and len(list(cache.glob("*.png"))) == 2


def test_offline_zip_is_packed_reproducibly(tmp_path):
    """explainer/postbuild/offline.py pack(): the same folder gives the same
    bytes whatever the files' times and the order they were written in;
    source maps and the 404 page are left out; entries carry the epoch."""
    import os
    import zipfile

    from explainer.postbuild.offline import TOP_FOLDER, pack

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    for name, text in (("index.html", "<p>home</p>"), ("a/index.html", "<p>a</p>"), ("404.html", "x"),
                       ("a/app.js.map", "{}")):
        (site / name).write_text(text, encoding="utf-8")
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    assert pack(site, first, 1700000000) == 2
    os.utime(site / "index.html", (1, 1))
    assert pack(site, second, 1700000000) == 2
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == [f"{TOP_FOLDER}/a/index.html", f"{TOP_FOLDER}/index.html"]
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    later = tmp_path / "3.zip"
    pack(site, later, 1700086400)
    assert later.read_bytes() != first.read_bytes(), "the epoch is not in the entries"
