// mapforge_legion_probe: a small Legion program for testing and tuning the mapforge mapper.
//
// Index launches over a 1-D domain (`fill`) and a 2-D domain (`stencil`), and a single task
// (`summary`), with region arguments of different privileges. Every task records, in the file
// given with -record, where it ran and where and how its instances are laid out; the program
// prints `ELAPSED TIME = X s` like the simulator, so the tuner's command backend can tune it.
//
//   mapforge_legion_probe -mapping policy.map [-record FILE] [-points N] [-size N] [-tx X -ty Y]
//                         [-work N] [-iters N] [-sleep MS]  + Legion flags (-ll:cpu 4 ...)
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "legion.h"
#include "legion/machine_model.h"
#include "legion/register.h"
#include "mappers/default_mapper.h"
#include "realm/cmdline.h"

using namespace Legion;
using mapforge::legion::MachineModel;

namespace {

enum TaskId : TaskID { MAIN_TASK = 1, FILL_TASK, STENCIL_TASK, SUMMARY_TASK };
enum FieldId : FieldID { FID_A = 1, FID_B = 2 };

struct Config {
  int points = 8;   // fill's launch domain
  int size = 64;    // cells per fill point; grid tiles are max(4, size/4) cells square
  int tiles_x = 4;  // stencil's launch domain
  int tiles_y = 2;
  int work = 200;  // inner-loop iterations per element (makes placement matter)
  int iters = 2;
  int sleep_ms = 0;  // each fill point sleeps this long (to observe InstanceLimit)
  char record[512] = {0};
};

Config parse_config() {
  Config config;
  const InputArgs& args = Runtime::get_input_args();
  Realm::CommandLineParser parser;
  parser.add_option_int("-points", config.points)
      .add_option_int("-size", config.size)
      .add_option_int("-tx", config.tiles_x)
      .add_option_int("-ty", config.tiles_y)
      .add_option_int("-work", config.work)
      .add_option_int("-iters", config.iters)
      .add_option_int("-sleep", config.sleep_ms)
      .add_option_string("-record", config.record, sizeof config.record);
  std::vector<std::string> rest(args.argv + 1, args.argv + args.argc);
  parser.parse_command_line(rest);
  return config;
}

// ----- the record file -----

std::mutex g_record_mutex;
std::FILE* g_record = nullptr;
std::unique_ptr<MachineModel> g_machine;

void record(const Config& config, const std::string& line) {
  std::lock_guard lock(g_record_mutex);
  if (!config.record[0]) return;
  if (!g_record) g_record = std::fopen(config.record, "a");
  if (!g_record) {
    std::fprintf(stderr, "probe: cannot write %s\n", config.record);
    std::exit(2);
  }
  std::fprintf(g_record, "%s\n", line.c_str());
  std::fflush(g_record);
}

const MachineModel& machine() {
  std::lock_guard lock(g_record_mutex);
  if (!g_machine) g_machine = std::make_unique<MachineModel>(Machine::get_machine());
  return *g_machine;
}

std::string coords(const DomainPoint& p) {
  std::string text;
  for (int d = 0; d < p.get_dim(); ++d) text += (d ? "," : "") + std::to_string(p[d]);
  return text.empty() ? "-" : text;
}

std::string rect_text(const Domain& d) {
  return d.get_dim() == 0 ? "-" : coords(d.lo()) + ":" + coords(d.hi());
}

const char* privilege_name(PrivilegeMode mode) {
  switch (mode) {
    case LEGION_READ_ONLY:
      return "RO";
    case LEGION_READ_WRITE:
      return "RW";
    case LEGION_WRITE_DISCARD:
      return "WD";
    default:
      return "other";
  }
}

std::size_t alignment_of(const void* ptr) {
  auto address = reinterpret_cast<std::uintptr_t>(ptr);
  std::size_t align = 1;
  while (align < 4096 && address % (align * 2) == 0) align *= 2;
  return align;
}

// Where and how one region argument's instance lives: memory kind, field stride (8 for SOA
// doubles, 16 for AOS pairs), dimension order, field alignment, instance bounds.
template <PrivilegeMode MODE, int DIM>
std::string describe_instance(Context ctx, Runtime* runtime, const PhysicalRegion& region,
                              const RegionRequirement& req) {
  using Accessor =
      FieldAccessor<MODE, double, DIM, coord_t, Realm::AffineAccessor<double, DIM, coord_t>>;
  std::set<Memory> memories;
  region.get_memories(memories);
  std::string memory = "-";
  if (!memories.empty()) {
    auto kind = mapforge::legion::to_dsl(memories.begin()->kind());
    memory = kind ? std::string(mapforge::dsl::to_string(*kind)) : "other";
  }
  const Domain bounds = runtime->get_index_space_domain(ctx, req.region.get_index_space());
  // The instance's own extent: its pieces, not just the part this task has privileges on.
  Rect<DIM, coord_t> extent = Rect<DIM, coord_t>::make_empty();
  for (PieceIterator piece(region, FID_A, false /*whole instance*/); piece(); piece++)
    extent = extent.union_bbox(Rect<DIM, coord_t>(*piece));
  const Domain instance(extent);
  // Instances hold the whole field space (A and B), so A's stride tells SOA from AOS even
  // where the task has privileges on A only.
  Accessor a(region, FID_A);
  const Point<DIM, coord_t> lo = extent.lo;
  const double* pa = a.ptr(lo);
  const double* pb = pa;
  if (req.privilege_fields.count(FID_B)) pb = Accessor(region, FID_B).ptr(lo);
  std::size_t stride = a.accessor.strides[0];
  for (int d = 1; d < DIM; ++d) stride = std::min<std::size_t>(stride, a.accessor.strides[d]);
  std::string order = "-";
  if (DIM >= 2) order = a.accessor.strides[0] < a.accessor.strides[DIM - 1] ? "F" : "C";
  std::string line = "memory=" + memory + " field_stride=" + std::to_string(stride) +
                     " order=" + order +
                     " align=" + std::to_string(std::min(alignment_of(pa), alignment_of(pb))) +
                     " exact=" + (instance == bounds ? "1" : "0") + " bounds=" + rect_text(bounds) +
                     " instance=" + rect_text(instance);
  return line;
}

template <int DIM>
std::string describe_any(Context ctx, Runtime* runtime, const PhysicalRegion& region,
                         const RegionRequirement& req) {
  switch (req.privilege) {
    case LEGION_READ_ONLY:
      return describe_instance<LEGION_READ_ONLY, DIM>(ctx, runtime, region, req);
    case LEGION_READ_WRITE:
      return describe_instance<LEGION_READ_WRITE, DIM>(ctx, runtime, region, req);
    default:
      return describe_instance<LEGION_WRITE_DISCARD, DIM>(ctx, runtime, region, req);
  }
}

void record_task(const Task* task, const std::vector<PhysicalRegion>& regions, Context ctx,
                 Runtime* runtime, long long start_us) {
  const Config& config = *static_cast<const Config*>(task->args);
  const Processor proc = runtime->get_executing_processor(ctx);
  auto id = machine().id_of(proc);
  const std::string where = std::string("task=") + task->get_task_name() +
                            " point=" + (task->is_index_space ? coords(task->index_point) : "-");
  std::string domain = "-";
  if (task->is_index_space) {
    domain.clear();
    for (int d = 0; d < task->index_domain.get_dim(); ++d)
      domain += (d ? "," : "") +
                std::to_string(task->index_domain.hi()[d] - task->index_domain.lo()[d] + 1);
  }
  record(config, "run " + where + " domain=" + domain +
                     " kind=" + (id ? std::string(mapforge::dsl::to_string(id->kind)) : "?") +
                     " node=" + std::to_string(id ? id->node : -1) + " index=" +
                     std::to_string(id ? id->index : -1) + " start=" + std::to_string(start_us) +
                     " end=" + std::to_string(Realm::Clock::current_time_in_microseconds()));
  for (std::size_t idx = 0; idx < regions.size(); ++idx) {
    const RegionRequirement& req = task->regions[idx];
    std::string text = req.region.get_dim() == 1 ? describe_any<1>(ctx, runtime, regions[idx], req)
                                                 : describe_any<2>(ctx, runtime, regions[idx], req);
    record(config, "region " + where + " arg=" + std::to_string(idx) +
                       " priv=" + privilege_name(req.privilege) + " " + text);
  }
}

// Some arithmetic per element, so that where the points run shows in the elapsed time.
double churn(double seed, int work) {
  double v = seed;
  for (int k = 0; k < work; ++k) v = v * 0.999999 + 0.5;
  return v;
}

// ----- tasks -----

void fill_task(const Task* task, const std::vector<PhysicalRegion>& regions, Context ctx,
               Runtime* runtime) {
  const long long start = Realm::Clock::current_time_in_microseconds();
  const Config& config = *static_cast<const Config*>(task->args);
  const FieldAccessor<LEGION_WRITE_DISCARD, double, 1> a(regions[0], FID_A), b(regions[0], FID_B);
  const FieldAccessor<LEGION_READ_ONLY, double, 1> param(regions[1], FID_A);
  const Rect<1> rect =
      runtime->get_index_space_domain(ctx, task->regions[0].region.get_index_space());
  const double scale = param[0];
  for (PointInRectIterator<1> p(rect); p(); p++) {
    a[*p] = churn(scale * static_cast<double>(p[0]), config.work);
    b[*p] = 1.0;
  }
  if (config.sleep_ms > 0) usleep(static_cast<useconds_t>(config.sleep_ms) * 1000);
  record_task(task, regions, ctx, runtime, start);
}

void stencil_task(const Task* task, const std::vector<PhysicalRegion>& regions, Context ctx,
                  Runtime* runtime) {
  const long long start = Realm::Clock::current_time_in_microseconds();
  const Config& config = *static_cast<const Config*>(task->args);
  const FieldAccessor<LEGION_READ_WRITE, double, 2> a(regions[0], FID_A), b(regions[0], FID_B);
  const FieldAccessor<LEGION_READ_ONLY, double, 1> param(regions[1], FID_A);
  const FieldAccessor<LEGION_READ_ONLY, double, 1> cells(regions[2], FID_A);
  const Rect<2> rect =
      runtime->get_index_space_domain(ctx, task->regions[0].region.get_index_space());
  const double bias = param[0] + cells[0];
  for (PointInRectIterator<2> p(rect); p(); p++) {
    a[*p] = churn(a[*p] + bias, config.work);
    b[*p] = b[*p] + 1.0;
  }
  record_task(task, regions, ctx, runtime, start);
}

double summary_task(const Task* task, const std::vector<PhysicalRegion>& regions, Context ctx,
                    Runtime* runtime) {
  const long long start = Realm::Clock::current_time_in_microseconds();
  const FieldAccessor<LEGION_READ_ONLY, double, 1> cells(regions[0], FID_A);
  const FieldAccessor<LEGION_READ_ONLY, double, 2> grid(regions[1], FID_A);
  double sum = 0;
  const Rect<1> r1 =
      runtime->get_index_space_domain(ctx, task->regions[0].region.get_index_space());
  const Rect<2> r2 =
      runtime->get_index_space_domain(ctx, task->regions[1].region.get_index_space());
  for (PointInRectIterator<1> p(r1); p(); p++) sum += cells[*p];
  for (PointInRectIterator<2> p(r2); p(); p++) sum += grid[*p];
  record_task(task, regions, ctx, runtime, start);
  return sum;
}

void main_task(const Task* task, const std::vector<PhysicalRegion>&, Context ctx,
               Runtime* runtime) {
  static Config config = parse_config();  // tasks read it through their arguments
  const int tile = std::max(4, config.size / 4);
  {
    // The machine as the policy sees it, for the tests' expectations.
    const auto& shape = machine().shape();
    std::string line = "machine nodes=" + std::to_string(shape.nodes);
    for (auto kind : mapforge::dsl::kAllProcKinds) {
      line += " " + std::string(mapforge::dsl::to_string(kind)) + "=" +
              std::to_string(shape.count(kind)) + ":";
      std::string mems;
      for (auto mem : shape.visible_memories[static_cast<int>(kind)])
        mems += (mems.empty() ? "" : ",") + std::string(mapforge::dsl::to_string(mem));
      line += mems.empty() ? "-" : mems;
    }
    const Processor here = runtime->get_executing_processor(ctx);
    auto id = machine().id_of(here);
    record(config, line);
    record(config, std::string("run task=main point=- domain=- kind=") +
                       (id ? std::string(mapforge::dsl::to_string(id->kind)) : "?") +
                       " node=" + std::to_string(id ? id->node : -1) +
                       " index=" + std::to_string(id ? id->index : -1) + " start=0 end=0");
  }
  (void)task;

  FieldSpace fields = runtime->create_field_space(ctx);
  {
    FieldAllocator allocator = runtime->create_field_allocator(ctx, fields);
    allocator.allocate_field(sizeof(double), FID_A);
    allocator.allocate_field(sizeof(double), FID_B);
  }
  IndexSpace cell_space =
      runtime->create_index_space(ctx, Rect<1>(0, config.points * config.size - 1));
  IndexSpace grid_space = runtime->create_index_space(
      ctx, Rect<2>(Point<2>(0, 0), Point<2>(config.tiles_x * tile - 1, config.tiles_y * tile - 1)));
  IndexSpace param_space = runtime->create_index_space(ctx, Rect<1>(0, 15));
  LogicalRegion cells = runtime->create_logical_region(ctx, cell_space, fields);
  LogicalRegion grid = runtime->create_logical_region(ctx, grid_space, fields);
  LogicalRegion params = runtime->create_logical_region(ctx, param_space, fields);
  runtime->attach_name(cells, "cells");
  runtime->attach_name(grid, "grid");
  runtime->attach_name(params, "params");

  const Rect<1> fill_domain(0, config.points - 1);
  const Rect<2> stencil_domain(Point<2>(0, 0), Point<2>(config.tiles_x - 1, config.tiles_y - 1));
  IndexSpace fill_colors = runtime->create_index_space(ctx, fill_domain);
  IndexSpace stencil_colors = runtime->create_index_space(ctx, stencil_domain);
  LogicalPartition cell_tiles = runtime->get_logical_partition(
      ctx, cells, runtime->create_equal_partition(ctx, cell_space, fill_colors));
  LogicalPartition grid_tiles = runtime->get_logical_partition(
      ctx, grid, runtime->create_equal_partition(ctx, grid_space, stencil_colors));
  runtime->attach_name(cell_tiles, "cell_tiles");
  runtime->attach_name(grid_tiles, "grid_tiles");

  runtime->fill_field<double>(ctx, params, params, FID_A, 1.0);
  runtime->fill_field<double>(ctx, params, params, FID_B, 2.0);
  runtime->fill_field<double>(ctx, grid, grid, FID_A, 0.0);
  runtime->fill_field<double>(ctx, grid, grid, FID_B, 0.0);
  runtime->issue_execution_fence(ctx).get_void_result();

  const long long start = Realm::Clock::current_time_in_microseconds();
  Future checksum;
  for (int iter = 0; iter < config.iters; ++iter) {
    IndexLauncher fill(FILL_TASK, fill_domain, TaskArgument(&config, sizeof config), ArgumentMap());
    // Tags with the default mapper's bit values but the application's own meaning: the
    // mapforge mapper must not read them as "virtual map", "exact region" or "prefer CPU".
    fill.tag =
        Mapping::DefaultMapper::PREFER_CPU_VARIANT | Mapping::DefaultMapper::SAME_ADDRESS_SPACE;
    fill.add_region_requirement(RegionRequirement(
        cell_tiles, 0, LEGION_WRITE_DISCARD, LEGION_EXCLUSIVE, cells,
        Mapping::DefaultMapper::VIRTUAL_MAP | Mapping::DefaultMapper::EXACT_REGION));
    fill.region_requirements[0].add_field(FID_A).add_field(FID_B);
    fill.add_region_requirement(
        RegionRequirement(params, 0, LEGION_READ_ONLY, LEGION_EXCLUSIVE, params));
    fill.region_requirements[1].add_field(FID_A);
    runtime->execute_index_space(ctx, fill);

    IndexLauncher stencil(STENCIL_TASK, stencil_domain, TaskArgument(&config, sizeof config),
                          ArgumentMap());
    stencil.add_region_requirement(
        RegionRequirement(grid_tiles, 0, LEGION_READ_WRITE, LEGION_EXCLUSIVE, grid));
    stencil.region_requirements[0].add_field(FID_A).add_field(FID_B);
    stencil.add_region_requirement(
        RegionRequirement(params, 0, LEGION_READ_ONLY, LEGION_EXCLUSIVE, params));
    stencil.region_requirements[1].add_field(FID_A);
    stencil.add_region_requirement(
        RegionRequirement(cells, 0, LEGION_READ_ONLY, LEGION_EXCLUSIVE, cells));
    stencil.region_requirements[2].add_field(FID_A);
    runtime->execute_index_space(ctx, stencil);

    TaskLauncher summary(SUMMARY_TASK, TaskArgument(&config, sizeof config));
    summary.add_region_requirement(
        RegionRequirement(cells, LEGION_READ_ONLY, LEGION_EXCLUSIVE, cells));
    summary.region_requirements[0].add_field(FID_A).add_field(FID_B);
    summary.add_region_requirement(
        RegionRequirement(grid, LEGION_READ_ONLY, LEGION_EXCLUSIVE, grid));
    summary.region_requirements[1].add_field(FID_A).add_field(FID_B);
    checksum = runtime->execute_task(ctx, summary);
  }
  const double sum = checksum.get_result<double>();
  runtime->issue_execution_fence(ctx).get_void_result();
  const double seconds =
      static_cast<double>(Realm::Clock::current_time_in_microseconds() - start) / 1e6;
  std::printf("checksum = %.6e\n", sum);
  std::printf("ELAPSED TIME = %.6f s\n", seconds);
  std::fflush(stdout);

  runtime->destroy_logical_region(ctx, cells);
  runtime->destroy_logical_region(ctx, grid);
  runtime->destroy_logical_region(ctx, params);
  runtime->destroy_field_space(ctx, fields);
  runtime->destroy_index_space(ctx, cell_space);
  runtime->destroy_index_space(ctx, grid_space);
  runtime->destroy_index_space(ctx, param_space);
  runtime->destroy_index_space(ctx, fill_colors);
  runtime->destroy_index_space(ctx, stencil_colors);
}

template <auto TASK, class... Kinds>
void register_leaf(TaskID id, const char* name, Kinds... kinds) {
  for (Processor::Kind kind : {kinds...}) {
    TaskVariantRegistrar registrar(id, name);
    registrar.add_constraint(ProcessorConstraint(kind));
    registrar.set_leaf();
    Runtime::preregister_task_variant<TASK>(registrar, name);
  }
}

template <auto TASK, class... Kinds>
void register_leaf_with_result(TaskID id, const char* name, Kinds... kinds) {
  for (Processor::Kind kind : {kinds...}) {
    TaskVariantRegistrar registrar(id, name);
    registrar.add_constraint(ProcessorConstraint(kind));
    registrar.set_leaf();
    Runtime::preregister_task_variant<double, TASK>(registrar, name);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Runtime::set_top_level_task_id(MAIN_TASK);
  {
    TaskVariantRegistrar registrar(MAIN_TASK, "main");
    registrar.add_constraint(ProcessorConstraint(Processor::LOC_PROC));
    registrar.set_replicable();
    Runtime::preregister_task_variant<main_task>(registrar, "main");
  }
  // fill and stencil run on CPUs or OpenMP processors; summary has a CPU variant only.
  register_leaf<fill_task>(FILL_TASK, "fill", Processor::LOC_PROC, Processor::OMP_PROC);
  register_leaf<stencil_task>(STENCIL_TASK, "stencil", Processor::LOC_PROC, Processor::OMP_PROC);
  register_leaf_with_result<summary_task>(SUMMARY_TASK, "summary", Processor::LOC_PROC);
  mapforge::legion::register_mapper();
  return Runtime::start(argc, argv);
}
