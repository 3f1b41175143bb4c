# Install rules and the relocatable package config: find_package(Retort) from any prefix.
include(CMakePackageConfigHelpers)

set(RETORT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Retort" CACHE STRING "Where RetortConfig.cmake goes")

set(_retort_targets retort_core retort_sqlite retort)
if(TARGET retort_postgres)
  list(APPEND _retort_targets retort_postgres)
endif()
install(TARGETS ${_retort_targets} EXPORT RetortTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/retort/sqlite
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/retort DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(EXPORT RetortTargets NAMESPACE Retort:: DESTINATION ${RETORT_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/RetortConfig.cmake.in
  ${PROJECT_BINARY_DIR}/RetortConfig.cmake INSTALL_DESTINATION ${RETORT_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/RetortConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/RetortConfig.cmake ${PROJECT_BINARY_DIR}/RetortConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/Retort.cmake ${PROJECT_SOURCE_DIR}/cmake/RetortManifest.cmake
  DESTINATION ${RETORT_INSTALL_CMAKEDIR})
