#!/usr/bin/env python3
"""From a save to the reload: how long a writer waits in `streetpress serve`.

Starts `streetpress serve` on a site, listens to the reload events an open
tab listens to, and saves one article again and again (the middle one of
`content/articles/`, changed one way and then back), timing each save from
the moment the file is written and closed to the `reload` event. The article
is left as it was found.

    python3 bench/serve_latency.py --root DIR [--mode text|title|authors|tags|category]
                                   [--saves 12] [--pause 3] [--binary PATH]

Modes: `text` adds a sentence to the body; `title` changes the title;
`authors` adds an author; `tags` adds a new tag; `category` moves the article
to the next category of `site.toml`. A corpus to run it on:
`cargo run --release --example gen_corpus -- --articles 10000 --out DIR`.
The target: the rebuilt pages served within 100 ms of the save.
"""

import argparse
import http.client
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def edited(text, mode, categories):
    """The article's text changed as `mode` says."""
    if mode == "text":
        return text.replace("\n\n", "\n\n修改一句。\n\n", 1)
    if mode == "title":
        return text.replace("title: ", "title: 改", 1)
    if mode == "authors":
        return text.replace("author: [", "author: [王敏, ", 1)
    if mode == "tags":
        return text.replace("tags: [", "tags: [新标签, ", 1)
    current = re.search(r"^category: (\S+)$", text, re.M).group(1)
    following = categories[(categories.index(current) + 1) % len(categories)]
    return text.replace(f"category: {current}\n", f"category: {following}\n", 1)


def listen(port, events):
    """Puts (time, event name) of every event of the stream into `events`."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/__streetpress/events")
    response = connection.getresponse()
    while True:
        line = response.fp.readline()
        if not line:
            return
        if line.startswith(b"event: "):
            events.put((time.monotonic(), line[7:].strip().decode()))


def wait_until_served(port, server, seconds=300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("serve stopped before it served the site")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("serve did not serve the site in time")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", required=True, type=Path)
    parser.add_argument("--mode", default="text",
                        choices=["text", "title", "authors", "tags", "category"])
    parser.add_argument("--saves", type=int, default=12)
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between saves")
    parser.add_argument("--port", type=int, default=1119)
    parser.add_argument("--binary", help="streetpress to run (default: build the release one)")
    args = parser.parse_args()

    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        target_dir = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
        binary = str(Path(target_dir) / "release" / "streetpress")
    categories = re.findall(r'^key = "([^"]+)"', (args.root / "site.toml").read_text("utf-8"), re.M)
    articles = sorted((args.root / "content" / "articles").rglob("*.md"))
    article = articles[len(articles) // 2]
    original = article.read_text(encoding="utf-8")

    server = subprocess.Popen([binary, "serve", "--root", str(args.root), "--port", str(args.port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        wait_until_served(args.port, server)
        events = queue.Queue()
        threading.Thread(target=listen, args=(args.port, events), daemon=True).start()
        time.sleep(args.pause)  # the first build's search index, built after it is served
        for save in range(args.saves):
            while not events.empty():
                events.get()
            text = original if save % 2 else edited(original, args.mode, categories)
            article.write_text(text, encoding="utf-8")
            saved = time.monotonic()
            while True:
                at, name = events.get(timeout=30)
                if name == "reload":
                    break
            times.append((at - saved) * 1000)
            print(f"save {save + 1}: {times[-1]:.0f} ms", flush=True)
            time.sleep(args.pause)
    finally:
        article.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait()
    over = sum(t > 100 for t in times)
    print(f"{args.mode}: median {statistics.median(times):.0f} ms, {min(times):.0f}–{max(times):.0f} ms, "
          f"{over} of {len(times)} saves over 100 ms")


if __name__ == "__main__":
    main()
