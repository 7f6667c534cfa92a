// Who a prompt goes to, without storing who they are.
//
// A patron is known in the outbox only by a pseudonym: HMAC-SHA256 keyed with the patron's own
// identity key (from patrons.yaml) over "branchcast/pseudonym/v1/" + id, first 128 bits in hex.
// Without patrons.yaml the database cannot be linked to anyone; with it, the appliance re-resolves
// the provider address at send time (RecipientDirectory::resolve), so no address is on disk.
// A patron removed from patrons.yaml no longer resolves: their queued prompts fail, unsent.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "notify/sender.h"

namespace branchcast {

std::string patron_pseudonym(const PatronSettings& p);
// SHA-256 of destination, prompt and local day, first 128 bits in hex.
std::string make_idempotency_key(const std::string& destination, const std::string& prompt_id, const std::string& day);

struct ResolvedDestination {
  Destination destination;
  std::string fingerprint;  // hash of the address, to remember a pruned (404/410) subscription
};

class RecipientDirectory {
 public:
  // `named`: branch destinations by name ("nearby" -> notifications.nearby_topic URL).
  RecipientDirectory(const std::vector<PatronSettings>& patrons, std::map<std::string, std::string> named);

  static std::string destination_of(const PatronSettings& p) { return "patron:" + patron_pseudonym(p); }
  static std::string destination_of(const std::string& name) { return "named:" + name; }
  // Keyed hash of (recipient, prompt) for the no-repeat ledger (keyed with the patron's key).
  std::string ledger_key(const std::string& destination, const std::string& prompt_id) const;

  // The address behind a stored destination, or nullopt when it is no longer configured.
  std::optional<ResolvedDestination> resolve(const std::string& destination) const;

 private:
  struct Entry {
    ResolvedDestination resolved;
    std::array<uint8_t, 16> key{};
  };
  std::map<std::string, Entry> by_destination_;
};

}  // namespace branchcast
