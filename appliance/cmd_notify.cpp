// `branchcast notify test`: one message through any provider URL, printing the provider's answer.
#include <fstream>
#include <ostream>
#include <sstream>

#include "appliance/commands.h"
#include "common/http_client.h"
#include "common/strings.h"
#include "config/loader.h"
#include "notify/crypto.h"
#include "notify/mqtt.h"
#include "notify/sender.h"

namespace branchcast {
namespace {

constexpr char kName[] = "notify";

Result<std::string> read_small_file(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot read");
  std::string data;
  data.resize(limit + 1);
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > limit) return make_error(path + ": larger than " + std::to_string(limit / 1024) + " KiB");
  return data;
}

int run_notify(const Args& args, CommandEnv& env) {
  if (args.positional().size() != 1 || args.positional()[0] != "test")
    return usage_error(env, kName, "expected the subcommand 'test'");
  SenderOptions options;
  std::optional<std::string> provider = args.get("provider");
  if (auto config = args.get("config")) {
    auto loaded = load_appliance(*config);
    if (!loaded.ok()) {
      for (const auto& e : loaded.errors) env.err << e.to_string() << "\n";
      return kExitInvalid;
    }
    const NotificationSettings& n = loaded.settings->notifications;
    if (n.vapid) {
      options.vapid_private_key = n.vapid->private_key;
      options.vapid_subject = n.vapid->subject;
    }
    if (!provider) provider = n.provider;
  }
  if (auto key = args.get("vapid-key")) options.vapid_private_key = "file:" + *key;
  if (auto subject = args.get("vapid-subject")) options.vapid_subject = *subject;
  if (!provider) return usage_error(env, kName, "--provider URL is required");

  Destination destination{*provider, std::nullopt};
  if (auto sub = args.get("subscription")) {
    auto json = read_small_file(*sub, 8 * 1024);
    if (!json) {
      env.err << "branchcast notify: " << json.error().message << "\n";
      return kExitInvalid;
    }
    destination.subscription_json = *json;
  }
  Notification n;
  n.title = args.get("title").value_or("Branchcast test");
  n.message = args.get("message").value_or("This is a test notification from Branchcast.");
  n.tags = {"test"};
  RandomBytes random = system_random_bytes();
  std::string id = random(8);
  n.idempotency_key = "test-" + to_hex(reinterpret_cast<const unsigned char*>(id.data()), id.size());

  auto http = make_curl_http_client();
  auto mqtt = make_mosquitto_publisher();
  Sender sender(*http, mqtt.get(), system_secret_source(), options, random);
  SendResult r = sender.send(destination, n, env.clock.now());
  env.out << display_url(*provider) << ": " << to_string(r.outcome) << "\n" << r.detail << "\n";
  return r.outcome == SendOutcome::kDelivered ? kExitOk : kExitInvalid;
}

}  // namespace

Command notify_command() {
  Command c;
  c.name = kName;
  c.summary = "send one test notification through a provider";
  c.usage =
      "Usage: branchcast notify test [--config C] --provider URL [--subscription F] [--title T] [--message M]\n"
      "                              [--vapid-key PEM --vapid-subject mailto:...]\n\n"
      "Sends one message through a provider URL (ntfy://, ntfys://, gotify://, webhook+https://,\n"
      "webpush, fcm://, mailto://, mqtt://; secrets as ${ENV_NAME}) and prints the provider's answer.\n"
      "VAPID settings come from --config (notifications.vapid) or --vapid-key/--vapid-subject; Web Push\n"
      "needs --subscription with the browser's PushSubscription JSON. Without --provider, the\n"
      "config's notifications.provider is used. Exit 0 when the provider accepted the message.\n";
  c.valued = {"config", "provider", "subscription", "title", "message", "vapid-key", "vapid-subject"};
  c.run = run_notify;
  return c;
}

}  // namespace branchcast
