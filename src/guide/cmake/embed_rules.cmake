# Writes OUTPUT, a C++ file defining embedded_rules_json() (rule_table.h) with the bytes of INPUT.
# Run at build time: cmake -DINPUT=rules.json -DOUTPUT=rules_data.cc -P embed_rules.cmake
# Every byte is written as a \x escape, so any content survives.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "(................................................................)" "\\1\"\n    \"" hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
set(content "// Generated from src/guide/rules.json by src/guide/cmake/embed_rules.cmake; do not edit.
#include \"guide/rule_table.h\"

namespace mapforge::guide {

std::string_view embedded_rules_json() {
  static constexpr char kText[] =
    \"${escaped}\";
  return {kText, ${size}};
}

}  // namespace mapforge::guide
")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE "${OUTPUT}" "${content}")
endif()
