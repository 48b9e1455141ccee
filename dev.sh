#!/usr/bin/env bash
# qwery's quick start. Two commands:
#   ./dev.sh app [ARGS...]   install what is missing, build a release binary, open qwery on sample-corpus/
#                            (or run qwery with ARGS)
#   ./dev.sh test            install what is missing, build, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

system_packages=(libopenblas-dev libncursesw5-dev libsqlite3-dev libpoppler-glib-dev libxml2-dev libtree-sitter-dev libyaml-dev pkg-config)
test_packages=(tmux)

# Installs the Debian/Ubuntu packages that are not installed yet (with sudo when not root).
ensure_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "qwery: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

command -v swift >/dev/null || { echo "qwery: Swift 6 is required (https://swift.org/install)." >&2; exit 1; }

# Builds the tree-sitter grammars that are not installed yet (pinned sdists from PyPI, compiled with cc into
# ~/.local/share/qwery/grammars). Without them code is chunked by indentation: a warning, not a failure.
ensure_grammars() {
    local qwery=$1
    "$qwery" grammars list | grep -qE ' (missing|unusable)|rebuild:' || return 0
    python3 -m pip --version >/dev/null 2>&1 || ensure_packages python3-pip
    command -v cc >/dev/null || ensure_packages gcc
    "$qwery" grammars install --missing || echo "qwery: some grammars were not built; those languages are chunked by indentation (qwery grammars list)." >&2
}

case "${1:-app}" in
    app)
        shift || true
        ensure_packages "${system_packages[@]}"
        swift build -c release --product qwery
        ensure_grammars .build/release/qwery
        if [ $# -eq 0 ]; then
            found=$(.build/release/qwery models)
            missing=()
            grep -qE '^\*.* embedding ' <<<"$found" || missing+=(Qwen3-Embedding-0.6B)
            grep -qE '^\*.* reranker ' <<<"$found" || missing+=(Qwen3-Reranker-0.6B)
            if [ ${#missing[@]} -gt 0 ]; then
                echo "qwery: pulling ${missing[*]} from the Hugging Face hub (1.2 GB each)." >&2
                .build/release/qwery models pull "${missing[@]}" \
                    || echo "qwery: continuing without them: search works lexically (see README: Models)." >&2
            fi
            set -- sample-corpus
        fi
        exec .build/release/qwery "$@"
        ;;
    test)
        ensure_packages "${system_packages[@]}" "${test_packages[@]}"
        swift build --build-tests
        ensure_grammars .build/debug/qwery
        # qwery eval's metrics are checked against ir-measures (pytrec_eval) in a test.
        python3 -c "import ir_measures" 2>/dev/null || { python3 -m pip --version >/dev/null 2>&1 || ensure_packages python3-pip; python3 -m pip install --quiet ir-measures; }
        # A hung test must fail the run, not stall it: the whole suite takes about a minute.
        timeout --kill-after=30 1800 swift test --skip-build
        ;;
    *)
        echo "usage: ./dev.sh app [ARGS...] | ./dev.sh test" >&2
        exit 2
        ;;
esac
