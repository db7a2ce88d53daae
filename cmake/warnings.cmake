# Warnings every mapforge target is built with; MAPFORGE_WERROR makes them fatal (CI does).
function(mapforge_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
                                           -Wno-sign-conversion -Wnon-virtual-dtor)
  if(MAPFORGE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
