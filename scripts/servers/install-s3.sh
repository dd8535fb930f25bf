#!/usr/bin/env bash
# Installs moto's S3-compatible server, which the deploy tests start on
# loopback (tests/integration/deploy/s3.rs), with boto3, which they look at
# the bucket with. Does nothing when python3 can import both.
set -euo pipefail

if python3 -c 'import moto.server, boto3' >/dev/null 2>&1; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi

if ! python3 -m pip --version >/dev/null 2>&1; then
  echo "== installing Debian's python3-pip for moto"
  ${as_root[@]+"${as_root[@]}"} apt-get update -qq
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
fi

# Debian's own python3 refuses pip installs into the system (PEP 668): moto
# goes into the user's site-packages there, which python3 still imports.
# In a virtualenv or a python3 of one's own (pyenv) it installs as usual.
pip_args=()
if python3 -c '
import os, sys, sysconfig
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if os.path.exists(marker) and sys.prefix == sys.base_prefix else 1)
'; then
  pip_args=(--user --break-system-packages)
fi

echo "== installing moto's S3 server for the S3 deploy tests"
python3 -m pip install --quiet ${pip_args[@]+"${pip_args[@]}"} 'moto[server]>=5,<6'
python3 -c 'import moto.server, boto3'
