"""``explainer``: the one command the Makefile calls, with a subcommand per job.

    explainer serve [--port 8000]    mkdocs serve --dirty with live reload (make serve)
    explainer check                  content checks, path:line: message (make check)
    explainer data [--check]         abbreviations and figures from data/ (make data)
    explainer figures [--check]      only the figures (make figures)
    explainer urls --check|--update  the published-URL register (make urls)
    explainer offline [--out ZIP]    the offline copy as a reproducible zip (make offline)
    explainer postbuild SITE         the post-build pass over a built site
    explainer generated SITE         only the files built from data (downloads, timeline pictures)
    explainer nginx SITE OUT         the nginx server block for a built site
    explainer preview TITLE DESC OUT one link-preview image
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explainer import ROOT


def _check(args) -> int:
    from explainer.checks import content
    return content.main(args.rest)


def _data(args) -> int:
    from explainer.figures import build as figures
    from explainer.render import abbreviations
    status = abbreviations.main(["--check"] if args.check else [])
    return status or figures.main(["--check"] if args.check else [])


def _figures(args) -> int:
    from explainer.figures import build as figures
    return figures.main(args.rest)


def _urls(args) -> int:
    """The register against a build: the one given with --site, or a strict
    build made now (the engine's)."""
    from explainer.checks import published
    if "--site" in args.rest:
        return published.main(args.rest)
    import tempfile

    from explainer.engine.build import mkdocs_build
    with tempfile.TemporaryDirectory(prefix="url-manifest-") as tmp:
        site = Path(tmp) / "site"
        mkdocs_build(ROOT, site)
        return published.main([*args.rest, "--site", str(site)])


def _serve(args) -> int:
    from explainer.engine import serve
    return serve.run(args.port)


def _offline(args) -> int:
    from explainer.engine.offline import build_zip
    from explainer.postbuild.offline import OfflineBuildError
    try:
        out = build_zip(args.out.resolve(), args.root.resolve())
    except OfflineBuildError as exc:
        print(f"explainer offline: {exc}", file=sys.stderr)
        return 1
    print(f"explainer offline: wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")
    return 0


def _postbuild(args) -> int:
    from explainer import postbuild
    from explainer.config import read_config
    config = read_config(args.root / "mkdocs.yml")
    site = postbuild.Site(site_dir=args.site.resolve(), root=args.root.resolve(),
                          site_url=str(config.get("site_url") or "/"), site_name=str(config.get("site_name") or ""),
                          use_directory_urls=bool(config.get("use_directory_urls", True)))
    postbuild.run(site)
    return 0


def _generated(args) -> int:
    """The files made from data into a site another engine built (make zensical)."""
    from explainer import data as site_data
    from explainer import postbuild
    from explainer.config import read_config
    root = args.root.resolve()
    config = read_config(root / "mkdocs.yml")
    site = postbuild.Site(site_dir=args.site.resolve(), root=root, site_url=str(config.get("site_url") or "/"),
                          site_name=str(config.get("site_name") or ""))
    postbuild.write_generated(site, site_data.load(root), None)
    return 0


def _nginx(args) -> int:
    from explainer.postbuild import headers
    return headers.main([str(args.site), "--deploy", str(args.out), *args.rest])


def _preview(args) -> int:
    from explainer.postbuild import previews
    return previews.main([args.title, args.description, str(args.out)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="explainer", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, helptext in (("check", _check, "content checks"), ("figures", _figures, "redraw the figures"),
                                 ("urls", _urls, "the published-URL register")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=func)
    p = sub.add_parser("serve", help="serve the site with live reload, rebuilding only a saved page")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=_serve)
    p = sub.add_parser("data", help="regenerate files derived from data/")
    p.add_argument("--check", action="store_true", help="write nothing; fail if a file is out of date")
    p.set_defaults(func=_data)
    p = sub.add_parser("offline", help="the offline copy as a zip")
    p.add_argument("--out", type=Path, default=ROOT / "build" / "explainer-offline.zip")
    p.add_argument("--root", type=Path, default=ROOT)
    p.set_defaults(func=_offline)
    p = sub.add_parser("postbuild", help="the post-build pass over a built site")
    p.add_argument("site", type=Path)
    p.add_argument("--root", type=Path, default=ROOT)
    p.set_defaults(func=_postbuild)
    p = sub.add_parser("generated", help="write the files built from data into a built site")
    p.add_argument("site", type=Path)
    p.add_argument("--root", type=Path, default=ROOT)
    p.set_defaults(func=_generated)
    p = sub.add_parser("nginx", help="the nginx server block for a built site")
    p.add_argument("site", type=Path)
    p.add_argument("out", type=Path, help="folder for nginx-explainer.conf")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_nginx)
    p = sub.add_parser("preview", help="draw one link-preview image")
    p.add_argument("title")
    p.add_argument("description")
    p.add_argument("out", type=Path)
    p.set_defaults(func=_preview)
    # check, figures and urls hand their options on unparsed (argparse's
    # REMAINDER does not take options such as --update that come first).
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if not hasattr(args, "rest"):
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.rest = [*unknown, *args.rest]
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
