// The `mapforge` command line. `run` is the whole program behind main(), with its streams
// passed in so that tests run commands in-process.
#pragma once

#include <iosfwd>

namespace mapforge::cli {

struct Io {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
};

/// Exit status: 0 success, 1 a failed run (or `fmt --check` found changes), 2 bad input.
int run(int argc, const char* const* argv, Io io);

}  // namespace mapforge::cli
