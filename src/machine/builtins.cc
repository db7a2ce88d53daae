// The built-in machine profiles: embedded JSON loaded through the same loader as users' files.
#include "machine/machine.h"
#include "machine/profiles.h"

namespace mapforge::machine {

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  for (const detail::EmbeddedProfile& profile : detail::embedded_profiles()) {
    names.emplace_back(profile.name);
  }
  return names;
}

LoadResult builtin_machine(std::string_view name, int nodes) {
  const std::string file = "builtin:" + std::string(name);
  for (const detail::EmbeddedProfile& profile : detail::embedded_profiles()) {
    if (profile.name != name) continue;
    if (nodes < 0 || nodes > kMaxNodes) {
      return std::vector<LoadError>{{file, "/nodes", 0, 0,
                                     "expected a whole number from 0 (the profile's default) "
                                     "to " +
                                         std::to_string(kMaxNodes) + ", got " +
                                         std::to_string(nodes)}};
    }
    LoadResult result =
        load_machine(profile.json, "src/machine/profiles/" + std::string(name) + ".json");
    if (!result.ok() || nodes == 0) return result;
    Machine machine = std::move(result.value());
    machine.nodes = nodes;
    // Reload so that the node-dependent checks (a Network channel for several nodes) apply.
    return load_machine(to_json(machine), file);
  }
  std::string known;
  for (const std::string& builtin : builtin_names()) known += (known.empty() ? "" : ", ") + builtin;
  return std::vector<LoadError>{
      {file, "", 0, 0, "unknown built-in machine; built-ins are " + known}};
}

}  // namespace mapforge::machine
