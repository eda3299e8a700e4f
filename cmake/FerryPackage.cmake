# What an out-of-tree plugin builds against: the installed <ferry/plugin.h>, a CMake package
# (find_package(Ferry) -> Ferry::plugin_api, FERRY_PLUGIN_DIR) and a pkg-config file
# (ferry-plugin.pc). examples/plugin-tcc builds this way; docs/plugin-guide.md walks through it.
include(CMakePackageConfigHelpers)

set_target_properties(ferry_plugin_api PROPERTIES EXPORT_NAME plugin_api)
install(TARGETS ferry_plugin_api EXPORT FerryPluginTargets)
set(FERRY_INSTALL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Ferry)
install(EXPORT FerryPluginTargets NAMESPACE Ferry:: DESTINATION ${FERRY_INSTALL_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/FerryConfig.cmake.in
  ${PROJECT_BINARY_DIR}/FerryConfig.cmake
  INSTALL_DESTINATION ${FERRY_INSTALL_CMAKE_DIR}
  PATH_VARS FERRY_INSTALL_PLUGIN_DIR CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/FerryConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/FerryConfig.cmake ${PROJECT_BINARY_DIR}/FerryConfigVersion.cmake
  DESTINATION ${FERRY_INSTALL_CMAKE_DIR})

# Relocatable: the prefix is found from the .pc file's own place (cmake --install --prefix X).
file(RELATIVE_PATH FERRY_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" FERRY_PC_TO_PREFIX "${FERRY_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/ferry-plugin.pc.in
  ${PROJECT_BINARY_DIR}/ferry-plugin.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/ferry-plugin.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The C++ plugin SDK (plugins/sdk): headers under <ferry/sdk/>, a static PIC library, in the same
# export set (Ferry::plugin_sdk) and as ferry-plugin-sdk.pc (Requires: ferry-plugin).
install(TARGETS ferry_plugin_sdk EXPORT FerryPluginTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
set(FERRY_SDK_EXTRA_LIBS "")
if(FERRY_SANITIZE)
  set(FERRY_SDK_EXTRA_LIBS " -fsanitize=${FERRY_SANITIZE}")  # see plugins/sdk/CMakeLists.txt
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/ferry-plugin-sdk.pc.in
  ${PROJECT_BINARY_DIR}/ferry-plugin-sdk.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/ferry-plugin-sdk.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
