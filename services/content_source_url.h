// The content source URL (CONFIG_SOURCE on the boot partition, kept in
// /data/branchcast/config-source, or `branchcast sync --source`): pure parsing, outside input.
//
// Accepted forms:
//   /abs/path, file:/abs/path, file:///abs/path      a local folder
//   https://host[:port]/path[?query]                  an HTTP bundle: <path>/MANIFEST.sha256 and the
//                                                     files it lists, relative to <path>
//   http://...                                        only for a loopback host (127.0.0.1, ::1,
//                                                     localhost) or with allow_plain_http
//   git+https://host[:port]/repo[#ref], git+http:// (as http), git+file:///abs/repo[#ref]
//                                                     a Git remote; #ref = a branch or tag name,
//                                                     absent = the remote's default branch (HEAD)
// Surrounding blanks are ignored. Relative paths, other schemes (ssh, ftp, ...), control
// characters, spaces, empty hosts, bad ports, fragments outside git+ and unsafe ref names are
// errors. Userinfo (user:password@) is kept for the transport but never shown: `display` is
// scheme://host[:port]/path (no userinfo, no query, no fragment) and every error message is
// built from the same parts, so a token in the URL never reaches a log.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace branchcast {

struct ContentSourceUrl {
  enum class Kind { kFolder, kHttp, kGit };
  Kind kind = Kind::kFolder;
  std::string folder;     // kFolder: the absolute path
  std::string transport;  // kHttp/kGit: the URL handed to libcurl / libgit2 (no "git+", no #ref)
  std::string base;       // kHttp: transport without the query and without a trailing '/'
  std::string query;      // kHttp: "?..." appended to every request, or empty
  std::string ref;        // kGit: branch or tag, empty = the remote's HEAD
  std::string display;    // for messages and logs (see above)
};

struct ContentSourceUrlOptions {
  bool allow_plain_http = false;  // http:// to a host that is not loopback
};

Result<ContentSourceUrl> parse_content_source_url(std::string_view text, const ContentSourceUrlOptions& options = {});

}  // namespace branchcast
