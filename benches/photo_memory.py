"""Benchmark: peak memory of preparing a photo (issue 12, defect 6), each case in a fresh process.

Cases: a 48-megapixel phone JPEG through ``prepare_photo`` (decoded scaled down) and, for comparison, the
same file fully decoded as before issue 12; a 13,370² PNG (a few hundred KB on disk) through
``prepare_photo`` (refused from its header) and, with ``--old``, through the old full decode (about 2 GB).
The inputs are made by another process; figures are the growth of the measuring process's peak RSS over its
baseline once the file is read, in MiB.

Usage: ``python benches/photo_memory.py [--old]``. Last line: ``{"bench":"photo_memory",...}``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

MAKE = r"""
import sys
from PIL import Image
folder = sys.argv[1]
Image.effect_noise((800, 600), 40).convert("RGB").resize((8000, 6000)).save(f"{folder}/jpeg48", "JPEG", quality=85)
Image.new("1", (13370, 13370), 1).save(f"{folder}/png13370", "PNG")
"""

CASE = r"""
import io, resource, sys
from PIL import Image
import inspector_app.services.support.media as media
case, folder = sys.argv[1], sys.argv[2]
data = open(f"{folder}/{case.split('_')[0]}", "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if case.endswith("_new"):
    try:
        media.prepare_photo(data)
    except media.ValidationError:
        pass
else:  # what prepare_photo did before: decode in full, then convert and downscale
    Image.MAX_IMAGE_PIXELS = None
    image = Image.open(io.BytesIO(data)); image.load()
    rgba = image.convert("RGBA"); background = Image.new("RGB", image.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A")); background.thumbnail((1600, 1600))
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024)
"""


def peak_mib(case: str, folder: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", CASE, case, folder], capture_output=True, text=True, check=True
    )
    return round(float(done.stdout.strip().splitlines()[-1]), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--old", action="store_true", help="also run the old full decode of the 13,370² PNG")
    args = parser.parse_args()
    figures: dict[str, object] = {"bench": "photo_memory"}
    cases = ["jpeg48_new", "jpeg48_old", "png13370_new"] + (["png13370_old"] if args.old else [])
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-c", MAKE, folder], check=True)
        for case in cases:
            figures[f"{case}_peak_mib"] = peak_mib(case, folder)
            print(f"{case}: +{figures[f'{case}_peak_mib']} MiB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
