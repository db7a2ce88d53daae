#include "cli/loading.h"

#include "search/search.h"

#include <charconv>
#include <filesystem>

namespace mapforge::cli {

// The readers stop where the parsers would refuse a file anyway.
static_assert(kPolicyFile.max_bytes == dsl::kMaxSourceBytes);
static_assert(kMachineFile.max_bytes == machine::kMaxMachineFileBytes);
static_assert(kAppFile.max_bytes == app::kMaxAppFileBytes);

namespace {

bool looks_like_file(const std::string& arg) {
  return arg.find('/') != std::string::npos || arg.ends_with(".json") ||
         std::filesystem::exists(arg);
}

}  // namespace

std::optional<machine::Machine> load_machine_arg(const std::string& name_or_file, int nodes,
                                                 Io& io) {
  if (!looks_like_file(name_or_file)) {
    auto builtin = machine::builtin_machine(name_or_file, nodes);
    if (builtin.ok()) return builtin.value();
    io.err << machine::render_all(builtin.errors());
    return std::nullopt;
  }
  FileText file = read_text(name_or_file, io.in, kMachineFile);
  if (!file.error.empty()) {
    io.err << "mapforge: error: " << file.error << "\n";
    return std::nullopt;
  }
  auto loaded = machine::load_machine(file.text, name_or_file);
  if (!loaded.ok()) {
    io.err << machine::render_all(loaded.errors());
    return std::nullopt;
  }
  machine::Machine result = loaded.value();
  if (nodes > 0) {
    if (nodes > machine::kMaxNodes) {
      io.err << "mapforge: error: --nodes must be between 1 and " << machine::kMaxNodes << "\n";
      return std::nullopt;
    }
    result.nodes = nodes;
  }
  return result;
}

std::optional<app::App> load_app_arg(const std::string& name_or_file,
                                     const std::vector<std::string>& sizes,
                                     const machine::Machine& machine, Io& io) {
  app::LoadResult loaded;
  if (looks_like_file(name_or_file)) {
    if (!sizes.empty()) {
      io.err << "mapforge: error: --size applies to built-in apps only\n";
      return std::nullopt;
    }
    FileText file = read_text(name_or_file, io.in, kAppFile);
    if (!file.error.empty()) {
      io.err << "mapforge: error: " << file.error << "\n";
      return std::nullopt;
    }
    loaded = app::load_app(file.text, name_or_file);
  } else {
    std::vector<std::pair<std::string, std::int64_t>> parsed;
    for (const auto& size : sizes) {
      auto eq = size.find('=');
      std::int64_t value = 0;
      const char* begin = size.data() + (eq == std::string::npos ? 0 : eq + 1);
      const char* end = size.data() + size.size();
      auto [ptr, ec] = std::from_chars(begin, end, value);
      if (eq == std::string::npos || eq == 0 || begin == end || ec != std::errc() || ptr != end) {
        io.err << "mapforge: error: --size: expected name=integer, got '" << size << "'\n";
        return std::nullopt;
      }
      parsed.emplace_back(size.substr(0, eq), value);
    }
    app::MachineFacts facts;
    facts.nodes = machine.nodes;
    facts.gpus_per_node = machine.processors_per_node(machine::ProcKind::GPU);
    facts.cpus_per_node = std::max(1, machine.processors_per_node(machine::ProcKind::CPU));
    loaded = app::builtin_app(name_or_file, facts, parsed);
  }
  if (!loaded.app) {
    for (const auto& error : loaded.errors) io.err << error << "\n";
    if (loaded.errors.empty())
      io.err << "mapforge: error: cannot load app '" << name_or_file << "'\n";
    return std::nullopt;
  }
  return std::move(*loaded.app);
}

dsl::AppNames app_names(const app::App& app) { return search::app_names(app); }

}  // namespace mapforge::cli
