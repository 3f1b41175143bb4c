# The CTest case <set>.models_match_head: upgrade a fresh real database to the
# heads, reflect it and compare it with the models (`retort check --against db`),
# not with the replay, which the build's drift check covers. Added by
# retort_add_migrations() when MODELS or MODELS_SQL is given:
#
#   cmake -DCOMMAND=<retort --plugin ... --migrations ...> -DDATABASE=<TEST_DATABASE>
#         -DMODELS_ARGS=<--models <module> | --models-sql <file>> -P RetortModelsMatchHead.cmake
#
# The database follows `retort test`'s naming: sqlite:///dir/test.db gives
# dir/test-models_match_head.db, made afresh and left for a look.
cmake_minimum_required(VERSION 3.25)

foreach(var COMMAND DATABASE MODELS_ARGS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "RetortModelsMatchHead.cmake: -D${var}=... is required")
  endif()
endforeach()

if(NOT DATABASE MATCHES "^sqlite3?://(/.*)$")
  message(FATAL_ERROR "models_match_head: test databases on ${DATABASE} are not supported yet; "
                      "use a sqlite:/// TEST_DATABASE")
endif()
string(REGEX REPLACE "^sqlite3?:///" "" path "${DATABASE}")
cmake_path(GET path PARENT_PATH dir)
cmake_path(GET path STEM LAST_ONLY stem)
cmake_path(GET path EXTENSION LAST_ONLY ext)
if(ext STREQUAL "")
  set(ext ".db")
endif()
set(db "${dir}/${stem}-models_match_head${ext}")
file(MAKE_DIRECTORY "${dir}")
file(REMOVE "${db}" "${db}-journal" "${db}-wal" "${db}-shm")
set(url "sqlite:///${db}")

execute_process(COMMAND ${COMMAND} --url "${url}" upgrade heads RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "models_match_head: upgrading ${db} to the heads failed (exit ${rc})")
endif()
execute_process(COMMAND ${COMMAND} --url "${url}" check --against db ${MODELS_ARGS} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "models_match_head: the database at head does not match the models (retort check "
                      "exited ${rc}). Write the migration that closes the gap: make db-migrate MSG=\"...\". "
                      "The database is kept at ${db}")
endif()
