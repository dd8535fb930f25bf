"""Packs one release zip: the binary, 使用说明.txt, the start script and the
sample site (site.toml, content/, themes/ as the repository tracks them).

Entries are sorted and all dated SOURCE_DATE_EPOCH, so the same inputs give
the same bytes. Usage: pack.py PLATFORM BINARY OUT.zip
"""

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FOLDER = "streetpress"
SAMPLE_SITE = ["site.toml", "content", "themes"]


def tracked_sample_files():
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", *SAMPLE_SITE],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout
    return sorted(name for name in listed.decode().split("\0") if name)


def text(name, windows):
    body = (HERE / name).read_text(encoding="utf-8")
    # Notepad on older Windows shows a file with bare LF as one long line.
    if windows:
        body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return body.encode("utf-8")


def main():
    platform, binary, out = sys.argv[1:4]
    windows = platform == "windows"
    stamp = time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))[:6]
    # zip cannot date a file before 1980.
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))

    entries = {}  # name in the zip -> (bytes, executable)
    exe_name = "streetpress.exe" if windows else "streetpress"
    entries[exe_name] = (Path(binary).read_bytes(), True)
    entries["使用说明.txt"] = (text("使用说明.txt", windows), False)
    if windows:
        entries["启动预览.bat"] = (text("启动预览.bat", True), False)
    else:
        entries["启动预览.sh"] = (text("启动预览.sh", False), True)
    for name in tracked_sample_files():
        entries[name] = ((ROOT / name).read_bytes(), False)

    partial = out + ".part"
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            data, executable = entries[name]
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is read
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            # Chinese names are stored as UTF-8 and flagged so (bit 11):
            # Windows' own unzip then shows them right.
            info.flag_bits |= 0x800
            archive.writestr(info, data)
    os.replace(partial, out)


if __name__ == "__main__":
    main()
