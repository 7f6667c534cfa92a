// Nearby prompts (formats.md section 5, paths 2 and 3) for the run loop: a recognised patron gets one
// personal prompt chosen by the recommender; the visit-subscription topic gets the branch's timely
// prompts while people are near. Both go through the SQLite outbox (notify/outbox.h), which applies
// the policy (opening and quiet hours, daily cap, no repeats, rate limit) before anything is queued.
// Which item becomes a patron's prompt, its words, and what counts as already prompted are decided
// by the pure notify/personal_prompts.h: only an item matching the patron's declared interests,
// and only a prompt the outbox actually queued counts as sent (a refusal is not a prompt).
//
// Threads: every public member on the loop thread. The outbox, its database connection and the
// sends live on a worker thread of this component, which posts each enqueue's answer back; the
// loop thread settles them on its next call. Nothing identifying a patron is logged.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ble/eid.h"
#include "common/http_client.h"
#include "common/log.h"
#include "common/ticker.h"
#include "config/settings.h"
#include "feeds/catalogue.h"
#include "recommend/model.h"

namespace branchcast {

class MqttPublisher;

class NearbyPrompts final : public Ticker {
 public:
  // The adapters the outbox sends through, made by the composition root (appliance/cmd_run.cpp).
  struct Ports {
    HttpClient& http;  // web push, ntfy, SMTP; thread-safe; outlives the prompts
    std::function<std::unique_ptr<MqttPublisher>()> open_mqtt;  // unset: no MQTT channel
  };
  // Loads the patrons file (when configured) and opens the outbox in `db_path` on the worker.
  // Fails when notifications are not configured at all (no patrons and no nearby topic) or the
  // patrons file is invalid (errors name the file).
  static Result<std::unique_ptr<NearbyPrompts>> start(const ApplianceSettings& settings, const std::string& db_path,
                                                      LogSink& sink, Ports ports);
  ~NearbyPrompts();

  // The enrolled patrons' EID parameters, in patron index order (for ble::EidResolver).
  std::vector<ble::EidEnrollment> enrollments() const;

  // A patron (index into enrollments()) was recognised at `now`: unless a prompt for them is in
  // flight or they were considered this minute, ranks for them and queues the top item that
  // matches their declared interests and was not yet prompted to them this run. Nothing relevant
  // (or no interests declared): nothing is queued, and one log line says why (without the patron).
  // No model yet: nothing is sent.
  void patron_seen(size_t index, TimePoint now, std::shared_ptr<const RecommenderModel> model);
  // The presence level at `now`: while people are near, an event starting within the next 30 min
  // is announced once to the visit topic (a refused announcement may go at the next try, a
  // minute later at the earliest).
  void presence(PresenceLevel level, const std::vector<CatalogueEvent>& events, TimePoint now);
  // Ticker (common/ticker.h), every kSendEvery (due at once after start() and a clock step):
  // settles the worker's answers, then has the worker send what the outbox has due.
  static constexpr Duration kSendEvery{2'000};
  TimePoint next_deadline(TimePoint now) const override;
  void tick(const Turn& turn) override;
  void clock_stepped(Duration step, const Turn& turn) override;

  struct Impl;

 private:
  explicit NearbyPrompts(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  TimePoint next_send_{};
};

}  // namespace branchcast
