// Reading a stream line by line in bounded memory. Private to the guide module.
#pragma once

#include <cstddef>
#include <streambuf>
#include <string>

namespace mapforge::guide {

/// The longest line kept; the rest of a longer line is read and dropped.
inline constexpr std::size_t kMaxLineBytes = 4096;

/// Reads the next line (without its '\n' and any '\r' before it) into `line`, keeping at most
/// `cap` bytes of it. False at the end of the input.
bool read_line(std::streambuf& in, std::string& line, std::size_t cap = kMaxLineBytes);

}  // namespace mapforge::guide
