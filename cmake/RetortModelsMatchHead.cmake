# The CTest case <set>.models_match_head: upgrade a fresh real database to the
# heads, reflect it and compare it with the models (`retort check --against db`),
# not with the replay, which the build's drift check covers. Added by
# retort_add_migrations() when MODELS or MODELS_SQL is given:
#
#   cmake -DCOMMAND=<retort --plugin ... --migrations ...> -DDATABASE=<TEST_DATABASE>
#         -DMODELS_ARGS=<--models <module> | --models-sql <file>> -P RetortModelsMatchHead.cmake
#
# The database follows `retort test`'s naming (`retort test database`): from
# sqlite:///dir/test.db, dir/test-models_match_head.db; from
# postgresql://.../prefix, database prefix_models_match_head on that server. Made
# afresh by each run and left for a look.
cmake_minimum_required(VERSION 3.25)

foreach(var COMMAND DATABASE MODELS_ARGS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "RetortModelsMatchHead.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${COMMAND} test database models_match_head --database "${DATABASE}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE url ERROR_VARIABLE err)
string(STRIP "${url}" url)
if(NOT rc EQUAL 0 OR url STREQUAL "")
  message(FATAL_ERROR "models_match_head: cannot make the test database (exit ${rc}):\n${err}")
endif()
# What to print for it: a file, or the server database without its password.
string(REGEX REPLACE "^sqlite3?:///" "" shown "${url}")
string(REGEX REPLACE "^([a-z]+://[^:/@]*):[^@/]*@" "\\1:***@" shown "${shown}")

execute_process(COMMAND ${COMMAND} --url "${url}" upgrade heads RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "models_match_head: upgrading ${shown} to the heads failed (exit ${rc})")
endif()
execute_process(COMMAND ${COMMAND} --url "${url}" check --against db ${MODELS_ARGS} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "models_match_head: the database at head does not match the models (retort check "
                      "exited ${rc}). Write the migration that closes the gap: make db-migrate MSG=\"...\". "
                      "The database is kept at ${shown}")
endif()
