"""What the worst cover photo we accept costs to re-encode: CPU time and memory, against the budget.

    python bench/photo_upload.py

Budget per upload on this machine: at most 1 s of CPU and 150 MB of memory. It builds the
costliest images the upload accepts — at each format's pixel cap (photos.MAX_PIXELS), as noisy as
fits under the byte cap (photos.PHOTO_MAX_BYTES) — in PNG (RGB and with transparency), JPEG
and WebP, plus pure noise at the byte cap and one image just over the pixel cap (refused).
Each is re-encoded by `photos.reencode` in a fresh Python process, which reports its CPU time
(user + system) and peak resident memory (ru_maxrss) from resource.getrusage; "memory" is the
peak minus what the process held before the upload (the interpreter, Pillow and the file's
bytes), i.e. what one upload adds to a worker. Not part of the test suite.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import resource
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402

from donation_drive.core.rules import RuleBroken  # noqa: E402
from donation_drive.public import photos  # noqa: E402

CPU_BUDGET_SECONDS = 1.0
MEMORY_BUDGET_MB = 150.0
#: Bits of noise per pixel tried, most first, until the file fits under the byte cap.
NOISE_BITS = (8, 6, 5, 4, 3, 2, 1)


def _noise(mode: str, size: tuple[int, int], bits: int) -> Image.Image:
    """Random pixels with `bits` bits of noise per channel (fewer bits: a smaller PNG)."""
    bands = len(mode)
    raw = bytearray(os.urandom(size[0] * size[1] * bands))
    if bits < 8:
        keep = (0xFF << (8 - bits)) & 0xFF
        raw = raw.translate(bytes(value & keep for value in range(256)))
    if mode == "RGBA":
        raw[3::4] = raw[3::4].translate(bytes(max(value, 1) for value in range(256)))  # never fully clear
    return Image.frombytes(mode, size, bytes(raw))


def _encode(image: Image.Image, kind: str, quality: int) -> bytes:
    out = io.BytesIO()
    options = {"JPEG": {"quality": quality}, "WEBP": {"quality": quality}, "PNG": {"compress_level": 6}}[kind]
    image.save(out, kind, **options)
    return out.getvalue()


def noisiest_under_cap(mode: str, size: tuple[int, int], kind: str) -> tuple[bytes, str]:
    """The noisiest image of this size and format whose file is still accepted."""
    most = photos.PHOTO_MAX_BYTES * 8 // (size[0] * size[1] * len(mode))
    for bits in [bits for bits in NOISE_BITS if bits <= max(most, 1) + (kind != "PNG") * 8]:
        image = _noise(mode, size, bits)
        for quality in ((95, 85, 75, 60, 40) if kind != "PNG" else (0,)):
            data = _encode(image, kind, quality)
            if len(data) <= photos.PHOTO_MAX_BYTES:
                detail = f"{bits}-bit noise" + (f", quality {quality}" if kind != "PNG" else "")
                return data, detail
    raise SystemExit(f"no {kind} of {size} fits under the byte cap")


def largest_pure_noise(mode: str, kind: str) -> tuple[bytes, str, tuple[int, int]]:
    """Full 8-bit noise, as many pixels as fit under the byte cap (a PNG cannot compress it)."""
    side = math.isqrt(photos.PHOTO_MAX_BYTES // len(mode))
    while True:
        data = _encode(_noise(mode, (side, side), 8), kind, 95)
        if len(data) <= photos.PHOTO_MAX_BYTES:
            return data, "8-bit noise", (side, side)
        side = int(side * 0.97)


def _measure(path: str, results: multiprocessing.Queue) -> None:
    """In a fresh process: re-encode once, report CPU seconds, memory added and the outcome."""
    data = Path(path).read_bytes()
    before_cpu = resource.getrusage(resource.RUSAGE_SELF)
    baseline_kb = _current_rss_kb()
    try:
        photos.reencode(io.BytesIO(data))
        outcome = "accepted"
    except RuleBroken as refused:
        outcome = f"refused: {refused.message[:40]}…"
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before_cpu.ru_utime) + (after.ru_stime - before_cpu.ru_stime)
    results.put((cpu, (after.ru_maxrss - baseline_kb) / 1024, after.ru_maxrss / 1024, outcome))


def _current_rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


#: Children are forked by a small server started before any image is made: Linux keeps a
#: process's peak memory (ru_maxrss) across fork and exec, so a child of this process, which
#: holds the test images, would report this process's peak instead of its own.
CONTEXT = multiprocessing.get_context("forkserver")


def measure(data: bytes) -> tuple[float, float, float, str]:
    with tempfile.NamedTemporaryFile(suffix=".image") as file:
        file.write(data)
        file.flush()
        results = CONTEXT.Queue()
        child = CONTEXT.Process(target=_measure, args=(file.name, results))
        child.start()
        found = results.get()
        child.join()
    return found


def _at(cap: int) -> tuple[int, int]:
    """The largest 4:3 size within `cap` pixels."""
    height = math.isqrt(cap * 3 // 4)
    return height * 4 // 3, height


def cases() -> list[tuple[str, Callable[[], tuple[bytes, str]]]]:
    png, jpeg, webp = (_at(photos.MAX_PIXELS[kind]) for kind in ("PNG", "JPEG", "WEBP"))
    over = math.isqrt(max(photos.MAX_PIXELS.values())) + 1

    def bomb() -> tuple[bytes, str]:
        out = io.BytesIO()
        Image.new("L", (over * 2, over * 2)).save(out, "PNG")
        return out.getvalue(), "flat grey"

    def noise(mode: str, kind: str) -> Callable[[], tuple[bytes, str]]:
        def make() -> tuple[bytes, str]:
            data, detail, size = largest_pure_noise(mode, kind)
            return data, f"{detail}, {size[0]}×{size[1]}"
        return make

    return [
        (f"PNG RGB  {png[0]}×{png[1]}", lambda: noisiest_under_cap("RGB", png, "PNG")),
        (f"PNG RGBA {png[0]}×{png[1]}", lambda: noisiest_under_cap("RGBA", png, "PNG")),
        ("PNG RGBA largest pure noise", noise("RGBA", "PNG")),
        (f"JPEG     {jpeg[0]}×{jpeg[1]}", lambda: noisiest_under_cap("RGB", jpeg, "JPEG")),
        (f"WebP     {webp[0]}×{webp[1]}", lambda: noisiest_under_cap("RGB", webp, "WEBP")),
        (f"PNG over the cap {over * 2}×{over * 2}", bomb),
    ]


def main() -> None:
    CONTEXT.set_forkserver_preload(["donation_drive.public.photos"])
    measure(b"")  # starts the fork server while this process is still small
    print(f"Pixel caps {photos.MAX_PIXELS}; byte cap {photos.PHOTO_MAX_BYTES // (1024 * 1024)} MB; "
          f"budget {CPU_BUDGET_SECONDS:.1f} s CPU and {MEMORY_BUDGET_MB:.0f} MB per upload\n")
    print(f"{'image':<34} {'file':>7} {'CPU s':>6} {'+MB':>6} {'peak MB':>8}  verdict   content, outcome")
    over_budget = False
    for name, make in cases():
        data, detail = make()
        cpu, added_mb, peak_mb, outcome = measure(data)
        within = cpu <= CPU_BUDGET_SECONDS and added_mb <= MEMORY_BUDGET_MB
        over_budget |= not within
        print(f"{name:<34} {len(data) / 1e6:>5.1f}MB {cpu:>6.2f} {added_mb:>6.0f} {peak_mb:>8.0f}  "
              f"{'ok' if within else 'OVER':<9} {detail}; {outcome}")
    sys.exit(1 if over_budget else 0)


if __name__ == "__main__":
    main()
