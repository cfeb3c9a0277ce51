# Shared helpers of the scripts. Source it: . "$(dirname "$0")/lib.sh"
# Everything installs into the git-ignored .tools/, idempotently.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
VENV="$TOOLS/venv"

# Creates the project venv (once) and installs a pinned requirements file
# into it, skipping the install when that file has not changed since.
ensure_python_requirements() {
    local requirements="$1"
    mkdir -p "$TOOLS/stamps"
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
    fi
    local stamp="$TOOLS/stamps/$(basename "$requirements").sha256"
    local want
    want="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        "$VENV/bin/python" -m pip install --quiet -r "$requirements"
        echo "$want" > "$stamp"
    fi
}

# A free TCP port on loopback.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Polls URL until it answers, at most ~20 s.
wait_for_http() {
    local url="$1"
    for _ in $(seq 1 200); do
        if curl -fsS -o /dev/null "$url" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "timed out waiting for $url" >&2
    return 1
}

# The environment every AWS SDK call of the tests runs with: loopback
# endpoints only, dummy credentials, and no instance-metadata lookups.
export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export AWS_ACCESS_KEY_ID=test
export AWS_SECRET_ACCESS_KEY=test
export AWS_EC2_METADATA_DISABLED=true
