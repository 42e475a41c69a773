"""What does the profile card's PDF cost? One card-sized Korean page (name, essentials, skills,
a filmography, a bio) rendered N times four ways in one run:

  html          the page through Django's template engine: what the HTML card costs (baseline)
  downscale-3   only re-encoding its three photos for the PDF (ohmanager.pdf.downscale_photo)
  pdf-text      the page as PDF without photos (WeasyPrint layout, Korean font subsetting)
  pdf-3-photos  the page as PDF with three stored-size photos (2048x1536 JPEGs, as
                accounts.profiles.images keeps them) through ohmanager.pdf.html_to_pdf

Run from the repository root (needs Pango and fonts-nanum, as the PDF itself does):

    .venv/bin/python -m bench.pdf [--renders 20] [--rounds 3]

Rounds are interleaved so drift hits every variant alike; each figure is the median (p50) and
the 90th percentile over all renders. Times and sizes are printed, never asserted.
"""

import argparse
import io
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ohmanager.settings.test")
os.environ.setdefault("OHMANAGER_IGNORE_DOTENV", "1")

import django

django.setup()

from django.template import engines  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402

from ohmanager import pdf  # noqa: E402

CARD = """<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ name }} 프로필</title>
<style>
  body { margin: 0; font-size: 10.5pt; line-height: 1.5; color: #222 }
  h1 { font-size: 22pt; margin: 0 0 2mm }
  .photos { display: flex; gap: 3mm; margin: 4mm 0 }
  .photos img { width: 56mm; height: 42mm; object-fit: cover }
  table { border-collapse: collapse; width: 100% }
  td, th { border-bottom: 0.3mm solid #ddd; padding: 1mm 2mm; text-align: left }
</style></head>
<body>
  <h1>{{ name }}</h1>
  <p>{{ age }}세 · {{ height }}cm · {{ weight }}kg · {{ agency }}</p>
  <div class="photos">{% for photo in photos %}<img src="{{ photo }}" alt="">{% endfor %}</div>
  <h2>특기</h2><p>{{ skills|join:" · " }}</p>
  <h2>언어</h2><p>{{ languages|join:" · " }}</p>
  <h2>필모그래피</h2>
  <table><tr><th>연도</th><th>작품</th><th>배역</th></tr>
  {% for year, title, role in films %}
    <tr><td>{{ year }}</td><td>{{ title }}</td><td>{{ role }}</td></tr>
  {% endfor %}</table>
  <h2>소개</h2><p>{{ bio }}</p>
</body></html>"""

CONTEXT = {
    "name": "김하늘",
    "age": 27,
    "height": 165,
    "weight": 50,
    "agency": "하늘엔터테인먼트",
    "skills": ["현대무용", "승마", "피아노", "검도", "수영"],
    "languages": ["한국어 (모국어)", "영어 (능숙)", "일본어 (일상회화)"],
    "films": [
        (2024 - i, f"단편영화 〈바람의 {i + 1}번째 계절〉", "주연 수진" if i % 2 else "조연 민지")
        for i in range(10)
    ],
    "bio": "연극영화과를 졸업하고 무대와 독립영화에서 꾸준히 활동해 왔습니다. " * 8,
}


def _photo(seed: int) -> bytes:
    """A stored-size photo-like JPEG (smooth colour and grain: it compresses like a photo)."""
    small = (410, 307)
    bands = [
        Image.effect_noise(small, 60 + 10 * seed).filter(ImageFilter.GaussianBlur(1)),
        Image.linear_gradient("L").resize(small).rotate(seed * 50),
        Image.radial_gradient("L").resize(small),
    ]
    image = Image.merge("RGB", bands).resize((2048, 1536), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _timed(work: Callable[[], object], count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20, help="renders per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not pdf.pdf_available():
        raise SystemExit("WeasyPrint cannot load Pango here: nothing to measure (see the log).")

    photos = {f"photos/{seed}.jpg": _photo(seed) for seed in range(3)}
    template = engines["django"].from_string(CARD)

    def files(name: str) -> tuple[bytes, str] | None:
        return (photos[name], "image/jpeg") if name in photos else None

    def html() -> str:
        return template.render(CONTEXT | {"photos": list(photos)})

    def text_only() -> bytes:
        page = template.render(CONTEXT | {"photos": []})
        return pdf.html_to_pdf(page, base_url=None, files=files)

    def with_photos() -> bytes:
        return pdf.html_to_pdf(html(), base_url=None, files=files)

    variants: list[tuple[str, Callable[[], object]]] = [
        ("html", html),
        ("downscale-3", lambda: [pdf.downscale_photo(data) for data in photos.values()]),
        ("pdf-text", text_only),
        ("pdf-3-photos", with_photos),
    ]
    for _, work in variants:  # warm up: imports, fontconfig's cache, the template
        work()
    times: dict[str, list[float]] = {name: [] for name, _ in variants}
    for _ in range(args.rounds):
        for name, work in variants:
            times[name] += _timed(work, args.renders)

    sizes = {
        "html": len(html().encode()),
        "pdf-text": len(text_only()),
        "pdf-3-photos": len(with_photos()),
    }
    baseline = statistics.median(times["html"])
    total = args.rounds * args.renders
    print(f"{total} renders per variant ({args.rounds} interleaved rounds), one process\n")
    print(f"{'variant':<14}{'p50 ms':>10}{'p90 ms':>10}{'x html':>10}{'bytes':>12}")
    for name, _ in variants:
        p50 = statistics.median(times[name])
        p90 = statistics.quantiles(times[name], n=10)[-1]
        size = f"{sizes[name]:,}" if name in sizes else "-"
        print(f"{name:<14}{p50 * 1000:>10.2f}{p90 * 1000:>10.2f}{p50 / baseline:>10.0f}{size:>12}")
    print(
        f"\nPDF rendering, p50 per card with 3 photos: "
        f"{statistics.median(times['pdf-3-photos']) * 1000:.0f} ms, "
        f"{sizes['pdf-3-photos'] / 1024:.0f} KiB (stored photos: "
        f"{sum(map(len, photos.values())) / 1024:.0f} KiB)"
    )


if __name__ == "__main__":
    main()
