// Small string helpers shared by every module.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace branchcast {

std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
bool starts_with(std::string_view s, std::string_view prefix);
std::string to_lower(std::string_view s);
// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);
// JSON string literal with quotes and escapes (control characters as \uXXXX).
std::string json_quote(std::string_view s);
// Lower-case hex of bytes.
std::string to_hex(const unsigned char* data, size_t size);
// RFC 3986 percent-encoding (upper-case hex): unreserved characters (ALPHA DIGIT - . _ ~) and
// those in `also_keep` (e.g. "/" for a path) stay as they are, every other byte becomes %XX.
std::string percent_encode(std::string_view s, std::string_view also_keep = "");

}  // namespace branchcast
