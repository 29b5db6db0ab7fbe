#!/usr/bin/env bash
# Gradescope image set-up: Node 20 and the kit's dependencies. The autograder zip holds the kit
# (with solutions/ and test/grading/hidden/) at its root; Gradescope unpacks it into /autograder/source.
set -euo pipefail
apt-get update
apt-get install -y curl ca-certificates
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y nodejs
cd /autograder/source
npm ci --ignore-scripts
cp scripts/gradescope/run_autograder /autograder/run_autograder
chmod +x /autograder/run_autograder
