// ISBNs as catalogue feeds write them. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace branchcast {

// The ISBN-13 in `text` ("978-0-14-118776-1", "urn:isbn:0141187761", "ISBN 0-14-118776-1"):
// hyphens and spaces ignored, ISBN-10 converted; the check digit must be right. nullopt if none.
std::optional<std::string> normalize_isbn(std::string_view text);

}  // namespace branchcast
