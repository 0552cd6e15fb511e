"""Every URL helper: a docs path to its URL, a built file to its URL and back,
and a link from one docs page to another."""

from __future__ import annotations

from pathlib import Path


def page_url(page: str, use_directory_urls: bool = True) -> str:
    """'focus-group.md' -> '/focus-group/'; 'index.md' -> '/'; 'a/index.md' -> '/a/'."""
    if page in ("index.md", ""):
        return "/"
    stem = page[: -len(".md")] if page.endswith(".md") else page
    if use_directory_urls:
        if stem.endswith("/index"):
            return "/" + stem[: -len("index")]
        return f"/{stem}/"
    return f"/{stem}.html"


def target_url(target: str, use_directory_urls: bool = True) -> str:
    """'page.md#id' -> '/page/#id'."""
    page, _, anchor = str(target).partition("#")
    return page_url(page, use_directory_urls) + (f"#{anchor}" if anchor else "")


def rel_link(from_page: str, to_target: str) -> str:
    """A Markdown link target from one docs page to another (both docs-relative,
    the target may carry #anchor): 'a/b.md', 'c.md#x' -> '../c.md#x'."""
    return "../" * from_page.count("/") + to_target


def file_url(html_path: Path, site: Path) -> str:
    """A built HTML file to its URL path: site/a/index.html -> 'a/', site/index.html -> ''."""
    rel = Path(html_path).resolve().relative_to(Path(site).resolve()).as_posix()
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def built_file(site: Path, page: str, use_directory_urls: bool = True) -> Path:
    """The HTML file a docs page is built to: 'about.md' -> site/about/index.html."""
    url = page_url(page, use_directory_urls).lstrip("/")
    return Path(site) / (url + "index.html" if url == "" or url.endswith("/") else url)


def slug(url: str) -> str:
    """A URL path as a file name: '' -> 'index', 'focus-group/' -> 'focus-group', 'a/b/' -> 'a-b'."""
    text = url.strip("/").replace("/", "-").removesuffix(".html")
    return text or "index"


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (redirect stubs and 404 included), sorted."""
    return sorted(p for p in Path(site).rglob("*.html"))
