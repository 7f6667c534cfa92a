// The content source URL parser: every accepted form, the refusals, and no secret in any output.
#include "services/content_source_url.h"

#include <gtest/gtest.h>

namespace branchcast {
namespace {

using Kind = ContentSourceUrl::Kind;

TEST(ContentSourceUrl, Folders) {
  for (const char* text : {"/media/usb/branch", "file:/media/usb/branch", "file:///media/usb/branch",
                           "file://localhost/media/usb/branch", "  /media/usb/branch\r\n"}) {
    auto u = parse_content_source_url(text);
    ASSERT_TRUE(u.ok()) << text << ": " << u.error().message;
    EXPECT_EQ(u->kind, Kind::kFolder);
    EXPECT_EQ(u->folder, "/media/usb/branch");
  }
}

// Found by fuzz_content_source_url (regressions/content_source_url/folder-with-hash): in a
// folder path '#' and '?' are just characters, not a fragment or a query.
TEST(ContentSourceUrl, FolderPathsMayHoldHashAndQuestionMark) {
  auto u = parse_content_source_url("/}eian/hgit+file:///srv/git/central.git#re");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->kind, Kind::kFolder);
  EXPECT_EQ(u->folder, "/}eian/hgit+file:///srv/git/central.git#re");
  EXPECT_EQ(parse_content_source_url("/media/usb/what?")->folder, "/media/usb/what?");
}

TEST(ContentSourceUrl, HttpsBundleKeepsTheTokenOutOfDisplay) {
  auto u = parse_content_source_url("https://deploy:pa55@CDN.example.org:8443/central/?sig=abc&exp=1");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->kind, Kind::kHttp);
  EXPECT_EQ(u->base, "https://deploy:pa55@CDN.example.org:8443/central");
  EXPECT_EQ(u->query, "?sig=abc&exp=1");
  EXPECT_EQ(u->display, "https://cdn.example.org:8443/central/");
  auto bare = parse_content_source_url("https://cdn.example.org");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->base, "https://cdn.example.org");
}

TEST(ContentSourceUrl, PlainHttpOnlyToLoopbackOrWhenAllowed) {
  EXPECT_TRUE(parse_content_source_url("http://127.0.0.1:8080/b").ok());
  EXPECT_TRUE(parse_content_source_url("http://localhost/b").ok());
  EXPECT_TRUE(parse_content_source_url("http://[::1]:80/b").ok());
  auto lan = parse_content_source_url("http://10.0.0.5/b");
  ASSERT_FALSE(lan.ok());
  EXPECT_NE(lan.error().message.find("only allowed to a loopback host"), std::string::npos);
  ContentSourceUrlOptions allow;
  allow.allow_plain_http = true;
  EXPECT_TRUE(parse_content_source_url("http://10.0.0.5/b", allow).ok());
}

TEST(ContentSourceUrl, GitRemotesAndRefs) {
  auto u = parse_content_source_url("git+https://token@git.example.org/library/central.git#signage");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->kind, Kind::kGit);
  EXPECT_EQ(u->transport, "https://token@git.example.org/library/central.git");
  EXPECT_EQ(u->ref, "signage");
  EXPECT_EQ(u->display, "git+https://git.example.org/library/central.git");
  auto local = parse_content_source_url("git+file:///srv/git/central.git");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->transport, "file:///srv/git/central.git");
  EXPECT_EQ(local->ref, "");
  EXPECT_EQ(parse_content_source_url("GIT+file:///r#release/2026-03")->ref, "release/2026-03");
}

TEST(ContentSourceUrl, Refusals) {
  for (const char* text : {"", "   ", "relative/folder", "ftp://host/x", "git+ssh://host/r", "ssh://host/x",
                           "https://", "https:///path", "https://ho st/x", "https://host:0/x", "https://host:99999/x",
                           "https://host:8o/x", "https://host/x#frag", "file:/x#frag", "file://otherhost/x",
                           "git+https://host/r#..", "git+https://host/r#-x", "git+https://host/r#a.lock",
                           "git+https://host/r?x=1", "https://host/a\tb", "https://ho_st/x", "c:\\content",
                           "git+file:relative", "https:host/x"}) {
    auto u = parse_content_source_url(text);
    EXPECT_FALSE(u.ok()) << "accepted: " << text;
    if (!u.ok()) {
      EXPECT_EQ(u.error().message.rfind("content source: ", 0), 0u);
    }
  }
}

TEST(ContentSourceUrl, ErrorsNeverQuoteTheUrl) {
  for (const char* text : {"ftp://user:s3cret@host/x?token=s3cret", "http://user:s3cret@10.0.0.1/?token=s3cret",
                           "https://user:s3cret@host:badport/?token=s3cret", "https://s3cret host/"}) {
    auto u = parse_content_source_url(text);
    ASSERT_FALSE(u.ok()) << text;
    EXPECT_EQ(u.error().message.find("s3cret"), std::string::npos) << u.error().message;
  }
}

}  // namespace
}  // namespace branchcast
