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
