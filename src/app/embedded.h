// Files compiled into the library at build time (see CMakeLists.txt and cmake/embed.cmake).
#pragma once

#include <span>
#include <string_view>

namespace mapforge::app {

struct EmbeddedFile {
  std::string_view name;  // the file stem, e.g. "circuit"
  std::string_view text;
};

/// builtin/experts/*.map, sorted by name.
std::span<const EmbeddedFile> embedded_experts();

}  // namespace mapforge::app
