#!/usr/bin/env bash
# Builds the release binaries and packs one zip per platform into dist/:
#   bash scripts/build-release.sh windows|linux-x86_64|linux-aarch64|all
#
# The Windows and ARM64 standard libraries are not installable through rustup
# here, so those targets are built with Debian's rustc-web (1.96) and its
# rust-web-src sources, the standard library compiled from source
# (-Zbuild-std), and Debian's cross C compilers for the C code in ring and
# mimalloc. The x86-64 Linux binary is a plain native build.
# Each zip holds the binary, 使用说明.txt, a start script and the sample site;
# entries are sorted and dated SOURCE_DATE_EPOCH (default: the last commit),
# so the same commit gives the same zip.
set -euo pipefail
cd "$(dirname "$0")/.."

platform="${1:-}"
case "$platform" in
  windows | linux-x86_64 | linux-aarch64) ;;
  all)
    for one in windows linux-x86_64 linux-aarch64; do
      bash "$0" "$one"
    done
    exit 0
    ;;
  *)
    echo "usage: $0 windows|linux-x86_64|linux-aarch64|all" >&2
    exit 2
    ;;
esac

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
target_dir="${CARGO_TARGET_DIR:-$PWD/target-release}"

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_packages() {
  local missing=()
  for package in "$@"; do
    installed "$package" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local as_root=()
  [ "$(id -u)" -ne 0 ] && as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Debian's compiler, not rustup's: only it comes with the standard library's
# sources. RUSTC_BOOTSTRAP lets the stable compiler take -Zbuild-std.
build_std() {
  local triple="$1"
  env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_DIR="$target_dir" \
    nice -n 10 /usr/bin/cargo build --locked --release \
    -Zbuild-std=std,panic_abort --target "$triple"
}

case "$platform" in
  windows)
    install_packages rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64
    # The posix flavour of MinGW's gcc: std needs its threads and pthread lib.
    export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-posix
    export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
    export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix
    build_std x86_64-pc-windows-gnu
    binary="$target_dir/x86_64-pc-windows-gnu/release/streetpress.exe"
    strip=x86_64-w64-mingw32-strip
    ;;
  linux-aarch64)
    install_packages rustc-web cargo-web rust-web-src gcc-aarch64-linux-gnu libc6-dev-arm64-cross
    export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
    export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
    objdump=aarch64-linux-gnu-objdump
    strip=aarch64-linux-gnu-strip
    build_std aarch64-unknown-linux-gnu
    binary="$target_dir/aarch64-unknown-linux-gnu/release/streetpress"
    ;;
  linux-x86_64)
    CARGO_TARGET_DIR="$target_dir" nice -n 10 cargo build --locked --release
    binary="$target_dir/release/streetpress"
    ;;
esac

# The release profile keeps line tables for backtraces in development; the
# shipped binary goes without them (a tenth of the size).
mkdir -p dist
stripped="$target_dir/streetpress-$platform"
"${strip:-strip}" -o "$stripped" "$binary"
binary="$stripped"
zip_path="dist/streetpress-$version-$platform.zip"
python3 scripts/release/pack.py "$platform" "$binary" "$zip_path"
echo "$zip_path"
case "$platform" in
  linux-*)
    # 统信UOS and 麒麟 ship older glibc: say which one this binary needs.
    needs="$("${objdump:-objdump}" -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
    echo "needs glibc ${needs#GLIBC_} or newer"
    ;;
esac
