# Writes OUTPUT, a C++ file defining FUNCTION() (declared in HEADER, in NAMESPACE) that returns
# the bytes of INPUT. Run at build time:
#   cmake -DINPUT=dsl_primer.md -DOUTPUT=dsl_primer_data.cc -DHEADER=search/llm/dsl_primer.h
#         -DNAMESPACE=mapforge::search::llm -DFUNCTION=dsl_primer -P cmake/embed_text.cmake
# Every byte is written as a \x escape, so any content survives. Used for AutoGuide's rule table
# and the LLM agent's language primer.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "(................................................................)" "\\1\"\n    \"" hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
get_filename_component(input_name "${INPUT}" NAME)
set(content "// Generated from ${input_name} by cmake/embed_text.cmake; do not edit.
#include \"${HEADER}\"

namespace ${NAMESPACE} {

std::string_view ${FUNCTION}() {
  static constexpr char kText[] =
    \"${escaped}\";
  return {kText, ${size}};
}

}  // namespace ${NAMESPACE}
")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE "${OUTPUT}" "${content}")
endif()
