#!/bin/sh
# Refuses a commit whose models and migrations disagree: `retort check` exits 3
# and prints one line per difference. Use it as a git hook
# (cp examples/precommit/retort-check.sh .git/hooks/pre-commit) or from
# pre-commit (see .pre-commit-config.yaml beside this file).
#
# Settings (environment):
#   RETORT_SET        the name given to retort_add_migrations()   (default: app)
#   RETORT_BUILD_DIR  the CMake build folder                       (default: build)
#   RETORT            the retort program                            (default: the one built there, else PATH)
#
# The plugin and the models module are rebuilt first, so the check sees the
# migrations and models of the working tree (a stale plugin would be exit 2).
# Note: the working tree, not only what is staged; stash unstaged changes first
# if they matter.
set -eu

set_name=${RETORT_SET:-app}
build_dir=${RETORT_BUILD_DIR:-build}

if [ ! -d "$build_dir" ]; then
    echo "retort-check: no build folder $build_dir (set RETORT_BUILD_DIR); skipping the drift check" >&2
    exit 0
fi

# The plugin, and the models module when the set has MODELS (MODELS_SQL needs no build).
targets="${set_name}_retort_plugin"
if cmake --build "$build_dir" --target help 2>/dev/null | grep -q "${set_name}_retort_models"; then
    targets="$targets ${set_name}_retort_models"
fi
# shellcheck disable=SC2086
cmake --build "$build_dir" --target $targets >/dev/null

retort=${RETORT:-}
if [ -z "$retort" ]; then
    if [ -x "$build_dir/bin/retort" ]; then retort="$build_dir/bin/retort"; else retort=retort; fi
fi
plugin=$(find "$build_dir/" -name "lib${set_name}_retort_plugin.so" -print -quit)
models=$(find "$build_dir/" -name "lib${set_name}_retort_models.so" -print -quit)
if [ -z "$plugin" ]; then
    echo "retort-check: no lib${set_name}_retort_plugin.so under $build_dir (is RETORT_SET the name given to retort_add_migrations()?)" >&2
    exit 2
fi

set -- --plugin "$plugin" check
if [ -n "$models" ]; then set -- "$@" --models "$models"; fi
# Without --models, `retort check` reads `models` / `models_sql` from retort.toml.

status=0
"$retort" "$@" || status=$?
case $status in
    0) exit 0 ;;
    3) echo "retort-check: the models and the migrations differ (above). Write the migration:" >&2
       echo "    retort revision --autogenerate -m \"<what changed>\"" >&2
       exit 1 ;;
    *) exit "$status" ;;
esac
