#!/bin/sh
# Copy Chart.js (the statistics page's chart library) from npm into core/static/vendor/chart.js/, with its
# license and version. The copied files are committed, so `make run` needs no npm; run this to upgrade.
set -eu
VERSION="${1:-4.6.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="$ROOT/core/static/vendor/chart.js"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "chart.js@$VERSION" >/dev/null && tar -xzf "chart.js-$VERSION.tgz")
mkdir -p "$TARGET"
cp "$WORK/package/dist/chart.umd.min.js" "$TARGET/chart.umd.min.js"
cp "$WORK/package/LICENSE.md" "$TARGET/LICENSE.md"
printf 'chart.js %s (npm), dist/chart.umd.min.js\n' "$VERSION" > "$TARGET/VERSION"
echo "vendored chart.js $VERSION into $TARGET"
