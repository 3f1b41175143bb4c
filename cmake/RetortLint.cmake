# The build's lint step for one migration set (run by retort_add_migrations with
# cmake -P): `retort lint` prints each finding as a compiler warning
# (`<file>:<line>: warning: RT102: ...`, with a `note:` line saying what to do).
# LINT WARNING: the build goes on; LINT ERROR (`--werror`): a finding the migration
# does not acknowledge fails it. On success it touches STAMP, so the step runs again
# only when the plugin changes.
#   -DSET=<name> -DCOMMAND=<retort ...;lint;...> -DLINT=WARNING|ERROR -DSTAMP=<file>
cmake_minimum_required(VERSION 3.25)

execute_process(COMMAND ${COMMAND}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(STRIP "${out}" out)
string(STRIP "${err}" err)

if(rc EQUAL 0)
  if(NOT out STREQUAL "")
    # message(NOTICE) prints as is: the lines stay in the compiler format IDEs read.
    message(NOTICE "${out}")
  endif()
  file(TOUCH "${STAMP}")
  return()
endif()

file(REMOVE "${STAMP}")
if(rc EQUAL 5)
  message(NOTICE "${out}")
  message(NOTICE "Retort: lint findings are errors for the ${SET} migrations (LINT ERROR in "
                 "retort_add_migrations(${SET} ...)): change the migrations as the notes say, or acknowledge an "
                 "intended finding in the migration with .acknowledge = {\"RTxxx\"}")
  message(FATAL_ERROR "Retort: lint errors in the ${SET} migrations")
endif()

message(NOTICE "Retort: the ${SET} migrations could not be linted (exit ${rc}):\n${err}")
message(FATAL_ERROR "Retort: the ${SET} migrations could not be linted")
