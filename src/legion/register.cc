#include "legion/register.h"

#include <string>
#include <vector>

#include "legion.h"
#include "legion/options.h"
#include "legion/policy_host.h"
#include "legion/policy_mapper.h"
#include "legion/sharding.h"

namespace mapforge::legion {
namespace {

// Runs on every node once the machine is known, before the top-level task: loads the policy
// (so a bad one stops the program here), registers the sharding functors and the mappers.
void register_callback(Machine machine, Legion::Runtime* runtime,
                       const std::set<Processor>& local_procs) {
  const Legion::InputArgs& input = Legion::Runtime::get_input_args();
  std::vector<std::string> args(input.argv, input.argv + input.argc);
  ParsedOptions parsed = parse_options(args);
  if (!parsed.error.empty()) fatal(parsed.error);
  const int node = local_procs.empty() ? 0 : static_cast<int>(local_procs.begin()->address_space());
  PolicyHost& host = PolicyHost::start(parsed.options, machine, node);

  const Legion::ShardingID base =
      runtime->generate_library_sharding_ids("mapforge", kShardingSlots);
  host.set_sharding_base(base, kShardingSlots);
  for (std::size_t slot = 0; slot < kShardingSlots; ++slot)
    runtime->register_sharding_functor(base + static_cast<Legion::ShardingID>(slot),
                                       new PolicyShardingFunctor(host, slot),
                                       true /*silence warnings*/);

  for (Processor proc : local_procs)
    runtime->replace_default_mapper(
        new PolicyMapper(runtime->get_mapper_runtime(), machine, proc, host), proc);
}

}  // namespace

void register_mapper() { Legion::Runtime::add_registration_callback(register_callback); }

}  // namespace mapforge::legion

extern "C" void mapforge_legion_register_mapper(void) { mapforge::legion::register_mapper(); }
