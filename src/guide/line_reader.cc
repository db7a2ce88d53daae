#include "guide/line_reader.h"

namespace mapforge::guide {

bool read_line(std::streambuf& in, std::string& line, std::size_t cap) {
  using Traits = std::streambuf::traits_type;
  line.clear();
  bool any = false;
  for (Traits::int_type c = in.sbumpc(); !Traits::eq_int_type(c, Traits::eof()); c = in.sbumpc()) {
    any = true;
    if (c == '\n') break;
    if (line.size() < cap) line.push_back(Traits::to_char_type(c));
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return any;
}

}  // namespace mapforge::guide
