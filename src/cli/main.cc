#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return mapforge::cli::run(argc, argv, {std::cout, std::cerr, std::cin});
}
