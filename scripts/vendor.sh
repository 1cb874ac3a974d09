#!/usr/bin/env bash
# Re-create fasthx_ui/static/vendor/ (and the test-only axe-core) from the npm registry.
# Upgrading a front-end library is: change its version below, run this script, commit.
set -euo pipefail

HTMX=4.0.1
BOOTSTRAP=5.3.9
BOOTSTRAP_ICONS=1.13.2
TOM_SELECT=2.6.2
AXE_CORE=4.14.1

root=$(cd "$(dirname "$0")/.." && pwd)
vendor="$root/fasthx_ui/static/vendor"
test_vendor="$root/tests/e2e/vendor"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

unpack() {  # unpack NAME VERSION -> prints the folder holding the package
  local dir="$scratch/$1"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$1@$2" >/dev/null && tar xzf ./*.tgz)
  echo "$dir/package"
}

rm -rf "$vendor" "$test_vendor"
mkdir -p "$vendor"/{htmx,bootstrap,bootstrap-icons/fonts,tom-select} "$test_vendor"

pkg=$(unpack htmx.org "$HTMX")
cp "$pkg/dist/htmx.min.js" "$pkg/dist/ext/hx-sse.min.js" "$pkg/LICENSE" "$vendor/htmx/"

pkg=$(unpack bootstrap "$BOOTSTRAP")
cp "$pkg/dist/css/bootstrap.min.css" "$pkg/dist/js/bootstrap.bundle.min.js" "$pkg/LICENSE" "$vendor/bootstrap/"

pkg=$(unpack bootstrap-icons "$BOOTSTRAP_ICONS")
cp "$pkg/font/bootstrap-icons.min.css" "$vendor/bootstrap-icons/"
cp "$pkg/font/fonts/bootstrap-icons.woff2" "$pkg/font/fonts/bootstrap-icons.woff" "$vendor/bootstrap-icons/fonts/"
cp "$pkg/LICENSE" "$vendor/bootstrap-icons/"

pkg=$(unpack tom-select "$TOM_SELECT")
cp "$pkg/dist/js/tom-select.complete.min.js" "$pkg/dist/css/tom-select.bootstrap5.min.css" "$vendor/tom-select/"
cp "$pkg/LICENSE" "$vendor/tom-select/"

pkg=$(unpack axe-core "$AXE_CORE")
cp "$pkg/axe.min.js" "$pkg/LICENSE" "$test_vendor/"

cat > "$vendor/VERSIONS" <<VERSIONS
# Vendored front-end libraries: name version license. Re-create with scripts/vendor.sh.
htmx.org $HTMX 0BSD (htmx/htmx.min.js, htmx/hx-sse.min.js)
bootstrap $BOOTSTRAP MIT (bootstrap/)
bootstrap-icons $BOOTSTRAP_ICONS MIT (bootstrap-icons/)
tom-select $TOM_SELECT Apache-2.0 (tom-select/)
VERSIONS
echo "axe-core $AXE_CORE MPL-2.0 (test only)" > "$test_vendor/VERSIONS"
echo "vendored into $vendor and $test_vendor"
