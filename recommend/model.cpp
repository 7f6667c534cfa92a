#include "recommend/model.h"

#include <algorithm>
#include <cmath>

#include "common/strings.h"
#include "recommend/ease.h"

namespace branchcast {
namespace {

using std::chrono::days;
using std::chrono::floor;

// Age in whole days of a loan day relative to now's UTC day; negative for future days.
int64_t age_days(const std::chrono::year_month_day& day, sys_days today) {
  return (today - sys_days(day)).count();
}

double decay(int64_t age, double half_life) { return std::exp2(-static_cast<double>(age) / half_life); }

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::vector<uint32_t> feature_ids(const Bm25Index& ix, const std::vector<std::string>& terms) {
  std::vector<uint32_t> out;
  for (const auto& t : terms) {
    const int32_t id = ix.term_id(t);
    if (id >= 0) out.push_back(static_cast<uint32_t>(id));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Keeps the `k` strongest neighbours, strongest first (ties by item index, for determinism).
void keep_strongest(std::vector<Neighbour>& list, size_t k) {
  auto stronger = [](const Neighbour& a, const Neighbour& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.item < b.item;
  };
  if (list.size() > k) {
    std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(k), list.end(), stronger);
    list.resize(k);
  } else {
    std::sort(list.begin(), list.end(), stronger);
  }
  list.shrink_to_fit();
}

struct PairWeight {
  uint64_t key;  // (smaller index << 32) | larger index
  double weight;
};

void fit_ease(RecommenderModel& m, const std::vector<double>& loans, const std::vector<PairWeight>& pairs) {
  std::vector<uint32_t> chosen;
  for (uint32_t i = 0; i < m.title_count; ++i)
    if (loans[i] > 0) chosen.push_back(i);
  std::sort(chosen.begin(), chosen.end(), [&](uint32_t a, uint32_t b) {
    return loans[a] != loans[b] ? loans[a] > loans[b] : a < b;
  });
  if (chosen.size() > m.options.ease_max_items) chosen.resize(m.options.ease_max_items);
  if (chosen.size() < 2) {
    m.ease_note = "EASE needs at least two borrowed titles";
    return;
  }
  std::vector<int32_t> slot(m.title_count, -1);
  for (size_t s = 0; s < chosen.size(); ++s) slot[chosen[s]] = static_cast<int32_t>(s);
  DenseMatrix g = DenseMatrix::zeros(chosen.size());
  for (size_t s = 0; s < chosen.size(); ++s) g.at(s, s) = loans[chosen[s]];
  for (const auto& p : pairs) {
    const int32_t a = slot[p.key >> 32], b = slot[p.key & 0xffffffffu];
    if (a < 0 || b < 0) continue;
    g.at(static_cast<size_t>(a), static_cast<size_t>(b)) = p.weight;
    g.at(static_cast<size_t>(b), static_cast<size_t>(a)) = p.weight;
  }
  auto b = ease_weights(g, m.options.ease_lambda);
  if (!b) {
    m.ease_note = "EASE fit failed: " + b.error().message;
    return;
  }
  m.ease.assign(m.title_count, {});
  for (size_t s = 0; s < chosen.size(); ++s) {
    std::vector<Neighbour> row;
    double top = 0;
    for (size_t t = 0; t < chosen.size(); ++t) {
      const double w = b->at(s, t);
      if (w > 0) {
        row.push_back({chosen[t], static_cast<float>(w)});
        top = std::max(top, w);
      }
    }
    for (auto& n : row) n.weight = static_cast<float>(n.weight / top);
    keep_strongest(row, m.options.neighbours_per_item);
    m.ease[chosen[s]] = std::move(row);
  }
  m.ease_items = chosen.size();
}

uint32_t intern(std::vector<std::string>& table, const std::string& value) {
  auto it = std::find(table.begin(), table.end(), value);
  if (it != table.end()) return static_cast<uint32_t>(it - table.begin());
  table.push_back(value);
  return static_cast<uint32_t>(table.size() - 1);
}

void fill_stats(RecommenderModel& m) {
  m.audiences = {""};
  m.stats.resize(m.items.size());
  const double half_life_ms = m.options.freshness_half_life_days * 86'400'000.0;
  for (size_t i = 0; i < m.items.size(); ++i) {
    const ModelItem& it = m.items[i];
    ItemStats& st = m.stats[i];
    st.type = it.type;
    st.popularity = it.popularity;
    // More than 65 535 kinds or 255 audiences cannot come from real feeds; past those the extra
    // kinds share the last id and the extra audiences count as "everyone".
    st.kind = static_cast<uint16_t>(std::min<uint32_t>(intern(m.kinds, it.kind), 0xffff));
    const uint32_t audience = intern(m.audiences, it.audience);
    st.audience = static_cast<uint8_t>(audience <= 0xff ? audience : 0);
    if (it.has_added)
      st.freshness_at_build = static_cast<float>(
          std::exp2(std::min(30.0, -static_cast<double>((m.built_at - it.added).count()) / half_life_ms)));
  }
}

}  // namespace

std::string infer_audience(const std::string& given, const std::vector<std::string>& subjects,
                           const std::vector<std::string>& tags) {
  if (!given.empty()) return to_lower(trim(given));
  bool teen = false, adult = false;
  for (const auto* list : {&subjects, &tags}) {
    for (const auto& s : *list) {
      const std::string l = to_lower(trim(s));
      if (l == "children" || l == "childrens" || l == "children's" || l == "kids" || l == "juvenile" ||
          l == "picture books" || l == "picture book")
        return "children";
      if (l == "teen" || l == "teens" || l == "young adult" || l == "ya") teen = true;
      if (l == "adult" || l == "adults") adult = true;
    }
  }
  return teen ? "teen" : adult ? "adult" : "";
}

RecommenderModel build_model(const Catalogue& catalogue, TimePoint now, const ModelOptions& options,
                             const std::function<bool(const CatalogueEvent&)>& leave_out) {
  RecommenderModel m;
  m.built_at = now;
  m.options = options;
  std::vector<std::vector<std::string>> docs, features;  // features: events only
  for (const auto& t : catalogue.titles) {
    if (t.id.empty() || m.by_id.count(t.id)) continue;
    ModelItem it;
    it.type = ModelItemType::kTitle;
    it.id = t.id;
    it.kind = t.kind.empty() ? "book" : t.kind;
    it.title = t.title;
    it.subtitle = join(t.authors, ", ");
    it.image = t.image;
    it.authors = t.authors;
    it.subjects = t.subjects;
    it.subjects.insert(it.subjects.end(), t.tags.begin(), t.tags.end());
    it.audience = infer_audience(t.audience, t.subjects, t.tags);
    it.has_added = t.added != TimePoint{};
    it.added = t.added;
    m.by_id.emplace(it.id, static_cast<uint32_t>(m.items.size()));
    docs.push_back(feature_terms(t.authors, t.subjects, t.tags));
    m.items.push_back(std::move(it));
  }
  m.title_count = m.items.size();
  const TimePoint horizon = now + floor<Duration>(std::chrono::duration<double, std::ratio<86400>>(options.event_horizon_days));
  std::vector<const CatalogueEvent*> events;
  for (const auto& e : catalogue.events)
    if (std::max(e.start, e.end) >= now && e.start <= horizon && !e.id.empty() && !(leave_out && leave_out(e)))
      events.push_back(&e);
  std::stable_sort(events.begin(), events.end(), [](auto* a, auto* b) { return a->start < b->start; });
  for (const auto* e : events) {
    if (m.by_id.count(e->id)) continue;
    ModelItem it;
    it.type = ModelItemType::kEvent;
    it.id = e->id;
    it.uid = e->uid.empty() ? e->id : e->uid;
    it.kind = "event";
    it.title = e->title;
    it.subtitle = e->location;
    it.image = e->image;
    it.url = e->url;
    it.authors = e->authors;
    it.people = e->people;
    it.text = word_text(e->title + " \n " + e->description);
    it.subjects = e->subjects;
    it.subjects.insert(it.subjects.end(), e->tags.begin(), e->tags.end());
    it.audience = infer_audience(e->audience, e->subjects, e->tags);
    it.start = e->start;
    it.end = std::max(e->start, e->end);
    m.by_id.emplace(it.id, static_cast<uint32_t>(m.items.size()));
    // The index also knows the event's people (as authors) and the words of its title, so that
    // declared subjects find "Crime fiction evening"; MMR similarity stays on the given fields.
    features.push_back(feature_terms(e->authors, e->subjects, e->tags));
    std::vector<std::string> doc = features.back();
    for (const auto& name : e->people)
      if (std::string c = canonical_name(name); !c.empty()) doc.push_back("a:" + c);
    for (auto& w : subject_words(e->title)) doc.push_back(std::move(w));
    docs.push_back(std::move(doc));
    m.items.push_back(std::move(it));
  }
  m.text = Bm25Index::build(docs);
  for (size_t i = 0; i < m.items.size(); ++i)
    m.items[i].features = feature_ids(m.text, i < m.title_count ? docs[i] : features[i - m.title_count]);

  // Popularity: time-decayed loan counts (and a slower-decayed copy for co-occurrence scaling).
  const sys_days today = floor<days>(now);
  std::vector<double> pop(m.title_count, 0.0), loans(m.title_count, 0.0);
  for (const auto& c : catalogue.loan_counts) {
    const int64_t age = age_days(c.day, today);
    if (age < 0 || c.count <= 0) continue;
    auto it = m.by_id.find(c.title_id);
    if (it == m.by_id.end() || it->second >= m.title_count) continue;
    pop[it->second] += static_cast<double>(c.count) * decay(age, options.popularity_half_life_days);
    loans[it->second] += static_cast<double>(c.count) * decay(age, options.cooccurrence_half_life_days);
    if (age < 30) m.items[it->second].loans_30d += static_cast<uint32_t>(c.count);
  }
  double pmax = 0;
  for (double p : pop) pmax = std::max(pmax, p);
  for (size_t i = 0; i < m.title_count; ++i)
    m.items[i].popularity = pmax > 0 ? static_cast<float>(std::log1p(pop[i]) / std::log1p(pmax)) : 0.0f;
  std::vector<uint32_t> order(m.title_count);
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return m.items[a].loans_30d != m.items[b].loans_30d ? m.items[a].loans_30d > m.items[b].loans_30d : a < b;
  });
  const size_t popular_n = std::max<size_t>(1, m.title_count / 10);
  for (size_t r = 0; r < std::min(popular_n, order.size()); ++r)
    if (m.items[order[r]].loans_30d > 0) m.items[order[r]].popular_now = true;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return pop[a] != pop[b] ? pop[a] > pop[b] : a < b; });
  for (size_t r = 0; r < std::min(options.trending_seeds, order.size()); ++r)
    if (pop[order[r]] > 0) m.trending.push_back(order[r]);

  // Co-occurrence: aggregate decayed co-borrows per unordered pair (sort + merge), then cosine.
  std::vector<PairWeight> pairs;
  pairs.reserve(catalogue.loan_pairs.size());
  for (const auto& p : catalogue.loan_pairs) {
    const int64_t age = age_days(p.day, today);
    if (age < 0 || p.count <= 0 || p.a == p.b) continue;
    auto ia = m.by_id.find(p.a), ib = m.by_id.find(p.b);
    if (ia == m.by_id.end() || ib == m.by_id.end() || ia->second >= m.title_count || ib->second >= m.title_count)
      continue;
    const uint64_t lo = std::min(ia->second, ib->second), hi = std::max(ia->second, ib->second);
    pairs.push_back({lo << 32 | hi, static_cast<double>(p.count) * decay(age, options.cooccurrence_half_life_days)});
  }
  std::sort(pairs.begin(), pairs.end(), [](const PairWeight& a, const PairWeight& b) { return a.key < b.key; });
  size_t out = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (out > 0 && pairs[out - 1].key == pairs[i].key) {
      pairs[out - 1].weight += pairs[i].weight;
    } else {
      pairs[out++] = pairs[i];
    }
  }
  pairs.resize(out);
  for (const auto& p : pairs) {  // a title's loans are at least its strongest co-borrow
    loans[p.key >> 32] = std::max(loans[p.key >> 32], p.weight);
    loans[p.key & 0xffffffffu] = std::max(loans[p.key & 0xffffffffu], p.weight);
  }
  m.cooccurrence.assign(m.title_count, {});
  for (const auto& p : pairs) {
    const uint32_t a = static_cast<uint32_t>(p.key >> 32), b = static_cast<uint32_t>(p.key & 0xffffffffu);
    const float w = static_cast<float>(std::min(1.0, p.weight / std::sqrt(loans[a] * loans[b])));
    m.cooccurrence[a].push_back({b, w});
    m.cooccurrence[b].push_back({a, w});
  }
  for (auto& list : m.cooccurrence) keep_strongest(list, options.neighbours_per_item);
  if (options.ease) fit_ease(m, loans, pairs);
  fill_stats(m);
  return m;
}

}  // namespace branchcast
