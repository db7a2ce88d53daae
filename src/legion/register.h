// The one call an application makes to map with a mapforge policy.
#pragma once

#ifdef __cplusplus
namespace mapforge::legion {

/// Replaces Legion's default mapper on every processor with the mapforge mapper. Call before
/// Legion::Runtime::start. The policy comes from the command line (`-mapping FILE`, see
/// src/legion/README.md); a policy that does not load ends the program at start-up with its
/// diagnostics.
void register_mapper();

}  // namespace mapforge::legion
extern "C" {
#endif

/// The same, for C and Regent (`regentlib.start(main, mapforge_legion_register_mapper)`).
void mapforge_legion_register_mapper(void);

#ifdef __cplusplus
}
#endif
