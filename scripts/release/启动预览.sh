#!/bin/sh
# 双击运行（或在终端里运行 ./启动预览.sh）：生成预览并打开浏览器。
cd "$(dirname "$0")" || exit 1
( sleep 3; xdg-open http://127.0.0.1:1111/ >/dev/null 2>&1 ) &
exec ./streetpress serve
