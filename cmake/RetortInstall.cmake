# Retort as a package, the way fmt and SQLiteCpp do it:
# - a build-tree package (always): RetortConfig.cmake, RetortConfigVersion.cmake and
#   RetortTargets.cmake (export()) in the build folder, so find_package(Retort) works
#   with Retort_DIR=<build folder> and no install;
# - install rules (RETORT_INSTALL, on when Retort is the top-level project): the
#   headers, the libraries, the `retort` CLI and a relocatable RetortConfig.cmake
#   under <prefix>/lib/cmake/Retort, so find_package(Retort 0.1 REQUIRED) works
#   from any prefix (CMAKE_PREFIX_PATH=<prefix>).
# Both configs find SQLiteCpp with find_dependency and libpqxx with pkg-config, as
# the top-level CMakeLists.txt does, and include the same cmake/Retort.cmake.
include(CMakePackageConfigHelpers)

set(RETORT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Retort" CACHE STRING "Where RetortConfig.cmake is installed")

set(_retort_targets retort_core retort_sqlite retort)
set(RETORT_PACKAGE_POSTGRES OFF)
if(TARGET retort_postgres)
  list(APPEND _retort_targets retort_postgres)
  set(RETORT_PACKAGE_POSTGRES ON)
endif()

write_basic_package_version_file(${PROJECT_BINARY_DIR}/RetortConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)

# The build-tree package: the functions come from the source tree.
export(TARGETS ${_retort_targets} NAMESPACE Retort:: FILE ${PROJECT_BINARY_DIR}/RetortTargets.cmake)
set(RETORT_FUNCTIONS_DIR "${PROJECT_SOURCE_DIR}/cmake")
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/RetortConfig.cmake.in
  ${PROJECT_BINARY_DIR}/RetortConfig.cmake
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}"
  INSTALL_PREFIX "${PROJECT_BINARY_DIR}"
  PATH_VARS RETORT_FUNCTIONS_DIR)

if(NOT RETORT_INSTALL)
  return()
endif()

# (Each target's INSTALL_INTERFACE include directory is already <prefix>/include.)
install(TARGETS retort_core EXPORT RetortTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS retort_sqlite EXPORT RetortTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/retort/sqlite)
if(TARGET retort_postgres)
  install(TARGETS retort_postgres EXPORT RetortTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/retort/postgres)
endif()
install(TARGETS retort EXPORT RetortTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The core headers, as they are included: <retort/migration.hpp>, <retort/embed.hpp>, ...
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/retort DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(EXPORT RetortTargets NAMESPACE Retort:: DESTINATION ${RETORT_INSTALL_CMAKEDIR})

# The installed package: paths relative to the config file, so the prefix can move.
set(RETORT_FUNCTIONS_DIR "${RETORT_INSTALL_CMAKEDIR}")
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/RetortConfig.cmake.in
  ${PROJECT_BINARY_DIR}/install/RetortConfig.cmake
  INSTALL_DESTINATION ${RETORT_INSTALL_CMAKEDIR}
  PATH_VARS RETORT_FUNCTIONS_DIR)
install(FILES
  ${PROJECT_BINARY_DIR}/install/RetortConfig.cmake
  ${PROJECT_BINARY_DIR}/RetortConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/Retort.cmake
  ${PROJECT_SOURCE_DIR}/cmake/RetortManifest.cmake
  ${PROJECT_SOURCE_DIR}/cmake/RetortDriftCheck.cmake
  ${PROJECT_SOURCE_DIR}/cmake/RetortLint.cmake
  ${PROJECT_SOURCE_DIR}/cmake/RetortDiscoverTests.cmake
  ${PROJECT_SOURCE_DIR}/cmake/RetortModelsMatchHead.cmake
  DESTINATION ${RETORT_INSTALL_CMAKEDIR})
