"""Draw a link-preview image (Open Graph / Twitter card) for a page.

Run by the post-build pass (explainer/postbuild), without network: Pillow draws
the image and the typeface is Roboto from the ``font-roboto`` package on the
package registry (Apache 2.0), so no font is fetched from the web.

    explainer preview "Title" "Description." out.png

Drawing and compressing an image takes about 50 ms, so, like Material's
social plugin, :func:`render` keeps each image in ``.cache/preview-images/``
(gitignored) under a digest of everything that decides its bytes: the texts,
this script's source, the Pillow version and the font package. A build with
an empty cache draws the same bytes (tests/build/test_reproducible.py compares them).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

from explainer import ROOT

CACHE_DIR = ROOT / ".cache" / "preview-images"

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = (26, 35, 126)  # Material indigo 900
BAND = (63, 81, 181)  # indigo 500
TEXT = (255, 255, 255)
MUTED = (197, 202, 233)  # indigo 100: 9.4:1 on the background


def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    import font_roboto

    path = Path(font_roboto.font_directory) / f"Roboto-{weight}.ttf"
    if not path.exists():
        raise FileNotFoundError(f"{path}: font missing; reinstall the pinned font-roboto package")
    return ImageFont.truetype(str(path), size)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap to a pixel width."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if face.getlength(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def fit(text: str, weight: str, sizes: tuple[int, ...], width: int, max_lines: int):
    """The largest size at which the text fits in max_lines; else the smallest, cut with an ellipsis."""
    for size in sizes:
        face = font(weight, size)
        lines = wrap(text, face, width)
        if len(lines) <= max_lines:
            return face, lines
    lines = lines[:max_lines]
    while lines[-1] and face.getlength(lines[-1] + " …") > width:
        lines[-1] = lines[-1].rsplit(" ", 1)[0]
    lines[-1] += " …"
    return face, lines


_FONT_PACKAGE: list[str] = []


def font_package() -> str:
    """The installed font-roboto version (read once per process)."""
    if not _FONT_PACKAGE:
        from importlib.metadata import PackageNotFoundError, version

        try:
            _FONT_PACKAGE.append(version("font-roboto"))
        except PackageNotFoundError:
            _FONT_PACKAGE.append("unknown")
    return _FONT_PACKAGE[0]


def cache_key(*texts: str) -> str:
    digest = hashlib.sha256()
    digest.update(Path(__file__).read_bytes())
    for part in (PIL.__version__, font_package(), *texts):
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()


def render(title: str, description: str, out: Path, *, site_name: str = "", reviewed: str = "",
           horizon: str = "", cache: Path | None = CACHE_DIR) -> Path:
    """Write the preview image to ``out``, from the cache when it holds one
    drawn from the same inputs (``cache=None`` always draws)."""
    out = Path(out)
    if cache is None:
        return draw(title, description, out, site_name=site_name, reviewed=reviewed, horizon=horizon)
    cached = Path(cache) / f"{cache_key(title, description, site_name, reviewed, horizon)}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    if cached.is_file():
        shutil.copyfile(cached, out)
        return out
    draw(title, description, out, site_name=site_name, reviewed=reviewed, horizon=horizon)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        # Two builds may fill the cache at once (the offline copy is built
        # alongside): write to a private name, then rename atomically.
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.part")
        shutil.copyfile(out, partial)
        partial.replace(cached)
    except OSError:
        pass  # a read-only checkout still builds, only without the cache
    return out


def draw(title: str, description: str, out: Path, *, site_name: str = "", reviewed: str = "",
         horizon: str = "") -> Path:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 14), fill=BAND)
    text_width = WIDTH - 2 * MARGIN
    y = MARGIN
    if site_name and site_name != title:
        face = font("Medium", 30)
        draw.text((MARGIN, y), site_name, font=face, fill=MUTED)
        y += 64
    face, lines = fit(title, "Bold", (72, 64, 56, 48), text_width, 3)
    step = int(face.size * 1.18)
    for line in lines:
        draw.text((MARGIN, y), line, font=face, fill=TEXT)
        y += step
    y += 22
    if description:
        face, lines = fit(description, "Regular", (34, 30), text_width, max(1, (HEIGHT - 120 - y) // 44))
        for line in lines:
            draw.text((MARGIN, y), line, font=face, fill=MUTED)
            y += int(face.size * 1.3)
    footer = " · ".join(p for p in (f"Reviewed {reviewed}" if reviewed else "",
                                      f"Sources checked to {horizon}" if horizon else "") if p)
    if footer:
        draw.line((MARGIN, HEIGHT - 100, WIDTH - MARGIN, HEIGHT - 100), fill=BAND, width=3)
        draw.text((MARGIN, HEIGHT - 80), footer, font=font("Medium", 28), fill=TEXT)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, "PNG", optimize=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("title")
    parser.add_argument("description")
    parser.add_argument("out", type=Path)
    parser.add_argument("--site-name", default="")
    parser.add_argument("--reviewed", default="")
    parser.add_argument("--horizon", default="")
    args = parser.parse_args(argv)
    print(render(args.title, args.description, args.out, site_name=args.site_name,
                 reviewed=args.reviewed, horizon=args.horizon))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
