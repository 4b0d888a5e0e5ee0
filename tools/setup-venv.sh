#!/usr/bin/env bash
# Create or update the project virtual environment from a hash-pinned lock file.
# usage: tools/setup-venv.sh PYTHON VENV LOCKFILE
set -euo pipefail
python=${1:-python3}; venv=${2:-.venv}; lock=${3:-requirements.lock}
root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python not found; install Python 3.11 (e.g. apt-get install python3.11 python3.11-venv) or pass PYTHON=/path/to/python3.11" >&2
  exit 2
fi
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$version" != "3.11" ]; then
  echo "error: $python is Python $version; the lock is for Python 3.11: pass PYTHON=/path/to/python3.11 (or use environment.yml with conda)" >&2
  exit 2
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating $venv with $python"
  "$python" -m venv "$venv" || { echo "error: could not create $venv; on Debian: apt-get install python3-venv" >&2; exit 2; }
fi
echo "setup: installing pinned packages from $lock (hash-checked)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$lock" \
  2> >(grep -v "^WARNING: Location" >&2)
# The package itself: a path entry (an editable install without needing build tools).
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$root/src" > "$site/newsbrief.pth"
# The project's kernel, so papermill and JupyterLab run notebooks in this environment.
"$venv/bin/python" -m ipykernel install --sys-prefix --name newsbrief --display-name "Python (newsbrief)" >/dev/null
"$venv/bin/python" -c "import newsbrief.paths" 
echo "setup: $venv ready"
