#!/usr/bin/env bash
# Install the Debian packages the tests need: Chromium (browser tests, axe),
# a Java runtime (the W3C Nu HTML checker). Runs apt-get only as root; as
# another user it reports what is missing and fails under CI=true.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)

if [ ${#need[@]} -eq 0 ]; then
  echo "system-deps: all present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
  exit 0
fi

echo "system-deps: missing ${need[*]}; run 'sudo apt-get install ${need[*]}'" >&2
if [ "${CI:-}" = "true" ]; then
  exit 1
fi
echo "system-deps: tests that need them will be skipped (they fail under CI=true)" >&2
