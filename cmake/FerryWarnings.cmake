add_library(ferry_warnings INTERFACE)
target_compile_options(ferry_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)
if(FERRY_WERROR)
  target_compile_options(ferry_warnings INTERFACE -Werror)
endif()

# Start-up discipline for the binaries started thousands of times per build.
# --gc-sections: Debian's LLVM archives are built with one section per function, so the linker
# can drop what ferry never calls (ferry 2.5 MB -> 1.3 MB of text, a plugin 1.3 MB -> 0.3 MB);
# fewer pages to map and fault in at every start (docs/performance.md, "Wrapper start-up").
function(ferry_cheap_startup target)
  ferry_sanitizer_filter_link_options(opts -static-libstdc++ -static-libgcc -Wl,--as-needed
                                      -Wl,--gc-sections)
  target_link_options(${target} PRIVATE ${opts})
endfunction()

# A plugin: a MODULE library exporting one C symbol, everything else hidden,
# including its private copy of LLVM.
function(ferry_add_plugin name)
  cmake_parse_arguments(P "" "MANIFEST" "SOURCES" ${ARGN})
  add_library(ferry_plugin_${name} MODULE ${P_SOURCES})
  set_target_properties(ferry_plugin_${name} PROPERTIES
    PREFIX "" OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${FERRY_BUILD_PLUGIN_DIR}
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  ferry_sanitizer_filter_link_options(opts
    -Wl,--exclude-libs,ALL -Wl,--no-undefined -static-libstdc++ -static-libgcc -Wl,--gc-sections)
  target_link_options(ferry_plugin_${name} PRIVATE ${opts})
  target_link_libraries(ferry_plugin_${name} PRIVATE ferry_plugin_api ferry_warnings)
  if(P_MANIFEST)
    configure_file(${P_MANIFEST} ${FERRY_BUILD_PLUGIN_DIR}/${name}.plugin COPYONLY)
    install(FILES ${P_MANIFEST} DESTINATION ${FERRY_INSTALL_PLUGIN_DIR} RENAME ${name}.plugin)
  endif()
  install(TARGETS ferry_plugin_${name} LIBRARY DESTINATION ${FERRY_INSTALL_PLUGIN_DIR})
endfunction()
