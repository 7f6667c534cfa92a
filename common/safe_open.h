// Opening a file beneath a root folder without following symbolic links (issue 13, findings 6
// and 9): content synced from a USB stick or played from content_root must not reach outside it
// through a link, however late the link appeared.
#pragma once

#include <string>

#include "common/result.h"

namespace branchcast {

// Opens root/relative read-only: every folder on the way with openat(O_DIRECTORY | O_NOFOLLOW),
// the file with O_NOFOLLOW (and O_NONBLOCK, so a FIFO cannot block the caller). `relative` must
// be '/'-separated without "." or ".." parts or a leading '/'. Returns the descriptor (the caller
// closes it), or an error saying which part is a symbolic link, missing, or unreadable. The file
// may still be a device, FIFO or socket: fstat() it.
Result<int> open_beneath(const std::string& root, const std::string& relative);

// The same for an absolute `path` that must lie beneath the absolute folder `root` (compared
// lexically, part by part: "/a/bc" is not beneath "/a/b"). Also refuses anything that is not a
// regular file. A path outside root is refused with "is outside <root>".
Result<int> open_file_beneath(const std::string& root, const std::string& path);

}  // namespace branchcast
