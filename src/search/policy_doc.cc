#include "search/policy_doc.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace mapforge::search {
namespace {

int section_of(const std::string& key) {
  static const char* order[] = {"Task ",          "ControlReplicate", "Region ", "Layout ",
                                "InstanceLimit ", "CollectMemory ",   "= ",      "def ",
                                "IndexTaskMap ",  "SingleTaskMap "};
  for (int i = 0; i < 10; ++i)
    if (key.rfind(order[i], 0) == 0) return i;
  return 7;  // unrecognised text stays beside the functions
}

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::set<std::string> identifiers(std::string_view text) {
  std::set<std::string> out;
  std::string word;
  for (char c : text) {
    if (is_ident_char(c)) {
      word += c;
    } else if (!word.empty()) {
      out.insert(word);
      word.clear();
    }
  }
  if (!word.empty()) out.insert(word);
  return out;
}

bool is_definition(const std::string& key) {
  return key.rfind("def ", 0) == 0 || key.rfind("= ", 0) == 0;
}

}  // namespace

PolicyDoc PolicyDoc::parse(std::string_view text) {
  PolicyDoc doc;
  doc.set(text);
  return doc;
}

void PolicyDoc::set(std::string_view text) {
  for (auto& item : split_statements(text)) {
    auto it = item.key.empty() ? items_.end()
                               : std::find_if(items_.begin(), items_.end(),
                                              [&](const auto& s) { return s.key == item.key; });
    if (it != items_.end())
      *it = std::move(item);
    else
      items_.push_back(std::move(item));
  }
}

bool PolicyDoc::remove(std::string_view key) {
  auto it = std::find_if(items_.begin(), items_.end(), [&](const auto& s) { return s.key == key; });
  if (it == items_.end()) return false;
  items_.erase(it);
  return true;
}

bool PolicyDoc::has(std::string_view key) const {
  return std::any_of(items_.begin(), items_.end(), [&](const auto& s) { return s.key == key; });
}

std::string PolicyDoc::render() const {
  // Which functions and globals are used: start from the statements, follow the definitions.
  std::set<std::string> used;
  for (const auto& item : items_)
    if (!is_definition(item.key)) used.merge(identifiers(item.text));
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& item : items_) {
      if (!is_definition(item.key)) continue;
      std::string name = item.key.substr(item.key.find(' ') + 1);
      if (!used.count(name)) continue;
      std::size_t before = used.size();
      for (auto& id : identifiers(item.text)) used.insert(id);
      grew = grew || used.size() != before;
    }
  }
  std::vector<const StatementText*> kept;
  for (const auto& item : items_) {
    if (is_definition(item.key) && !used.count(item.key.substr(item.key.find(' ') + 1))) continue;
    kept.push_back(&item);
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto* a, const auto* b) {
    return section_of(a->key) < section_of(b->key);
  });
  std::string out;
  int previous = -1;
  for (const auto* item : kept) {
    int section = section_of(item->key);
    bool block = item->key.rfind("def ", 0) == 0;
    if (!out.empty() && (block || (section != previous && (section >= 6 || previous >= 6))))
      out += "\n";
    out += item->text + "\n";
    previous = section;
  }
  return out;
}

}  // namespace mapforge::search
