// Private to the machine module: reads typed fields out of parsed JSON, reporting each problem
// as a LoadError located by the field's JSON pointer.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "machine/machine.h"

namespace mapforge::machine::detail {

using Json = nlohmann::json;

/// The accepted values of a number: (min or [min .. max], optionally whole numbers only.
struct NumberRange {
  double min = 0;
  bool min_exclusive = false;
  double max = 0;
  std::string_view max_text;  ///< how max reads in messages, with its unit
  bool whole = false;
};

/// A JSON value shortened for a message: compact dump, at most 40 characters.
std::string describe(const Json& value);
/// `path` extended by `key` as a JSON pointer token (escaping '~' and '/').
std::string child(const std::string& path, std::string_view key);
std::string child(const std::string& path, std::size_t index);
/// "A, B, C".
std::string join(std::initializer_list<std::string_view> words);
std::string join(const std::vector<std::string_view>& words);

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void error(std::string path, std::string message);
  bool has_errors() const { return !errors_.empty(); }
  std::vector<LoadError> take_errors() { return std::move(errors_); }

  /// False (and an error) unless `value` is an object; then reports every key not in `fields`.
  bool check_object(const Json& value, const std::string& path,
                    const std::vector<std::string_view>& fields);
  /// The member, or nullptr after reporting it missing.
  const Json* require(const Json& object, std::string_view key, const std::string& path);

  std::optional<std::string> read_string(const Json& object, std::string_view key,
                                         const std::string& path, bool non_empty);
  std::optional<int> read_int(const Json& object, std::string_view key, const std::string& path,
                              int min, int max);
  std::optional<Sourced> read_sourced(const Json& object, std::string_view key,
                                      const std::string& path, const NumberRange& range);
  /// A non-empty array member, or nullptr after an error.
  const Json* read_array(const Json& object, std::string_view key, const std::string& path);
  /// A string member parsed by `parse`; `what` names the kind ("processor kind") and `names`
  /// lists the accepted spellings for the message.
  template <class Kind, class Parse>
  std::optional<Kind> read_kind(const Json& object, std::string_view key, const std::string& path,
                                Parse parse, std::string_view what, const std::string& names) {
    std::optional<std::string> word = read_string(object, key, path, false);
    if (!word) return std::nullopt;
    std::optional<Kind> kind = parse(*word);
    if (!kind) {
      error(child(path, key),
            "unknown " + std::string(what) + " " + describe(Json(*word)) + "; kinds are " + names);
    }
    return kind;
  }

 private:
  std::string file_;
  std::vector<LoadError> errors_;
};

}  // namespace mapforge::machine::detail
