#include "notify/email.h"

#include "common/strings.h"
#include "notify/backoff.h"
#include "notify/crypto.h"
#include "notify/http_providers.h"

namespace branchcast {
namespace {

// Normalises line ends to CRLF.
std::string crlf(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n') out += "\r\n";
    else out += text[i];
  }
  return out;
}

bool plausible_address(std::string_view a) {
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size()) return false;
  for (char c : a)
    if (c == '<' || c == '>' || c == '\r' || c == '\n' || c == ' ' || c == ',') return false;
  return true;
}

}  // namespace

Result<HttpRequest> build_email_request(const ProviderTarget& t, const Notification& n, TimePoint now) {
  std::vector<std::string> to;
  for (const auto& seg : t.path)
    for (const auto& addr : split(seg, ','))
      if (!addr.empty()) to.push_back(addr);
  if (auto extra = t.query.find("to"); extra != t.query.end())
    for (const auto& addr : split(extra->second, ','))
      if (!addr.empty()) to.push_back(addr);
  if (to.empty()) return make_error(t.display + ": mailto URL needs a recipient (mailto://host/to@example.org)");
  std::string host = t.host;
  std::string host_only = host.substr(0, host.find(':'));
  if (host.find(':') == std::string::npos) host += t.tls ? ":465" : (t.user.empty() ? ":25" : ":587");
  std::string from = t.query_or("from", "");
  if (from.empty()) from = t.user.find('@') != std::string::npos ? t.user : (t.user.empty() ? "branchcast" : t.user) + "@" + host_only;
  for (const auto& a : to)
    if (!plausible_address(a)) return make_error(t.display + ": a recipient is not a plain email address");
  if (!plausible_address(from)) return make_error(t.display + ": from= is not a plain email address");

  HttpRequest r = base_provider_request(std::string(t.tls ? "smtps" : "smtp") + "://" + host);
  r.mail_from = "<" + from + ">";
  for (const auto& a : to) r.mail_to.push_back("<" + a + ">");
  r.username = t.user;
  r.password = t.password;
  // A password only ever travels encrypted: STARTTLS is then required, unless staff opt out with
  // ?tls=optional (a relay on the same host). Without a password, TLS is used when offered.
  std::string tls = t.query_or("tls", "");
  if (!tls.empty() && tls != "optional" && tls != "required")
    return make_error(t.display + ": tls= must be 'optional' or 'required'");
  r.require_tls = tls == "required" || (!t.password.empty() && tls != "optional");
  std::string to_header;
  for (const auto& a : to) to_header += (to_header.empty() ? "" : ", ") + a;
  std::string id = n.idempotency_key.empty() ? base64url_encode(sha256(n.title + n.message)).substr(0, 22)
                                             : base64url_encode(sha256(n.idempotency_key)).substr(0, 22);
  std::string date = format_http_date(now);
  date.replace(date.size() - 3, 3, "+0000");
  std::string msg = "Date: " + date + "\r\n" +
                    "From: Branchcast <" + from + ">\r\n" + "To: " + to_header + "\r\n" +
                    "Subject: " + rfc2047(header_safe(n.title.empty() ? "Library" : n.title)) + "\r\n" +
                    "Message-ID: <" + id + "@branchcast>\r\n" + "MIME-Version: 1.0\r\n" +
                    "Content-Type: text/plain; charset=utf-8\r\n" + "Content-Transfer-Encoding: 8bit\r\n\r\n" +
                    crlf(n.message) + (n.click.empty() ? "" : "\r\n\r\n" + crlf(n.click)) + "\r\n";
  r.body = std::move(msg);
  return r;
}

}  // namespace branchcast
