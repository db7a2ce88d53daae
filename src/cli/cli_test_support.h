// Running `mapforge` in-process in tests, with a fresh folder per test for its files.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace mapforge::cli::testing {

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

inline Outcome Mapforge(std::vector<std::string> args, const std::string& input = "") {
  std::vector<const char*> argv{"mapforge"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  std::istringstream in(input);
  Outcome o;
  o.status = run(static_cast<int>(argv.size()), argv.data(), Io{out, err, in});
  o.out = out.str();
  o.err = err.str();
  return o;
}

/// A fresh directory per test under the GoogleTest temp dir.
class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("mapforge_cli_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream f(path, std::ios::binary);
    f << text;
    return path;
  }
  std::filesystem::path dir_;
};

}  // namespace mapforge::cli::testing
