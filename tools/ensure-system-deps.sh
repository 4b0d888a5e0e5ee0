#!/usr/bin/env bash
# The test suite looks at the briefing as a reader would: headless Chromium (hostile-HTML test)
# and pdftoppm (PDF pages). Install them from Debian's packages when missing and we can;
# otherwise say so: the tests that need them are skipped with that reason.
set -uo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing ${missing[*]} (Debian packages) for the browser and PDF checks"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 \
    || echo "note: could not install ${missing[*]}; tests needing them will be skipped"
else
  echo "note: ${missing[*]} missing (install: sudo apt-get install ${missing[*]}); tests needing them will be skipped"
fi
exit 0
