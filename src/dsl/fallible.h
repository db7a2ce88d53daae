// A value or an error message that has no location yet; the interpreter adds the location and
// the task being mapped when it turns the message into a Diagnostic.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace mapforge::dsl {

struct Failure {
  std::string message;
};

template <class T>
class [[nodiscard]] Fallible {
 public:
  Fallible(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
  Fallible(Failure failure) : state_(std::move(failure)) {}  // NOLINT
  bool ok() const { return state_.index() == 0; }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  const std::string& message() const { return std::get<1>(state_).message; }

 private:
  std::variant<T, Failure> state_;
};

}  // namespace mapforge::dsl
