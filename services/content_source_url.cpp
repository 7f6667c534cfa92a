#include "services/content_source_url.h"

#include "common/strings.h"

namespace branchcast {
namespace {

using Kind = ContentSourceUrl::Kind;

Error bad(const std::string& why) { return make_error("content source: " + why); }

bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "[::1]" || starts_with(host, "127.");
}

bool valid_host(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    return host.substr(1, host.size() - 2).find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos;
  return !host.empty() && host.size() <= 253 &&
         host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
             std::string_view::npos;
}

// git check-ref-format's rules, the ones that matter for a name given in a URL.
bool valid_ref(std::string_view r) {
  if (r.empty() || r.size() > 255 || r.front() == '-' || r.front() == '/' || r.back() == '/' || r.back() == '.')
    return false;
  if (r.find("..") != std::string_view::npos || r.find("//") != std::string_view::npos ||
      r.find("@{") != std::string_view::npos || r.find("/.") != std::string_view::npos || r.front() == '.')
    return false;
  if (r.size() >= 5 && r.substr(r.size() - 5) == ".lock") return false;
  return r.find_first_of("~^:?*[\\") == std::string_view::npos;
}

Result<std::string> absolute_folder(std::string_view path) {
  if (path.empty() || path.front() != '/') return bad("a folder must be an absolute path");
  return std::string(path);
}

// file:/p, file:///p, file://localhost/p -> /p
Result<std::string> file_url_path(std::string_view rest) {
  if (starts_with(rest, "//")) {
    rest.remove_prefix(2);
    if (starts_with(rest, "localhost/")) rest.remove_prefix(9);
    else if (!starts_with(rest, "/")) return bad("file: URLs name a local folder (file:///path)");
  }
  return absolute_folder(rest);
}

}  // namespace

Result<ContentSourceUrl> parse_content_source_url(std::string_view text, const ContentSourceUrlOptions& options) {
  std::string_view s = trim(text);
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  if (s.empty()) return bad("empty");
  if (s.size() > 4096) return bad("longer than 4096 characters");
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f) return bad("contains a blank or a control character");
  ContentSourceUrl out;
  if (s.front() == '/') {
    auto f = absolute_folder(s);
    if (!f) return f.error();
    out.folder = out.display = *f;
    return out;
  }
  const bool git = starts_with(to_lower(s.substr(0, 4)), "git+");
  if (git) s.remove_prefix(4);
  auto colon = s.find(':');
  if (colon == std::string_view::npos) return bad("neither an absolute folder nor a URL");
  const std::string scheme = to_lower(s.substr(0, colon));
  std::string_view rest = s.substr(colon + 1);
  if (scheme == "file") {
    if (rest.find_first_of("?") != std::string_view::npos) return bad("file: URLs take no query");
    std::string_view frag;
    if (auto h = rest.find('#'); h != std::string_view::npos) {
      frag = rest.substr(h + 1);
      rest = rest.substr(0, h);
      if (!git) return bad("a #fragment is only meaningful for git+ sources");
    }
    auto f = file_url_path(rest);
    if (!f) return f.error();
    if (!git) {
      out.folder = out.display = *f;
      return out;
    }
    if (!frag.empty() && !valid_ref(frag)) return bad("'#' must be followed by a branch or tag name");
    out.kind = Kind::kGit;
    out.ref = std::string(frag);
    out.transport = "file://" + *f;
    out.display = "git+file://" + *f;
    return out;
  }
  if (scheme != "https" && scheme != "http")
    return bad("unsupported scheme '" + scheme + "' (use https://, git+https:// or a folder)");
  if (!starts_with(rest, "//")) return bad(scheme + ": URLs start with " + scheme + "://");
  rest.remove_prefix(2);
  std::string_view frag, query;
  if (auto h = rest.find('#'); h != std::string_view::npos) {
    frag = rest.substr(h + 1);
    rest = rest.substr(0, h);
    if (!git) return bad("a #fragment is only meaningful for git+ sources");
    if (!valid_ref(frag)) return bad("'#' must be followed by a branch or tag name");
  }
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q);
    rest = rest.substr(0, q);
    if (git) return bad("git+ URLs take no query");
  }
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  std::string_view hostport = authority;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) hostport = authority.substr(at + 1);
  std::string_view host = hostport, port;
  if (auto c = hostport.rfind(':'); c != std::string_view::npos && hostport.find(']', c) == std::string_view::npos) {
    host = hostport.substr(0, c);
    port = hostport.substr(c + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535)
      return bad("bad port in the " + scheme + " URL");
  }
  if (!valid_host(host)) return bad("bad or missing host in the " + scheme + " URL");
  if (scheme == "http" && !options.allow_plain_http && !is_loopback(host))
    return bad("http:// is only allowed to a loopback host (use https://)");
  const std::string shown_host = to_lower(host) + (port.empty() ? "" : ":" + std::string(port));
  out.kind = git ? Kind::kGit : Kind::kHttp;
  out.display = (git ? "git+" : "") + scheme + "://" + shown_host + std::string(path);
  out.transport = scheme + "://" + std::string(authority) + std::string(path) + std::string(query);
  if (git) {
    out.ref = std::string(frag);
    return out;
  }
  std::string base = scheme + "://" + std::string(authority) + std::string(path);
  while (base.size() > scheme.size() + 3 + authority.size() && base.back() == '/') base.pop_back();
  out.base = base;
  out.query = std::string(query);
  return out;
}

}  // namespace branchcast
