#!/usr/bin/env bash
# Gradescope image set-up (run once, as root, on Gradescope's Ubuntu base image): Node 20 and the
# kit's dependencies. The autograder zip (`npm run autograder-zip`) holds the kit (with solutions/
# and test/grading/hidden/) at its root; Gradescope unpacks it into /autograder/source.
#   AUTOGRADER_ROOT=DIR            use DIR instead of /autograder (the kit's test)
#   DS_KIT_SKIP_NODE_INSTALL=1     keep the Node already on PATH (the kit's test, which cannot
#                                  install system packages); it must still be Node >= 20
set -euo pipefail
root=${AUTOGRADER_ROOT:-/autograder}

if [ "${DS_KIT_SKIP_NODE_INSTALL:-}" != 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y curl ca-certificates
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y nodejs
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup.sh: the kit needs Node >= 20, found $(node --version)" >&2
  exit 1
fi

cd "$root/source"
# --ignore-scripts: no Python venv (the grader needs none).
npm ci --ignore-scripts --no-audit --no-fund
cp scripts/gradescope/run_autograder "$root/run_autograder"
chmod +x "$root/run_autograder"
echo "setup.sh: node $(node --version), kit installed in $root/source"
