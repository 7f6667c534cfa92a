// GIO adapter of the health endpoint (services/health_server.h).
#include <gio/gio.h>

#include <set>

#include "services/health_server.h"

namespace branchcast {
namespace {

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

class GioHealthServer;

// One accepted connection; frees itself when done.
struct Conn {
  GioHealthServer* server = nullptr;  // null once the server is gone
  GSocketConnection* conn = nullptr;
  GCancellable* cancel = nullptr;
  guint timeout_id = 0;
  gint64 opened_us = 0;   // g_get_monotonic_time() at accept
  bool evicted = false;   // cancelled to make room; finishing, no longer counted
  std::string request;
  std::string reply;
  char chunk[1024];
};

class GioHealthServer final : public HealthServer {
 public:
  GioHealthServer(HealthServerOptions o, HealthHandler h, Logger log)
      : options_(std::move(o)), handler_(std::move(h)), log_(std::move(log)),
        service_(g_socket_service_new()) {}

  ~GioHealthServer() override {
    g_socket_service_stop(service_);
    g_socket_listener_close(G_SOCKET_LISTENER(service_));
    g_signal_handlers_disconnect_by_data(service_, this);
    g_object_unref(service_);
    for (Conn* c : conns_) {
      c->server = nullptr;
      if (c->timeout_id) g_source_remove(c->timeout_id);
      c->timeout_id = 0;
      g_cancellable_cancel(c->cancel);
    }
  }

  Status listen(const ListenAddress& a) {
    GInetAddress* ia = g_inet_address_new_from_string(a.host.c_str());
    GSocketAddress* sa = g_inet_socket_address_new(ia, a.port);
    GSocketAddress* effective = nullptr;
    GError* err = nullptr;
    gboolean ok = g_socket_listener_add_address(G_SOCKET_LISTENER(service_), sa, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, nullptr, &effective, &err);
    g_object_unref(sa);
    g_object_unref(ia);
    if (!ok) {
      Error e = make_error("health: cannot listen on " + options_.listen + ": " + err->message);
      g_error_free(err);
      return e;
    }
    port_ = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective));
    g_object_unref(effective);
    g_signal_connect(service_, "incoming", G_CALLBACK(&GioHealthServer::on_incoming), this);
    g_socket_service_start(service_);
    return {};
  }

  uint16_t port() const override { return port_; }
  int open_connections() const override { return static_cast<int>(conns_.size()); }

 private:
  int active() const {
    int n = 0;
    for (const Conn* c : conns_) n += c->evicted ? 0 : 1;
    return n;
  }

  void evict_oldest() {
    Conn* oldest = nullptr;
    for (Conn* c : conns_)
      if (!c->evicted && c->reply.empty() && (!oldest || c->opened_us < oldest->opened_us)) oldest = c;
    if (!oldest) return;
    oldest->evicted = true;
    if (oldest->timeout_id) g_source_remove(oldest->timeout_id);
    oldest->timeout_id = 0;
    g_cancellable_cancel(oldest->cancel);  // its pending read completes with CANCELLED
  }

  static gboolean on_incoming(GSocketService*, GSocketConnection* connection, GObject*, gpointer self_p) {
    auto* self = static_cast<GioHealthServer*>(self_p);
    // Full: the oldest connection still waiting for its request makes room (a slowloris of idle
    // connections cannot starve a probe, which sends its request at once). Connections being
    // cancelled are bounded too.
    if (static_cast<int>(self->conns_.size()) >= 2 * self->options_.max_connections) {
      g_io_stream_close(G_IO_STREAM(connection), nullptr, nullptr);
      return TRUE;
    }
    if (self->active() >= self->options_.max_connections) self->evict_oldest();
    auto* c = new Conn;
    c->server = self;
    c->opened_us = g_get_monotonic_time();
    c->conn = G_SOCKET_CONNECTION(g_object_ref(connection));
    c->cancel = g_cancellable_new();
    self->conns_.insert(c);
    c->timeout_id = g_timeout_add(static_cast<guint>(self->options_.request_timeout.count()), &on_timeout, c);
    read_more(c);
    return TRUE;
  }

  static void read_more(Conn* c) {
    GInputStream* in = g_io_stream_get_input_stream(G_IO_STREAM(c->conn));
    g_input_stream_read_async(in, c->chunk, sizeof c->chunk, G_PRIORITY_DEFAULT, c->cancel, &on_read, c);
  }

  static gboolean on_timeout(gpointer p) {
    auto* c = static_cast<Conn*>(p);
    c->timeout_id = 0;
    g_cancellable_cancel(c->cancel);  // the pending read or write completes with CANCELLED
    return G_SOURCE_REMOVE;
  }

  static void on_read(GObject* src, GAsyncResult* res, gpointer p) {
    auto* c = static_cast<Conn*>(p);
    gssize n = g_input_stream_read_finish(G_INPUT_STREAM(src), res, nullptr);
    if (n <= 0 || !c->server) return finish(c);
    c->request.append(c->chunk, static_cast<size_t>(n));
    GioHealthServer* self = c->server;
    size_t end = c->request.find("\r\n\r\n");
    if (end == std::string::npos) end = c->request.find("\n\n");
    if (end == std::string::npos) {
      if (c->request.size() > self->options_.max_request_bytes) return respond(c, {413, "text/plain; charset=utf-8", "request too large\n"}, false);
      return read_more(c);
    }
    if (end > self->options_.max_request_bytes) return respond(c, {413, "text/plain; charset=utf-8", "request too large\n"}, false);
    std::string line = c->request.substr(0, c->request.find_first_of("\r\n"));
    auto sp1 = line.find(' ');
    auto sp2 = sp1 == std::string::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos || line.compare(sp2 + 1, 5, "HTTP/") != 0)
      return respond(c, {400, "text/plain; charset=utf-8", "bad request\n"}, false);
    std::string method = line.substr(0, sp1), path = line.substr(sp1 + 1, sp2 - sp1 - 1);
    HttpReply r = self->handler_(method, path);
    respond(c, r, method == "HEAD");
  }

  static void respond(Conn* c, const HttpReply& r, bool head_only) {
    c->reply = "HTTP/1.1 " + std::to_string(r.status) + " " + reason_phrase(r.status) +
               "\r\nContent-Type: " + r.content_type + "\r\nContent-Length: " + std::to_string(r.body.size()) +
               "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if (!head_only) c->reply += r.body;
    GOutputStream* out = g_io_stream_get_output_stream(G_IO_STREAM(c->conn));
    g_output_stream_write_all_async(out, c->reply.data(), c->reply.size(), G_PRIORITY_DEFAULT, c->cancel, &on_written, c);
  }

  static void on_written(GObject* src, GAsyncResult* res, gpointer p) {
    (void)g_output_stream_write_all_finish(G_OUTPUT_STREAM(src), res, nullptr, nullptr);
    finish(static_cast<Conn*>(p));
  }

  static void finish(Conn* c) {
    if (c->timeout_id) g_source_remove(c->timeout_id);
    if (c->server) c->server->conns_.erase(c);
    g_io_stream_close(G_IO_STREAM(c->conn), nullptr, nullptr);
    g_object_unref(c->conn);
    g_object_unref(c->cancel);
    delete c;
  }

  HealthServerOptions options_;
  HealthHandler handler_;
  Logger log_;
  GSocketService* service_;
  uint16_t port_ = 0;
  std::set<Conn*> conns_;
};

}  // namespace

Result<std::unique_ptr<HealthServer>> HealthServer::start(const HealthServerOptions& options,
                                                          HealthHandler handler, Logger log) {
  auto addr = parse_listen_address(options.listen);
  if (!addr) return addr.error();
  if (!addr->loopback && !options.allow_non_loopback)
    return make_error("health.listen: " + options.listen +
                      " is not a loopback address; refusing to expose health beyond this machine");
  auto server = std::make_unique<GioHealthServer>(options, std::move(handler), log);
  if (auto s = server->listen(*addr); !s) return s.error();
  log.info("health endpoint on " + addr->host + ":" + std::to_string(server->port()));
  return std::unique_ptr<HealthServer>(std::move(server));
}

}  // namespace branchcast
