#!/usr/bin/env bash
# A screenshot of a report that ssd report wrote: DIR/index.html rendered by headless Chromium into DIR/screenshot.png.
#   scripts/report-screenshot.sh DIR [HEIGHT]   (HEIGHT in pixels, default 3000; the width is 1280)
# Chromium comes from Debian's package (apt-get install -y chromium); .ci/run installs it for the tests.
set -euo pipefail
dir=${1:?usage: scripts/report-screenshot.sh DIR [HEIGHT]}
height=${2:-3000}
[ -f "$dir/index.html" ] || { echo "report-screenshot: $dir/index.html not found (run ssd report --out $dir first)" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "report-screenshot: no chromium on PATH (apt-get install -y chromium)" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
page="file://$(cd "$dir" && pwd)/index.html"
tmp="$(cd "$dir" && pwd)/.screenshot.tmp.png"  # Chromium picks the format from the extension
# --no-sandbox: Chromium refuses to run as root with its sandbox (containers, CI).
"$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1280,"$height" --screenshot="$tmp" "$page" 2>/dev/null >/dev/null
mv "$tmp" "$dir/screenshot.png"
echo "wrote $dir/screenshot.png (1280x$height)"
