#!/usr/bin/env bash
# Install the Debian packages the tests need: Chromium (browser tests, axe,
# pa11y), Firefox ESR (the second browser engine, driven by puppeteer-core),
# a Java runtime (the W3C Nu HTML checker), nginx (the deploy configuration
# under test). Runs apt-get only as root; as
# another user it reports what is missing and fails under CI=true.
set -euo pipefail

need=()
# A browser already named by CHROMIUM (e.g. Google Chrome on GitHub's runners,
# see .github/workflows/pages.yml) is used as it is.
if [ -n "${CHROMIUM:-}" ] && [ -x "${CHROMIUM}" ]; then :; else
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
# Firefox ESR: tests/browser/test_firefox.py (FIREFOX names another build).
if [ -n "${FIREFOX:-}" ] && [ -x "${FIREFOX}" ]; then :; else
  command -v firefox-esr >/dev/null 2>&1 || need+=(firefox-esr)
fi
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# nginx serves the build with the generated headers in tests/browser/test_nginx.py.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
# npm installs package.json's pins (the offline copy's iframe-worker shim).
command -v npm >/dev/null 2>&1 || need+=(npm)

if [ ${#need[@]} -eq 0 ]; then
  echo "system-deps: all present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Do not let package scripts start services (nginx on port 80): the tests
  # start their own nginx on a loopback port and stop it.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${need[@]}"
  exit 0
fi

echo "system-deps: missing ${need[*]}; run 'sudo apt-get install ${need[*]}'" >&2
if [ "${CI:-}" = "true" ]; then
  exit 1
fi
echo "system-deps: tests that need them will be skipped (they fail under CI=true)" >&2
