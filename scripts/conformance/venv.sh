# Sourced by the conformance checks: a virtualenv in .build-conformance/venv (git-ignored) holding
# the outside tools they check against, installed quietly and only when missing.
#   conformance_python PACKAGE[==VERSION] IMPORT_NAME   sets $py, installing PACKAGE if IMPORT_NAME is missing
conformance_python() {
    local spec="$1" module="$2"
    local folder="$repo/.build-conformance"
    py="$folder/venv/bin/python"
    if [[ ! -x $py ]]; then
        mkdir -p "$folder"
        python3 -m venv "$folder/venv" >/dev/null || {
            echo "conformance: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2
            exit 2
        }
    fi
    local wanted="${spec#*==}"
    [[ $wanted == "$spec" ]] && wanted=""
    if ! "$py" -c "import importlib.metadata as m, sys; import $module; sys.exit(0 if not '$wanted' or m.version('${spec%%==*}') == '$wanted' else 1)" 2>/dev/null; then
        if ! "$py" -m pip install --quiet --disable-pip-version-check "$spec" >"$folder/pip.log" 2>&1; then
            echo "conformance: pip install $spec failed; see .build-conformance/pip.log" >&2
            tail -n 20 "$folder/pip.log" >&2
            exit 2
        fi
    fi
}
