#include "notify/recipients.h"

#include "common/strings.h"
#include "notify/crypto.h"

namespace branchcast {
namespace {

std::string hex128(const std::string& digest) {
  return to_hex(reinterpret_cast<const unsigned char*>(digest.data()), 16);
}

std::string key_bytes(const std::array<uint8_t, 16>& key) { return std::string(key.begin(), key.end()); }

}  // namespace

std::string patron_pseudonym(const PatronSettings& p) {
  return hex128(hmac_sha256(key_bytes(p.key), "branchcast/pseudonym/v1/" + p.id));
}

std::string make_idempotency_key(const std::string& destination, const std::string& prompt_id, const std::string& day) {
  return hex128(sha256(destination + "\n" + prompt_id + "\n" + day));
}

RecipientDirectory::RecipientDirectory(const std::vector<PatronSettings>& patrons,
                                       std::map<std::string, std::string> named) {
  for (const auto& p : patrons) {
    Entry e;
    e.key = p.key;
    e.resolved.destination = Destination{p.notify, p.subscription_json};
    std::string address = p.notify + "\n" + p.subscription_json.value_or("");
    e.resolved.fingerprint = hex128(hmac_sha256(key_bytes(p.key), "branchcast/address/v1/" + address));
    by_destination_[destination_of(p)] = std::move(e);
  }
  for (auto& [name, url] : named) {
    Entry e;
    e.resolved.destination = Destination{url, std::nullopt};
    e.resolved.fingerprint = hex128(sha256("branchcast/address/v1/" + url));
    by_destination_[destination_of(name)] = std::move(e);
  }
}

std::string RecipientDirectory::ledger_key(const std::string& destination, const std::string& prompt_id) const {
  auto it = by_destination_.find(destination);
  if (it != by_destination_.end() && starts_with(destination, "patron:"))
    return hex128(hmac_sha256(key_bytes(it->second.key), "branchcast/ledger/v1/" + prompt_id));
  return hex128(sha256(destination + "\n" + prompt_id));
}

std::optional<ResolvedDestination> RecipientDirectory::resolve(const std::string& destination) const {
  auto it = by_destination_.find(destination);
  if (it == by_destination_.end()) return std::nullopt;
  return it->second.resolved;
}

}  // namespace branchcast
