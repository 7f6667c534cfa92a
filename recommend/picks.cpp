#include "recommend/picks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/strings.h"

namespace branchcast {
namespace {

std::string local_start(TimePoint t, const TimeZone& zone) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const LocalTime lt = zone.to_local(t);
  const std::chrono::year_month_day ymd{lt.date};
  const int minute = lt.minute_of_day();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %u %s %02d:%02d", kDays[lt.weekday().iso_encoding() - 1],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1], minute / 60,
                minute % 60);
  return buf;
}

}  // namespace

std::vector<Recommendation> to_recommendations(const Ranking& ranking, const RecommendedQuery& query,
                                               const RecommenderModel& model, const TimeZone& zone) {
  std::vector<Recommendation> out;
  for (const RankedItem& r : ranking.items) {
    if (out.size() >= static_cast<size_t>(std::max(0, query.count))) break;
    if (!query.kinds.empty() && std::find(query.kinds.begin(), query.kinds.end(), r.kind) == query.kinds.end())
      continue;
    Recommendation rec{r.id, r.kind, r.title, r.subtitle, r.image};
    const ModelItem* it = model.find(r.id);
    if (it && it->type == ModelItemType::kEvent) {
      rec.subtitle = local_start(it->start, zone);
      if (!it->subtitle.empty()) rec.subtitle += ", " + it->subtitle;
    }
    out.push_back(std::move(rec));
  }
  return out;
}

std::vector<Recommendation> picks_for_screen(const RecommenderModel& model, const ScreenSettings& screen,
                                             PresenceLevel presence, const RecommendedQuery& query, TimePoint now,
                                             const TimeZone& zone) {
  RankRequest request = screen_request(now, screen, presence);
  request.kinds = query.kinds;
  request.count = static_cast<size_t>(std::max(0, query.count));
  return to_recommendations(rank(model, request), query, model, zone);
}

std::string ranking_json(const Ranking& ranking, const std::string& for_label, const TimeZone& zone) {
  std::string out = "{\"at\": " + json_quote(zone.format_iso(ranking.at)) + ", \"for\": " + json_quote(for_label) +
                    ", \"items\": [";
  for (size_t i = 0; i < ranking.items.size(); ++i) {
    const RankedItem& r = ranking.items[i];
    char score[32];
    std::snprintf(score, sizeof score, "%.4f", std::round(r.score * 1e4) / 1e4 + 0.0);
    out += i ? ", " : "";
    out += "{\"id\": " + json_quote(r.id) + ", \"kind\": " + json_quote(r.kind) + ", \"title\": " + json_quote(r.title) +
           ", \"score\": " + score + ", \"reasons\": [";
    for (size_t k = 0; k < r.reasons.size(); ++k) out += (k ? ", " : "") + json_quote(r.reasons[k]);
    out += "]";
    if (ranking.patron) {
      out += ", \"relevance\": " + std::to_string(r.relevance) + ", \"matched\": [";
      size_t k = 0;
      for (const auto* list : {&r.matched_authors, &r.matched_subjects})
        for (const auto& m : *list) out += (k++ ? ", " : "") + json_quote(m);
      out += "]";
    }
    out += "}";
  }
  out += "]";
  if (ranking.patron) out += ", \"declared\": " + std::to_string(ranking.declared);
  return out + "}";
}

}  // namespace branchcast
