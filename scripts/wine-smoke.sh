#!/usr/bin/env bash
# Runs the Windows build under Wine: `init`, `build` and `check` in
# D:\宣传科\网站 2024\, a GBK article, the built sample site compared byte for
# byte with the Linux build's (same SOURCE_DATE_EPOCH), and `serve` answering
# on loopback. Run by hand after `scripts/build-release.sh windows`:
#   bash scripts/wine-smoke.sh [streetpress.exe] [linux streetpress]
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
exe="${1:-$repo/target-release/x86_64-pc-windows-gnu/release/streetpress.exe}"
linux="${2:-$repo/target-release/release/streetpress}"
[ -x "$linux" ] || linux="$repo/target/debug/streetpress"
[ -f "$exe" ] || { echo "没有 $exe：先运行 scripts/build-release.sh windows" >&2; exit 1; }

if ! command -v /usr/lib/wine/wine64 >/dev/null; then
  as_root=()
  [ "$(id -u)" -ne 0 ] && as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine64 gcc-mingw-w64-x86-64
fi

work="$(mktemp -d)"
trap 'kill "${serve_pid:-}" 2>/dev/null || true; WINEPREFIX="$work/prefix" /usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
wine() { timeout 300 /usr/lib/wine/wine64 "$@"; }
fail() { echo "失败: $*" >&2; exit 1; }

/usr/lib/wine/wine64 wineboot -i >/dev/null 2>&1 || true
mkdir -p "$work/d/宣传科/网站 2024"
ln -sfn "$work/d" "$WINEPREFIX/dosdevices/d:"
cp "$exe" "$work/d/streetpress.exe"
# Wine 8.0 lacks this DLL (real Windows has it): see the C file.
x86_64-w64-mingw32-gcc -O2 -shared -o "$work/d/bcryptprimitives.dll" \
  scripts/release/wine-bcryptprimitives.c -ladvapi32
site='D:\宣传科\网站 2024'
unix_site="$work/d/宣传科/网站 2024"

echo "== init, build, check under Wine in $site"
(cd "$unix_site" && wine 'D:\streetpress.exe' init "$site\\新站") || fail "init"
wine 'D:\streetpress.exe' build --root "$site\\新站" || fail "build of the new site"
[ -f "$unix_site/新站/public/index.html" ] || fail "init+build wrote no index.html"
wine 'D:\streetpress.exe' check --root "$site\\新站" || fail "check"

echo "== a GBK article"
python3 - "$unix_site/新站/content/articles/gbk.md" <<'PY'
import sys
open(sys.argv[1], "wb").write("---\ntitle: 旧电脑上写的文章\ndate: 2024-03-01\n---\n正文内容。\n".encode("gbk"))
PY
wine 'D:\streetpress.exe' build --root "$site\\新站" 2>"$work/gbk.err" || fail "GBK build: $(cat "$work/gbk.err")"
grep -q 'GBK' "$work/gbk.err" || fail "no GBK warning: $(cat "$work/gbk.err")"
grep -rq '旧电脑上写的文章' "$unix_site/新站/public/articles" || fail "GBK article missing"
cat "$work/gbk.err"

echo "== the sample site, Wine against Linux"
mkdir -p "$unix_site/sample"
git ls-files -z -- site.toml content themes | xargs -0 cp --parents -t "$unix_site/sample"
cp -r "$unix_site/sample" "$work/linux-sample"
wine 'D:\streetpress.exe' build --root "$site\\sample" || fail "sample build under Wine"
"$linux" build --root "$work/linux-sample" || fail "sample build on Linux"
diff -r "$work/linux-sample/public" "$unix_site/sample/public" || fail "Wine and Linux builds differ"
echo "byte-identical: $(find "$work/linux-sample/public" -type f | wc -l) files"

echo "== serve on loopback"
port=18411
wine 'D:\streetpress.exe' serve --root "$site\\sample" --port "$port" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$port/" -o "$work/home.html" 2>/dev/null && break
  sleep 1
done
grep -q '清河湾' "$work/home.html" 2>/dev/null || fail "serve did not answer: $(cat "$work/serve.log")"
echo "serve answered on 127.0.0.1:$port"
echo "Wine smoke test passed"
