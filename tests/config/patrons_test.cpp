// patrons.yaml: values, and that no error message ever carries a secret or an identifier.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::join;
using testing::TempDir;

TEST(Patrons, ValuesAndWebPushSubscription) {
  TempDir t;
  auto l = load_patrons(t.write("patrons.yaml",
                                "- id: p-1\n  key: 7B0C1E5D9A3F42E1B6C8D0F2A4E6C8B0\n  epoch: 1767225600\n"
                                "  notify: webpush\n"
                                "  subscription:\n    endpoint: https://push.example.org/abc\n"
                                "    keys: { p256dh: BPk, auth: \"x\\\"y\" }\n"
                                "- id: p-2\n  key: 00000000000000000000000000000001\n  epoch: 0\n  rotation: 0\n"
                                "  notify: ntfy://ntfy.example.org/p-2\n"
                                "  interests: { authors: Ann Cleeves, subjects: [crime], ages: adult }\n"));
  ASSERT_TRUE(l.ok()) << join(l.errors);
  const auto& p = *l.settings;
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].key[0], 0x7b);
  EXPECT_EQ(p[0].rotation, 10);
  EXPECT_EQ(*p[0].subscription_json,
            "{\"endpoint\":\"https://push.example.org/abc\",\"keys\":{\"p256dh\":\"BPk\",\"auth\":\"x\\\"y\"}}");
  EXPECT_EQ(p[1].key[15], 1);
  EXPECT_EQ(p[1].rotation, 0);
  EXPECT_EQ(p[1].interests.authors, std::vector<std::string>{"Ann Cleeves"});
  EXPECT_EQ(p[1].interests.ages, "adult");
}

TEST(Patrons, ErrorsNeverQuoteValues) {
  TempDir t;
  std::string secret = "7b0c1e5d9a3f42e1b6c8d0f2a4e6c8zz";
  auto l = load_patrons(t.write("patrons.yaml",
                                "- id: card 0123456789\n  key: " + secret + "\n  epoch: soon-ish\n  rotation: 16\n"
                                "  notify: sms://+441234567890\n"
                                "  " + secret + ": 1\n"
                                "- id: p-2\n  key: 7b0c1e5d\n  epoch: 1\n  notify: webpush\n"
                                "- id: p-2\n  key: 00000000000000000000000000000001\n  epoch: 1\n"
                                "  notify: ntfy://h/t\n  subscription: { endpoint: http://x }\n"));
  std::string all = join(l.errors);
  EXPECT_FALSE(l.settings);
  for (const char* leak : {"7b0c", "0123456789", "soon-ish", "441234567890", "p-2"})
    EXPECT_THAT(all, Not(HasSubstr(leak)));
  EXPECT_EQ(all,
            t / "patrons.yaml:1:7: error: 'id' must be 1-64 characters of letters, digits, '-', '_' and '.'\n" +
                t / "patrons.yaml:2:8: error: 'key' must be 32 hex digits (16 bytes)\n" +
                t / "patrons.yaml:3:10: error: 'epoch' must be a whole number\n" +
                t / "patrons.yaml:4:13: error: 'rotation' must be between 0 and 15\n" +
                t / "patrons.yaml:5:11: error: 'notify': unknown notification scheme 'sms' (expected ntfy, ntfys, "
                    "gotify, webhook+https, fcm, webpush, mailto or mqtt)\n" +
                t / "patrons.yaml:6:3: error: unknown key\n" +
                t / "patrons.yaml:7:3: error: 'notify: webpush' needs a 'subscription' (the browser's PushSubscription)\n" +
                t / "patrons.yaml:8:8: error: 'key' must be 32 hex digits (16 bytes)\n" +
                t / "patrons.yaml:11:3: error: duplicate patron id (first at line 7)\n" +
                t / "patrons.yaml:15:17: error: 'subscription' is only used with 'notify: webpush'\n");
}

TEST(Patrons, MustBeAList) {
  TempDir t;
  auto l = load_patrons(t.write("patrons.yaml", "id: p-1\n"));
  EXPECT_EQ(join(l.errors),
            t / "patrons.yaml:1:1: error: 'patrons file' must be a list (lines starting with '- '), not a map\n");
}

}  // namespace
}  // namespace branchcast
