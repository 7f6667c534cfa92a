// Plain typed settings, one struct per module, filled by the config loader (config/loader.h).
//
// Modules read these and never see YAML. Defaults are the in-class initialisers; the loader
// validates and sanitises in one place, so a module can rely on every value being in range.
// Paths are absolute (resolved by the loader against the file that names them).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"

namespace branchcast {

// ---- branch ----------------------------------------------------------------------------------
struct OpeningHours {
  // Index 0 = Monday .. 6 = Sunday (ISO order). An empty list means closed that day.
  std::array<std::vector<TimeWindow>, 7> by_weekday;
};

struct DateRange {
  std::chrono::year_month_day first;
  std::chrono::year_month_day last;  // inclusive
};

// Whole days the branch is closed (`branch.closures`, or all-day events of `closures_feed`).
struct Closure {
  DateRange dates;
  std::string name;
  SourcePlace where;
};

// A date's opening hours replaced (`branch.special_hours`); empty `hours`: closed that day.
struct SpecialHours {
  DateRange dates;
  std::vector<TimeWindow> hours;
  SourcePlace where;
};

struct BranchSettings {
  std::string id;
  std::string name;
  std::string timezone = "UTC";
  std::string language = "en";  // BCP 47 tag with prompt wording (config/language.h); "en" when unknown
  OpeningHours opening_hours;  // default: closed every day unless given (i.e. always "closed")
  bool opening_hours_given = false;
  std::vector<Closure> closures;
  std::vector<SpecialHours> special_hours;
  std::string closures_feed;   // feed id whose all-day events are closures ("" = none)
};

// ---- screens ---------------------------------------------------------------------------------
enum class OutputKind { kAuto, kKms, kWindow, kOffscreen };

// When a screen with `power` is awake: fixed daily times (`on`/`off`, standby all day on days the
// branch does not open), or relative to each day's real opening hours (`before_open`/`after_close`).
struct PowerSchedule {
  TimeOfDay on;
  TimeOfDay off;
  bool relative = false;         // true: before_open/after_close, on/off unused
  Duration before_open{0};
  Duration after_close{0};
};

struct ScreenSettings {
  std::string id;
  OutputKind output = OutputKind::kAuto;
  int width = 1920;
  int height = 1080;
  int rotation = 0;             // 0, 90, 180, 270
  std::string playlist_path;    // absolute
  std::optional<PowerSchedule> power;
  // Who the screen faces, for the recommender's audience fit: "children", "teen", "adult", or
  // "" (a lobby: everyone). Optional in appliance.yaml (`audience:`); default "".
  std::string audience;
};

// ---- playlists -------------------------------------------------------------------------------
enum class TransitionKind { kCut, kCrossfade };

struct TransitionSettings {
  TransitionKind kind = TransitionKind::kCut;
  Duration duration{500};
  bool operator==(const TransitionSettings&) const = default;
};

enum class ItemKind { kImage, kVideo, kText, kEvents, kRecommended, kNearby };

struct EventsQuery {
  std::string feed;
  std::vector<std::string> tags;  // an event matches if it has any of these (empty: all events)
  int next = 3;                   // at most this many cards
  std::optional<Duration> within; // only events starting within this time from now
};

struct RecommendedQuery {
  int count = 3;
  std::vector<std::string> kinds;  // "book", "event", ... (empty: all kinds)
};

struct PlaylistItem {
  ItemKind kind = ItemKind::kImage;
  std::string path;        // image / video: as written in the playlist (relative to its folder)
  std::string resolved;    // image / video: absolute path after resolution
  std::string root{};      // image / video: the content_root `resolved` was checked under; the
                           // player opens the file beneath it at play time (no links followed)
  std::string text;        // text items
  std::optional<Duration> duration;  // per card for events/recommended; video: natural length if unset
  bool mute = true;
  EventsQuery events;
  RecommendedQuery recommended;
  SourcePlace where;       // for messages about this item
};

enum class PresenceLevel { kEmpty, kSome, kBusy };

struct BeforeEventCondition {
  std::string feed;
  std::vector<std::string> tags;
  Duration lead{0};
};

struct WhenCondition {
  std::optional<std::array<bool, 7>> days;  // Monday = 0
  std::optional<TimeWindow> time;
  std::optional<DateRange> dates;
  std::optional<BeforeEventCondition> before_event;
  std::optional<PresenceLevel> presence;
  std::optional<bool> open;                // the branch is (not) open at t, by its real hours
  std::optional<Duration> before_close;    // the last minutes before a closing time
  std::optional<Duration> after_open;      // the first minutes after an opening time
  bool given = false;                      // the rule has a `when` at all (formats.md rule 8)
};

struct PlaylistRule {
  std::string name;
  int priority = 0;
  bool interrupt = false;
  WhenCondition when;
  std::vector<PlaylistItem> items;
  SourcePlace where;
};

struct PlaylistSettings {
  std::string path;  // absolute path of the playlist file
  TransitionSettings transition;
  std::vector<PlaylistItem> default_items;
  std::vector<PlaylistRule> rules;
};

// ---- feeds -----------------------------------------------------------------------------------
enum class FeedKind { kIcal, kRss, kAtom, kJsonEvents, kJsonCatalogue, kJsonLoans, kJsonFeed };

// The default and largest feed body (issue 13: the Zero 2 W memory budget, docs/feeds.md).
inline constexpr int64_t kDefaultFeedMaxBytes = 4 * 1024 * 1024;

struct FeedSettings {
  std::string id;
  FeedKind kind = FeedKind::kIcal;
  std::string url;  // http(s):// as written, or file: resolved to "file:/absolute/path"
  Duration refresh{15 * 60'000};
  int64_t max_bytes = kDefaultFeedMaxBytes;  // may be lowered in appliance.yaml, not raised
  bool operator==(const FeedSettings&) const = default;
};

// ---- BLE -------------------------------------------------------------------------------------
struct IBeaconSettings {
  std::array<uint8_t, 16> uuid{};
  uint16_t major = 0;
  uint16_t minor = 0;
  int8_t measured_power = -59;
  bool operator==(const IBeaconSettings&) const = default;
};

struct BeaconSettings {
  bool enabled = false;
  std::optional<IBeaconSettings> ibeacon;
  std::optional<std::string> eddystone_url;
  bool eddystone_tlm = false;
  Duration interval{300};
  bool operator==(const BeaconSettings&) const = default;
};

struct PresenceSettings {
  bool enabled = false;
  int rssi_threshold = -75;
  Duration window{5 * 60'000};
  Duration report_every{15 * 60'000};
  int min_reported = 3;
  bool operator==(const PresenceSettings&) const = default;
};

// ---- notifications ---------------------------------------------------------------------------
struct VapidSettings {
  std::string private_key;  // "file:/abs/path.pem" or PEM text
  std::string subject;      // mailto: or https:
  bool operator==(const VapidSettings&) const = default;
};

struct NotificationSettings {
  std::optional<std::string> provider;      // default provider URL (may contain ${ENV})
  std::optional<std::string> nearby_topic;  // visit-subscription topic URL
  std::optional<TimeWindow> quiet_hours;
  int max_per_patron_per_day = 1;
  std::optional<std::string> patrons;       // "file:/abs/patrons.yaml"
  std::optional<VapidSettings> vapid;
  Duration prompt_ttl{10 * 60'000};
  bool operator==(const NotificationSettings&) const = default;
};

struct TelemetrySettings {
  std::optional<std::string> mqtt;
  bool operator==(const TelemetrySettings&) const = default;
};

struct HealthSettings {
  std::string listen = "127.0.0.1:8642";
  bool operator==(const HealthSettings&) const = default;
};

// ---- the whole appliance ---------------------------------------------------------------------
struct ApplianceSettings {
  std::string path;          // absolute path of appliance.yaml
  std::string base_dir;      // its folder
  std::string content_root;  // absolute
  BranchSettings branch;
  std::vector<ScreenSettings> screens;
  std::map<std::string, PlaylistSettings> playlists;  // by screen id
  std::vector<FeedSettings> feeds;
  BeaconSettings beacon;
  PresenceSettings presence;
  NotificationSettings notifications;
  TelemetrySettings telemetry;
  HealthSettings health;
};

// ---- patrons.yaml ----------------------------------------------------------------------------
struct PatronInterests {
  std::vector<std::string> authors;
  std::vector<std::string> subjects;
  std::string ages;  // "children", "teen", "adult", ... (free text, matched against audiences)
};

struct PatronSettings {
  std::string id;                       // opaque library id
  std::array<uint8_t, 16> key{};        // identity key (secret)
  int64_t epoch = 0;
  int rotation = 10;                    // K
  std::string notify;                   // provider URL
  std::optional<std::string> subscription_json;  // webpush PushSubscription JSON
  PatronInterests interests;
};

const char* to_string(ItemKind k);
const char* to_string(FeedKind k);
const char* to_string(PresenceLevel p);
const char* to_string(OutputKind o);

}  // namespace branchcast
