// Appending to a run's journal.jsonl so that a killed run loses no finished evaluation: each
// line is written with one write() and fsync()ed before the loop goes on.
#pragma once

#include <filesystem>
#include <string>

namespace mapforge::tune {

class JournalWriter {
 public:
  JournalWriter() = default;
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  /// Opens `file` for appending; with `truncate_to` the file is first cut to that many bytes
  /// (a resumed run drops a half-written last line). False with `error` set on failure.
  bool open(const std::filesystem::path& file, std::string& error,
            std::uintmax_t truncate_to = static_cast<std::uintmax_t>(-1));
  /// Appends `line` and a newline, durably. False with `error` set on failure.
  bool append(const std::string& line, std::string& error);

 private:
  int fd_ = -1;
  std::filesystem::path file_;
};

/// Writes `text` to `file` through a temporary file and a rename, so readers see the old or the
/// new contents, never half of one.
bool write_file_atomically(const std::filesystem::path& file, const std::string& text,
                           std::string& error);

/// The current time as ISO-8601 UTC with milliseconds ("2026-11-26T12:00:00.123Z").
std::string utc_now();

}  // namespace mapforge::tune
