#!/usr/bin/env python3
"""streetpress and Hugo side by side on the same synthetic corpus.

For each corpus size and each place (a folder on disk, and tmpfs under
/dev/shm), writes the corpus once with `examples/gen_corpus.rs`, then times
clean builds of both generators, alternating them so that noise from other
work on the machine falls on both alike; for streetpress also a rebuild with
nothing changed and a rebuild after one article was edited. Reports the
median wall time, CPU time (user + system) and peak memory (maximum
resident set) of each, and the ratios streetpress / Hugo.

    python3 bench/compare.py                         # 1,000 and 10,000 articles, 3 runs each
    python3 bench/compare.py --sizes 100000 --runs 1
    python3 bench/compare.py --smoke                 # 1,000 articles once, debug build: checks
                                                     # that it all runs; never fails on timing

Needs Debian's `hugo` and `time` packages (installed with apt-get when
missing and allowed). Without Hugo, streetpress alone is measured.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"


def log(message):
    print(message, file=sys.stderr, flush=True)


def apt_install(package):
    """Installs a Debian package when running as root or with sudo at hand."""
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None or not shutil.which("apt-get"):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(prefix + ["apt-get", "update", "-qq"], env=env, check=False)
    result = subprocess.run(prefix + ["apt-get", "install", "-y", "-qq", package], env=env,
                            stdout=subprocess.DEVNULL, check=False)
    return result.returncode == 0


def ensure_tools(want_hugo):
    if not os.access(TIME, os.X_OK):
        log("== installing Debian's time")
        if not apt_install("time"):
            sys.exit("needs /usr/bin/time (Debian package `time`)")
    if not want_hugo:
        return None
    if not shutil.which("hugo"):
        log("== installing Debian's hugo")
        apt_install("hugo")
    hugo = shutil.which("hugo")
    if hugo:
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
        log(f"== {version}")
    else:
        log("== hugo is not available: measuring streetpress alone")
    return hugo


def cargo_build(target_dir, release):
    profile = "release" if release else "debug"
    log(f"== building streetpress and the corpus generator ({profile})")
    command = ["cargo", "build", "--locked", "--bin", "streetpress", "--example", "gen_corpus"]
    subprocess.run(command + (["--release"] if release else []), cwd=ROOT, check=True)
    built = Path(target_dir) / profile
    return built / "streetpress", built / "examples" / "gen_corpus"


def timed(command, cwd):
    """Runs a command under /usr/bin/time; returns (wall s, cpu s, peak MB)."""
    subprocess.run(["sync"], check=False)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(
            [TIME, "-o", report.name, "-f", "%e %U %S %M"] + command,
            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.exit(f"failed: {' '.join(map(str, command))}\n{result.stderr[-4000:]}")
        fields = report.read().split()[-4:]
    wall, user, system, peak_kb = (float(f) for f in fields)
    return wall, user + system, peak_kb / 1024


def clear(path):
    shutil.rmtree(path, ignore_errors=True)


def median_row(runs):
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))


def fmt(row):
    wall, cpu, mem = row
    return f"{wall:.2f} s / {cpu:.2f} s / {mem:.0f} MB"


def ratio(a, b):
    return f"{a / b:.2f}×" if b else "–"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000",
                        help="comma-separated article counts (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--places", default="disk,tmpfs", help="disk, tmpfs or both")
    parser.add_argument("--disk-dir", default=None,
                        help="folder on disk for corpora (default: target/bench-corpus)")
    parser.add_argument("--tmpfs-dir", default="/dev/shm/streetpress-bench")
    parser.add_argument("--no-hugo", action="store_true", help="measure streetpress alone")
    parser.add_argument("--keep", action="store_true", help="keep the corpora afterwards")
    parser.add_argument("--smoke", action="store_true",
                        help="1,000 articles once with the debug build: checks that it all runs "
                             "(timings of a debug build mean nothing)")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.runs = "1000", 1
        args.places = "tmpfs" if Path("/dev/shm").is_dir() else "disk"

    target_dir = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    hugo = ensure_tools(not args.no_hugo)
    streetpress, gen_corpus = cargo_build(target_dir, release=not args.smoke)
    places = {
        "disk": Path(args.disk_dir or Path(target_dir) / "bench-corpus"),
        "tmpfs": Path(args.tmpfs_dir),
    }
    results, trash = [], []
    for size in [int(s) for s in args.sizes.split(",")]:
        for place in args.places.split(","):
            base = places[place] / f"{size}"
            if base.exists():
                # Deleted at the end: freeing many inodes just before the
                # timed runs makes ext4 skip over them while it allocates
                # new ones, for minutes, which would time the file system.
                old = base.with_name(f"{size}.old-{os.getpid()}")
                base.rename(old)
                trash.append(old)
            base.mkdir(parents=True)
            site, hugo_site = base / "streetpress", base / "hugo"
            log(f"== {size} articles on {place} ({base})")
            command = [gen_corpus, "--articles", str(size), "--out", site]
            if hugo:
                command += ["--hugo", hugo_site]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            # A build trusts file times only once the files are two seconds old.
            time.sleep(2.5)
            sp_runs, hugo_runs, rebuild_runs, edit_runs = [], [], [], []
            edited = next((site / "content" / "articles").rglob("a000001.md"), None)
            for run in range(args.runs):
                # A fresh output folder each run: deleting the last one just
                # before would make ext4 skip over its freed inodes while
                # allocating new ones, which would measure the file system.
                output = f"public-{run}"
                sp = [streetpress, "build", "--root", site, "--output", site / output]
                sp_runs.append(timed(sp, site))
                rebuild_runs.append(timed(sp, site))
                line = f"   run {run + 1}: streetpress {fmt(sp_runs[-1])}; " \
                       f"no-change rebuild {fmt(rebuild_runs[-1])}"
                if edited:
                    text = edited.read_text(encoding="utf-8")
                    edited.write_text(text.replace("title: ", f"title: 修订{run}·", 1),
                                      encoding="utf-8")
                    edit_runs.append(timed(sp, site))
                    edited.write_text(text, encoding="utf-8")
                    line += f"; one article edited {fmt(edit_runs[-1])}"
                    time.sleep(2.5)  # let the restored file settle, as after generating
                log(line)
                if hugo:
                    hugo_runs.append(timed([hugo, "--quiet", "--source", hugo_site,
                                            "--destination", output], hugo_site))
                    log(f"   run {run + 1}: hugo {fmt(hugo_runs[-1])}")
            results.append((size, place, median_row(sp_runs), median_row(rebuild_runs),
                            median_row(edit_runs) if edit_runs else None,
                            median_row(hugo_runs) if hugo_runs else None))
            if not args.keep:
                trash.append(base)
    for folder in trash:
        clear(folder)

    print(f"\nMedians of {args.runs} run(s): wall time / CPU time (user + system) / peak memory\n")
    if args.smoke:
        print("(smoke run of the debug build: these timings say nothing about speed)\n")
    print("| articles | place | streetpress, clean | no-change rebuild | one article edited "
          "| Hugo, clean | wall ratio | CPU ratio | memory ratio |")
    print("|---:|---|---|---|---|---|---:|---:|---:|")
    for size, place, sp, rebuild, edit, hg in results:
        ratios = [ratio(sp[i], hg[i]) for i in range(3)] if hg else ["–"] * 3
        cells = [f"{size:,}", place, fmt(sp), fmt(rebuild), fmt(edit) if edit else "–",
                 fmt(hg) if hg else "–"] + ratios
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
