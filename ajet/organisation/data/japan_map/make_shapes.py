"""Build prefecture_shapes.json (one SVG path per prefecture) from the japanmap package's boundary data.

Run by hand, only when the shapes should change (the site reads the JSON, never japanmap):

    pip install --no-deps japanmap==0.6.0
    python ajet/organisation/data/japan_map/make_shapes.py

japanmap's `japan.json` holds the boundaries between prefectures (each shared line once, as indices into
one list of longitude/latitude points), for the part of each prefecture that holds its capital (outlying
islands are left out). Each shared line is simplified once (Douglas-Peucker), so neighbours keep meeting
exactly; longitudes are scaled by cos(36°) so that Japan keeps its shape; Okinawa is moved into an inset
box in the south-east, as Japanese maps do. See README.md for the licence.
"""

import json
import math
from importlib.resources import files
from pathlib import Path

TOLERANCE = 0.03  # degrees: about 3 km, well below a pixel at the size the map is shown
WIDTH = 1000  # viewBox width; the height follows Japan's proportions
OKINAWA, OKINAWA_SHIFT = 47, (5.5, 6.0)  # moved by (longitude, latitude) degrees into the inset
X_SCALE = math.cos(math.radians(36))


def _distance_to_segment(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def _simplify(indices: list[int], points: list, kept: set[int]) -> None:
    """Douglas-Peucker over one boundary line: mark the indices to keep."""
    kept.update((indices[0], indices[-1]))
    if len(indices) < 3:
        return
    start, end = points[indices[0]], points[indices[-1]]
    if start == end:  # a closed ring (an island's coast): split it at its farthest point
        far = max(range(1, len(indices) - 1), key=lambda i: math.dist(points[indices[i]], start))
        _simplify(indices[: far + 1], points, kept)
        _simplify(indices[far:], points, kept)
        return
    worst, distance = 0, 0.0
    for i in range(1, len(indices) - 1):
        d = _distance_to_segment(points[indices[i]], start, end)
        if d > distance:
            worst, distance = i, d
    if distance > TOLERANCE:
        _simplify(indices[: worst + 1], points, kept)
        _simplify(indices[worst:], points, kept)


def build() -> dict[str, str]:
    points_with_flags, boundaries = json.loads(files("japanmap").joinpath("japan.json").read_text())
    points = [tuple(point) for point, _ in points_with_flags]
    kept: set[int] = set()
    for prefecture in boundaries:
        for _, line in prefecture:
            canonical = line if line[0] <= line[-1] else line[::-1]  # both sides simplify the same way
            _simplify(canonical, points, kept)
    rings = {}
    for number, prefecture in enumerate(boundaries, start=1):
        ring = [points[i] for _, line in prefecture for i in line[:-1] if i in kept]
        if number == OKINAWA:
            ring = [(x + OKINAWA_SHIFT[0], y + OKINAWA_SHIFT[1]) for x, y in ring]
        rings[f"{number:02d}"] = [(x * X_SCALE, -y) for x, y in ring]
    all_points = [point for ring in rings.values() for point in ring]
    left, top = min(x for x, _ in all_points), min(y for _, y in all_points)
    scale = WIDTH / (max(x for x, _ in all_points) - left)
    height = math.ceil((max(y for _, y in all_points) - top) * scale)
    paths, centres, areas = {}, {}, {}
    for code, ring in rings.items():
        ring = [((x - left) * scale, (y - top) * scale) for x, y in ring]
        paths[code] = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z"
        areas[code], centres[code] = _area_and_centroid(ring)
    okinawa = rings[f"{OKINAWA:02d}"]
    xs = [(x - left) * scale for x, _ in okinawa]
    ys = [(y - top) * scale for _, y in okinawa]
    inset = [round(min(xs) - 15), round(min(ys) - 15), round(max(xs) - min(xs) + 30), round(max(ys) - min(ys) + 30)]
    return {"width": WIDTH, "height": height, "paths": paths, "centres": centres, "areas": areas,
            "okinawa_inset": inset}


def _area_and_centroid(ring: list[tuple[float, float]]) -> tuple[int, list[int]]:
    """The polygon's area and centroid (where a prefecture's block number is written)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    return round(abs(area)), [round(cx / (6 * area)), round(cy / (6 * area))]


if __name__ == "__main__":
    target = Path(__file__).with_name("prefecture_shapes.json")
    target.write_text(json.dumps(build(), indent=0, sort_keys=True) + "\n")
    print(f"wrote {target} ({target.stat().st_size} bytes)")
