// Loading what the simulation commands name: a built-in or JSON app, a built-in or JSON machine,
// and a policy checked against the app's names. Errors are printed; nullopt means exit 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "cli/command.h"
#include "machine/machine.h"

namespace mapforge::cli {

std::optional<machine::Machine> load_machine_arg(const std::string& name_or_file, int nodes,
                                                 Io& io);
/// `sizes` are "name=value" strings.
std::optional<app::App> load_app_arg(const std::string& name_or_file,
                                     const std::vector<std::string>& sizes,
                                     const machine::Machine& machine, Io& io);
/// The task and region-argument names of an app, for the policy checker.
dsl::AppNames app_names(const app::App& app);

}  // namespace mapforge::cli
