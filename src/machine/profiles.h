// Private to the machine module: the built-in profiles, embedded at build time from
// profiles/*.json by embed_profiles.cmake (nothing is read at run time).
#pragma once

#include <span>
#include <string_view>

namespace mapforge::machine::detail {

struct EmbeddedProfile {
  std::string_view name;  ///< the file name without .json
  std::string_view json;  ///< the file's text
};

/// In the order of MAPFORGE_MACHINE_PROFILES in CMakeLists.txt.
std::span<const EmbeddedProfile> embedded_profiles();

}  // namespace mapforge::machine::detail
