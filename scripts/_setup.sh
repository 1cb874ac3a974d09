# Shared setup for scripts/test and scripts/run (sourced, not run).
# Defines: $root (the repository), say/die (messages on stderr), apt_install (Debian
# packages, as root), ensure_venv (.venv with `pip install -e '.[dev]'`, redone only
# when pyproject.toml changed since the last install).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
me="scripts/$(basename "$0")"

say() { printf '[%s] %s\n' "$me" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

apt_updated=
apt_install() {  # apt_install PACKAGE... : Debian packages; waits for another apt's lock
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
  if [ -z "$apt_updated" ]; then
    say "running apt-get update"
    as_root "${apt[@]}" update -q >&2
    apt_updated=1
  fi
  say "installing Debian package(s): $*"
  as_root "${apt[@]}" install -y -q "$@" >&2
}

ensure_venv() {
  local venv="$root/.venv" stamp="$root/.venv/.pyproject.sha256" want
  if ! command -v python3 >/dev/null; then
    say "python3 not found"; apt_install python3 python3-venv
  fi
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c '' 2>/dev/null; then
    say "venv: $venv exists"
  else
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
      say "python3 cannot create a venv (no ensurepip)"
      apt_install python3-venv
    fi
    say "venv: creating $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
  want=$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    say "venv: pyproject.toml unchanged since last install, skipping pip install"
  else
    say "venv: pip install -e '.[dev]' (pyproject.toml is new or changed)"
    (cd "$root" && PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install -q -e '.[dev]' >&2)
    echo "$want" >"$stamp"
  fi
  py="$venv/bin/python"
}
