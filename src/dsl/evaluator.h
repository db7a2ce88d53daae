// The tree-walking evaluator: runs top-level assignments and mapping functions. The only place
// that knows what the language's expressions mean at run time.
#pragma once

#include <array>
#include <vector>

#include "dsl/program.h"
#include "dsl/value.h"

namespace mapforge::dsl {

/// A dynamic error: where in the policy, and what went wrong.
struct EvalError {
  Offset offset = 0;
  std::string message;
};

class Evaluator {
 public:
  /// Evaluation limits: a policy that recurses without end or builds huge values fails with a
  /// dynamic error instead of hanging or exhausting memory.
  static constexpr std::int64_t kMaxSteps = 2'000'000;
  static constexpr int kMaxCallDepth = 64;
  static constexpr int kMaxEvalDepth = 2048;
  static constexpr std::size_t kMaxTupleLength = 1 << 16;

  Evaluator(const Program& program, const MachineShape& machine, const PrintSink& print);

  /// Runs the top-level assignments and prints in order. Throws EvalError.
  void run_globals();
  /// Calls function `index` with one task argument; returns its value. Throws EvalError.
  Value call_mapping_function(std::int32_t index, const TaskContext& task);
  /// Evaluates a stand-alone expression (bound by check_expression). Throws EvalError.
  Value eval_expression(const Expr& expr, std::int32_t num_locals);
  /// The base space of a processor kind on this machine (shared).
  const SpacePtr& machine(ProcKind kind);

 private:
  using Frame = std::vector<Value>;

  Value eval(const Expr& expr, Frame& frame);
  Value eval_name(const Expr& expr, Frame& frame);
  Value eval_binary(const Expr& expr, Frame& frame);
  Value eval_call(const Expr& expr, Frame& frame);
  Value eval_method(const Expr& call, const Expr& member, Frame& frame);
  Value eval_index(const Expr& expr, Frame& frame);
  Value eval_member(const Expr& expr, Frame& frame);
  Value eval_generator(const Expr& expr, Frame& frame);
  Value call(std::int32_t index, std::vector<Value> args, Offset offset);
  void exec_print(const PrintStmt& print, Frame& frame);
  std::vector<Value> eval_args(const Expr& call, std::size_t first, Frame& frame);
  void start() {
    steps_ = 0;
    depth_ = 0;
    call_depth_ = 0;
  }

  const Program& program_;
  const MachineShape& shape_;
  const PrintSink& print_;
  std::vector<Value> globals_;
  std::array<SpacePtr, kNumProcKinds> machines_{};
  std::int64_t steps_ = 0;
  int depth_ = 0;
  int call_depth_ = 0;
};

}  // namespace mapforge::dsl
