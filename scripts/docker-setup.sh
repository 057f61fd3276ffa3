#!/usr/bin/env bash
# Makes a Docker engine and the base images the shipped templates build FROM
# available on this machine (and ripgrep on the host, for the local sandbox, and chromium-headless-shell for the studio's browser tests). On a laptop with Docker running and a registry in
# reach it only pulls; on an offline Debian machine (CI) it installs the engine
# from Debian's packages, starts dockerd, and builds the base images locally:
# debian:bookworm-slim from debootstrap, node:20-bookworm-slim from that plus
# this machine's own Node 20. Safe to run again: every step checks first.
set -euo pipefail

log() { printf '[docker-setup] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

engine_up() { docker info >/dev/null 2>&1; }

ensure_engine() {
  if engine_up; then return; fi
  if ! command -v dockerd >/dev/null; then
    command -v apt-get >/dev/null || { log "no Docker engine and no apt-get: install Docker, start it, and run this again"; exit 1; }
    log "installing Docker engine (docker.io)"
    apt_install docker.io
  fi
  log "starting dockerd"
  as_root sh -c 'nohup dockerd >/var/log/runtools-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do engine_up && return; sleep 1; done
  log "dockerd did not come up; see /var/log/runtools-dockerd.log"; tail -n 20 /var/log/runtools-dockerd.log >&2 || true
  exit 1
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

ensure_debian() {
  local image=debian:bookworm-slim
  have_image "$image" && return
  if timeout 60 docker pull -q "$image" >/dev/null 2>&1; then log "pulled $image"; return; fi
  log "no registry in reach: building $image with debootstrap (about a minute)"
  command -v debootstrap >/dev/null || apt_install debootstrap
  local root; root=$(mktemp -d /tmp/runtools-rootfs.XXXXXX)
  as_root debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/tmp/runtools-debootstrap.log 2>&1 ||
    { tail -n 20 /tmp/runtools-debootstrap.log >&2; exit 1; }
  as_root rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  as_root tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$image" >/dev/null
  as_root rm -rf "$root"
  log "built $image"
}

ensure_node() {
  local image=node:20-bookworm-slim
  have_image "$image" && return
  if timeout 120 docker pull -q "$image" >/dev/null 2>&1; then log "pulled $image"; return; fi
  local node_bin npm_dir ctx
  node_bin=$(readlink -f "$(command -v node)")
  "$node_bin" --version | grep -q '^v20\.' || { log "need this machine's node to be v20 to build $image"; exit 1; }
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  ctx=$(mktemp -d /tmp/runtools-node.XXXXXX)
  cp "$node_bin" "$ctx/node"
  cp -a "$npm_dir" "$ctx/npm"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm-slim
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version
CMD ["node"]
DOCKERFILE
  docker build -q -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "built $image from this machine's node $("$node_bin" --version)"
}

# The local sandbox (sandbox: 'local') runs grep and glob with the host's ripgrep.
ensure_host_ripgrep() {
  command -v rg >/dev/null && return
  if command -v apt-get >/dev/null; then log "installing ripgrep on this machine (for the local sandbox)"; apt_install ripgrep; return; fi
  log "no ripgrep here: grep and glob will not work in the local sandbox (install ripgrep to use them)"
}

# The studio's browser tests drive Debian's headless Chromium (playwright-core downloads no browser).
ensure_host_chromium() {
  [ -x /usr/bin/chromium-headless-shell ] && return
  if command -v apt-get >/dev/null; then log "installing chromium-headless-shell (for the studio's browser tests)"; apt_install chromium-headless-shell; return; fi
  log "no chromium-headless-shell here: the studio's browser tests will skip (install Debian's chromium-headless-shell to run them)"
}

ensure_host_ripgrep
ensure_host_chromium
ensure_engine
ensure_debian
ensure_node
log "ready: $(docker version --format '{{.Server.Version}}') with debian:bookworm-slim and node:20-bookworm-slim"
