// Typed, position-aware access to parsed YAML: Reader (values) and Fields (a map's keys).
#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>

#include "common/strings.h"

namespace branchcast {
namespace {

constexpr size_t kMaxQuoted = 60;

const char* type_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "empty";
    default: return "a text value";
  }
}

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// In redacting mode a key is shown only when it cannot be a secret (short, no digits).
bool safe_to_show_key(std::string_view key) {
  return key.size() <= 24 && std::all_of(key.begin(), key.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
         });
}

}  // namespace

// ---- Reader ------------------------------------------------------------------------------------

bool Reader::visit(const YAML::Node& n) {
  if (++visits_ == kMaxYamlNodeVisits + 1)
    error(n, "document is too complex (more than " + std::to_string(kMaxYamlNodeVisits) +
                 " nodes after expanding aliases)");
  return visits_ <= kMaxYamlNodeVisits;
}

void Reader::error(const YAML::Node& at, std::string message) {
  YAML::Mark m = at.Mark();
  // An empty value has no useful position of its own: point at its key.
  if (m.is_null() || m.line < 0 || (at.IsNull() && !fallback_.is_null())) m = fallback_;
  diag_.add(m, std::move(message));
}

void Reader::warning(const YAML::Node& at, std::string message) {
  YAML::Mark m = at.Mark();
  if (m.is_null() || m.line < 0 || (at.IsNull() && !fallback_.is_null())) m = fallback_;
  diag_.warn(m, std::move(message));
}

std::string Reader::quoted(const YAML::Node& scalar) const {
  std::string s = scalar.IsScalar() ? scalar.Scalar() : std::string();
  if (s.size() > kMaxQuoted) s = s.substr(0, kMaxQuoted) + "...";
  return "'" + s + "'";
}

bool Reader::expect_map(const YAML::Node& n, std::string_view name) {
  if (n.IsMap()) return true;
  error(n, "'" + std::string(name) + "' must be a map (key: value lines), not " + type_name(n));
  return false;
}

bool Reader::expect_seq(const YAML::Node& n, std::string_view name) {
  if (n.IsSequence()) return true;
  error(n, "'" + std::string(name) + "' must be a list (lines starting with '- '), not " + type_name(n));
  return false;
}

std::optional<std::string> Reader::text(const YAML::Node& n, std::string_view name, bool allow_empty) {
  if (!n.IsScalar() && !(allow_empty && n.IsNull())) {
    error(n, "'" + std::string(name) + "' must be a text value, not " + type_name(n));
    return std::nullopt;
  }
  std::string s = n.IsScalar() ? n.Scalar() : std::string();
  if (!allow_empty && trim(s).empty()) {
    error(n, "'" + std::string(name) + "' must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<int64_t> Reader::integer(const YAML::Node& n, std::string_view name, int64_t lo, int64_t hi) {
  std::string range = std::to_string(lo) + " and " + std::to_string(hi);
  if (!n.IsScalar()) {
    error(n, "'" + std::string(name) + "' must be a whole number, not " + type_name(n));
    return std::nullopt;
  }
  std::string_view s = n.Scalar();
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || p != s.data() + s.size() || ec == std::errc::invalid_argument) {
    error(n, "'" + std::string(name) + "' must be a whole number" +
                 (redact_ ? std::string() : " (got " + quoted(n) + ")"));
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range || v < lo || v > hi) {
    error(n, "'" + std::string(name) + "' must be between " + range);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Reader::boolean(const YAML::Node& n, std::string_view name) {
  if (n.IsScalar()) {
    std::string s = to_lower(n.Scalar());
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  error(n, "'" + std::string(name) + "' must be true or false");
  return std::nullopt;
}

std::optional<Duration> Reader::duration(const YAML::Node& n, std::string_view name, Duration min) {
  auto s = text(n, name);
  if (!s) return std::nullopt;
  auto d = parse_duration(*s);
  if (!d) {
    error(n, "'" + std::string(name) + "': " + d.error().message);
    return std::nullopt;
  }
  if (*d < min) {
    error(n, "'" + std::string(name) + "' must be at least " + format_duration(min));
    return std::nullopt;
  }
  return *d;
}

std::optional<TimeOfDay> Reader::time_of_day(const YAML::Node& n, std::string_view name) {
  auto s = text(n, name);
  if (!s) return std::nullopt;
  auto t = parse_time_of_day(*s);
  if (!t) {
    error(n, "'" + std::string(name) + "': " + t.error().message);
    return std::nullopt;
  }
  return *t;
}

std::optional<TimeWindow> Reader::time_window(const YAML::Node& n, std::string_view name) {
  auto s = text(n, name);
  if (!s) return std::nullopt;
  auto w = parse_time_window(*s);
  if (!w) {
    error(n, "'" + std::string(name) + "': " + w.error().message);
    return std::nullopt;
  }
  return *w;
}

std::optional<std::string> Reader::identifier(const YAML::Node& n, std::string_view name) {
  auto s = text(n, name);
  if (!s) return std::nullopt;
  if (!is_identifier(*s) || s->size() > 64) {
    error(n, "'" + std::string(name) + "' must be 1-64 characters of a-z, 0-9 and '-'" +
                 (redact_ ? std::string() : " (got " + quoted(n) + ")"));
    return std::nullopt;
  }
  return s;
}

std::optional<std::vector<std::string>> Reader::text_list(const YAML::Node& n, std::string_view name) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    auto s = text(n, name);
    if (!s) return std::nullopt;
    out.push_back(*s);
    return out;
  }
  if (!expect_seq(n, name)) return std::nullopt;
  bool ok = true;
  for (const auto& e : n) {
    if (!visit(e)) return std::nullopt;
    auto s = text(e, name);
    if (s) out.push_back(*s);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

// ---- Fields ------------------------------------------------------------------------------------

std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& known,
                         const std::vector<std::string_view>& given) {
  std::string lower = to_lower(key);
  size_t best = SIZE_MAX;
  std::string_view best_key;
  bool best_given = true;
  for (auto k : known) {
    size_t d = edit_distance(lower, k);
    // On a tie, a key that is not already in the map is the likelier meaning ("of" -> "off").
    bool is_given = std::find(given.begin(), given.end(), k) != given.end();
    if (d < best || (d == best && best_given && !is_given)) best = d, best_key = k, best_given = is_given;
  }
  size_t limit = best_key.size() <= 3 ? 1 : best_key.size() <= 8 ? 2 : 3;
  return best <= limit ? std::string(best_key) : std::string();
}

Fields::Fields(Reader& r, const YAML::Node& map, std::initializer_list<std::string_view> known,
               std::string_view name)
    : r_(r), map_(map) {
  if (map.IsNull()) {
    valid_ = true;
    return;
  }
  if (!r.expect_map(map, name)) return;
  valid_ = true;
  std::vector<std::string_view> given;
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar())
      for (auto k : known)
        if (k == it->first.Scalar()) given.push_back(k);
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!r.visit(it->second)) return;
    YAML::Node k = it->first;
    if (!k.IsScalar()) {
      r.error(k, "keys must be plain text");
      continue;
    }
    const std::string& key = k.Scalar();
    std::string shown = !r.redact() || safe_to_show_key(key) ? " '" + key + "'" : "";
    auto dup = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == key; });
    if (dup != entries_.end()) {
      r.error(k, "duplicate key" + shown + " (first given at line " +
                     std::to_string(dup->second.first.Mark().line + 1) + ")");
      continue;
    }
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      ++unknown_;
      std::string suggestion = did_you_mean(key, known, given);
      r.error(k, "unknown key" + shown +
                     (suggestion.empty() ? std::string() : " (did you mean '" + suggestion + "'?)"));
      continue;
    }
    entries_.emplace_back(key, std::make_pair(k, it->second));
  }
}

bool Fields::has(std::string_view key) const {
  for (const auto& e : entries_)
    if (e.first == key) return !e.second.second.IsNull();
  return false;
}

bool Fields::contains(std::string_view key) const {
  for (const auto& e : entries_)
    if (e.first == key) return true;
  return false;
}

YAML::Node Fields::get(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.first == key) {
      r_.set_fallback(e.second.first.Mark());
      return e.second.second;
    }
  }
  return YAML::Node();
}

bool Fields::require(std::string_view key) {
  if (has(key)) return true;
  for (const auto& e : entries_) {
    if (e.first == key) {
      r_.error(e.second.first, "'" + std::string(key) + "' must not be empty");
      return false;
    }
  }
  r_.error(map_, "missing required key '" + std::string(key) + "'");
  return false;
}

}  // namespace branchcast
