#!/usr/bin/env bash
# Installs Debian's `chromium` package for the report's browser test when /usr/bin/chromium is missing.
# Idempotent: does nothing when it is already there. Needs root and apt (the CI machine is Debian).
# Prints the browser's path on its last line.
set -euo pipefail

BROWSER=/usr/bin/chromium
if [ ! -x "$BROWSER" ]; then
	if [ "$(id -u)" != "0" ]; then
		echo "install-chromium: $BROWSER is missing and this is not root; install the Debian package 'chromium'" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
"$BROWSER" --version >&2
echo "$BROWSER"
