#include "recommend/ranker.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "common/strings.h"

namespace branchcast {
namespace {

constexpr double kReasonThreshold = 0.15;   // a part must add this much to the score to be a reason
constexpr size_t kPatronSeeds = 10;         // interest-matching titles that seed co-occurrence
constexpr size_t kScreenQueryEvents = 10;   // upcoming events whose terms make a screen's query
constexpr int64_t kScreenQueryDays = 7;

double hours(Duration d) { return static_cast<double>(d.count()) / 3'600'000.0; }

double presence_factor(PresenceLevel p) {
  switch (p) {
    case PresenceLevel::kBusy: return 1.5;
    case PresenceLevel::kSome: return 1.0;
    case PresenceLevel::kEmpty: return 0.6;
  }
  return 1.0;
}

std::string audience_label(const std::string& a) {
  if (a == "children") return "for children";
  if (a == "teen") return "for teens";
  if (a == "adult") return "for adults";
  return "for " + a;
}

// +1 same audience, -1 another one; an unmarked item in a children's or teen area -0.5 (most of a
// catalogue is for adults); anything goes in a lobby (audience "").
double audience_fit(const std::string& wanted, const std::string& item) {
  if (wanted.empty()) return 0.0;
  if (item.empty()) return wanted == "children" || wanted == "teen" ? -0.5 : 0.0;
  return item == wanted ? 1.0 : -1.0;
}

struct Candidate {
  uint32_t item;
  ScoreParts parts;
  double score;
  int tier = 0;               // patron mode: relevance level (ranker.h)
  int32_t seed = -1;          // strongest co-occurrence seed
  int32_t related_event = -1; // screen mode: the upcoming event the content score came from
  bool busy_boost = false;
};

struct Query {
  std::vector<std::string> terms;
  std::vector<uint32_t> events;  // screen mode
};

Query make_query(const RecommenderModel& m, const RankRequest& r, const std::vector<char>& allowed) {
  Query q;
  if (r.interests) {
    for (const auto& a : r.interests->authors) {
      const std::string name = canonical_name(a);
      if (name.empty()) continue;
      q.terms.push_back("a:" + name);
      q.terms.push_back("a:" + name);  // an author followed weighs twice a subject word
    }
    for (const auto& s : r.interests->subjects)
      for (auto& w : subject_words(s)) q.terms.push_back(std::move(w));
    return q;
  }
  for (uint32_t i = static_cast<uint32_t>(m.title_count); i < m.items.size() && q.events.size() < kScreenQueryEvents; ++i) {
    const auto& e = m.items[i];
    if (!allowed[i] || e.start > r.now + std::chrono::days(kScreenQueryDays)) continue;
    q.events.push_back(i);
    for (auto& t : feature_terms(e.authors, e.subjects, {})) q.terms.push_back(std::move(t));
  }
  return q;
}

// One declared interest, normalised once per query.
struct Interest {
  std::string display;             // as declared, trimmed
  bool author = false;
  std::string name;                // author: canonical_name
  std::vector<std::string> words;  // subject: subject_words
};

constexpr size_t kMaxInterests = 64;  // one bit each; more are ignored (documented)

// What each item matches of a patron's declared interests.
struct PatronMatch {
  std::vector<Interest> interests;  // authors, then subjects
  std::vector<uint64_t> mask;       // per item: bit k = interests[k] matched
  std::vector<char> engaged;        // per item: co-borrowed with a context title
  bool declared_words = false;      // at least one author or subject with words
  bool declared_ages = false;
};

std::vector<Interest> normalise(const PatronInterests& in) {
  std::vector<Interest> out;
  auto known = [&](const Interest& x) {
    return std::any_of(out.begin(), out.end(), [&](const Interest& y) {
      return y.author == x.author && y.name == x.name && y.words == x.words;
    });
  };
  for (const auto& a : in.authors) {
    Interest x{std::string(trim(a)), true, canonical_name(a), {}};
    if (!x.name.empty() && !known(x) && out.size() < kMaxInterests) out.push_back(std::move(x));
  }
  for (const auto& s : in.subjects) {
    Interest x{std::string(trim(s)), false, "", subject_words(s)};
    if (!x.words.empty() && !known(x) && out.size() < kMaxInterests) out.push_back(std::move(x));
  }
  return out;
}

// The join of `words` with single spaces (a phrase as word_text() spells it).
std::string phrase(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string when_phrase(TimePoint start, TimePoint now) {
  const Duration until = start - now;
  if (until >= std::chrono::days(1) && until < std::chrono::days(2)) return "tomorrow";
  return relative_time(until);
}

std::vector<std::string> reasons_for(const RecommenderModel& m, const RankRequest& r, const Candidate& c,
                                     const PatronMatch* pm) {
  const ModelItem& it = m.items[c.item];
  std::vector<std::pair<double, std::string>> out;
  const ScoreParts& p = c.parts;
  const uint64_t bits = pm ? pm->mask[c.item] : 0;
  bool said_when = false;  // an event's time said within a followed author's reason
  for (size_t k = 0; pm && k < pm->interests.size(); ++k) {
    if (!(bits >> k & 1)) continue;
    const Interest& x = pm->interests[k];
    const double order = -0.001 * static_cast<double>(k);  // declared order among equals
    if (x.author && it.type == ModelItemType::kEvent) {
      const std::string when = it.start <= r.now ? "is on here now" : "talks here " + when_phrase(it.start, r.now);
      out.emplace_back(p.event_soon + 3.0 + order, x.display + ", whom you follow, " + when);
      said_when = true;
    } else if (x.author) {
      out.emplace_back(3.0 + order, "by " + x.display + ", whom you follow");
    } else {
      out.emplace_back(p.event_soon + 0.5 + order, "about " + to_lower(x.display) + ", which you follow");
    }
  }
  if (p.event_soon > 0 && !said_when) {
    std::string when = it.start <= r.now ? "on now here" : "starts " + relative_time(it.start - r.now) + " here";
    out.emplace_back(p.event_soon + (pm ? 0.6 : 1.0), std::move(when));  // an event's time is said early
    if (c.busy_boost) out.emplace_back(p.event_soon, "the library is busy now");
  }
  if (p.content >= kReasonThreshold) {
    if (r.interests) {
      // Said above, from what matched.
    } else if (c.related_event >= 0) {
      const ModelItem& e = m.items[static_cast<size_t>(c.related_event)];
      out.emplace_back(p.content, "related to " + e.title + ", " +
                                      (e.start <= r.now ? std::string("on now") : relative_time(e.start - r.now)) + " here");
    }
  }
  if (p.cooccurrence >= kReasonThreshold && c.seed >= 0)
    out.emplace_back(p.cooccurrence, "often borrowed with " + m.items[static_cast<size_t>(c.seed)].title);
  if (p.popularity >= kReasonThreshold && (it.popular_now || it.popularity >= 0.5f))
    out.emplace_back(p.popularity, it.popular_now ? "popular this month" : "often borrowed here");
  if (p.freshness >= kReasonThreshold * r.weights.freshness && it.has_added) {
    const double days = hours(r.now - it.added) / 24.0;
    out.emplace_back(p.freshness, days < 7 ? "new this week" : days < 31 ? "new this month" : "new arrival");
  }
  if (p.audience > 0) out.emplace_back(p.audience * 0.5, audience_label(it.audience));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> reasons;
  for (auto& [w, text] : out)
    if (std::find(reasons.begin(), reasons.end(), text) == reasons.end()) reasons.push_back(std::move(text));
  if (reasons.empty()) reasons.push_back(it.type == ModelItemType::kEvent ? "coming up here" : "in this branch's catalogue");
  return reasons;
}

}  // namespace

std::string relative_time(Duration until) {
  const int64_t minutes = std::max<int64_t>(0, until.count() / 60'000);
  auto plural = [](int64_t n, const char* unit) {
    return "in " + std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  if (minutes == 0) return std::string("in under a minute");
  if (minutes < 60) return plural(minutes, "minute");
  if (minutes < 24 * 60) return plural(minutes / 60, "hour");
  return plural(minutes / (24 * 60), "day");
}

double item_similarity(const ModelItem& a, const ModelItem& b) {
  if (a.features.empty() || b.features.empty()) return 0.0;
  size_t i = 0, j = 0, both = 0;
  while (i < a.features.size() && j < b.features.size()) {
    if (a.features[i] == b.features[j]) {
      ++both, ++i, ++j;
    } else if (a.features[i] < b.features[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(both) / static_cast<double>(a.features.size() + b.features.size() - both);
}

RankRequest patron_request(TimePoint now, const PatronInterests& interests, std::vector<std::string> past_prompts) {
  RankRequest r;
  r.now = now;
  r.interests = interests;
  r.audience = to_lower(trim(interests.ages));
  r.exclude = std::move(past_prompts);
  return r;
}

RankRequest screen_request(TimePoint now, const ScreenSettings& screen, PresenceLevel presence) {
  RankRequest r;
  r.now = now;
  r.audience = to_lower(trim(screen.audience));
  r.presence = presence;
  return r;
}

namespace {

// What one query computes once before scanning the items.
struct QueryState {
  std::vector<char> allowed;
  Query query;
  std::vector<double> bm;
  double bm_max = 0;
  bool screen_mode = true;
  // Co-occurrence by item (dense: a hash lookup per item would cost more than the rest of the scan).
  std::vector<float> co;
  std::vector<int32_t> co_seed;  // the seed that contributed most
  double co_max = 0;
  double content_scale = 0;          // weight / best BM25
  std::vector<double> audience_fit;  // by model audience id
  double fresh_scale = 1;            // freshness_at_build -> freshness at now
  PatronMatch patron;                // patron mode only
};

// Patron mode: which declared interests each allowed item matches, and the raw content bonus of a
// followed author named in an event's title or description (as if the event listed them).
void match_patron(const RecommenderModel& m, const RankRequest& r, QueryState& q) {
  PatronMatch& pm = q.patron;
  pm.interests = normalise(*r.interests);
  pm.declared_ages = !trim(r.interests->ages).empty();
  pm.declared_words = !pm.interests.empty();
  pm.mask.assign(m.items.size(), 0);
  const double n = static_cast<double>(m.items.size());
  for (size_t k = 0; k < pm.interests.size(); ++k) {
    const Interest& x = pm.interests[k];
    const uint64_t bit = uint64_t{1} << k;
    const std::vector<std::string> terms = x.author ? std::vector<std::string>{"a:" + x.name} : x.words;
    for (uint32_t d : m.text.docs_with_all(terms)) pm.mask[d] |= bit;
    const std::string needle = " " + (x.author ? x.name : phrase(x.words)) + " ";
    const int32_t term = m.text.term_id("a:" + x.name);
    const double idf = term >= 0 ? m.text.idf(term) : std::log(1.0 + (n - 0.5) / 1.5);
    // In free text a name counts only with two words or more ("Ann" alone would match any Ann).
    if (x.author && x.name.find(' ') == std::string::npos) continue;
    for (size_t i = m.title_count; i < m.items.size(); ++i) {
      if (!q.allowed[i] || (pm.mask[i] & bit) || m.items[i].text.find(needle) == std::string::npos) continue;
      pm.mask[i] |= bit;
      if (x.author) q.bm[i] += 2.0 * idf;  // the query counts an author twice
    }
  }
  pm.engaged.assign(m.items.size(), 0);
  for (const auto& id : r.context) {
    auto it = m.by_id.find(id);
    if (it == m.by_id.end() || it->second >= m.title_count) continue;
    for (const Neighbour& nb : m.cooccurrence[it->second]) pm.engaged[nb.item] = 1;
  }
}

int tier_of(const RecommenderModel& m, const RankRequest& r, const QueryState& q, uint32_t i) {
  if (q.screen_mode) return 0;
  if (q.patron.mask[i]) return 2;
  const std::string& audience = m.audiences[m.stats[i].audience];
  if ((!audience.empty() && audience == r.audience) || q.patron.engaged[i]) return 1;
  return 0;
}

std::vector<char> allowed_items(const RecommenderModel& m, const RankRequest& r) {
  const size_t n = m.items.size();
  std::vector<char> allowed(n, 1);
  std::vector<char> kind_ok(m.kinds.size(), r.kinds.empty());
  for (const auto& k : r.kinds) {
    auto it = std::find(m.kinds.begin(), m.kinds.end(), k);
    if (it != m.kinds.end()) kind_ok[static_cast<size_t>(it - m.kinds.begin())] = 1;
  }
  for (size_t i = 0; i < n; ++i) allowed[i] = kind_ok[m.stats[i].kind];
  std::unordered_set<std::string> excluded(r.exclude.begin(), r.exclude.end());
  for (const auto& id : r.context) excluded.insert(id);
  for (const auto& id : excluded) {
    auto it = m.by_id.find(id);
    if (it != m.by_id.end()) allowed[it->second] = 0;
  }
  // Events: ended, too far ahead, excluded by UID, or a later occurrence of one already allowed.
  const TimePoint window = r.now + std::chrono::duration_cast<Duration>(
                                       std::chrono::duration<double, std::ratio<86400>>(r.event_window_days));
  std::unordered_set<std::string> uids_seen;
  for (size_t i = m.title_count; i < n; ++i) {
    const ModelItem& it = m.items[i];
    allowed[i] = allowed[i] && it.end > r.now && it.start <= window && !excluded.count(it.uid) &&
                 uids_seen.insert(it.uid).second;
  }
  return allowed;
}

QueryState prepare(const RecommenderModel& m, const RankRequest& r) {
  const size_t n = m.items.size();
  QueryState q;
  q.allowed = allowed_items(m, r);
  q.screen_mode = !r.interests.has_value();
  // Content: BM25 of the query, scaled by the best allowed match (events do not match a screen's
  // own event-made query).
  q.query = make_query(m, r, q.allowed);
  q.bm.assign(n, 0.0);
  m.text.score(q.query.terms, q.bm);
  if (r.interests) match_patron(m, r, q);
  const size_t content_end = q.screen_mode ? m.title_count : n;
  double bm_max = 0;
  for (size_t i = 0; i < content_end; ++i)
    if (q.allowed[i] && q.bm[i] > bm_max) bm_max = q.bm[i];
  q.bm_max = bm_max;
  q.content_scale = bm_max > 0 ? r.weights.content / bm_max : 0.0;
  // Co-occurrence seeds: the request's context, else the patron's best interest matches, else (a
  // screen) the trending titles.
  std::vector<std::pair<uint32_t, double>> seeds;
  for (const auto& id : r.context) {
    auto it = m.by_id.find(id);
    if (it != m.by_id.end() && it->second < m.title_count) seeds.emplace_back(it->second, 1.0);
  }
  if (r.interests && q.bm_max > 0) {
    std::vector<uint32_t> best;
    for (uint32_t i = 0; i < m.title_count; ++i)
      if (q.bm[i] > 0) best.push_back(i);
    auto by_bm = [&](uint32_t a, uint32_t b) { return q.bm[a] != q.bm[b] ? q.bm[a] > q.bm[b] : a < b; };
    const size_t k = std::min(kPatronSeeds, best.size());
    std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(k), best.end(), by_bm);
    for (size_t s = 0; s < k; ++s) seeds.emplace_back(best[s], q.bm[best[s]] / q.bm_max);
  } else if (q.screen_mode) {
    for (uint32_t t : m.trending) seeds.emplace_back(t, 1.0);
  }
  if (!seeds.empty()) {
    q.co.assign(m.title_count, 0.0f);
    q.co_seed.assign(m.title_count, -1);
    std::vector<float> best(m.title_count, 0.0f);
    for (const auto& [s, w] : seeds) {
      const bool ease = r.use_ease && !m.ease.empty() && !m.ease[s].empty();
      for (const Neighbour& nb : ease ? m.ease[s] : m.cooccurrence[s]) {
        const float v = static_cast<float>(w) * nb.weight;
        q.co[nb.item] += v;
        if (v > best[nb.item]) best[nb.item] = v, q.co_seed[nb.item] = static_cast<int32_t>(s);
      }
    }
    float co_max = 0;  // a local: stores through char* (allowed) would otherwise force reloads
    for (size_t i = 0; i < m.title_count; ++i)
      if (q.allowed[i]) co_max = std::max(co_max, q.co[i]);
    q.co_max = co_max;
  }
  for (const auto& a : m.audiences) q.audience_fit.push_back(r.weights.audience * audience_fit(r.audience, a));
  q.fresh_scale = std::exp2(-hours(r.now - m.built_at) / 24.0 / m.options.freshness_half_life_days);
  return q;
}

Candidate score_item(const RecommenderModel& m, const RankRequest& r, const QueryState& q, uint32_t i) {
  const ItemStats& st = m.stats[i];
  const BlendWeights& w = r.weights;
  Candidate c{i, {}, 0};
  if (st.type == ModelItemType::kTitle) {
    c.parts.popularity = w.popularity * st.popularity;
    if (q.co_max > 0 && q.co[i] > 0) c.parts.cooccurrence = w.cooccurrence * (q.co[i] / q.co_max), c.seed = q.co_seed[i];
    c.parts.freshness = w.freshness * std::min(1.0, st.freshness_at_build * q.fresh_scale);
    c.parts.content = q.content_scale * q.bm[i];
  } else {
    const ModelItem& it = m.items[i];
    const double h = std::max(0.0, hours(it.start - r.now));
    double soon = std::exp2(-h / 72.0);
    if (h <= 3.0) {
      soon *= presence_factor(r.presence);
      c.busy_boost = r.presence == PresenceLevel::kBusy;
    }
    c.parts.event_soon = w.event_soon * soon;
    if (!q.screen_mode) c.parts.content = q.content_scale * q.bm[i];
  }
  c.parts.audience = q.audience_fit[st.audience];
  c.score = c.parts.total();
  c.tier = tier_of(m, r, q, i);
  return c;
}

bool better(const Candidate& a, const Candidate& b) {
  if (a.tier != b.tier) return a.tier > b.tier;
  return a.score != b.score ? a.score > b.score : a.item < b.item;
}

std::vector<Candidate> diversify(const RecommenderModel& m, const RankRequest& r, const std::vector<Candidate>& pool) {
  std::vector<Candidate> chosen;
  if (pool.empty()) return chosen;
  // `pool` is sorted by tier, then score. MMR picks within the best tier left, with relevance on a
  // 0..1 scale: the score over the tier's best score (items scoring <= 0 count as 0).
  std::vector<double> max_sim(pool.size(), 0.0);
  std::vector<char> taken(pool.size(), 0);
  size_t tier_begin = 0;
  while (chosen.size() < std::min(r.count, pool.size())) {
    while (taken[tier_begin]) ++tier_begin;
    size_t first = tier_begin;
    while (first > 0 && pool[first - 1].tier == pool[tier_begin].tier) --first;
    const double top = pool[first].score > 0 ? pool[first].score : 1.0;
    size_t pick = 0;
    double pick_value = -1e300;
    for (size_t k = tier_begin; k < pool.size() && pool[k].tier == pool[tier_begin].tier; ++k) {
      if (taken[k]) continue;
      const double v = r.mmr_lambda * std::max(0.0, pool[k].score) / top - (1.0 - r.mmr_lambda) * max_sim[k];
      if (v > pick_value) pick_value = v, pick = k;
    }
    taken[pick] = 1;
    chosen.push_back(pool[pick]);
    for (size_t k = 0; k < pool.size(); ++k)
      if (!taken[k]) max_sim[k] = std::max(max_sim[k], item_similarity(m.items[pool[k].item], m.items[pool[pick].item]));
  }
  return chosen;
}

}  // namespace

Ranking rank(const RecommenderModel& m, const RankRequest& r) {
  Ranking ranking;
  ranking.at = r.now;
  if (r.count == 0) return ranking;
  const QueryState q = prepare(m, r);
  // Keep the best `pool_size` candidates in a heap whose top is the worst kept.
  const size_t pool_size = r.diversify ? std::max<size_t>(r.count * 5, 50) : r.count;
  std::vector<Candidate> pool;
  pool.reserve(pool_size + 1);
  for (uint32_t i = 0; i < m.items.size(); ++i) {
    if (!q.allowed[i]) continue;
    Candidate c = score_item(m, r, q, i);
    if (pool.size() < pool_size) {
      pool.push_back(c);
      std::push_heap(pool.begin(), pool.end(), better);
    } else if (better(c, pool.front())) {
      std::pop_heap(pool.begin(), pool.end(), better);
      pool.back() = c;
      std::push_heap(pool.begin(), pool.end(), better);
    }
  }
  std::sort_heap(pool.begin(), pool.end(), better);
  std::vector<Candidate> chosen = r.diversify ? diversify(m, r, pool) : pool;
  for (Candidate& c : chosen) {
    const ModelItem& it = m.items[c.item];
    if (q.screen_mode && c.parts.content > 0) {  // which upcoming event the title relates to
      double best = 0;
      for (uint32_t e : q.query.events) {
        const double s = item_similarity(it, m.items[e]);
        if (s > best) best = s, c.related_event = static_cast<int32_t>(e);
      }
    }
    const PatronMatch* pm = q.screen_mode ? nullptr : &q.patron;
    RankedItem out{it.id, it.kind, it.title, it.subtitle, it.image, c.score, c.parts, reasons_for(m, r, c, pm),
                   c.tier, {}, {}};
    for (size_t k = 0; pm && k < pm->interests.size(); ++k)
      if (pm->mask[c.item] >> k & 1)
        (pm->interests[k].author ? out.matched_authors : out.matched_subjects).push_back(pm->interests[k].display);
    ranking.items.push_back(std::move(out));
  }
  ranking.patron = !q.screen_mode;
  if (!q.screen_mode)
    ranking.declared = q.patron.declared_words ? 2 : q.patron.declared_ages || !r.context.empty() ? 1 : 0;
  return ranking;
}

}  // namespace branchcast
