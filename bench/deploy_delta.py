#!/usr/bin/env python3
"""What a deploy sends after one edit, against the whole site.

Deploys a site to a folder target (a temporary folder), edits one article
(a sentence added to the middle article of `content/articles/`, the way a
writer corrects a piece), deploys again, and reports the files and bytes
each deploy sent, read from the deploy's own summary and from the target
folder (files whose inode changed). The article is left as it was found;
the target folder is removed. Which files change after an edit does not
depend on the kind of target, so a folder stands for all of them.

    python3 bench/deploy_delta.py --root DIR [--binary PATH]

A corpus to run it on:
`cargo run --release --example gen_corpus -- --articles 10000 --out DIR`.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stamps(folder):
    """Inode and size of every file under `folder`."""
    out = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            out[os.path.relpath(path, folder)] = (st.st_ino, st.st_size)
    return out


def deploy(binary, root):
    run = subprocess.run([binary, "deploy", "--root", str(root)], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"deploy failed:\n{run.stdout}\n{run.stderr}")
    return run.stdout.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, type=Path)
    parser.add_argument("--binary", default=str(ROOT / "target/release/streetpress"))
    args = parser.parse_args()
    site_toml = args.root / "site.toml"
    original_toml = site_toml.read_text(encoding="utf-8")
    articles = sorted((args.root / "content/articles").rglob("*.md"))
    article = articles[len(articles) // 2]
    original = article.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as target:
        site_toml.write_text(
            original_toml + f'\n[[deploy]]\nname = "bench"\nkind = "folder"\npath = "{target}"\n',
            encoding="utf-8",
        )
        try:
            first = deploy(args.binary, args.root)
            before = stamps(target)
            article.write_text(original.replace("\n\n", "\n\n修改一句。\n\n", 1), encoding="utf-8")
            second = deploy(args.binary, args.root)
            after = stamps(target)
        finally:
            article.write_text(original, encoding="utf-8")
            site_toml.write_text(original_toml, encoding="utf-8")
    rewritten = [p for p, s in after.items() if before.get(p) != s]
    site_files = len(after)
    site_bytes = sum(size for _, size in after.values())
    sent_bytes = sum(after[p][1] for p in rewritten)
    print(f"first deploy:  {first}")
    print(f"after an edit: {second}")
    print(f"target: {site_files} files, {site_bytes / 1e6:.1f} MB; rewritten after the edit: "
          f"{len(rewritten)} files ({len(rewritten) / site_files:.2%}), {sent_bytes / 1e6:.2f} MB "
          f"({sent_bytes / site_bytes:.2%} of the bytes)")
    manifest = after.get(".streetpress-manifest.json")
    if manifest:
        print(f"of which the manifest: {manifest[1] / 1e6:.2f} MB")
    kinds = {}
    for p in rewritten:
        key = re.sub(r"/.*", "/", p) if "/" in p else p
        files, size = kinds.get(key, (0, 0))
        kinds[key] = (files + 1, size + after[p][1])
    print("rewritten by folder:", ", ".join(
        f"{k} {n} ({size / 1e6:.2f} MB)" for k, (n, size) in sorted(kinds.items())))


if __name__ == "__main__":
    main()
