// `validate`'s checks of what would go wrong on the wall (config/validate_wall.h), over a fake
// probe: golden message files in tests/config/golden_wall (NAME/appliance.yaml validated from its
// folder must give NAME.expected exactly; BRANCHCAST_UPDATE_GOLDEN=1 rewrites them).
// A fake media file is one line "FAKE kind=K w=W h=H fps=F format=F what=W" (_ for spaces);
// anything else is not media. The fake fonts draw every script but Han and Ethiopic.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/unicode_script.h"
#include "config/loader.h"
#include "config/validate_wall.h"
#include "tests/config/test_support.h"

namespace branchcast {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FakeProbe final : public WallProbe {
 public:
  int probes = 0;
  MediaFacts probe_media(const std::string& path) override {
    ++probes;
    MediaFacts f;
    std::string text = read(path);
    if (text.rfind("FAKE ", 0) != 0) {
      f.kind = MediaFacts::Kind::kNotMedia;
      f.what = "text";
      return f;
    }
    std::istringstream in(text.substr(5));
    std::string field;
    while (in >> field) {
      auto eq = field.find('=');
      std::string k = field.substr(0, eq), v = field.substr(eq + 1);
      for (char& c : v)
        if (c == '_') c = ' ';
      if (k == "kind")
        f.kind = v == "video" ? MediaFacts::Kind::kVideo : v == "image" ? MediaFacts::Kind::kImage
                 : v == "audio" ? MediaFacts::Kind::kAudioOnly : MediaFacts::Kind::kUndecodable;
      if (k == "w") f.width = std::stoi(v);
      if (k == "h") f.height = std::stoi(v);
      if (k == "fps") f.fps = std::stod(v);
      if (k == "format") f.format = v;
      if (k == "what") f.what = v;
    }
    return f;
  }
  bool can_draw(char32_t c) override {
    Script s = script_of(c);
    return s != Script::kHan && s != Script::kEthiopic;
  }
};

TEST(WallChecks, GoldenMessagesMatchExactly) {
  fs::path dir = fs::path(BRANCHCAST_SOURCE_DIR) / "tests/config/golden_wall";
  bool update = std::getenv("BRANCHCAST_UPDATE_GOLDEN") != nullptr;
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".expected") continue;
    ++cases;
    std::string name = entry.path().stem().string();
    FakeProbe probe;
    std::string actual = testing::in_dir((dir / name).string(), [&] {
      return testing::join(validate_file("appliance.yaml", &probe)) + "--- the playlist alone\n" +
             testing::join(validate_file("playlists/" + std::string(name == "media" ? "entrance" : "p") + ".yaml",
                                         &probe));
    });
    if (update) {
      std::ofstream(entry.path(), std::ios::binary) << actual;
      continue;
    }
    EXPECT_EQ(actual, read(entry.path())) << "golden case " << name;
  }
  EXPECT_EQ(cases, 2);
}

TEST(WallChecks, EachFileIsProbedOnceAndWarningsLetTheFileLoad) {
  fs::path dir = fs::path(BRANCHCAST_SOURCE_DIR) / "tests/config/golden_wall/media";
  FakeProbe probe;
  auto found = testing::in_dir(dir.string(), [&] { return validate_file("appliance.yaml", &probe); });
  EXPECT_EQ(probe.probes, 7);  // notes.webm is used twice
  auto loaded = load_appliance((dir / "appliance.yaml").string());
  EXPECT_TRUE(loaded.ok());  // warnings and wall errors are validate's only
  int warnings = 0;
  for (const auto& e : found) warnings += e.severity == Severity::kWarning;
  EXPECT_EQ(warnings, 6);
}

TEST(WallChecks, WithoutAProbeOnlyScreensAreChecked) {
  fs::path dir = fs::path(BRANCHCAST_SOURCE_DIR) / "tests/config/golden_wall/media";
  auto found = testing::in_dir(dir.string(), [&] { return validate_file("appliance.yaml"); });
  EXPECT_TRUE(found.empty());
}

// The media probe's limit: 5 s unless BRANCHCAST_MEDIA_PROBE_TIMEOUT gives a duration in range.
TEST(WallChecks, MediaProbeTimeoutComesFromTheEnvironmentValue) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  EXPECT_EQ(media_probe_timeout(nullptr).value(), seconds(5));
  EXPECT_EQ(media_probe_timeout("").value(), seconds(5));
  EXPECT_EQ(media_probe_timeout("30s").value(), seconds(30));
  EXPECT_EQ(media_probe_timeout("2m").value(), seconds(120));
  EXPECT_EQ(media_probe_timeout("100ms").value(), milliseconds(100));
  EXPECT_EQ(media_probe_timeout("10m").value(), seconds(600));
  for (const char* bad : {"30", "soon", "-5s", "0s", "99ms", "11m", "1h", "5 s"}) {
    auto got = media_probe_timeout(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.error().message, std::string("BRANCHCAST_MEDIA_PROBE_TIMEOUT='") + bad +
                                       "' is not a duration from 100ms to 10m (e.g. 30s): how long "
                                       "GStreamer may take to open one media file");
  }
}

TEST(UnicodeScript, NamesTheScriptsCardsDraw) {
  EXPECT_STREQ(script_name(script_of(U'\u4E2D')), "Han");
  EXPECT_STREQ(script_name(script_of(U'\u0915')), "Devanagari");
  EXPECT_STREQ(script_name(script_of(U'\u0E01')), "Thai");
  EXPECT_STREQ(script_name(script_of(U'\uAC00')), "Hangul");
  EXPECT_STREQ(script_name(script_of(U'\u3042')), "Hiragana");
  EXPECT_STREQ(script_name(script_of(U'\u05D0')), "Hebrew");
  EXPECT_STREQ(script_name(script_of(U'\u0627')), "Arabic");
  EXPECT_STREQ(script_name(script_of(U'\u0416')), "Cyrillic");
  EXPECT_STREQ(script_name(script_of(U'\u03A9')), "Greek");
  EXPECT_STREQ(script_name(script_of(U'e')), "Latin");
  EXPECT_EQ(script_of(U' '), Script::kCommon);
  EXPECT_EQ(script_of(U'\u0964'), Script::kCommon);  // danda: shared by Indic scripts
  EXPECT_EQ(script_of(U'\U00020000'), Script::kHan);
  EXPECT_STREQ(script_tag(Script::kDevanagari), "Deva");
  std::string bad = "a\xC3(\xED\xA0\x80\xF4\x90\x80\x80";
  size_t i = 0;
  std::u32string got;
  while (i < bad.size()) got += next_code_point(bad, i);
  EXPECT_EQ(got, U"a\uFFFD(\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
}

}  // namespace
}  // namespace branchcast
