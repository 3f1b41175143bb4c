# Retort's CMake functions: compile a folder of C++ migrations into a plugin for
# the `retort` CLI and a library the application links, and add the db-* targets.
#
# Included by RetortConfig.cmake (find_package(Retort)) and by Retort's own
# CMakeLists.txt (add_subdirectory / FetchContent).

include_guard(GLOBAL)

set(_RETORT_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")

#[=======================================================================[.rst:
.. command:: retort_add_migrations

  Compiles the migrations of one database into a plugin and a library, and adds
  the targets that drive them::

    retort_add_migrations(<name>
      DIRECTORY <dir>
      [DATABASE <url>]
      [VERSION_TABLE <table>])

  ``<name>``
    The migration set's name. Targets are prefixed with it (``<name>-db-upgrade``);
    migrations register under it, so one program can link several sets.

  ``DIRECTORY <dir>``
    Folder of the migration files (``*.cpp``), relative to the current source
    folder. Required. New files are picked up by the next build without a manual
    re-configure (the folder is globbed with ``CONFIGURE_DEPENDS``).

  ``DATABASE <url>``
    The database the ``db-*`` targets use when neither ``RETORT_DATABASE_URL`` nor
    retort.toml names one, e.g. ``sqlite:///${CMAKE_BINARY_DIR}/dev.db``.

  ``VERSION_TABLE <table>``
    Name of the version table (default ``retort_version``).

  It creates:

  ``<name>_retort_plugin``
    MODULE library the CLI loads (``retort --plugin <file>``).

  ``<name>_migrations``
    Library an application links to migrate itself at start-up
    (``retort::upgrade_to_head(url)`` from ``<retort/embed.hpp>``); every migration
    is kept (whole-archive), and the SQLite (and PostgreSQL, when built) backends
    are registered.

  Targets ``<name>-db-upgrade``, ``<name>-db-downgrade`` (``REV``, default ``-1``),
  ``<name>-db-current``, ``<name>-db-history``, ``<name>-db-heads``,
  ``<name>-db-migrate`` (``MSG`` required), ``<name>-db-stamp`` (``REV`` required),
  and the unprefixed ``db-*`` targets. ``MSG``, ``REV`` and ``RETORT_DATABASE_URL``
  are read from the environment when the target runs, so ``make db-migrate
  MSG="add email"`` and ``MSG="add email" cmake --build build --target db-migrate``
  both work.

  .. code-block:: cmake

    find_package(Retort 0.1 REQUIRED)
    retort_add_migrations(bookshop
      DIRECTORY migrations
      DATABASE  "sqlite:///${CMAKE_BINARY_DIR}/bookshop.db")
    add_executable(bookshop main.cpp)
    target_link_libraries(bookshop PRIVATE bookshop_migrations)
#]=======================================================================]
function(retort_add_migrations name)
  set(options "")
  set(one_value DIRECTORY DATABASE VERSION_TABLE)
  set(multi_value "")
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value}" "${multi_value}")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "retort_add_migrations(${name}): unknown argument(s): ${arg_UNPARSED_ARGUMENTS}. "
                        "Keywords: DIRECTORY DATABASE VERSION_TABLE")
  endif()
  foreach(kw IN LISTS arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "retort_add_migrations(${name}): keyword ${kw} needs a value")
  endforeach()
  if(NOT arg_DIRECTORY)
    message(FATAL_ERROR "retort_add_migrations(${name}): DIRECTORY <folder of migrations> is required")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "retort_add_migrations(${name}): the name must be a C identifier (letters, digits, _)")
  endif()
  if(TARGET ${name}_retort_plugin)
    message(FATAL_ERROR "retort_add_migrations(${name}): a migration set named ${name} already exists")
  endif()

  cmake_path(ABSOLUTE_PATH arg_DIRECTORY BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
             OUTPUT_VARIABLE dir)
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "retort_add_migrations(${name}): DIRECTORY ${dir} does not exist")
  endif()
  set(bin "${CMAKE_CURRENT_BINARY_DIR}/retort_${name}")
  file(MAKE_DIRECTORY "${bin}")

  # The one place Retort globs: the user's migrations folder, re-checked at every
  # build so a file written by `db-migrate` is compiled by the next build.
  file(GLOB migration_files CONFIGURE_DEPENDS "${dir}/*.cpp")
  list(SORT migration_files)

  # The migrations, compiled once for both the plugin and the application library.
  add_library(${name}_migration_objects OBJECT ${migration_files})
  target_link_libraries(${name}_migration_objects PUBLIC Retort::core)
  target_compile_definitions(${name}_migration_objects PRIVATE RETORT_MIGRATION_SET="${name}")
  # An empty upgrade or downgrade body leaves `op` unused: that is fine.
  target_compile_options(${name}_migration_objects PRIVATE -Wno-unused-parameter)
  set_target_properties(${name}_migration_objects PROPERTIES POSITION_INDEPENDENT_CODE ON)

  # The manifest: plugin entry point, source folder, file hashes.
  set(list_file "${bin}/files.txt")
  string(REPLACE ";" "\n" list_content "${migration_files}")
  file(CONFIGURE OUTPUT "${list_file}" CONTENT "${list_content}\n" @ONLY)
  set(manifest "${bin}/${name}_manifest.cpp")
  if(NOT DEFINED RETORT_VERSION)
    set(_retort_version "${Retort_VERSION}")
  else()
    set(_retort_version "${RETORT_VERSION}")
  endif()
  add_custom_command(OUTPUT "${manifest}"
    COMMAND "${CMAKE_COMMAND}" -DLIST=${list_file} -DOUT=${manifest} -DNAME=${name}
            -DSOURCE_DIR=${dir} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DDATABASE=${arg_DATABASE}
            -DVERSION_TABLE=${arg_VERSION_TABLE} -DRETORT_VERSION=${_retort_version}
            -P "${_RETORT_CMAKE_DIR}/RetortManifest.cmake"
    DEPENDS ${migration_files} "${list_file}" "${_RETORT_CMAKE_DIR}/RetortManifest.cmake"
    COMMENT "Retort: manifest of the ${name} migrations"
    VERBATIM)

  add_library(${name}_retort_plugin MODULE "${manifest}")
  target_link_libraries(${name}_retort_plugin PRIVATE ${name}_migration_objects Retort::core)

  # The application library: every migration kept, backends registered.
  set(register "${bin}/${name}_register.cpp")
  set(register_content "// Generated by Retort: registers the backends this program can migrate.\n")
  string(APPEND register_content "#include <retort/sqlite/sqlite.hpp>\n")
  if(TARGET Retort::postgres)
    string(APPEND register_content "#include <retort/postgres/postgres.hpp>\n")
  endif()
  string(APPEND register_content "namespace {\nstruct RetortRegisterBackends {\n    RetortRegisterBackends() {\n")
  string(APPEND register_content "        retort::sqlite::register_dialect();\n")
  if(TARGET Retort::postgres)
    string(APPEND register_content "        retort::postgres::register_dialect();\n")
  endif()
  string(APPEND register_content "    }\n} retort_register_backends;\n}  // namespace\n")
  file(CONFIGURE OUTPUT "${register}" CONTENT "${register_content}" @ONLY)
  add_library(${name}_migrations_archive STATIC "${register}" $<TARGET_OBJECTS:${name}_migration_objects>)
  target_link_libraries(${name}_migrations_archive PUBLIC Retort::core Retort::sqlite)
  if(TARGET Retort::postgres)
    target_link_libraries(${name}_migrations_archive PUBLIC Retort::postgres)
  endif()
  add_library(${name}_migrations INTERFACE)
  # Whole-archive: the migrations register themselves from static initializers,
  # which a linker drops from an archive when nothing references them.
  target_link_libraries(${name}_migrations INTERFACE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${name}_migrations_archive>")

  # db-* targets. The CLI reads RETORT_DATABASE_URL itself; MSG and REV come
  # through sh, at run time, from the environment.
  set(cli "$<TARGET_FILE:Retort::retort>" --plugin "$<TARGET_FILE:${name}_retort_plugin>" --migrations "${dir}")
  if(arg_VERSION_TABLE)
    list(APPEND cli --version-table "${arg_VERSION_TABLE}")
  endif()
  set(wd "${CMAKE_CURRENT_SOURCE_DIR}")
  foreach(verb upgrade current history heads)
    set(args ${verb})
    if(verb STREQUAL "upgrade")
      set(args upgrade head)
    endif()
    add_custom_target(${name}-db-${verb} COMMAND ${cli} ${args} WORKING_DIRECTORY "${wd}" USES_TERMINAL VERBATIM)
    add_dependencies(${name}-db-${verb} ${name}_retort_plugin)
  endforeach()
  add_custom_target(${name}-db-downgrade
    COMMAND sh -c "exec \"$@\" downgrade \"\${REV:--1}\"" retort ${cli}
    WORKING_DIRECTORY "${wd}" USES_TERMINAL VERBATIM)
  add_custom_target(${name}-db-stamp
    COMMAND sh -c "if [ -z \"\${REV:-}\" ]; then echo 'retort: error: REV is not set: make ${name}-db-stamp REV=<revision> (or REV=<revision> cmake --build <dir> --target ${name}-db-stamp)' >&2; exit 2; fi; exec \"$@\" stamp \"$REV\"" retort ${cli}
    WORKING_DIRECTORY "${wd}" USES_TERMINAL VERBATIM)
  add_custom_target(${name}-db-migrate
    COMMAND sh -c "if [ -z \"\${MSG:-}\" ]; then echo 'retort: error: MSG is not set: make ${name}-db-migrate MSG=\"add email\" (or MSG=\"add email\" cmake --build <dir> --target ${name}-db-migrate)' >&2; exit 2; fi; exec \"$@\" revision -m \"$MSG\"" retort ${cli}
    WORKING_DIRECTORY "${wd}" USES_TERMINAL VERBATIM)
  foreach(verb downgrade stamp migrate)
    add_dependencies(${name}-db-${verb} ${name}_retort_plugin)
  endforeach()

  set_property(GLOBAL APPEND PROPERTY RETORT_MIGRATION_SETS ${name})
  get_property(deferred GLOBAL PROPERTY _RETORT_FINALIZE_DEFERRED)
  if(NOT deferred)
    set_property(GLOBAL PROPERTY _RETORT_FINALIZE_DEFERRED ON)
    cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _retort_finalize)
  endif()
endfunction()

# The unprefixed db-* targets, made once every set is known: read verbs and
# db-upgrade run every set; the others need exactly one.
function(_retort_finalize)
  get_property(sets GLOBAL PROPERTY RETORT_MIGRATION_SETS)
  list(LENGTH sets count)
  foreach(verb upgrade current history heads)
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
