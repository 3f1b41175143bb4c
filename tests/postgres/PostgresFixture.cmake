#[=======================================================================[.rst:
PostgresFixture
---------------

The PostgreSQL server Retort's tests run against, as a CTest fixture: started once
per ``ctest`` run before the first test that needs it, stopped after the last one
(also when tests fail), each test creating a database of its own so ``ctest -j``
is safe. The server is a fresh cluster (``initdb``) in ``<build>/postgres-test``
with a unix socket and a free TCP port, run as the ``postgres`` OS user when the
suite runs as root (see ``pg_test_server.sh``).

Tests find the server through the environment: ``RETORT_TEST_POSTGRES_URL`` when
set (an external server; the fixture then starts nothing), else the file named by
``RETORT_TEST_POSTGRES_URL_FILE``, which the fixture writes. C++ tests use
``tests/postgres/test_database.hpp`` for both.

.. command:: retort_postgres_fixture

  ::

    retort_postgres_fixture()

  Adds the tests ``retort_postgres_server_start`` (``FIXTURES_SETUP``) and
  ``retort_postgres_server_stop`` (``FIXTURES_CLEANUP``) of fixture
  ``retort_postgres``. Idempotent.

.. command:: retort_postgres_test_properties

  ::

    retort_postgres_test_properties(<out-var>)

  Sets ``<out-var>`` to the test properties a PostgreSQL test needs
  (``FIXTURES_REQUIRED retort_postgres`` and the ``ENVIRONMENT`` entry naming the
  URL file), for ``set_tests_properties(... PROPERTIES ...)`` or
  ``gtest_discover_tests(... PROPERTIES ...)``. Calls ``retort_postgres_fixture()``.

.. code-block:: cmake

  include(postgres/PostgresFixture.cmake)
  retort_postgres_test_properties(pg_properties)
  gtest_discover_tests(retort_postgres_tests PROPERTIES LABELS postgres ${pg_properties})

Cache variables: ``RETORT_TEST_POSTGRES_BINDIR`` (the directory of ``initdb`` and
``pg_ctl``; found under ``/usr/lib/postgresql/<version>/bin`` or on ``PATH`` when
empty).
#]=======================================================================]
include_guard(GLOBAL)

set(RETORT_TEST_POSTGRES_BINDIR "" CACHE PATH
  "Directory of the PostgreSQL server programs (initdb, pg_ctl) the tests start; empty: search")
set(_retort_pg_script "${CMAKE_CURRENT_LIST_DIR}/pg_test_server.sh")
set(_retort_pg_state "${CMAKE_BINARY_DIR}/postgres-test")

function(retort_postgres_fixture)
  if(ARGN)
    message(FATAL_ERROR "retort_postgres_fixture: unexpected arguments: ${ARGN}")
  endif()
  if(TEST retort_postgres_server_start)
    return()
  endif()
  find_program(_retort_bash bash REQUIRED)
  add_test(NAME retort_postgres_server_start
    COMMAND ${_retort_bash} ${_retort_pg_script} start ${_retort_pg_state} "${RETORT_TEST_POSTGRES_BINDIR}")
  add_test(NAME retort_postgres_server_stop
    COMMAND ${_retort_bash} ${_retort_pg_script} stop ${_retort_pg_state} "${RETORT_TEST_POSTGRES_BINDIR}")
  set_tests_properties(retort_postgres_server_start PROPERTIES
    FIXTURES_SETUP retort_postgres LABELS postgres TIMEOUT 180)
  set_tests_properties(retort_postgres_server_stop PROPERTIES
    FIXTURES_CLEANUP retort_postgres LABELS postgres TIMEOUT 120)
endfunction()

function(retort_postgres_test_properties out_var)
  if(ARGN)
    message(FATAL_ERROR "retort_postgres_test_properties: unexpected arguments: ${ARGN}")
  endif()
  retort_postgres_fixture()
  set(${out_var}
    FIXTURES_REQUIRED retort_postgres
    ENVIRONMENT "RETORT_TEST_POSTGRES_URL_FILE=${_retort_pg_state}/url"
    PARENT_SCOPE)
endfunction()
