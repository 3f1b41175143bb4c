# Runs one CMake-level test case: configures and builds a sample project from
# tests/cmake/projects/ as a user would, runs its targets and tests, and checks
# each step's exit status and output (CMake's RunCMake style). Driven by CTest
# (tests/CMakeLists.txt):
#
#   cmake -DCASE=<case> -DGENERATOR=<Ninja|Unix Makefiles> -DWORK=<scratch folder>
#         -DPREFIX=<Retort install prefix> -DRETORT_SOURCE_DIR=<checkout>
#         -DRETORT_BUILD_DIR=<its build folder> -P RunCase.cmake
#
# Cases: find_package, find_package_relocated, build_tree_package, subproject
# (add_subdirectory, then FetchContent), configure_errors, failing, drift, lint, db_migrate, expect (one command:
# -DCOMMAND=<list> -DEXPECT=<code> -DMATCH=<regex>). Every step is logged to
# <WORK>/log.txt; a failing step prints its command and output.
cmake_minimum_required(VERSION 3.25)

set(PROJECTS "${CMAKE_CURRENT_LIST_DIR}/projects")
if(NOT CASE)
  message(FATAL_ERROR "RunCase.cmake: -DCASE=<case> is required")
endif()
if(CASE STREQUAL "subproject")
  # Keeps its build folder between runs: Retort itself is then rebuilt only where
  # its sources changed. The configure steps run in full every time.
  file(REMOVE "${WORK}/log.txt")
  file(MAKE_DIRECTORY "${WORK}")
elseif(NOT CASE STREQUAL "expect")
  file(REMOVE_RECURSE "${WORK}")
  file(MAKE_DIRECTORY "${WORK}")
endif()
# The sample projects must not see a database or config of whoever runs the tests.
unset(ENV{RETORT_DATABASE_URL})
unset(ENV{RETORT_CONFIG})
unset(ENV{RETORT_PLUGIN})
unset(ENV{MSG})
unset(ENV{REV})
# Compile and link flags of the Retort build (ASan/UBSan), for the sample projects:
# CMake reads them from the environment when it configures a new build folder.
if(INNER_CXXFLAGS)
  set(ENV{CXXFLAGS} "${INNER_CXXFLAGS}")
endif()
if(INNER_LDFLAGS)
  set(ENV{LDFLAGS} "${INNER_LDFLAGS}")
endif()
# A parent make's flags would leak into the sample's make.
unset(ENV{MAKEFLAGS})
unset(ENV{MFLAGS})

# step(<title> [EXPECT <0|FAIL|n>] [MATCH <regex>...] [NO_MATCH <regex>...]
#      [DIR <dir>] COMMAND <command...>)
#   EXPECT: 0 (default), FAIL (any non-zero) or an exit code. Each MATCH must match
#   stdout+stderr, no NO_MATCH may. Sets STEP_OUTPUT in the caller.
function(step title)
  cmake_parse_arguments(PARSE_ARGV 1 s "" "EXPECT;DIR" "MATCH;NO_MATCH;COMMAND")
  if(s_UNPARSED_ARGUMENTS OR NOT s_COMMAND)
    message(FATAL_ERROR "step(${title}): bad arguments: ${s_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT DEFINED s_EXPECT)
    set(s_EXPECT 0)
  endif()
  if(NOT s_DIR)
    set(s_DIR "${WORK}")
  endif()
  string(TIMESTAMP start "%s")
  execute_process(COMMAND ${s_COMMAND} WORKING_DIRECTORY "${s_DIR}"
    OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  string(TIMESTAMP end "%s")
  math(EXPR seconds "${end} - ${start}")
  string(REPLACE ";" " " shown "${s_COMMAND}")
  if(WORK)
    file(APPEND "${WORK}/log.txt" "==== ${title} (exit ${rc}, ${seconds} s)\n$ ${shown}\n${out}\n")
  endif()
  set(problems "")
  if(s_EXPECT STREQUAL "FAIL")
    if(rc EQUAL 0)
      string(APPEND problems "  expected a failure, got exit 0\n")
    endif()
  elseif(NOT rc STREQUAL s_EXPECT)
    string(APPEND problems "  expected exit ${s_EXPECT}, got ${rc}\n")
  endif()
  # CMake wraps its messages: match the output as printed, or with whitespace runs
  # collapsed to one space.
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}")
  foreach(re IN LISTS s_MATCH)
    if(NOT out MATCHES "${re}" AND NOT flat MATCHES "${re}")
      string(APPEND problems "  the output does not match: ${re}\n")
    endif()
  endforeach()
  foreach(re IN LISTS s_NO_MATCH)
    if(out MATCHES "${re}")
      string(APPEND problems "  the output matches what it must not: ${re}\n")
    endif()
  endforeach()
  if(problems)
    message(FATAL_ERROR "[${CASE}] step \"${title}\" failed:\n${problems}  command: ${shown}\n"
                        "  folder: ${s_DIR}\n---- output ----\n${out}\n----------------")
  endif()
  message(STATUS "[${CASE}] ${title}: ok (${seconds} s)")
  set(STEP_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

# build_step(<build> <target or ""> [step options...])
function(build_step build target)
  if(target STREQUAL "")
    step("build" ${ARGN} COMMAND "${CMAKE_COMMAND}" --build "${build}" -j 2)
  else()
    step("build ${target}" ${ARGN} COMMAND "${CMAKE_COMMAND}" --build "${build}" --target ${target})
  endif()
  set(STEP_OUTPUT "${STEP_OUTPUT}" PARENT_SCOPE)
endfunction()

set(CTEST "${CMAKE_CTEST_COMMAND}")
if(NOT CTEST)
  cmake_path(GET CMAKE_COMMAND PARENT_PATH bin)
  set(CTEST "${bin}/ctest")
endif()

# The shop project: configure, build, test, drive the db-* targets and run the app.
function(check_shop build)
  file(GLOB databases "${build}/*.db")
  if(databases)
    file(REMOVE ${databases})
  endif()
  build_step("${build}" "")
  step("ctest" DIR "${build}"
    MATCH "100% tests passed"
          "shop\\.snapshots" "shop\\.up_down_full" "shop\\.stairway\\.aaa111aaa111" "shop\\.stairway\\.bbb222bbb222"
          "shop\\.models_match_head [^\n]* Passed"
          "shop\\.stairway\\.ccc333ccc333" "audit\\.stairway\\.ddd444ddd444" "audit\\.stairway\\.fff666fff666 [^\n]* Passed"
          # An irreversible revision: its stairway is listed, not run.
          "audit\\.stairway\\.eee555eee555 [^\n]*Disabled"
    NO_MATCH "NOT_BUILT"
    COMMAND "${CTEST}" --output-on-failure -j 2)
  step("up_down_full comes back down to the irreversible revision, its rows kept" DIR "${build}"
    MATCH "downgrade fff666fff666 [^\n]*= replay, = the way up"
          "rows of the irreversible part +kept \\(rows: events 2\\)"
    NO_MATCH "downgrade eee555eee555"
    COMMAND "${CTEST}" -R "^audit\\.up_down_full$" -V)
  build_step("${build}" db-upgrade MATCH "Now at ccc333ccc333" "Now at fff666fff666")
  build_step("${build}" db-current MATCH "ccc333ccc333 \\(head\\)" "fff666fff666 \\(head\\)")
  step("db-migrate with two sets is an error naming both targets" EXPECT FAIL
    MATCH "db-migrate is ambiguous with 2 migration sets: use one of shop-db-migrate, audit-db-migrate"
    COMMAND "${CMAKE_COMMAND}" -E env MSG=x "${CMAKE_COMMAND}" --build "${build}" --target db-migrate)
  step("db-stamp without REV is exit 2 naming the command" EXPECT FAIL
    MATCH "REV is not set: make shop-db-stamp REV=<revision>"
    COMMAND "${CMAKE_COMMAND}" --build "${build}" --target shop-db-stamp)
  step("the application upgrades itself" DIR "${build}"
    MATCH "shop at ccc333ccc333 \\(3 migrations\\), audit at fff666fff666 \\(3 migrations\\)"
    COMMAND "${build}/shop" "${build}")
  file(GLOB models_module "${build}/*shop_retort_models*")
  if(NOT models_module)
    message(FATAL_ERROR "[${CASE}] the models module shop_retort_models was not built in ${build}")
  endif()
endfunction()

if(CASE STREQUAL "expect")
  step("${COMMAND}" EXPECT "${EXPECT}" MATCH "${MATCH}" DIR "${CMAKE_CURRENT_LIST_DIR}" COMMAND ${COMMAND})

elseif(CASE STREQUAL "find_package" OR CASE STREQUAL "find_package_relocated")
  set(prefix "${PREFIX}")
  if(CASE STREQUAL "find_package_relocated")
    # A relocatable package: the prefix works after being moved elsewhere.
    set(prefix "${WORK}/moved-prefix")
    file(COPY "${PREFIX}/" DESTINATION "${prefix}")
  endif()
  step("configure against ${prefix}" MATCH "Build files have been written"
    COMMAND "${CMAKE_COMMAND}" -S "${PROJECTS}/shop" -B "${WORK}/build" -G "${GENERATOR}"
            "-DCMAKE_PREFIX_PATH=${prefix}" -DRETORT_VIA=find_package)
  check_shop("${WORK}/build")
  file(READ "${WORK}/build/CMakeCache.txt" cache)
  if(NOT cache MATCHES "Retort_DIR:PATH=${prefix}/")
    message(FATAL_ERROR "[${CASE}] Retort was not found in ${prefix}")
  endif()

elseif(CASE STREQUAL "build_tree_package")
  step("configure against the build tree ${RETORT_BUILD_DIR}"
    COMMAND "${CMAKE_COMMAND}" -S "${PROJECTS}/shop" -B "${WORK}/build" -G "${GENERATOR}"
            "-DRetort_DIR=${RETORT_BUILD_DIR}" -DRETORT_VIA=find_package)
  check_shop("${WORK}/build")

elseif(CASE STREQUAL "subproject")
  # add_subdirectory, then FetchContent (SOURCE_DIR: a local path) in the same build
  # folder and the same binary folder for Retort, so Retort is compiled once. No
  # build type (no optimisation, no debug info) and no PostgreSQL: the fastest build
  # of Retort itself; this case is about how it is consumed.
  step("configure with Retort by add_subdirectory" MATCH "Build files have been written"
    COMMAND "${CMAKE_COMMAND}" -S "${PROJECTS}/shop" -B "${WORK}/build" -G "${GENERATOR}"
            -DRETORT_VIA=add_subdirectory "-DRETORT_SOURCE_DIR=${RETORT_SOURCE_DIR}" -DRETORT_POSTGRES=OFF)
  check_shop("${WORK}/build")
  step("Retort's own tests and example stay out of a subproject build" DIR "${WORK}/build"
    NO_MATCH "retort_unit_tests|bookshop" COMMAND "${CTEST}" -N)
  step("configure again with Retort by FetchContent"
    MATCH "shop: Retort made available by FetchContent from ${RETORT_SOURCE_DIR}" "Build files have been written"
    COMMAND "${CMAKE_COMMAND}" -S "${PROJECTS}/shop" -B "${WORK}/build" -DRETORT_VIA=FetchContent)
  check_shop("${WORK}/build")

elseif(CASE STREQUAL "configure_errors")
  set(src "${PROJECTS}/configure_errors")
  set(build "${WORK}/build")
  set(common COMMAND "${CMAKE_COMMAND}" -S "${src}" -B "${build}" -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${PREFIX}")
  step("an unknown keyword" EXPECT 1
    MATCH "retort_add_migrations\\(app\\): unknown argument \"DATABSE\"" "Keywords: ALLOW_MULTIPLE_HEADS DIRECTORY"
          "CMakeLists.txt:[0-9]+ \\(retort_add_migrations\\)"
    ${common} -DMISTAKE=unknown_keyword)
  step("DIRECTORY missing" EXPECT 1 MATCH "retort_add_migrations\\(app\\): the keyword DIRECTORY <folder of migrations> is missing"
    ${common} -DMISTAKE=missing_directory)
  step("a keyword without its value" EXPECT 1 MATCH "retort_add_migrations\\(app\\): the keyword DATABASE needs a value"
    ${common} -DMISTAKE=missing_value)
  step("a keyword twice" EXPECT 1 MATCH "retort_add_migrations\\(app\\): the keyword DIRECTORY is given twice"
    ${common} -DMISTAKE=twice)
  step("a folder that does not exist" EXPECT 1 MATCH "retort_add_migrations\\(app\\): DIRECTORY [^\n]*/migratoins does not exist"
    ${common} -DMISTAKE=no_such_folder)
  step("a bad DRIFT" EXPECT 1 MATCH "DRIFT LOUD is not one of ERROR, WARNING, OFF" ${common} -DMISTAKE=bad_drift)
  step("MODELS and MODELS_SQL" EXPECT 1 MATCH "give MODELS <target> or MODELS_SQL <file>, not both"
    ${common} -DMISTAKE=models_and_sql)
  step("MODELS that is not a target" EXPECT 1 MATCH "retort_add_migrations\\(app\\): MODELS app_modles is not a target"
    ${common} -DMISTAKE=no_such_models)
  step("two sets of one name" EXPECT 1 MATCH "a migration set named app already exists" ${common} -DMISTAKE=same_name)
  step("and the project without a mistake configures" MATCH "Build files have been written" ${common} -DMISTAKE=none)

elseif(CASE STREQUAL "failing")
  step("configure" COMMAND "${CMAKE_COMMAND}" -S "${PROJECTS}/failing" -B "${WORK}/build" -G "${GENERATOR}"
                           "-DCMAKE_PREFIX_PATH=${PREFIX}")
  build_step("${WORK}/build" "")
  step("ctest fails where it must" DIR "${WORK}/build" EXPECT 8
    MATCH
      # A migration whose SQL fails: the walk stops there, naming the statement's error and the revision.
      "sqlfail\\.snapshots [^\n]*\\*\\*\\*Failed"
      "sqlfail\\.up_down_full [^\n]*\\*\\*\\*Failed"
      "no such table: notez"
      "revision: f00d00000002|f00d00000002[^\n]*fill notes"
      # A downgrade that loses a column: its stairway fails naming the column and the lost rows.
      "lossy\\.stairway\\.10550000000b [^\n]*\\*\\*\\*Failed"
      "lossy\\.stairway\\.10550000000a [^\n]* Passed"
      "downgrade -> 10550000000a: the schema differs from before the upgrade"
      "table users: column name varchar\\(100\\) NOT NULL is missing"
      "table users: column name is gone, and its values with it"
      "lossy\\.up_down_full [^\n]*\\*\\*\\*Failed"
      # Models with a column no migration adds: models_match_head fails naming it.
      "drifted\\.models_match_head [^\n]*\\*\\*\\*Failed"
      "accounts\\.email"
      "models_match_head: the database at head does not match the models"
    COMMAND "${CTEST}" --output-on-failure)

elseif(CASE STREQUAL "drift")
  # The build's drift check, one project per mistake.
  # db-migrate writes into the migrations folder: the drift project works on a copy.
  file(COPY "${PROJECTS}/failing/drifted/" DESTINATION "${WORK}/drifted")
  foreach(mistake drift drift_warning two_heads two_heads_allowed typo arrays)
    set(build "${WORK}/${mistake}")
    set(drifted_dir "")
    if(mistake STREQUAL "drift")
      set(drifted_dir "-DDRIFTED_DIR=${WORK}/drifted")
    endif()
    step("configure (${mistake})" COMMAND "${CMAKE_COMMAND}" -S "${PROJECTS}/drift" -B "${build}" -G "${GENERATOR}"
                                          "-DCMAKE_PREFIX_PATH=${PREFIX}" -DMISTAKE=${mistake} ${drifted_dir})
  endforeach()
  step("models with a column no migration adds fail the build, with the diff and the fix" EXPECT FAIL
    MATCH "the app models and migrations disagree" "accounts\\.email"
          "make db-migrate MSG=\"<what changed>\"" "cmake --build [^\n]* --target db-migrate"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/drift")
  step("and again: a failed check is not remembered as passed" EXPECT FAIL MATCH "accounts\\.email"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/drift")
  step("db-migrate is not blocked by the drift it fixes: it autogenerates the missing column"
    MATCH "Generating [^\n]*_add_email\\.cpp"
    COMMAND "${CMAKE_COMMAND}" -E env "MSG=add email" "${CMAKE_COMMAND}" --build "${WORK}/drift" --target db-migrate)
  file(GLOB generated "${WORK}/drifted/migrations/*_add_email.cpp")
  file(READ "${generated}" text)
  if(NOT text MATCHES "op\\.add_column\\(\"accounts\", col\\(\"email\", varchar\\(200\\)\\)\\);")
    message(FATAL_ERROR "[${CASE}] the generated migration does not add accounts.email:\n${text}")
  endif()
  step("then the build, with no re-configure, compiles it and the check passes"
    MATCH "Retort: checking the app migrations" NO_MATCH "disagree"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/drift")
  step("and db-migrate with nothing to do writes nothing" MATCH "No changes detected"
    COMMAND "${CMAKE_COMMAND}" -E env "MSG=nothing" "${CMAKE_COMMAND}" --build "${WORK}/drift" --target db-migrate)
  step("DRIFT WARNING prints the difference and builds" MATCH "accounts\\.email" "DRIFT WARNING: the build goes on"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/drift_warning")
  step("two heads fail the build, naming the merge to run" EXPECT FAIL
    MATCH "several heads \\(a00000000002, a00000000003\\)" "retort merge -m \"merge heads\" heads"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/two_heads")
  step("ALLOW_MULTIPLE_HEADS lets two heads build" COMMAND "${CMAKE_COMMAND}" --build "${WORK}/two_heads_allowed")
  step("a migration naming a column its parent does not have fails the build, naming the file and the op" EXPECT FAIL
    MATCH "drop_column items\\.nmae" "table \"items\" has no column \"nmae\""
          "20260102_0900-b00000000002_drop_nmae\\.cpp"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/typo")
  step("DIALECTS sqlite postgresql: an op SQLite cannot express fails the build, naming it and its file" EXPECT FAIL
    MATCH "cannot be expressed in sqlite" "create_table items: SQLite has no array types"
          "20260101_0900-c00000000001_create_items\\.cpp"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/arrays")
  step("the check does not run again when nothing changed" NO_MATCH "Retort: checking"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/two_heads_allowed")

elseif(CASE STREQUAL "lint")
  # The build's lint step (issue 6) and the db-graph target.
  foreach(mode warning error acknowledged)
    step("configure (${mode})" COMMAND "${CMAKE_COMMAND}" -S "${PROJECTS}/lint" -B "${WORK}/${mode}" -G "${GENERATOR}"
                                       "-DCMAKE_PREFIX_PATH=${PREFIX}" -DMODE=${mode})
  endforeach()
  step("a dropped column is a compiler-style warning, and the build goes on"
    MATCH "drop_age\\.cpp:11: warning: RT102: drop_column users\\.age drops the column and its values \\[drop-column\\]"
          "drop_age\\.cpp:11: note: revision b1a700000002: "
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/warning")
  step("LINT ERROR fails the build on it" EXPECT FAIL
    MATCH "drop_age\\.cpp:11: error: RT102" "lint errors in the app migrations" "\\.acknowledge = \\{\"RTxxx\"\\}"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/error")
  step("and again: a failed lint is not remembered as passed" EXPECT FAIL MATCH "error: RT102"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/error")
  step("an acknowledged finding builds with LINT ERROR" NO_MATCH "RT102"
    COMMAND "${CMAKE_COMMAND}" --build "${WORK}/acknowledged")
  build_step("${WORK}/warning" db-graph)
  foreach(file graph.dot graph.mmd)
    if(NOT EXISTS "${WORK}/warning/retort_app/${file}")
      message(FATAL_ERROR "[${CASE}] db-graph did not write ${WORK}/warning/retort_app/${file}")
    endif()
  endforeach()
  file(READ "${WORK}/warning/retort_app/graph.dot" dot)
  if(NOT dot MATCHES "\"b1a700000001\" -> \"b1a700000002\";")
    message(FATAL_ERROR "[${CASE}] graph.dot lacks the edge b1a700000001 -> b1a700000002:\n${dot}")
  endif()
  file(READ "${WORK}/warning/retort_app/graph.mmd" mermaid)
  if(NOT mermaid MATCHES "flowchart TB")
    message(FATAL_ERROR "[${CASE}] graph.mmd is not a Mermaid flowchart:\n${mermaid}")
  endif()

elseif(CASE STREQUAL "db_migrate")
  # db-migrate writes into the source folder: work on a copy.
  file(COPY "${PROJECTS}/migrate/" DESTINATION "${WORK}/src")
  set(build "${WORK}/build")
  step("configure (no migration yet)" COMMAND "${CMAKE_COMMAND}" -S "${WORK}/src" -B "${build}" -G "${GENERATOR}"
                                              "-DCMAKE_PREFIX_PATH=${PREFIX}")
  build_step("${build}" "")
  if(GENERATOR STREQUAL "Unix Makefiles")
    set(missing_msg COMMAND make -C "${build}" db-migrate)
    set(migrate_first COMMAND make -C "${build}" db-migrate "MSG=add notes")
    set(migrate_second COMMAND make -C "${build}" db-migrate "MSG=add tags")
    set(rebuild COMMAND make -C "${build}")
  else()
    set(missing_msg COMMAND "${CMAKE_COMMAND}" --build "${build}" --target db-migrate)
    set(migrate_first COMMAND "${CMAKE_COMMAND}" -E env "MSG=add notes" "${CMAKE_COMMAND}" --build "${build}" --target db-migrate)
    set(migrate_second COMMAND "${CMAKE_COMMAND}" -E env "MSG=add tags" "${CMAKE_COMMAND}" --build "${build}" --target db-migrate)
    set(rebuild COMMAND "${CMAKE_COMMAND}" --build "${build}")
  endif()
  step("db-migrate without MSG is exit 2 with the command to use" EXPECT FAIL
    MATCH "retort: error: MSG is not set: make notes-db-migrate MSG=\"add email\" \\(or MSG=\"add email\" cmake --build <dir> --target notes-db-migrate\\)"
    ${missing_msg})
  if(GENERATOR STREQUAL "Unix Makefiles")
    if(NOT STEP_OUTPUT MATCHES "Error 2")
      message(FATAL_ERROR "[${CASE}] the recipe did not exit with 2:\n${STEP_OUTPUT}")
    endif()
  endif()
  step("db-migrate MSG=\"add notes\"" MATCH "Generating [^\n]*_add_notes\\.cpp \\.\\.\\. done" ${migrate_first})
  file(GLOB first "${WORK}/src/migrations/*_add_notes.cpp")
  if(NOT first MATCHES "-([A-Za-z0-9_]+)_add_notes\\.cpp$")
    message(FATAL_ERROR "[${CASE}] no *_add_notes.cpp in ${WORK}/src/migrations: ${first}")
  endif()
  set(id1 "${CMAKE_MATCH_1}")
  step("the next build compiles it, with no re-configure by hand" ${rebuild})
  step("its stairway is listed" DIR "${build}" MATCH "notes\\.stairway\\.${id1}" COMMAND "${CTEST}" -N)
  step("db-migrate MSG=\"add tags\"" MATCH "Generating [^\n]*_add_tags\\.cpp \\.\\.\\. done" ${migrate_second})
  file(GLOB second "${WORK}/src/migrations/*_add_tags.cpp")
  if(NOT second MATCHES "-([A-Za-z0-9_]+)_add_tags\\.cpp$")
    message(FATAL_ERROR "[${CASE}] no *_add_tags.cpp in ${WORK}/src/migrations: ${second}")
  endif()
  set(id2 "${CMAKE_MATCH_1}")
  file(READ "${second}" text)
  if(NOT text MATCHES "down_revision = \"${id1}\"")
    message(FATAL_ERROR "[${CASE}] ${second} does not follow ${id1}:\n${text}")
  endif()
  step("the next build compiles it" ${rebuild})
  step("ctest runs both stairways" DIR "${build}"
    MATCH "notes\\.stairway\\.${id1} " "notes\\.stairway\\.${id2} " "100% tests passed"
    COMMAND "${CTEST}" --output-on-failure)
  build_step("${build}" db-upgrade MATCH "Now at ${id2} \\(2 migrations applied\\)")
  build_step("${build}" db-heads MATCH "${id2} \\(head\\)")

else()
  message(FATAL_ERROR "RunCase.cmake: unknown CASE=${CASE}")
endif()
