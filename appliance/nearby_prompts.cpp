#include "appliance/nearby_prompts.h"

#include <map>
#include <mutex>
#include <optional>

#include "common/time_zone.h"
#include "config/loader.h"
#include "feeds/event_selection.h"
#include "common/worker_thread.h"
#include "notify/mqtt.h"
#include "notify/outbox.h"
#include "notify/personal_prompts.h"
#include "notify/policy.h"
#include "notify/provider_url.h"
#include "notify/recipients.h"
#include "notify/sender.h"
#include "recommend/ranker.h"
#include "store/database.h"
#include "store/outbox_repository.h"

namespace branchcast {

// Owned by the loop thread except `worker_side`, which only the worker touches.
struct NearbyPrompts::Impl {
  struct WorkerSide {
    std::unique_ptr<Database> db;
    std::unique_ptr<SqliteOutboxRepository> store;
    std::unique_ptr<MqttPublisher> mqtt;
    std::unique_ptr<Sender> sender;
    std::unique_ptr<RecipientDirectory> directory;
    std::unique_ptr<NotifyPolicy> policy;
    std::unique_ptr<Outbox> outbox;
  };

  // An enqueue's answer, posted by the worker for the loop thread.
  struct Answer {
    bool visit = false;     // the visit topic (else a patron)
    size_t patron = 0;
    std::string prompt_id;
    std::optional<EnqueueResult> result;  // nullopt: not queued at all (outbox down, database error)
  };
  struct Mailbox {
    std::mutex mu;
    std::vector<Answer> answers;
  };

  ApplianceSettings settings;
  std::vector<PatronSettings> patrons;
  TimeZone zone = TimeZone::utc();
  Logger log;
  std::unique_ptr<PersonalPrompts> personal;
  std::set<std::string> announced;                // event ids announced (or in flight) to the visit topic
  std::map<std::string, TimePoint> visit_retry;   // refused announcements: not before
  std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
  std::shared_ptr<WorkerSide> side = std::make_shared<WorkerSide>();
  WorkerThread worker;  // last: joined first

  explicit Impl(LogSink& sink) : log(sink, "nearby") {}

  void settle(TimePoint now) {
    std::vector<Answer> answers;
    {
      std::lock_guard lock(mailbox->mu);
      answers.swap(mailbox->answers);
    }
    for (const Answer& a : answers) {
      if (!a.visit) {
        personal->settle(a.patron, a.prompt_id, a.result, now);
        continue;
      }
      const bool sent = a.result && (a.result->queued || a.result->duplicate ||
                                     a.result->verdict == PolicyVerdict::kRepeat);
      if (!sent) {
        announced.erase(a.prompt_id);
        visit_retry[a.prompt_id] = std::chrono::floor<std::chrono::minutes>(now) + std::chrono::minutes(1);
      }
    }
  }
};

namespace {

// The ranking's items as the prompt core needs them.
std::vector<PromptCandidate> candidates(const Ranking& ranking, const RecommenderModel& model) {
  std::vector<PromptCandidate> out;
  for (const RankedItem& r : ranking.items) {
    PromptCandidate c;
    c.id = r.id;
    c.kind = r.kind;
    c.title = r.title;
    c.relevance = r.relevance;
    c.authors_followed = r.matched_authors;
    c.subjects_followed = r.matched_subjects;
    if (const ModelItem* it = model.find(r.id)) {
      c.event = it->type == ModelItemType::kEvent;
      c.creators = c.event ? std::vector<std::string>{} : it->authors;
      c.start = it->start;
      c.end = it->end;
      c.location = c.event ? it->subtitle : "";
      c.url = it->url;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

NearbyPrompts::NearbyPrompts(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NearbyPrompts::~NearbyPrompts() = default;

Result<std::unique_ptr<NearbyPrompts>> NearbyPrompts::start(const ApplianceSettings& settings,
                                                            const std::string& db_path, LogSink& sink,
                                                            Ports ports) {
  const NotificationSettings& n = settings.notifications;
  if (!n.patrons && !n.nearby_topic) return make_error("no patrons file and no nearby_topic configured");
  auto impl = std::make_unique<Impl>(sink);
  impl->settings = settings;
  impl->zone = TimeZone::load_or_utc(settings.branch.timezone);
  PromptTextOptions text;
  text.branch_name = settings.branch.name;
  text.zone = impl->zone;
  text.phrases = prompt_phrases(settings.branch.language);
  impl->personal = std::make_unique<PersonalPrompts>(std::move(text));
  if (n.patrons) {
    std::string path = n.patrons->rfind("file:", 0) == 0 ? n.patrons->substr(5) : *n.patrons;
    auto loaded = load_patrons(path);
    if (!loaded.ok()) return loaded.errors.front();
    impl->patrons = std::move(*loaded.settings);
  }
  // Everything with a database handle or a socket is built on the worker that will use it.
  auto side = impl->side;
  auto patrons = impl->patrons;
  Logger log = impl->log;
  impl->worker.submit([side, settings, patrons, db_path, log, zone = impl->zone, http = &ports.http,
                       open_mqtt = ports.open_mqtt] {
    auto db = Database::open(db_path);
    if (!db) return log.error("outbox unavailable: " + db.error().message);
    auto store = SqliteOutboxRepository::open(**db);
    if (!store) return log.error("outbox unavailable: " + store.error().message);
    side->db = std::move(*db);
    side->store = std::move(*store);
    SenderOptions options;
    if (settings.notifications.vapid) {
      options.vapid_private_key = settings.notifications.vapid->private_key;
      options.vapid_subject = settings.notifications.vapid->subject;
    }
    if (open_mqtt) side->mqtt = open_mqtt();
    side->sender = std::make_unique<Sender>(*http, side->mqtt.get(), system_secret_source(), options,
                                            system_random_bytes());
    std::map<std::string, std::string> named;
    if (settings.notifications.nearby_topic) named["nearby"] = *settings.notifications.nearby_topic;
    side->directory = std::make_unique<RecipientDirectory>(patrons, named);
    side->policy = std::make_unique<NotifyPolicy>(policy_config(settings.branch, settings.notifications), zone);
    OutboxOptions outbox_options;
    outbox_options.ttl = settings.notifications.prompt_ttl;
    RandomBytes random = system_random_bytes();
    side->outbox = std::make_unique<Outbox>(
        *side->store, *side->sender, *side->directory, *side->policy,
        [random] {
          std::string b = random(8);
          uint64_t v = 0;
          for (unsigned char c : b) v = (v << 8) | c;
          return static_cast<double>(v >> 11) / static_cast<double>(1ULL << 53);
        },
        log, outbox_options);
    if (auto recovered = side->outbox->recover(); recovered && *recovered > 0)
      log.info(std::to_string(*recovered) + " prompt(s) left sending by a restart queued again");
  });
  return std::unique_ptr<NearbyPrompts>(new NearbyPrompts(std::move(impl)));
}

std::vector<ble::EidEnrollment> NearbyPrompts::enrollments() const {
  std::vector<ble::EidEnrollment> out;
  for (const auto& p : impl_->patrons) {
    ble::EidEnrollment e;
    std::copy(p.key.begin(), p.key.end(), e.key.begin());
    e.epoch = p.epoch;
    e.rotation = p.rotation;
    out.push_back(e);
  }
  return out;
}

void NearbyPrompts::patron_seen(size_t index, TimePoint now, std::shared_ptr<const RecommenderModel> model) {
  if (index >= impl_->patrons.size() || !model) return;
  impl_->settle(now);
  PersonalPrompts& personal = *impl_->personal;
  if (!personal.wants(index, now)) return;
  const PatronSettings& patron = impl_->patrons[index];
  RankRequest request = patron_request(now, patron.interests, personal.prompted(index));
  request.count = 3;
  const Ranking ranking = rank(*model, request);
  PromptDecision d = personal.decide(index, candidates(ranking, *model), ranking.declared, now);
  if (!d.prompt) {
    if (d.changed) impl_->log.info(std::string("no personal prompt for a recognised patron: ") + to_string(d.skip));
    return;
  }
  auto side = impl_->side;
  auto mailbox = impl_->mailbox;
  Logger log = impl_->log;
  impl_->worker.submit([side, mailbox, patron, index, prompt = *d.prompt, now, log] {
    Impl::Answer answer{false, index, prompt.prompt_id, std::nullopt};
    if (side->outbox) {
      auto r = side->outbox->enqueue_for_patron(patron, prompt, now);
      if (!r) log.error("prompt not queued: " + r.error().message);
      else if (r->queued) log.info("personal prompt queued for a recognised patron");
      else log.info(std::string("personal prompt not queued: ") + to_string(r->verdict));
      if (r) answer.result = *r;
    }
    std::lock_guard lock(mailbox->mu);
    mailbox->answers.push_back(std::move(answer));
  });
}

void NearbyPrompts::presence(PresenceLevel level, const std::vector<CatalogueEvent>& events, TimePoint now) {
  if (level == PresenceLevel::kEmpty || !impl_->settings.notifications.nearby_topic) return;
  impl_->settle(now);
  EventsQuery soon;
  soon.next = 1;
  soon.within = std::chrono::minutes(30);
  for (const CatalogueEvent& e : next_events(events, soon, now)) {
    if (e.start <= now || impl_->announced.count(e.id)) continue;
    if (auto retry = impl_->visit_retry.find(e.id); retry != impl_->visit_retry.end() && now < retry->second) continue;
    impl_->announced.insert(e.id);
    Prompt prompt;
    prompt.prompt_id = e.id;
    prompt.content.title = impl_->settings.branch.name;
    prompt.content.message = e.title + " " + countdown_text(e, now, impl_->zone);
    if (!e.location.empty()) prompt.content.message += ", " + e.location;
    prompt.content.click = e.url;
    auto side = impl_->side;
    auto mailbox = impl_->mailbox;
    Logger log = impl_->log;
    impl_->worker.submit([side, mailbox, prompt, now, log] {
      Impl::Answer answer{true, 0, prompt.prompt_id, std::nullopt};
      if (side->outbox) {
        auto r = side->outbox->enqueue_named("nearby", prompt, now);
        if (!r) log.error("visit prompt not queued: " + r.error().message);
        else answer.result = *r;
      }
      std::lock_guard lock(mailbox->mu);
      mailbox->answers.push_back(std::move(answer));
    });
  }
}

TimePoint NearbyPrompts::next_deadline(TimePoint) const { return next_send_; }

void NearbyPrompts::clock_stepped(Duration, const Turn& turn) { next_send_ = turn.now; }

void NearbyPrompts::tick(const Turn& turn) {
  const TimePoint now = turn.now;
  next_send_ = now + kSendEvery;
  impl_->settle(now);
  auto side = impl_->side;
  Logger log = impl_->log;
  impl_->worker.submit([side, now, log] {
    if (!side->outbox) return;
    auto due = side->outbox->next_retry();
    if (!due || *due > now) return;
    auto report = side->outbox->send_due(now);
    if (!report) log.error("outbox: " + report.error().message);
  });
}

}  // namespace branchcast
