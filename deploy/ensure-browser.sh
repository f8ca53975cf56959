#!/usr/bin/env bash
# What the browser journeys need: Debian's Chromium (driven by Playwright) and CJK fonts
# (Chinese pages and screenshots). Installs them when it can (root with apt-get);
# otherwise stops, naming what is missing and the command that installs it — the
# suite never skips the journeys (tests/conftest.py `browser` fails without Chromium).
# Called by `make test` and `.ci/run`. CHROMIUM overrides the browser's path.
set -euo pipefail

chromium="${CHROMIUM:-/usr/bin/chromium}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-browser: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  [ -x "$chromium" ] || { echo "ensure-browser: $chromium still missing after installing chromium" >&2; exit 1; }
  exit 0
fi

{
  echo "缺少浏览器测试所需的软件包 / missing for the browser journeys: ${missing[*]}"
  [ -x "$chromium" ] || echo "  - $chromium (Chromium, driven by Playwright)"
  [ -d /usr/share/fonts/opentype/noto ] || echo "  - /usr/share/fonts/opentype/noto (fonts-noto-cjk, Chinese text)"
  echo "安装 / install:  sudo apt-get install ${missing[*]}"
} >&2
exit 1
