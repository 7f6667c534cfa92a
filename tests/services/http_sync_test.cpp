// Content sync from an HTTP bundle: a real server on 127.0.0.1 (LoopbackHttpServer), the real
// libcurl client, real files. Every refusal must leave `current` as it was.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "tests/support/read_file.h"
#include "common/http_client.h"
#include "services/content_source_url.h"
#include "services/content_sync.h"
#include "services/http_content_source.h"
#include "tests/notify/support/loopback_http_server.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;
using test::LoopbackHttpServer;
using test::RecordedRequest;
using test::Reply;

using testing_support::slurp;

// Serves /bundle/<path>?token=s3cret from `files`, the manifest with an ETag (304 on a match).
class Bundle {
 public:
  std::map<std::string, std::string> files;  // path -> bytes actually served
  std::map<std::string, Reply> overrides;    // path -> a misbehaving answer
  std::string manifest;

  void publish() {  // the manifest lists the files as they are now
    manifest = "# bundle\n";
    for (const auto& [path, body] : files) manifest += sha256_hex(body.data(), body.size()) + "  " + path + "\n";
  }
  Reply answer(const RecordedRequest& r) {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string prefix = "/bundle/", token = "?token=s3cret";
    if (r.target.rfind(prefix, 0) != 0 || r.target.size() < token.size() ||
        r.target.substr(r.target.size() - token.size()) != token)
      return Reply{403, {}, "forbidden"};
    std::string path = r.target.substr(prefix.size(), r.target.size() - prefix.size() - token.size());
    if (auto o = overrides.find(path); o != overrides.end()) return o->second;
    if (path == "MANIFEST.sha256") {
      std::string etag = "\"" + sha256_hex(manifest.data(), manifest.size()).substr(0, 16) + "\"";
      if (r.header("if-none-match") == etag) return Reply{304, {{"ETag", etag}}, ""};
      return Reply{200, {{"ETag", etag}, {"Last-Modified", "Mon, 02 Mar 2026 09:00:00 GMT"}}, manifest};
    }
    auto f = files.find(path);
    if (f == files.end()) return Reply{404, {}, "not found"};
    return Reply{200, {}, f->second};
  }
  std::mutex mu_;
};

class HttpSync : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bc-httpsync-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dest_ = dir_ / "content");
    bundle_.files = {{"appliance.yaml", "branch: {id: central}\n"},
                     {"media/welcome.png", std::string(100000, 'p')},
                     {"playlists/entrance.yaml", "default: []\n"}};
    bundle_.publish();
    server_ = std::make_unique<LoopbackHttpServer>([this](const RecordedRequest& r) { return bundle_.answer(r); });
    base_url_ = server_->url();
    http_ = make_curl_http_client();
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<SyncOutcome> sync(HttpSourceOptions o = {}, uint64_t reserve = 0) {
    auto url = parse_content_source_url(base_url_ + "/bundle/?token=s3cret");
    EXPECT_TRUE(url.ok());
    HttpContentSource source(*url, *http_, dest_.string(), o);
    SyncOptions so;
    so.reserve_bytes = reserve;
    return sync_content(source, dest_.string(), so);
  }
  // Files fetched (not the manifest) since the last call.
  int downloads() {
    int n = 0;
    auto all = server_->requests();
    for (size_t i = seen_; i < all.size(); ++i) n += all[i].target.find("MANIFEST") == std::string::npos;
    seen_ = all.size();
    return n;
  }
  void expect_version_1_intact(const Error& e) {
    EXPECT_EQ(e.message.find("s3cret"), std::string::npos) << e.message;
    EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/1"));
    EXPECT_EQ(slurp(dest_ / "current/media/welcome.png"), std::string(100000, 'p'));
    for (const auto& e2 : fs::directory_iterator(dest_ / "versions"))
      EXPECT_EQ(e2.path().filename().string().find("staging"), std::string::npos);
  }

  fs::path dir_, dest_;
  std::string base_url_;
  Bundle bundle_;
  std::unique_ptr<LoopbackHttpServer> server_;
  std::unique_ptr<HttpClient> http_;
  size_t seen_ = 0;
};

TEST_F(HttpSync, DownloadsVerifiesSwapsThenNotModified) {
  auto r = sync();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->files, 3);
  EXPECT_EQ(downloads(), 3);
  EXPECT_EQ(slurp(dest_ / "current/playlists/entrance.yaml"), "default: []\n");
  EXPECT_EQ(slurp(dest_ / "current/MANIFEST.sha256"), bundle_.manifest);
  EXPECT_EQ(slurp(dest_ / "http-validators").find("s3cret"), std::string::npos);  // no URL, no token

  auto again = sync();
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(downloads(), 0);
  auto last = server_->requests().back();
  EXPECT_FALSE(last.header("if-none-match").empty());
  EXPECT_EQ(last.header("if-modified-since"), "Mon, 02 Mar 2026 09:00:00 GMT");
}

TEST_F(HttpSync, OnlyChangedFilesAreDownloaded) {
  ASSERT_TRUE(sync().ok());
  downloads();
  bundle_.files["playlists/entrance.yaml"] = "default: [x]\n";
  bundle_.publish();
  auto r = sync();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->reused, 2);
  EXPECT_EQ(downloads(), 1);
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/2"));
  EXPECT_EQ(slurp(dest_ / "current/playlists/entrance.yaml"), "default: [x]\n");
  EXPECT_EQ(fs::hard_link_count(dest_ / "current/media/welcome.png"), 2u);  // shared with versions/1
}

TEST_F(HttpSync, TamperedFileIsRefused) {
  ASSERT_TRUE(sync().ok());
  bundle_.files["playlists/entrance.yaml"] = "default: [new]\n";
  bundle_.publish();
  bundle_.files["playlists/entrance.yaml"] = "default: [evil]\n";  // served bytes differ from the manifest
  auto r = sync();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("http://127.0.0.1:" + std::to_string(server_->port()) +
                                   "/bundle/playlists/entrance.yaml: checksum mismatch"),
            std::string::npos)
      << r.error().message;
  expect_version_1_intact(r.error());
}

TEST_F(HttpSync, GarbageManifestIsRefused) {
  ASSERT_TRUE(sync().ok());
  bundle_.manifest = "<html>Welcome to our CDN</html>\n";
  auto r = sync();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/bundle/MANIFEST.sha256: manifest line 1"), std::string::npos) << r.error().message;
  expect_version_1_intact(r.error());
}

TEST_F(HttpSync, MissingFileTruncatedBodyAndDeadServerAreRefused) {
  ASSERT_TRUE(sync().ok());
  bundle_.files["media/new.png"] = std::string(50000, 'n');
  bundle_.publish();

  bundle_.overrides["media/new.png"] = Reply{404, {}, "gone"};
  auto missing = sync();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/bundle/media/new.png: HTTP 404"), std::string::npos) << missing.error().message;
  expect_version_1_intact(missing.error());

  Reply cut{200, {}, std::string(50000, 'n')};
  cut.cut_body_at = 20000;
  bundle_.overrides["media/new.png"] = cut;
  auto truncated = sync();
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message.find("/bundle/media/new.png: "), std::string::npos) << truncated.error().message;
  expect_version_1_intact(truncated.error());

  Reply reset;
  reset.reset = true;
  bundle_.overrides["media/new.png"] = reset;
  auto died = sync();
  ASSERT_FALSE(died.ok());
  expect_version_1_intact(died.error());

  server_.reset();  // nobody listens any more: the network is "absent"
  auto dead = sync();
  ASSERT_FALSE(dead.ok());
  EXPECT_NE(dead.error().message.find("/bundle/MANIFEST.sha256: "), std::string::npos) << dead.error().message;
  expect_version_1_intact(dead.error());
}

TEST_F(HttpSync, SizeCapAndDiskGuard) {
  HttpSourceOptions small;
  small.max_file_bytes = 1000;
  auto big = sync(small);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("/bundle/media/welcome.png: response larger than 1000 bytes"), std::string::npos)
      << big.error().message;
  EXPECT_FALSE(fs::exists(dest_ / "current"));

  auto full = sync({}, ~0ull >> 2);
  ASSERT_FALSE(full.ok());
  EXPECT_NE(full.error().message.find("not enough free space"), std::string::npos);
  EXPECT_FALSE(fs::exists(dest_ / "current"));
  EXPECT_TRUE(sync().ok());  // nothing left behind blocks the next sync
}

// A USB stick synced in between: the server's 304 must not keep the stick's content.
TEST_F(HttpSync, ValidatorsOnlyHoldForTheVersionTheyMade) {
  ASSERT_TRUE(sync().ok());
  fs::create_directories(dir_ / "usb");
  std::ofstream(dir_ / "usb/a.png") << "usb";
  std::ofstream(dir_ / "usb/MANIFEST.sha256") << sha256_hex("usb", 3) << "  a.png\n";
  ASSERT_TRUE(sync_content_from_folder((dir_ / "usb").string(), dest_.string(), SyncOptions{"MANIFEST.sha256", 0, {}}).ok());
  auto r = sync();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(fs::read_symlink(dest_ / "current"), fs::path("versions/3"));
  EXPECT_EQ(slurp(dest_ / "current/playlists/entrance.yaml"), "default: []\n");
}

TEST_F(HttpSync, NewSourceUrlDoesNotReuseValidators) {
  ASSERT_TRUE(sync().ok());
  auto url = parse_content_source_url(server_->url() + "/bundle?token=s3cret");  // same base, no slash
  ASSERT_TRUE(url.ok());
  HttpContentSource same(*url, *http_, dest_.string());
  auto r = sync_content(same, dest_.string(), SyncOptions{"MANIFEST.sha256", 0, {}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(server_->requests().back().header("if-none-match").empty());

  auto other = parse_content_source_url(server_->url() + "/other/?token=s3cret");
  HttpContentSource moved(*other, *http_, dest_.string());
  auto m = sync_content(moved, dest_.string(), SyncOptions{"MANIFEST.sha256", 0, {}});
  ASSERT_FALSE(m.ok());  // 403 from our server: the path is unknown
  EXPECT_TRUE(server_->requests().back().header("if-none-match").empty());
  EXPECT_NE(m.error().message.find("HTTP 403"), std::string::npos);
}

}  // namespace
}  // namespace branchcast
