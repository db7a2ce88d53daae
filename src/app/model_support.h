// Helpers shared inside the app module (not part of its public API).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mapforge::app {

/// `validate` and `load_app` report at most this many errors, then one line saying so.
inline constexpr std::size_t kMaxErrors = 50;
std::string too_many_errors_message();

/// "[2, 3]".
std::string list_to_string(const std::vector<std::int64_t>& values);

/// The product of the extents, INT64_MAX on overflow, 0 if any extent is below 1.
std::int64_t saturating_product(const std::vector<std::int64_t>& extents);

}  // namespace mapforge::app
