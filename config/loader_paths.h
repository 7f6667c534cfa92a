// Path rules of the staff files (formats.md sections 1 and 2). Reads the file system (stat,
// canonical) but never changes it.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace branchcast {

// A referenced file named as the user would recognise it: the naming file's path as given (e.g.
// on the command line) joined with the reference as written. Absolute references stay as they are.
std::string display_join(std::string_view naming_file, std::string_view ref);

// Absolute, lexically normalised (no "." or ".." components); symlinks are not resolved.
std::string absolute_path(std::string_view path);
std::string parent_dir(std::string_view abs_path);

// The canonical form of an existing folder, or an error naming it.
Result<std::string> canonical_dir(const std::string& abs_path);

// Resolves a content path written in a playlist: relative to `base_dir` (absolute), it must name an
// existing regular file whose canonical path is under `content_root` (canonical). Returns the
// canonical path.
Result<std::string> resolve_content(const std::string& base_dir, const std::string& ref,
                                    const std::string& content_root);

// Resolves a referenced file (a playlist, a feed or patrons file) relative to `base_dir`; it must
// exist and be a regular file. Returns the absolute path (symlinks kept).
Result<std::string> resolve_referenced_file(const std::string& base_dir, const std::string& ref);

// "file:rel/path", "file:/abs/path" or "file:///abs/path" -> the path part; nullopt-like empty
// string when `url` does not start with "file:".
std::string file_url_path(std::string_view url);

}  // namespace branchcast
