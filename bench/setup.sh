#!/usr/bin/env bash
# Set up the benchmark: one virtual environment per framework under bench/.venvs/,
# pinned peer versions from PyPI, wrk from Debian, py-spy from PyPI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
venvs="$here/.venvs"
py=${PYTHON:-python3.11}
mkdir -p "$venvs"

common="uvicorn==0.38.0 psycopg[binary]==3.2.12 psutil==7.1.3"

make_venv() {  # make_venv NAME PACKAGES...
  local name=$1; shift
  if [ -x "$venvs/$name/bin/python" ] && [ -f "$venvs/$name/.done" ]; then
    echo "venv $name: ready"; return
  fi
  echo "venv $name: installing $*"
  rm -rf "$venvs/$name"
  "$py" -m venv "$venvs/$name"
  "$venvs/$name/bin/pip" install -q --disable-pip-version-check "$@" $common
  touch "$venvs/$name/.done"
}

make_venv fasthx_ui -e "$root[xlsx]"
make_venv fasthx_admin "fasthx-admin==0.6.6" "starlette<1.0" "openpyxl"
make_venv sqladmin "sqladmin==0.32.0" "fastapi" "sqlalchemy[asyncio]"
make_venv starlette_admin "starlette-admin==1.0.3" "fastapi" "sqlalchemy[asyncio]>=2"
make_venv floor "fastapi" "jinja2" "sqlalchemy>=2"
make_venv driver "playwright" "py-spy" "psutil" "psycopg[binary]" "sqlalchemy>=2"

if ! command -v wrk >/dev/null; then
  echo "wrk: installing the Debian package"
  apt-get update -qq && apt-get install -y -qq wrk
fi
echo "setup done"
