#!/usr/bin/env bash
# Run the Arabic tests under matplotlib 3.10 (no libraqm shaping), so the
# arabic_reshaper + python-bidi path of analysis.arabic is exercised.
#
#   tools/mpl310/run.sh [extra pytest args]
#
# Creates .venv-mpl310 in the repo root on first use (or when
# requirements.txt changed), installs tools/mpl310/requirements.txt and the
# project without dependencies, checks that the probe reports no native
# shaping, then runs tests/test_arabic.py and tests/test_arabic_ocr.py.
# Env: PYTHON (interpreter for the venv, default python3, needs >= 3.11),
#      MPL310_VENV (venv path, default <repo>/.venv-mpl310).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${MPL310_VENV:-$root/.venv-mpl310}"
req="$here/requirements.txt"
python="${PYTHON:-python3}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"

if [[ ! -x "$venv/bin/python" ]] || [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    echo "mpl310: creating $venv" >&2
    "$python" -c 'import sys; assert sys.version_info >= (3, 11), sys.version'
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
    # The project itself, without its (3.11-era) dependencies.  Falls back to
    # PYTHONPATH=src below if it cannot be installed.
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            --no-deps -e "$root" >/dev/null 2>&1; then
        echo "mpl310: editable install failed, using PYTHONPATH=src" >&2
    fi
    echo "$want" > "$stamp"
fi

# Always import the working tree (also covers a failed/namespace editable install).
export PYTHONPATH="$root/src${PYTHONPATH:+:$PYTHONPATH}"
unset ANALYSIS_ARABIC_MODE
cd "$root"

"$venv/bin/python" - <<'EOF'
import matplotlib
from analysis import arabic
print(f"mpl310: matplotlib {matplotlib.__version__}, native_shaping={arabic.native_shaping()}")
assert matplotlib.__version__.startswith("3.10."), matplotlib.__version__
assert not arabic.native_shaping(), "matplotlib 3.10 must use the reshape path"
EOF

exec "$venv/bin/python" -m pytest tests/test_arabic.py tests/test_arabic_ocr.py -q "$@"
