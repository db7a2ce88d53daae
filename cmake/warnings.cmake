# Warnings every mapforge target is built with; MAPFORGE_WERROR makes them fatal (CI does).
function(mapforge_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
                                           -Wno-sign-conversion -Wnon-virtual-dtor)
  # GCC 12 at -O2/-O3 reports -Wmaybe-uninitialized inside libstdc++'s <regex> (a known false
  # positive in regex_automaton.h); targets using std::regex pass REGEX to keep building with
  # -Werror, everything else keeps the warning.
  if(ARGV1 STREQUAL "REGEX" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(MAPFORGE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
