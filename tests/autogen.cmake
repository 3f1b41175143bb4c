# ---- Autogenerate and check (issue 5) --------------------------------------------
# Included from tests/CMakeLists.txt. Real SQLite files and the built `retort`
# binary; no mocks.

# The autogenerate corpus on real SQLite files through real (generated, compiled)
# migrations and the Migrator; models from SQL; unmodeled objects.
add_executable(retort_autogen_tests integration/autogen_sqlite_test.cpp)
target_link_libraries(retort_autogen_tests PRIVATE retort_core retort_sqlite GTest::gtest_main retort_warnings
  nlohmann_json::nlohmann_json ${CMAKE_DL_LIBS})
# The generated migrations are compiled by the test with the same compiler.
target_compile_definitions(retort_autogen_tests PRIVATE
  RETORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}/src"
  RETORT_CXX_COMPILER="${CMAKE_CXX_COMPILER}"
  RETORT_AUTOGEN_WORK_DIR="${CMAKE_CURRENT_BINARY_DIR}/autogen_corpus")
gtest_discover_tests(retort_autogen_tests PROPERTIES LABELS integration DISCOVERY_TIMEOUT 60)

# The same corpus on the suite's PostgreSQL server (tests/postgres), every case in
# a database of its own.
if(TARGET retort_postgres)
  include(${CMAKE_CURRENT_SOURCE_DIR}/postgres/PostgresFixture.cmake)
  retort_postgres_test_properties(_retort_autogen_pg_properties)
  add_executable(retort_autogen_postgres_tests integration/autogen_postgres_test.cpp)
  target_link_libraries(retort_autogen_postgres_tests PRIVATE retort_core retort_postgres GTest::gtest_main
    retort_warnings nlohmann_json::nlohmann_json ${CMAKE_DL_LIBS})
  target_compile_definitions(retort_autogen_postgres_tests PRIVATE
    RETORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}/src"
    RETORT_CXX_COMPILER="${CMAKE_CXX_COMPILER}"
    RETORT_AUTOGEN_WORK_DIR="${CMAKE_CURRENT_BINARY_DIR}/autogen_corpus")
  gtest_discover_tests(retort_autogen_postgres_tests PROPERTIES LABELS postgres ${_retort_autogen_pg_properties}
    DISCOVERY_TIMEOUT 60)
endif()

if(TARGET bookshop_retort_plugin)
  # The bookshop models as a module, as retort_add_migrations(... MODELS ...) builds
  # it; and a models module that declares nothing.
  add_library(retort_test_bookshop_models MODULE ${PROJECT_SOURCE_DIR}/examples/bookshop/models/bookshop_models.cpp)
  target_link_libraries(retort_test_bookshop_models PRIVATE retort_core)
  add_library(retort_test_empty_models MODULE cli/empty_models.cpp)
  target_link_libraries(retort_test_empty_models PRIVATE retort_core)

  # `retort check` and `retort revision --autogenerate` through the built binary.
  add_executable(retort_cli_autogen_tests cli/check_test.cpp cli/revision_autogenerate_test.cpp)
  target_link_libraries(retort_cli_autogen_tests PRIVATE SQLiteCpp GTest::gtest_main retort_warnings
    nlohmann_json::nlohmann_json)
  target_compile_definitions(retort_cli_autogen_tests PRIVATE
    RETORT_CLI="$<TARGET_FILE:retort>"
    RETORT_BOOKSHOP_PLUGIN="$<TARGET_FILE:bookshop_retort_plugin>"
    RETORT_BOOKSHOP_MODELS="$<TARGET_FILE:retort_test_bookshop_models>"
    RETORT_EMPTY_MODELS="$<TARGET_FILE:retort_test_empty_models>"
    RETORT_BOOKSHOP_MIGRATIONS="${PROJECT_SOURCE_DIR}/examples/bookshop/migrations"
    RETORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}/src"
    RETORT_CXX_COMPILER="${CMAKE_CXX_COMPILER}")
  add_dependencies(retort_cli_autogen_tests retort bookshop_retort_plugin retort_test_bookshop_models
    retort_test_empty_models)
  gtest_discover_tests(retort_cli_autogen_tests PROPERTIES LABELS cli DISCOVERY_TIMEOUT 60)
endif()

# The models as PostgreSQL DDL (libpg_query): no server needed.
if(TARGET retort_pg_ddl)
  add_executable(retort_pg_ddl_tests unit/pg_ddl_test.cpp)
  target_link_libraries(retort_pg_ddl_tests PRIVATE retort_pg_ddl retort_core GTest::gtest_main retort_warnings
    nlohmann_json::nlohmann_json)
  if(TARGET retort_postgres)
    target_link_libraries(retort_pg_ddl_tests PRIVATE retort_postgres)
    target_compile_definitions(retort_pg_ddl_tests PRIVATE RETORT_TEST_HAVE_POSTGRES)
  endif()
  gtest_discover_tests(retort_pg_ddl_tests PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endif()
