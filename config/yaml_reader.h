// Position-aware YAML access for the config loaders (internal to config/; the only yaml-cpp user).
//
// Diagnostics collects the errors of one file, compiler style, 1-based. read_yaml_file() and
// parse_yaml_text() guard yaml-cpp against hostile input before it sees a byte (size cap, UTF-8,
// NUL and control bytes, tab indentation, nesting depth) and turn its exceptions into errors.
// Reader gives typed access to nodes, adding an error (never throwing) for each wrong value, and
// caps the number of nodes visited so alias bombs cannot make a load slow. Fields checks a map's
// keys against the known ones ("did you mean") and finds duplicates.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "config/diagnostic.h"

namespace branchcast {

inline constexpr size_t kMaxYamlFileBytes = 4 * 1024 * 1024;
inline constexpr int kMaxYamlDepth = 64;
inline constexpr size_t kMaxYamlNodeVisits = 200'000;
// Nodes (scalars, sequences, maps, aliases) in one file, counted while streaming, before yaml-cpp
// builds its tree (~1.1 KiB a node with the settings built from it, release build: 2 M nodes
// held ~1 GiB; issue 13). 30 000 keeps a reload within the Zero 2 W budget (docs/config.md
// "Limits"): a playlist item is 3-6 nodes, a patron 5-9.
inline constexpr size_t kMaxYamlNodes = 30'000;
inline constexpr size_t kMaxErrorsPerFile = 100;

// The closest of `known` to `key` when near enough to be a typo, else empty. Ties go to a key
// that is not among `given` (the keys already present).
std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& known,
                         const std::vector<std::string_view>& given = {});

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  // line and column are 1-based (0 = unknown). Errors beyond kMaxErrorsPerFile are counted only.
  void add(int line, int column, std::string message);
  void add(const YAML::Mark& mark, std::string message);
  // A warning: said by `validate`, but the file still loads.
  void warn(int line, int column, std::string message);
  void warn(const YAML::Mark& mark, std::string message);
  // Errors only (warnings do not count).
  size_t count() const { return error_count_ + dropped_; }

  // The errors and warnings sorted by position (stable), plus a final note if some were dropped.
  std::vector<Diagnostic> take();

 private:
  std::string file_;
  void push(Diagnostic e);
  std::vector<Diagnostic> errors_;  // errors and warnings
  size_t error_count_ = 0;
  size_t dropped_ = 0;
};

// Checks raw text before yaml-cpp parses it. Adds errors and returns false when the text must not
// be parsed (binary data, invalid UTF-8, tabs in indentation, nesting deeper than kMaxYamlDepth).
bool prescan_yaml(std::string_view text, Diagnostics& diag);

// Pre-scans and parses one YAML document. Returns the root, or nullopt after adding errors
// (malformed YAML, several documents, an empty file).
std::optional<YAML::Node> parse_yaml_text(std::string_view text, Diagnostics& diag);
// Reads the file at `path` (refusing files over kMaxYamlFileBytes before reading them) and parses
// it as parse_yaml_text does; errors name diag.file().
std::optional<YAML::Node> read_yaml_file(const std::string& path, Diagnostics& diag);

// A YAML syntax error said in staff words, pointing at the line to fix: a missing space after a
// key's ':' ("priority:15"), an unquoted ': ' inside text (suggests quotes), a line indented
// between two levels (names the line that probably needs more spaces). `error_line` is where the
// parser stopped (1-based). nullopt when none of these explains it.
struct ExplainedYamlError {
  int line;
  int column;
  std::string message;
};
std::optional<ExplainedYamlError> explain_yaml_error(std::string_view text, int error_line);

class Reader {
 public:
  // With `redact`, messages never quote a value from the file (patrons.yaml holds secrets).
  Reader(Diagnostics& diag, bool redact) : diag_(diag), redact_(redact) {}
  Diagnostics& diag() { return diag_; }
  bool redact() const { return redact_; }

  // Counts one node visit; false (after one error) once kMaxYamlNodeVisits is spent.
  bool visit(const YAML::Node& n);
  bool exhausted() const { return visits_ > kMaxYamlNodeVisits; }

  // Adds an error at the node; nodes without a position (empty values) use the position of the
  // last key fetched through Fields::get().
  void error(const YAML::Node& at, std::string message);
  void warning(const YAML::Node& at, std::string message);
  void set_fallback(const YAML::Mark& m) { fallback_ = m; }
  // "'name' must be ..." helpers quote the value only when not redacting.
  std::string quoted(const YAML::Node& scalar) const;

  bool expect_map(const YAML::Node& n, std::string_view name);
  bool expect_seq(const YAML::Node& n, std::string_view name);
  // Each returns nullopt after adding an error when the node has the wrong type or value.
  std::optional<std::string> text(const YAML::Node& n, std::string_view name, bool allow_empty = false);
  std::optional<int64_t> integer(const YAML::Node& n, std::string_view name, int64_t lo, int64_t hi);
  std::optional<bool> boolean(const YAML::Node& n, std::string_view name);
  std::optional<Duration> duration(const YAML::Node& n, std::string_view name, Duration min);
  std::optional<TimeOfDay> time_of_day(const YAML::Node& n, std::string_view name);
  std::optional<TimeWindow> time_window(const YAML::Node& n, std::string_view name);
  // A text matching [a-z0-9-]+.
  std::optional<std::string> identifier(const YAML::Node& n, std::string_view name);
  // A list of texts; a single text is accepted as a one-element list.
  std::optional<std::vector<std::string>> text_list(const YAML::Node& n, std::string_view name);

  template <typename E>
  std::optional<E> choice(const YAML::Node& n, std::string_view name,
                          std::initializer_list<std::pair<const char*, E>> options) {
    auto s = text(n, name);
    if (!s) return std::nullopt;
    std::string names;
    for (const auto& [label, value] : options) {
      if (*s == label) return value;
      names += names.empty() ? "" : " | ";
      names += label;
    }
    std::vector<std::string_view> labels;
    for (const auto& option : options) labels.push_back(option.first);
    std::string guess = did_you_mean(*s, labels);
    error(n, "'" + std::string(name) + "' must be one of " + names +
                 (redact_ ? "" : " (got " + quoted(n) + (guess.empty() ? "" : "; did you mean '" + guess + "'?") + ")"));
    return std::nullopt;
  }

 private:
  Diagnostics& diag_;
  bool redact_;
  size_t visits_ = 0;
  YAML::Mark fallback_ = YAML::Mark::null_mark();
};

// The keys of one map. Reports unknown keys (with a suggestion), duplicate and non-text keys.
// A key given with an empty (null) value counts as absent.
class Fields {
 public:
  Fields(Reader& r, const YAML::Node& map, std::initializer_list<std::string_view> known,
         std::string_view name);
  bool valid() const { return valid_; }
  size_t unknown_keys() const { return unknown_; }
  bool has(std::string_view key) const;
  bool contains(std::string_view key) const;  // given, even with an empty value
  YAML::Node get(std::string_view key) const;  // a null node when absent
  // Adds "missing required key" at the map and returns false when `key` is absent.
  bool require(std::string_view key);
  const YAML::Node& node() const { return map_; }

 private:
  Reader& r_;
  YAML::Node map_;
  std::vector<std::pair<std::string, std::pair<YAML::Node, YAML::Node>>> entries_;  // key, value
  bool valid_ = false;
  size_t unknown_ = 0;
};

inline std::string did_you_mean(std::string_view key, std::initializer_list<std::string_view> known,
                                const std::vector<std::string_view>& given = {}) {
  return did_you_mean(key, std::vector<std::string_view>(known), given);
}

}  // namespace branchcast
