#!/usr/bin/env bash
# Screenshots of a folder of runs as a reader sees them: the index and every report, opened in headless Chromium.
#   bench/screenshots.sh [RUNS] [OUT]     default runs/ (as ./reweigh all writes it) into docs/figures/
# Each page is shot at 1100 px wide and 1800 px high (the first screens: title, verdict, finding figure), one PNG a
# page. Needs Debian's chromium (apt-get install chromium); it loads the pages from disk and reaches nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-runs}"
out="${2:-docs/figures}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "screenshots: no chromium on PATH (Debian: apt-get install chromium)" >&2; exit 2; }
[ -f "$runs/index.html" ] || { echo "screenshots: $runs/index.html not found; run ./reweigh all first" >&2; exit 2; }
mkdir -p "$out"
shoot() { # page, png
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1100,1800 --screenshot="$2" "file://$(realpath "$1")" >/dev/null 2>&1
  [ -s "$2" ] || { echo "screenshots: chromium wrote nothing for $1" >&2; exit 1; }
  echo "$2"
}
shoot "$runs/index.html" "$out/index.png"
for report in "$runs"/*/report.html; do
  shoot "$report" "$out/$(basename "$(dirname "$report")").png"
done
