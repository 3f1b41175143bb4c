# Retort's CMake functions: compile a folder of C++ migrations into a plugin for
# the `retort` CLI and a library the application links, add the db-* targets and
# the CTest round-trip cases.
#
# Included by RetortConfig.cmake (find_package(Retort)) and by Retort's own
# CMakeLists.txt (add_subdirectory / FetchContent). Public: retort_add_migrations().
# Everything named _retort_* is private and may change.

include_guard(GLOBAL)

# The version the plugins record: RETORT_VERSION from RetortConfig.cmake, or the
# project's when Retort is built in the same tree. Kept in a global property because
# a consumer's directory does not see the variables of Retort's own directory.
if(DEFINED RETORT_VERSION)
  set_property(GLOBAL PROPERTY _RETORT_VERSION "${RETORT_VERSION}")
elseif(PROJECT_NAME STREQUAL "Retort")
  set_property(GLOBAL PROPERTY _RETORT_VERSION "${PROJECT_VERSION}")
endif()

#[=======================================================================[.rst:
.. command:: retort_add_migrations

  Compiles the migrations of one database into a plugin for the ``retort`` CLI
  and a library the application links, and adds the ``db-*`` targets and the
  CTest round-trip cases that drive them::

    retort_add_migrations(<name>
      DIRECTORY <dir>
      [MODELS <target> | MODELS_SQL <file>]
      [DATABASE <url>]
      [TEST_DATABASE <url>...]
      [DIALECTS <dialect>...]
      [CONFIG <file>]
      [FIXTURES <dir>]
      [VERSION_TABLE <table>]
      [DRIFT <ERROR|WARNING|OFF>]
      [LINT <WARNING|ERROR|OFF>]
      [ALLOW_MULTIPLE_HEADS])

  An unknown keyword, a keyword given twice or without its value, a missing
  ``DIRECTORY``, a folder or file that does not exist and a ``MODELS`` name that is
  not a target are errors that name them.

  ``<name>``
    The migration set's name, a C identifier. Targets, tests and generated files
    are prefixed with it (``<name>-db-upgrade``, ``<name>.stairway.<rev>``);
    migrations register under it, so one program can link several sets and one
    project can call ``retort_add_migrations`` once per database.

  ``DIRECTORY <dir>``
    Folder of the migration files (``*.cpp``), relative to the current source
    folder. Required; it may be empty. New files are picked up by the next build
    without a manual re-configure (the one place Retort globs, with
    ``CONFIGURE_DEPENDS``).

  ``MODELS <target>``
    A library target whose sources declare the desired schema with
    ``RETORT_MODELS(meta) { ... }`` (``<retort/models.hpp>``). Retort builds it
    into a module, ``<name>_retort_models``, that the drift check and
    autogenerate load (a static or object library is made position-independent
    for it). The target may be defined after this call, anywhere before the end
    of the same directory. Default: none.

  ``MODELS_SQL <file>``
    The desired schema as a SQL file of ``CREATE TABLE`` / ``CREATE INDEX``
    statements, instead of ``MODELS``. Default: none.

  ``DATABASE <url>``
    The database the ``db-*`` targets use when neither ``RETORT_DATABASE_URL``
    nor retort.toml names one, e.g. ``sqlite:///${CMAKE_BINARY_DIR}/dev.db``
    (``sqlite:///`` + an absolute path gives four slashes). Recorded in the
    plugin. Default: none.

  ``TEST_DATABASE <url>...``
    Where the CTest cases make their databases, one URL per dialect; never a
    database you work on. ``sqlite:///<dir>/<file>.db``: every test uses its own
    file ``<dir>/<file>-<tag>.db``. ``postgresql://<user>@<host>/<prefix>``:
    every test creates its own database ``<prefix>_<tag>`` on that server (the
    user needs CREATEDB) and drops it when it passes; snapshots are copied with
    ``CREATE DATABASE ... TEMPLATE``. Default for SQLite:
    ``sqlite:///${CMAKE_CURRENT_BINARY_DIR}/retort_<name>/tests/test.db``;
    PostgreSQL has none.

  ``DIALECTS <dialect>...``
    One history, several databases (``sqlite``, ``postgresql``): the drift
    check, the render check and the CTest round trips run for each dialect, and
    a migration with an op one of them cannot express (an array column on
    SQLite) fails the build naming the op. With several dialects the tests are
    named ``<name>.<dialect>.snapshots``, ``<name>.<dialect>.stairway.<rev>``, ...
    Every dialect but SQLite needs its ``TEST_DATABASE``. Default: the dialect of
    ``DATABASE`` (else of ``TEST_DATABASE``, else SQLite).

  ``CONFIG <file>``
    The retort.toml the ``db-*`` targets and the tests read (``--config``).
    Default: the CLI's own rule (``$RETORT_CONFIG``, else ``retort.toml`` in the
    folder the target runs in, which is the current source folder).

  ``FIXTURES <dir>``
    Folder of SQL data files named ``<revision id>_<what>.sql``: the round-trip
    tests load each right after its revision, and check that a downgrade keeps
    the rows. Default: none (the tests run on empty tables).

  ``VERSION_TABLE <table>``
    Name of the version table (default ``retort_version``).

  ``DRIFT <ERROR|WARNING|OFF>``
    What the build does when the models and the migrations disagree or the
    revision graph has several heads: fail (``ERROR``, the default), print a
    warning (``WARNING``), or not check (``OFF``). Needs ``MODELS`` or
    ``MODELS_SQL`` for the model comparison.

  ``ALLOW_MULTIPLE_HEADS``
    Several heads are not a drift error (for projects that keep branches open
    on purpose). Default: off.

  ``LINT <WARNING|ERROR|OFF>``
    The build lints the migrations (``retort lint``, no database) and prints
    each finding as a compiler warning, ``<file>:<line>: warning: RT102: ...``:
    drops, narrowing type changes, NOT NULL on existing rows, blocking index
    builds, rebuilds of referenced tables, raw SQL without a down, schema and
    data in one migration (docs/safety.md). ``WARNING`` (the default) prints
    them, ``ERROR`` fails the build on a finding the migration does not
    acknowledge (``.acknowledge = {"RT102"}``), ``OFF`` leaves the step out.

  It creates these targets:

  ``<name>_retort_plugin``
    MODULE library the CLI loads (``retort --plugin <file>``).

  ``<name>_migrations``
    Library an application links to migrate itself at start-up
    (``retort::upgrade_to_head(url)`` from ``<retort/embed.hpp>``); every migration
    is kept (whole-archive), and the SQLite (and PostgreSQL, when built) backends
    are registered.

  ``<name>_retort_models``
    With ``MODELS``: the models as a module (built with ``all``).

  ``<name>-db-upgrade``, ``<name>-db-downgrade`` (``REV``, default ``-1``),
  ``<name>-db-current``, ``<name>-db-history``, ``<name>-db-heads``,
  ``<name>-db-migrate`` (``MSG`` required), ``<name>-db-stamp`` (``REV`` required)
    Run the CLI on this set. ``MSG``, ``REV`` and ``RETORT_DATABASE_URL`` are read
    from the environment when the target runs, so ``make db-migrate MSG="add
    email"`` and ``MSG="add email" cmake --build build --target db-migrate`` both
    work; a missing ``MSG`` or ``REV`` stops with exit code 2 and the command to
    use.

  ``<name>-db-graph``
    Writes the revision graph into the build tree as
    ``retort_<name>/graph.dot`` (Graphviz) and ``retort_<name>/graph.mmd``
    (Mermaid), with ``retort graph``.

  ``<name>_lint``
    The build's lint step (see ``LINT``); part of ``all``.

  ``db-upgrade``, ``db-current``, ``db-history``, ``db-heads``, ``db-graph``
    Run the verb on every set of the project.

  ``db-downgrade``, ``db-stamp``, ``db-migrate``
    The set's target when the project has one set; with several, an error
    naming the prefixed targets.

  And these CTest cases, labelled ``retort`` and ``retort.<name>``, each on its
  own database under ``TEST_DATABASE`` (safe with ``ctest -j``):

  ``<name>.snapshots``
    Walks base -> head once, loading the fixtures, and snapshots every
    revision (a fixture setup: CTest runs it before any stairway).

  ``<name>.up_down_full``
    base -> head -> base -> head; the schema is compared with the replayed
    migrations at every step and with the way up on the way down.

  ``<name>.stairway.<rev>``
    One per revision, discovered from the built plugin after each build (no
    re-configure): from the snapshot of the revision's parent(s), upgrade,
    downgrade, upgrade; the schema is compared at every step and the parent's
    rows must be intact. Disabled for irreversible revisions.

  ``<name>.models_match_head``
    With ``MODELS`` or ``MODELS_SQL``: a fresh database upgraded to the heads,
    reflected and compared with the models (``retort check --against db``).

  .. code-block:: cmake

    find_package(Retort 0.1 REQUIRED)
    retort_add_migrations(bookshop
      DIRECTORY migrations
      DATABASE  "sqlite:///${CMAKE_BINARY_DIR}/bookshop.db"
      FIXTURES  fixtures)
    add_executable(bookshop main.cpp)
    target_link_libraries(bookshop PRIVATE bookshop_migrations)
#]=======================================================================]
function(retort_add_migrations name)
  set(options ALLOW_MULTIPLE_HEADS)
  set(one_value DIRECTORY MODELS MODELS_SQL DATABASE CONFIG FIXTURES VERSION_TABLE DRIFT LINT)
  set(multi_value TEST_DATABASE DIALECTS)
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value}" "${multi_value}")
  _retort_check_arguments(retort_add_migrations "${name}" "${options}" "${one_value}" "${multi_value}" ${ARGN})
  set(fn "retort_add_migrations(${name})")

  if(NOT DEFINED arg_DIRECTORY)
    message(FATAL_ERROR "${fn}: the keyword DIRECTORY <folder of migrations> is missing")
  endif()
  if(TARGET ${name}_retort_plugin)
    message(FATAL_ERROR "${fn}: a migration set named ${name} already exists: give each retort_add_migrations() "
                        "its own name")
  endif()
  if(DEFINED arg_MODELS AND DEFINED arg_MODELS_SQL)
    message(FATAL_ERROR "${fn}: give MODELS <target> or MODELS_SQL <file>, not both")
  endif()
  if(NOT DEFINED arg_DRIFT)
    set(arg_DRIFT ERROR)
  elseif(NOT arg_DRIFT MATCHES "^(ERROR|WARNING|OFF)$")
    message(FATAL_ERROR "${fn}: DRIFT ${arg_DRIFT} is not one of ERROR, WARNING, OFF")
  endif()
  if(NOT DEFINED arg_LINT)
    set(arg_LINT WARNING)
  elseif(NOT arg_LINT MATCHES "^(WARNING|ERROR|OFF)$")
    message(FATAL_ERROR "${fn}: LINT ${arg_LINT} is not one of WARNING, ERROR, OFF")
  endif()
  if(DEFINED arg_DATABASE AND NOT arg_DATABASE MATCHES "^[A-Za-z][A-Za-z0-9+]*://")
    message(FATAL_ERROR "${fn}: DATABASE ${arg_DATABASE} is not a URL "
                        "(sqlite:///relative.db, sqlite:////absolute.db, postgresql://user@host/db)")
  endif()

  _retort_absolute(dir "${arg_DIRECTORY}")
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "${fn}: DIRECTORY ${dir} does not exist")
  endif()
  set(bin "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")

  set(models_sql "")
  if(DEFINED arg_MODELS_SQL)
    _retort_absolute(models_sql "${arg_MODELS_SQL}")
    if(NOT EXISTS "${models_sql}" OR IS_DIRECTORY "${models_sql}")
      message(FATAL_ERROR "${fn}: MODELS_SQL ${models_sql} does not exist")
    endif()
  endif()
  set(config "")
  if(DEFINED arg_CONFIG)
    _retort_absolute(config "${arg_CONFIG}")
    if(NOT EXISTS "${config}" OR IS_DIRECTORY "${config}")
      message(FATAL_ERROR "${fn}: CONFIG ${config} does not exist")
    endif()
  endif()
  set(fixtures "")
  if(DEFINED arg_FIXTURES)
    _retort_absolute(fixtures "${arg_FIXTURES}")
    if(NOT IS_DIRECTORY "${fixtures}")
      message(FATAL_ERROR "${fn}: FIXTURES ${fixtures} does not exist")
    endif()
  endif()
  _retort_dialects_and_test_databases(${name} "${bin}")

  set(plugin_args DIRECTORY "${dir}")
  foreach(kw DATABASE VERSION_TABLE)
    if(DEFINED arg_${kw})
      list(APPEND plugin_args ${kw} "${arg_${kw}}")
    endif()
  endforeach()
  _retort_add_plugin(${name} ${plugin_args})

  # The dialect the models are compared in (DATABASE's, SQLite by default) is the
  # first of the dialects; each has its test database (RETORT_TEST_DATABASE_<dialect>).
  set_target_properties(${name}_retort_plugin PROPERTIES RETORT_SOURCE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  list(GET dialects 0 dialect)
  foreach(d IN LISTS dialects)
    set_target_properties(${name}_retort_plugin PROPERTIES RETORT_TEST_DATABASE_${d} "${test_database_${d}}")
  endforeach()

  # What the set was configured with, for the steps added later and for tooling.
  set_target_properties(${name}_retort_plugin PROPERTIES
    RETORT_DIALECT "${dialect}"
    RETORT_DIALECTS "${dialects}"
    RETORT_MODELS "${arg_MODELS}"
    RETORT_MODELS_SQL "${models_sql}"
    RETORT_TEST_DATABASE "${test_database_${dialect}}"
    RETORT_CONFIG "${config}"
    RETORT_FIXTURES "${fixtures}"
    RETORT_DRIFT "${arg_DRIFT}"
    RETORT_LINT "${arg_LINT}"
    RETORT_ALLOW_MULTIPLE_HEADS "${arg_ALLOW_MULTIPLE_HEADS}")

  _retort_add_app_library(${name})
  _retort_add_db_targets(${name})
  _retort_add_tests(${name})
  _retort_add_lint_step(${name})
  _retort_add_graph_target(${name})

  set_property(GLOBAL APPEND PROPERTY RETORT_MIGRATION_SETS ${name})
  # Steps that need targets which may be defined after this call. A deferred call
  # evaluates its arguments when it runs: EVAL puts the name in now.
  cmake_language(EVAL CODE "cmake_language(DEFER CALL _retort_finish_set [==[${name}]==])")
  get_property(deferred GLOBAL PROPERTY _RETORT_FINALIZE_DEFERRED)
  if(NOT deferred)
    set_property(GLOBAL PROPERTY _RETORT_FINALIZE_DEFERRED ON)
    cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _retort_finalize)
  endif()
endfunction()

# _retort_add_plugin(<name> DIRECTORY <dir> [DATABASE <url>] [VERSION_TABLE <table>] [ABI <n>])
#
# The plugin alone: <name>_migration_objects (the migrations, compiled once) and
# <name>_retort_plugin (the MODULE the CLI loads), with no db-* target and no test.
# retort_add_migrations() builds on it; Retort's test suite uses it directly for
# sets that must not join db-upgrade. ABI <n> makes the plugin report plugin ABI
# <n> instead of the headers' (RETORT_TEST_PLUGIN_ABI), for the ABI-mismatch test.
function(_retort_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "DIRECTORY;DATABASE;VERSION_TABLE;ABI" "")
  _retort_check_arguments(_retort_add_plugin "${name}" "" "DIRECTORY;DATABASE;VERSION_TABLE;ABI" "" ${ARGN})
  set(fn "_retort_add_plugin(${name})")
  if(NOT DEFINED arg_DIRECTORY)
    message(FATAL_ERROR "${fn}: the keyword DIRECTORY <folder of migrations> is missing")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "retort_add_migrations(${name}): the name must be a C identifier (letters, digits, _)")
  endif()
  if(TARGET ${name}_retort_plugin)
    message(FATAL_ERROR "${fn}: a migration set named ${name} already exists")
  endif()
  if(DEFINED arg_ABI AND NOT arg_ABI MATCHES "^[0-9]+$")
    message(FATAL_ERROR "${fn}: ABI ${arg_ABI} is not a number")
  endif()
  _retort_absolute(dir "${arg_DIRECTORY}")
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "${fn}: DIRECTORY ${dir} does not exist")
  endif()
  set(bin "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")
  file(MAKE_DIRECTORY "${bin}")

  # The one place Retort globs: the user's migrations folder, re-checked at every
  # build so a file written by `db-migrate` is compiled by the next build.
  file(GLOB migration_files CONFIGURE_DEPENDS "${dir}/*.cpp")
  list(SORT migration_files)
  set(object_sources ${migration_files})
  if(NOT object_sources)
    # No migration yet (a new project): an object library needs a source.
    set(placeholder "${bin}/${name}_no_migrations.cpp")
    file(CONFIGURE OUTPUT "${placeholder}"
         CONTENT "// Generated by Retort: the ${name} migrations folder has no migration yet.\n" @ONLY)
    set(object_sources "${placeholder}")
  endif()

  # The migrations, compiled once for both the plugin and the application library.
  add_library(${name}_migration_objects OBJECT ${object_sources})
  target_link_libraries(${name}_migration_objects PUBLIC Retort::core)
  target_compile_definitions(${name}_migration_objects PRIVATE RETORT_MIGRATION_SET="${name}")
  # An empty upgrade or downgrade body leaves `op` unused: that is fine.
  target_compile_options(${name}_migration_objects PRIVATE -Wno-unused-parameter)
  set_target_properties(${name}_migration_objects PROPERTIES POSITION_INDEPENDENT_CODE ON)

  # The manifest: plugin entry point, source folder, file hashes; and the
  # application's copy of the file hashes (<name>_sources.cpp, registered from a
  # static initializer), so an application records the checksums the CLI does.
  set(list_file "${bin}/files.txt")
  string(REPLACE ";" "\n" list_content "${migration_files}")
  file(CONFIGURE OUTPUT "${list_file}" CONTENT "${list_content}\n" @ONLY)
  set(manifest "${bin}/${name}_manifest.cpp")
  set(sources "${bin}/${name}_sources.cpp")
  get_property(version GLOBAL PROPERTY _RETORT_VERSION)
  add_custom_command(OUTPUT "${manifest}" "${sources}"
    COMMAND "${CMAKE_COMMAND}" -DLIST=${list_file} -DOUT=${manifest} -DEMBED_OUT=${sources} -DNAME=${name}
            -DSOURCE_DIR=${dir} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DDATABASE=${arg_DATABASE}
            -DVERSION_TABLE=${arg_VERSION_TABLE} -DRETORT_VERSION=${version}
            -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/RetortManifest.cmake"
    DEPENDS ${migration_files} "${list_file}" "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/RetortManifest.cmake"
    COMMENT "Retort: manifest of the ${name} migrations"
    VERBATIM)
  # Both the plugin and the application archive compile one of its outputs: one
  # target runs the command, so two builds of it never race (Makefiles).
  add_custom_target(${name}_retort_manifest DEPENDS "${manifest}" "${sources}")

  add_library(${name}_retort_plugin MODULE "${manifest}")
  add_dependencies(${name}_retort_plugin ${name}_retort_manifest)
  target_link_libraries(${name}_retort_plugin PRIVATE ${name}_migration_objects Retort::core)
  if(DEFINED arg_ABI)
    target_compile_definitions(${name}_retort_plugin PRIVATE RETORT_TEST_PLUGIN_ABI=${arg_ABI})
  endif()
  set_target_properties(${name}_retort_plugin PROPERTIES
    RETORT_SET "${name}"
    RETORT_MIGRATIONS_DIR "${dir}"
    RETORT_DATABASE "${arg_DATABASE}"
    RETORT_VERSION_TABLE "${arg_VERSION_TABLE}")
endfunction()

# The application library: every migration kept, backends registered.
function(_retort_add_app_library name)
  set(bin "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")
  set(register "${bin}/${name}_register.cpp")
  set(content "// Generated by Retort: registers the backends this program can migrate.\n")
  string(APPEND content "#include <retort/sqlite/sqlite.hpp>\n")
  if(TARGET Retort::postgres)
    string(APPEND content "#include <retort/postgres/postgres.hpp>\n")
  endif()
  string(APPEND content "namespace {\nstruct RetortRegisterBackends {\n    RetortRegisterBackends() {\n")
  string(APPEND content "        retort::sqlite::register_dialect();\n")
  if(TARGET Retort::postgres)
    string(APPEND content "        retort::postgres::register_dialect();\n")
  endif()
  string(APPEND content "    }\n} retort_register_backends;\n}  // namespace\n")
  file(CONFIGURE OUTPUT "${register}" CONTENT "${content}" @ONLY)
  add_library(${name}_migrations_archive STATIC "${register}" "${bin}/${name}_sources.cpp"
    $<TARGET_OBJECTS:${name}_migration_objects>)
  add_dependencies(${name}_migrations_archive ${name}_retort_manifest)
  target_link_libraries(${name}_migrations_archive PUBLIC Retort::core Retort::sqlite)
  if(TARGET Retort::postgres)
    target_link_libraries(${name}_migrations_archive PUBLIC Retort::postgres)
  endif()
  add_library(${name}_migrations INTERFACE)
  # Whole-archive: the migrations register themselves from static initializers,
  # which a linker drops from an archive when nothing references them.
  target_link_libraries(${name}_migrations INTERFACE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${name}_migrations_archive>")
endfunction()

# The CLI command line for a set: retort --plugin <plugin> --migrations <dir> [...].
function(_retort_cli_command out name)
  get_target_property(dir ${name}_retort_plugin RETORT_MIGRATIONS_DIR)
  get_target_property(config ${name}_retort_plugin RETORT_CONFIG)
  get_target_property(table ${name}_retort_plugin RETORT_VERSION_TABLE)
  set(cli "$<TARGET_FILE:Retort::retort>" --plugin "$<TARGET_FILE:${name}_retort_plugin>" --migrations "${dir}")
  if(config)
    list(APPEND cli --config "${config}")
  endif()
  if(table)
    list(APPEND cli --version-table "${table}")
  endif()
  set(${out} "${cli}" PARENT_SCOPE)
endfunction()

# <name>-db-* targets. The CLI reads RETORT_DATABASE_URL itself; MSG and REV come
# through sh, at run time, from the environment.
function(_retort_add_db_targets name)
  _retort_cli_command(cli ${name})
  set(wd "${CMAKE_CURRENT_SOURCE_DIR}")
  foreach(verb upgrade current history heads)
    set(args ${verb})
    if(verb STREQUAL "upgrade")
      set(args upgrade head)
    endif()
    add_custom_target(${name}-db-${verb} COMMAND ${cli} ${args} WORKING_DIRECTORY "${wd}" USES_TERMINAL VERBATIM)
  endforeach()
  add_custom_target(${name}-db-downgrade
    COMMAND sh -c "exec \"$@\" downgrade \"\${REV:--1}\"" retort ${cli}
    WORKING_DIRECTORY "${wd}" USES_TERMINAL VERBATIM)
  add_custom_target(${name}-db-stamp
    COMMAND sh -c "if [ -z \"\${REV:-}\" ]; then echo 'retort: error: REV is not set: make ${name}-db-stamp REV=<revision> (or REV=<revision> cmake --build <dir> --target ${name}-db-stamp)' >&2; exit 2; fi; exec \"$@\" stamp \"$REV\"" retort ${cli}
    WORKING_DIRECTORY "${wd}" USES_TERMINAL VERBATIM)
  # db-migrate and db-check depend on the models, whose target may be defined after
  # this call: _retort_add_model_targets() adds them at the end of the directory.
  foreach(verb upgrade current history heads downgrade stamp)
    add_dependencies(${name}-db-${verb} ${name}_retort_plugin)
  endforeach()
endfunction()

# The CTest cases: <name>.snapshots and <name>.up_down_full now, and
# <name>.stairway.<rev> from the file RetortDiscoverTests.cmake writes after each
# build of the plugin (as gtest_discover_tests does), included by CTest through the
# directory's TEST_INCLUDE_FILES.
function(_retort_add_tests name)
  get_target_property(dialects ${name}_retort_plugin RETORT_DIALECTS)
  foreach(dialect IN LISTS dialects)
    _retort_test_prefix(prefix labels ${name} ${dialect})
    _retort_add_dialect_tests(${name} ${dialect} ${prefix} "${labels}")
  endforeach()
endfunction()

# The tests of one dialect of a set: <prefix>.snapshots, <prefix>.up_down_full and
# the discovered <prefix>.stairway.<rev>, on the dialect's test database.
function(_retort_add_dialect_tests name dialect prefix labels)
  set(bin "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")
  _retort_cli_command(cli ${name})
  get_target_property(database ${name}_retort_plugin RETORT_TEST_DATABASE_${dialect})
  get_target_property(fixtures ${name}_retort_plugin RETORT_FIXTURES)
  set(test_args --database "${database}")
  if(fixtures)
    list(APPEND test_args --fixtures "${fixtures}")
  endif()
  # The tests never touch a database the user works with, whatever the environment says.
  set(env RETORT_DATABASE_URL=unset: RETORT_PLUGIN=unset:)
  get_target_property(config ${name}_retort_plugin RETORT_CONFIG)
  if(NOT config)
    list(APPEND env RETORT_CONFIG=unset:)
  endif()

  add_test(NAME ${prefix}.snapshots COMMAND ${cli} test setup ${test_args} WORKING_DIRECTORY "${bin}")
  set_tests_properties(${prefix}.snapshots PROPERTIES
    LABELS "${labels}" FIXTURES_SETUP retort.${prefix}.snapshots ENVIRONMENT_MODIFICATION "${env}")
  add_test(NAME ${prefix}.up_down_full COMMAND ${cli} test up-down ${test_args} WORKING_DIRECTORY "${bin}")
  set_tests_properties(${prefix}.up_down_full PROPERTIES LABELS "${labels}" ENVIRONMENT_MODIFICATION "${env}")
  # <prefix>.models_match_head needs the models module: _retort_add_models_test(),
  # at the end of the directory.

  get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  if(multi_config)
    set(tests_file "${bin}/${prefix}_tests-$<CONFIG>.cmake")
    set(include_tests_file "${bin}/${prefix}_tests-\${CTEST_CONFIGURATION_TYPE}.cmake")
  else()
    set(tests_file "${bin}/${prefix}_tests.cmake")
    set(include_tests_file "${tests_file}")
  endif()
  add_custom_command(TARGET ${name}_retort_plugin POST_BUILD
    COMMAND "${CMAKE_COMMAND}"
            "-DSET=${prefix}"
            "-DCOMMAND=${cli}"
            "-DTEST_ARGS=${test_args}"
            "-DLABELS=${labels}"
            "-DENVIRONMENT=${env}"
            "-DWORKING_DIRECTORY=${bin}"
            "-DOUT=${tests_file}"
            -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/RetortDiscoverTests.cmake"
    COMMENT "Retort: listing the ${prefix} revisions for CTest"
    VERBATIM)
  # The listing runs the CLI: build it first when it is built in this project.
  _retort_depend_on_cli(${name}_retort_plugin)

  set(include_file "${bin}/${prefix}_include.cmake")
  set(name "${prefix}")
  file(CONFIGURE OUTPUT "${include_file}" CONTENT [==[
# Generated by Retort: the stairway tests of the @name@ migrations, listed after
# each build of the plugin.
if(EXISTS "@include_tests_file@")
  include("@include_tests_file@")
else()
  add_test([=[@name@.stairway_NOT_BUILT]=] [=[@name@.stairway_NOT_BUILT]=])
  set_tests_properties([=[@name@.stairway_NOT_BUILT]=] PROPERTIES LABELS [=[@labels@]=])
endif()
]==] @ONLY)
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()

# The name prefix and labels of a dialect's tests: <name> and "retort;retort.<name>"
# for a set of one dialect; <name>.<dialect> and "...;retort.<name>.<dialect>" with DIALECTS.
function(_retort_test_prefix out_prefix out_labels name dialect)
  get_target_property(dialects ${name}_retort_plugin RETORT_DIALECTS)
  list(LENGTH dialects count)
  if(count GREATER 1)
    set(${out_prefix} "${name}.${dialect}" PARENT_SCOPE)
    set(${out_labels} "retort;retort.${name};retort.${name}.${dialect}" PARENT_SCOPE)
  else()
    set(${out_prefix} "${name}" PARENT_SCOPE)
    set(${out_labels} "retort;retort.${name}" PARENT_SCOPE)
  endif()
endfunction()

# In retort_add_migrations(): `dialects` (DIALECTS, else the dialect of DATABASE,
# else of TEST_DATABASE, else sqlite) and `test_database_<dialect>` for each, from
# TEST_DATABASE (one URL per dialect) or SQLite's default under <bin>. Reads the
# caller's arg_* variables; every mistake is a FATAL_ERROR naming it.
macro(_retort_dialects_and_test_databases name bin)
  set(_fn "retort_add_migrations(${name})")
  set(_database_dialect "")
  if(DEFINED arg_DATABASE)
    _retort_url_dialect(_database_dialect "${arg_DATABASE}")
  endif()
  set(_test_dialects "")
  foreach(_url IN LISTS arg_TEST_DATABASE)
    _retort_url_dialect(_d "${_url}")
    if(NOT _d MATCHES "^(sqlite|postgresql)$")
      message(FATAL_ERROR "${_fn}: TEST_DATABASE ${_url} is neither sqlite:///<dir>/<file>.db nor "
                          "postgresql://...")
    endif()
    if(_d IN_LIST _test_dialects)
      message(FATAL_ERROR "${_fn}: TEST_DATABASE gives two ${_d} URLs: one per dialect")
    endif()
    list(APPEND _test_dialects ${_d})
    set(test_database_${_d} "${_url}")
  endforeach()
  if(DEFINED arg_DIALECTS)
    set(dialects "")
    foreach(_d IN LISTS arg_DIALECTS)
      string(TOLOWER "${_d}" _d)
      if(_d STREQUAL "postgres")
        set(_d postgresql)
      endif()
      if(NOT _d MATCHES "^(sqlite|postgresql)$")
        message(FATAL_ERROR "${_fn}: DIALECTS ${_d} is not one of sqlite, postgresql")
      endif()
      list(APPEND dialects ${_d})
    endforeach()
    list(REMOVE_DUPLICATES dialects)
    if(_database_dialect AND NOT _database_dialect IN_LIST dialects)
      message(FATAL_ERROR "${_fn}: DATABASE is a ${_database_dialect} URL, but DIALECTS (${dialects}) does not "
                          "list ${_database_dialect}")
    endif()
    if(_database_dialect)
      # DATABASE's dialect first: the models are compared in it.
      list(REMOVE_ITEM dialects ${_database_dialect})
      list(PREPEND dialects ${_database_dialect})
    endif()
  elseif(_database_dialect)
    set(dialects ${_database_dialect})
  elseif(_test_dialects)
    list(GET _test_dialects 0 dialects)
  else()
    set(dialects sqlite)
  endif()
  foreach(_d IN LISTS _test_dialects)
    if(NOT _d IN_LIST dialects)
      message(FATAL_ERROR "${_fn}: TEST_DATABASE ${test_database_${_d}} is for ${_d}, which the migrations are not "
                          "run on (${dialects}): add DIALECTS ${dialects} ${_d}")
    endif()
  endforeach()
  foreach(_d IN LISTS dialects)
    if(_d STREQUAL "postgresql" AND NOT TARGET Retort::postgres)
      message(FATAL_ERROR "${_fn}: the migrations run on PostgreSQL, but this Retort was built without its "
                          "PostgreSQL backend (libpqxx)")
    endif()
    if(DEFINED test_database_${_d})
      continue()
    endif()
    if(_d STREQUAL "sqlite")
      set(test_database_sqlite "sqlite:///${bin}/tests/test.db")
    else()
      message(FATAL_ERROR "${_fn}: DIALECTS lists ${_d}, but no TEST_DATABASE ${_d}://... says where its "
                          "round-trip tests make their databases (a server where the user may CREATE DATABASE)")
    endif()
  endforeach()
endmacro()

# The dialect a URL's scheme names: sqlite, postgresql, or the scheme in lower case.
function(_retort_url_dialect out url)
  set(d "")
  if(url MATCHES "^([A-Za-z][A-Za-z0-9+]*)://")
    string(TOLOWER "${CMAKE_MATCH_1}" d)
  endif()
  if(d STREQUAL "postgres")
    set(d postgresql)
  elseif(d STREQUAL "sqlite3")
    set(d sqlite)
  endif()
  set(${out} "${d}" PARENT_SCOPE)
endfunction()

# Makes <target> depend on the retort CLI when this project builds it
# (add_subdirectory, FetchContent): the steps that run the CLI need it built first.
function(_retort_depend_on_cli target)
  if(TARGET Retort::retort)
    get_target_property(imported Retort::retort IMPORTED)
    if(NOT imported)
      get_target_property(cli_target Retort::retort ALIASED_TARGET)
      add_dependencies(${target} ${cli_target})
    endif()
  endif()
endfunction()

# The lint step: after each build of the plugin, `retort lint` (no database) prints
# every finding as a compiler warning, `<file>:<line>: warning: RT102: ...`; with
# LINT ERROR a finding the migration does not acknowledge fails the build (exit 5,
# RetortLint.cmake). Its output is a stamp file: it runs again when the plugin
# changes, as a compiler warns again when its file is compiled again.
function(_retort_add_lint_step name)
  get_target_property(lint ${name}_retort_plugin RETORT_LINT)
  if(lint STREQUAL "OFF")
    return()
  endif()
  _retort_cli_command(cli ${name})
  get_target_property(dialect ${name}_retort_plugin RETORT_DIALECT)
  set(command ${cli} lint --dialect ${dialect} -q)
  if(lint STREQUAL "ERROR")
    list(APPEND command --werror)
  endif()
  set(bin "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")
  set(stamp "${bin}/${name}_lint.stamp")
  add_custom_command(OUTPUT "${stamp}"
    COMMAND "${CMAKE_COMMAND}" "-DSET=${name}" "-DCOMMAND=${command}" "-DLINT=${lint}" "-DSTAMP=${stamp}"
            -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/RetortLint.cmake"
    DEPENDS ${name}_retort_plugin "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/RetortLint.cmake"
    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
    COMMENT "Retort: linting the ${name} migrations"
    VERBATIM)
  add_custom_target(${name}_lint ALL DEPENDS "${stamp}")
  _retort_depend_on_cli(${name}_lint)
endfunction()

# <name>-db-graph: the revision graph in the build tree, as Graphviz DOT and as
# Mermaid (retort graph). No database: it never creates the dev database.
function(_retort_add_graph_target name)
  _retort_cli_command(cli ${name})
  set(bin "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")
  add_custom_target(${name}-db-graph
    COMMAND ${cli} graph --format dot -o "${bin}/graph.dot"
    COMMAND ${cli} graph --format mermaid -o "${bin}/graph.mmd"
    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" VERBATIM)
  add_dependencies(${name}-db-graph ${name}_retort_plugin)
endfunction()

# The drift check: a build step after the plugin (and the models module) that
# replays the migrations, compares the schema at head with the models and counts
# the heads (`retort check`, no database); DRIFT decides whether a difference fails
# the build (ERROR) or prints a warning (WARNING). Its output is a stamp file, so it
# runs again only when the plugin or the models changed. <name>-db-migrate does not
# depend on it: drift must not block its own fix.
function(_retort_add_drift_check name)
  get_target_property(drift ${name}_retort_plugin RETORT_DRIFT)
  if(drift STREQUAL "OFF")
    return()
  endif()
  _retort_cli_command(cli ${name})
  _retort_models_args(models_args ${name})
  get_target_property(allow ${name}_retort_plugin RETORT_ALLOW_MULTIPLE_HEADS)
  get_target_property(dialects ${name}_retort_plugin RETORT_DIALECTS)
  set(bin "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")
  set(depends ${name}_retort_plugin)
  get_target_property(models_module ${name}_retort_plugin RETORT_MODELS_MODULE)
  if(TARGET ${name}_retort_models)
    list(APPEND depends ${name}_retort_models)
  endif()
  get_target_property(models_sql ${name}_retort_plugin RETORT_MODELS_SQL)
  if(models_sql)
    list(APPEND depends "${models_sql}")
  endif()
  get_property(sets GLOBAL PROPERTY RETORT_MIGRATION_SETS)
  list(LENGTH sets count)
  if(count EQUAL 1)
    set(target db-migrate)
  else()
    set(target ${name}-db-migrate)
  endif()
  set(migrate "make ${target} MSG=\"<what changed>\"   (or: MSG=\"<what changed>\" cmake --build ${CMAKE_BINARY_DIR} --target ${target})")
  # One check per dialect (DIALECTS): the models compared in it, and every op of
  # every revision rendered in it (--dialect), so an op one dialect cannot express
  # fails the build naming the op.
  list(LENGTH dialects count)
  set(stamps "")
  foreach(dialect IN LISTS dialects)
    set(check check)
    if(models_args)
      list(APPEND check ${models_args} --dialect ${dialect})
    else()
      list(APPEND check --no-models --dialect ${dialect})
    endif()
    if(allow)
      list(APPEND check --allow-multiple-heads)
    endif()
    if(count GREATER 1)
      set(stamp "${bin}/${name}_drift_${dialect}.stamp")
      set(what "${name} (${dialect})")
    else()
      set(stamp "${bin}/${name}_drift.stamp")
      set(what "${name}")
    endif()
    add_custom_command(OUTPUT "${stamp}"
      COMMAND "${CMAKE_COMMAND}" "-DSET=${what}" "-DCOMMAND=${cli};${check}" "-DDRIFT=${drift}"
              "-DSTAMP=${stamp}" "-DMIGRATE=${migrate}"
              -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/RetortDriftCheck.cmake"
      DEPENDS ${depends} "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/RetortDriftCheck.cmake"
      WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
      COMMENT "Retort: checking the ${what} migrations against the models"
      VERBATIM)
    list(APPEND stamps "${stamp}")
  endforeach()
  add_custom_target(${name}_drift_check ALL DEPENDS ${stamps})
  _retort_depend_on_cli(${name}_drift_check)
endfunction()

# <name>-db-migrate and <name>-db-check. With MODELS / MODELS_SQL, db-migrate
# autogenerates and db-check compares the models with head; without, db-migrate
# writes an empty revision and db-check checks the migrations alone. db-migrate
# never depends on the drift check, which must not block its own fix.
function(_retort_add_model_targets name)
  _retort_cli_command(cli ${name})
  _retort_models_args(models_args ${name})
  get_target_property(dialect ${name}_retort_plugin RETORT_DIALECT)
  if(models_args)
    set(revision revision --autogenerate ${models_args} --dialect ${dialect})
    set(check check ${models_args} --dialect ${dialect})
  else()
    set(revision revision)
    set(check check --no-models)
  endif()
  get_target_property(wd ${name}_retort_plugin RETORT_SOURCE_DIR)
  add_custom_target(${name}-db-migrate
    COMMAND sh -c "if [ -z \"\${MSG:-}\" ]; then echo 'retort: error: MSG is not set: make ${name}-db-migrate MSG=\"add email\" (or MSG=\"add email\" cmake --build <dir> --target ${name}-db-migrate)' >&2; exit 2; fi; exec \"$@\" -m \"$MSG\"" retort ${cli} ${revision}
    WORKING_DIRECTORY "${wd}" USES_TERMINAL VERBATIM)
  add_custom_target(${name}-db-check COMMAND ${cli} ${check} WORKING_DIRECTORY "${wd}" USES_TERMINAL VERBATIM)
  foreach(verb migrate check)
    add_dependencies(${name}-db-${verb} ${name}_retort_plugin)
    if(TARGET ${name}_retort_models)
      add_dependencies(${name}-db-${verb} ${name}_retort_models)
    endif()
  endforeach()
endfunction()

# The --models / --models-sql arguments of a set, or nothing.
function(_retort_models_args out name)
  get_target_property(module ${name}_retort_plugin RETORT_MODELS_MODULE)
  get_target_property(models_sql ${name}_retort_plugin RETORT_MODELS_SQL)
  if(module)
    set(${out} --models "${module}" PARENT_SCOPE)
  elseif(models_sql)
    set(${out} --models-sql "${models_sql}" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# The models as a module the CLI can dlopen: the MODELS library linked whole into
# a MODULE (its RETORT_MODELS entry point is referenced by nothing, so a static
# archive would otherwise lose it).
function(_retort_add_models_module name models)
  set(fn "retort_add_migrations(${name})")
  if(NOT TARGET ${models})
    message(FATAL_ERROR "${fn}: MODELS ${models} is not a target. Define it (add_library(${models} ...)) "
                        "before the end of ${CMAKE_CURRENT_SOURCE_DIR}/CMakeLists.txt")
  endif()
  get_target_property(type ${models} TYPE)
  if(type STREQUAL "MODULE_LIBRARY")
    set_target_properties(${name}_retort_plugin PROPERTIES RETORT_MODELS_MODULE "$<TARGET_FILE:${models}>")
    return()
  endif()
  if(NOT type MATCHES "^(STATIC|SHARED|OBJECT|INTERFACE)_LIBRARY$")
    message(FATAL_ERROR "${fn}: MODELS ${models} is a ${type}, not a library: give the library that holds "
                        "RETORT_MODELS(...)")
  endif()
  set(bin "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")
  set(source "${bin}/${name}_models_module.cpp")
  file(CONFIGURE OUTPUT "${source}"
       CONTENT "// Generated by Retort: the ${name} models (${models}) as a module the CLI loads.\n" @ONLY)
  add_library(${name}_retort_models MODULE "${source}")
  if(type MATCHES "^(STATIC|OBJECT)_LIBRARY$")
    # Its objects go into a shared module: they must be position-independent.
    get_target_property(imported ${models} IMPORTED)
    if(NOT imported)
      set_property(TARGET ${models} PROPERTY POSITION_INDEPENDENT_CODE ON)
    endif()
  endif()
  if(type STREQUAL "STATIC_LIBRARY")
    target_link_libraries(${name}_retort_models PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${models}>" Retort::core)
  else()
    target_link_libraries(${name}_retort_models PRIVATE ${models} Retort::core)
  endif()
  set_target_properties(${name}_retort_plugin PROPERTIES
    RETORT_MODELS_MODULE "$<TARGET_FILE:${name}_retort_models>")
endfunction()

# <name>.models_match_head: a fresh real database upgraded to the heads, reflected
# and compared with the models by `retort check --against db`
# (RetortModelsMatchHead.cmake).
function(_retort_add_models_test name)
  _retort_models_args(models_args ${name})
  if(NOT models_args)
    return()
  endif()
  _retort_cli_command(cli ${name})
  set(env RETORT_DATABASE_URL=unset: RETORT_PLUGIN=unset:)
  get_target_property(config ${name}_retort_plugin RETORT_CONFIG)
  if(NOT config)
    list(APPEND env RETORT_CONFIG=unset:)
  endif()
  get_target_property(dialects ${name}_retort_plugin RETORT_DIALECTS)
  foreach(dialect IN LISTS dialects)
    _retort_test_prefix(prefix labels ${name} ${dialect})
    get_target_property(database ${name}_retort_plugin RETORT_TEST_DATABASE_${dialect})
    add_test(NAME ${prefix}.models_match_head
      COMMAND "${CMAKE_COMMAND}" "-DCOMMAND=${cli}" "-DDATABASE=${database}" "-DMODELS_ARGS=${models_args}"
              -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/RetortModelsMatchHead.cmake"
      WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")
    set_tests_properties(${prefix}.models_match_head PROPERTIES
      LABELS "${labels}" ENVIRONMENT_MODIFICATION "${env}")
  endforeach()
endfunction()

# At the end of the directory that called retort_add_migrations(): the steps that
# need the MODELS target, which may be defined after the call.
function(_retort_finish_set name)
  get_target_property(models ${name}_retort_plugin RETORT_MODELS)
  if(models)
    _retort_add_models_module(${name} ${models})
  endif()
  _retort_add_model_targets(${name})
  _retort_add_models_test(${name})
  _retort_add_drift_check(${name})
endfunction()

# The unprefixed db-* targets, made once every set is known: read verbs and
# db-upgrade run every set; the others need exactly one.
function(_retort_finalize)
  get_property(sets GLOBAL PROPERTY RETORT_MIGRATION_SETS)
  list(LENGTH sets count)
  foreach(verb upgrade current history heads check graph)
    if(TARGET db-${verb})
      continue()
    endif()
    add_custom_target(db-${verb})
    foreach(s IN LISTS sets)
      add_dependencies(db-${verb} ${s}-db-${verb})
    endforeach()
  endforeach()
  foreach(verb downgrade stamp migrate)
    if(TARGET db-${verb})
      continue()
    endif()
    if(count EQUAL 1)
      add_custom_target(db-${verb})
      add_dependencies(db-${verb} ${sets}-db-${verb})
    else()
      list(TRANSFORM sets APPEND "-db-${verb}" OUTPUT_VARIABLE named)
      string(REPLACE ";" ", " named "${named}")
      add_custom_target(db-${verb}
        COMMAND sh -c "echo 'retort: error: db-${verb} is ambiguous with ${count} migration sets: use one of ${named}' >&2; exit 2"
        VERBATIM)
    endif()
  endforeach()
endfunction()

# A path relative to the current source folder, made absolute.
function(_retort_absolute out path)
  cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE OUTPUT_VARIABLE abs)
  set(${out} "${abs}" PARENT_SCOPE)
endfunction()

# Our rule for every function (STYLE.md 15): after cmake_parse_arguments(PARSE_ARGV
# ... arg ...), an unknown argument, a keyword without its value and a keyword given
# twice are errors that name them. ARGN: the function's arguments after <name>.
function(_retort_check_arguments function name options one_value multi_value)
  set(fn "${function}(${name})")
  set(keywords ${options} ${one_value} ${multi_value})
  string(REPLACE ";" " " listed "${keywords}")
  if(arg_UNPARSED_ARGUMENTS)
    list(GET arg_UNPARSED_ARGUMENTS 0 first)
    message(FATAL_ERROR "${fn}: unknown argument \"${first}\" (all unparsed: ${arg_UNPARSED_ARGUMENTS}). "
                        "Keywords: ${listed}")
  endif()
  foreach(kw IN LISTS arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "${fn}: the keyword ${kw} needs a value")
  endforeach()
  set(seen "")
  foreach(a IN LISTS ARGN)
    if(a IN_LIST keywords)
      if(a IN_LIST seen AND NOT a IN_LIST multi_value)
        message(FATAL_ERROR "${fn}: the keyword ${a} is given twice")
      endif()
      list(APPEND seen ${a})
    endif()
  endforeach()
endfunction()
