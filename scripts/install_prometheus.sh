#!/usr/bin/env bash
# Debian's Prometheus (prometheus and promtool) for the tests that evaluate every dashboard
# query against a real server and unit-test the alert rules. Only the binaries are used:
# the tests start their own server on a loopback port. Idempotent; needs root (as in CI).
set -euo pipefail
source "$(dirname "$0")/apt_install.sh"
apt_install prometheus
# The package starts a system service on :9090 where systemd runs; the tests do not use it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl stop prometheus || true
fi
