#include "config/settings.h"

namespace branchcast {

const char* to_string(ItemKind k) {
  switch (k) {
    case ItemKind::kImage: return "image";
    case ItemKind::kVideo: return "video";
    case ItemKind::kText: return "text";
    case ItemKind::kEvents: return "events";
    case ItemKind::kRecommended: return "recommended";
    case ItemKind::kNearby: return "nearby";
  }
  return "?";
}

const char* to_string(FeedKind k) {
  switch (k) {
    case FeedKind::kIcal: return "ical";
    case FeedKind::kRss: return "rss";
    case FeedKind::kAtom: return "atom";
    case FeedKind::kJsonEvents: return "json-events";
    case FeedKind::kJsonCatalogue: return "json-catalogue";
    case FeedKind::kJsonLoans: return "json-loans";
    case FeedKind::kJsonFeed: return "jsonfeed";
  }
  return "?";
}

const char* to_string(PresenceLevel p) {
  switch (p) {
    case PresenceLevel::kEmpty: return "empty";
    case PresenceLevel::kSome: return "some";
    case PresenceLevel::kBusy: return "busy";
  }
  return "?";
}

const char* to_string(OutputKind o) {
  switch (o) {
    case OutputKind::kAuto: return "auto";
    case OutputKind::kKms: return "kms";
    case OutputKind::kWindow: return "window";
    case OutputKind::kOffscreen: return "offscreen";
  }
  return "?";
}

}  // namespace branchcast
