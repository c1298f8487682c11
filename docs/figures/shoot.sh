#!/usr/bin/env bash
# Screenshots of ./reweigh all's index and of the top of every report, by headless Chromium, for a person to read.
#   docs/figures/shoot.sh [RUNS_DIR] [OUT_DIR]     (defaults: runs, docs/figures)
# Chromium is not needed to build, test or run reweigh; on Debian: apt-get install chromium.
set -euo pipefail
runs="${1:-runs}"
out="${2:-$(dirname "$0")}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "shoot.sh: no chromium, chromium-browser or google-chrome on the PATH (on Debian: apt-get install chromium)" >&2
  exit 2
fi
if [ ! -f "$runs/index.html" ]; then
  echo "shoot.sh: $runs/index.html not found; run ./reweigh all first (or name the folder it wrote)" >&2
  exit 2
fi
mkdir -p "$out"
shoot() { # page, png, height; the page is loaded from disk and reaches nothing else
  rm -f "$2"
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="1100,$3" --screenshot="$2" "file://$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" >/dev/null 2>&1 || true
  [ -s "$2" ] || { echo "shoot.sh: chromium wrote nothing for $1" >&2; exit 1; }
  echo "wrote $2"
}
shoot "$runs/index.html" "$out/index.png" 2000
for report in "$runs"/*/report.html; do
  name="$(basename "$(dirname "$report")")"
  shoot "$report" "$out/$name.png" 1600
done
