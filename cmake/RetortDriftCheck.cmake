# The build's drift check for one migration set (run by retort_add_migrations with
# cmake -P): the migrations replayed to head must match the models, and there must
# be one head. On success it touches STAMP, so the check runs again only when the
# plugin or the models change.
#   -DSET=<name> -DCOMMAND=<retort ...;check;...> -DDRIFT=ERROR|WARNING -DSTAMP=<file>
#   -DMIGRATE=<the command that writes the missing migration>
cmake_minimum_required(VERSION 3.25)

execute_process(COMMAND ${COMMAND}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(STRIP "${out}" out)
string(STRIP "${err}" err)

if(rc EQUAL 0)
  file(TOUCH "${STAMP}")
  return()
endif()

file(REMOVE "${STAMP}")
# message(NOTICE) prints as is; FATAL_ERROR and WARNING would re-wrap the lines.
if(rc EQUAL 3)
  string(CONCAT text
    "Retort: the ${SET} models and migrations disagree (the schema at head is not the models'):\n"
    "${out}\n"
    "Write the migration that closes the gap, review it, and build again:\n"
    "  ${MIGRATE}")
  if(DRIFT STREQUAL "WARNING")
    message(NOTICE "${text}\n(DRIFT WARNING: the build goes on.)")
    file(TOUCH "${STAMP}")
    return()
  endif()
  message(NOTICE "${text}\n(DRIFT WARNING in retort_add_migrations(${SET} ...) would make this a warning.)")
  message(FATAL_ERROR "Retort: drift in the ${SET} migrations")
endif()

# 2: a broken graph (several heads, a cycle), a migration naming an object that does
# not exist at its parent revision, unreadable models.
message(NOTICE "Retort: the ${SET} migrations do not check out (exit ${rc}):\n${err}")
message(FATAL_ERROR "Retort: the ${SET} migrations do not check out")
