#!/bin/sh
# The kit's Jupyter kernel in a repo2docker image (binder/postBuild registers it):
#   tslab-kernel.sh IMAGE_REPO CONNECTION_FILE
# tslab runs in the kit's folder, because the notebooks import ./src/... and ./exercises/... from
# there. That folder is IMAGE_REPO (the copy built into the image), or DS_KIT_DIR when it is set: on a
# hub, nbgitpuller puts each student's own copy in their home, and the hub sets DS_KIT_DIR to it (see
# README, "Teaching a class"). That copy has no node_modules: it is linked to the image's.
set -eu
repo=$1
connection=$2
kit=${DS_KIT_DIR:-$repo}
if [ ! -d "$kit/src" ]; then
  echo "tslab-kernel.sh: DS_KIT_DIR=$kit is not a copy of the kit (no src/ in it); using $repo" >&2
  kit=$repo
fi
if [ "$kit" != "$repo" ] && [ ! -e "$kit/node_modules" ]; then
  ln -s "$repo/node_modules" "$kit/node_modules"
fi
cd "$kit"
exec node "$repo/node_modules/tslab/bin/tslab" kernel --config-path "$connection"
