// The checks of config/validate_wall.h: messages say what the screen would do and how to fix it.
#include "config/validate_wall.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <map>
#include <set>

#include "common/unicode_script.h"

namespace branchcast {
namespace {

std::string dims(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

std::string fps_text(double fps) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fps == static_cast<int>(fps) ? "%.0f" : "%.2f", fps);
  return buf;
}

Error at(const PlaylistItem& item, std::string message, Severity severity = Severity::kError) {
  return Error{std::move(message), item.where, severity};
}

std::string contents(const MediaFacts& f) {
  return f.what == "text" ? "it holds plain text" : "GStreamer does not recognise its contents";
}

// A clip beyond what decodes smoothly: which limit, or "" when within both.
std::string decode_limit(const MediaFacts& f) {
  int long_side = std::max(f.width, f.height), short_side = std::min(f.width, f.height);
  if (long_side > kSmoothDecodeWidth || short_side > kSmoothDecodeHeight)
    return "its picture is larger than the " + dims(kSmoothDecodeWidth, kSmoothDecodeHeight) +
           " a Raspberry Pi decodes smoothly";
  double rate = static_cast<double>(f.width) * f.height * f.fps;
  double limit = static_cast<double>(kSmoothDecodeWidth) * kSmoothDecodeHeight * kSmoothDecodeFps;
  if (rate > limit * 1.01)
    return "at " + fps_text(f.fps) + " frames a second it needs more pixels a second than a Raspberry Pi decodes "
           "smoothly (" + dims(kSmoothDecodeWidth, kSmoothDecodeHeight) + " at " + std::to_string(kSmoothDecodeFps) +
           ")";
  return "";
}

std::optional<Error> check_video(const PlaylistItem& item, const MediaFacts& f) {
  const std::string name = "'" + item.path + "'";
  switch (f.kind) {
    case MediaFacts::Kind::kNotMedia:
      return at(item, name + " is not a video: " + contents(f) + "; export the clip again as .webm or .mp4");
    case MediaFacts::Kind::kImage:
      return at(item, name + " is a " + (f.format.empty() ? std::string("still picture") : f.format) +
                          ", not a video: give it its real extension and list it as 'image:' with a 'duration'");
    case MediaFacts::Kind::kAudioOnly:
      return at(item, name + " has sound but no picture: the screen would show nothing; use a video file");
    case MediaFacts::Kind::kUndecodable:
      return at(item, name + " cannot be decoded with the GStreamer plugins installed here (missing: " + f.what +
                          "); export it again as VP8/VP9 .webm or H.264 .mp4");
    case MediaFacts::Kind::kUnreadable:
      return at(item, name + " cannot be read: " + f.what);
    case MediaFacts::Kind::kVideo:
      break;
  }
  if (std::max(f.width, f.height) > kMaxDecodeSide)
    return at(item, name + " is " + dims(f.width, f.height) + ": the player refuses pictures larger than " +
                        dims(kMaxDecodeSide, kMaxDecodeSide) + "; export it again at 1920x1080");
  std::string limit = decode_limit(f);
  if (limit.empty()) return std::nullopt;
  return at(item, name + " is " + dims(f.width, f.height) + (f.fps > 0 ? " at " + fps_text(f.fps) + " fps" : "") +
                      ": " + limit + ", so it would stutter; export it again at 1920x1080 (1080x1920 upright) and "
                      "at most 30 fps",
            Severity::kWarning);
}

std::optional<Error> check_image(const PlaylistItem& item, const MediaFacts& f) {
  const std::string name = "'" + item.path + "'";
  switch (f.kind) {
    case MediaFacts::Kind::kNotMedia:
      return at(item, name + " is not a picture: " + contents(f) + "; save it again as PNG or JPEG");
    case MediaFacts::Kind::kVideo:
      return at(item, name + " is a video, not a picture: only its first frame would show; list it as 'video:'",
                Severity::kWarning);
    case MediaFacts::Kind::kAudioOnly:
      return at(item, name + " is a sound file, not a picture; save the picture as PNG or JPEG");
    case MediaFacts::Kind::kUndecodable:
      return at(item, name + " cannot be decoded with the GStreamer plugins installed here (missing: " + f.what +
                          "); save it again as PNG or JPEG");
    case MediaFacts::Kind::kUnreadable:
      return at(item, name + " cannot be read: " + f.what);
    case MediaFacts::Kind::kImage:
      break;
  }
  if (std::max(f.width, f.height) > kMaxDecodeSide)
    return at(item, name + " is " + dims(f.width, f.height) + ": the player refuses pictures larger than " +
                        dims(kMaxDecodeSide, kMaxDecodeSide) + "; scale it down to 1920x1080");
  return std::nullopt;
}

// The Debian package of the card font for a script, "" when the cards have none.
const char* font_package(Script s) {
  switch (s) {
    case Script::kLatin: case Script::kGreek: case Script::kCyrillic: case Script::kArmenian:
    case Script::kGeorgian: case Script::kHebrew: case Script::kArabic: case Script::kCommon:
      return "fonts-dejavu-core";
    case Script::kDevanagari: return "fonts-lohit-deva";
    case Script::kBengali: return "fonts-lohit-beng-bengali";
    case Script::kGurmukhi: return "fonts-lohit-guru";
    case Script::kGujarati: return "fonts-lohit-gujr";
    case Script::kOriya: return "fonts-lohit-orya";
    case Script::kTamil: return "fonts-lohit-taml";
    case Script::kTelugu: return "fonts-lohit-telu";
    case Script::kKannada: return "fonts-lohit-knda";
    case Script::kMalayalam: return "fonts-lohit-mlym";
    case Script::kThai: return "fonts-tlwg-loma-otf";
    case Script::kHan: case Script::kHiragana: case Script::kKatakana: case Script::kHangul:
      return "fonts-wqy-microhei";
    default: return "";
  }
}

std::string code_point_text(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

// One warning per script of `text` with characters no card face draws.
void check_text(const PlaylistItem& item, WallProbe& probe, std::vector<Error>& out) {
  std::map<Script, std::pair<char32_t, std::string>> missing;  // first such character per script
  std::vector<Script> order;
  for (size_t i = 0; i < item.text.size();) {
    size_t start = i;
    char32_t c = next_code_point(item.text, i);
    bool invisible = c < 0x20 || c == 0xFFFD || (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
                     (c >= 0x2060 && c <= 0x206F) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
    if (invisible || probe.can_draw(c)) continue;
    Script s = script_of(c);
    if (missing.emplace(s, std::make_pair(c, item.text.substr(start, i - start))).second) order.push_back(s);
  }
  for (Script s : order) {
    auto [c, utf8] = missing[s];
    std::string name = script_name(s);
    std::string what = s == Script::kCommon ? "symbols" : s == Script::kEmoji ? "emoji"
                       : name.empty() ? "characters" : name + " characters";
    std::string package = font_package(s);
    std::string fix = !package.empty()
                          ? "install the font package " + package + " (the Branchcast image has it) or write it "
                            "without them"
                          : "no card font covers " + (name.empty() ? std::string("this script") : name) +
                                " yet: write the text in another script or ask for a font to be added";
    out.push_back(at(item,
                     "the card fonts cannot draw the " + what + " in this text (" + code_point_text(c) + " '" + utf8 +
                         "'): the screen would show empty boxes; " + fix,
                     Severity::kWarning));
  }
}

}  // namespace

Result<Duration> media_probe_timeout(const char* env_value) {
  if (env_value == nullptr || *env_value == '\0') return kDefaultMediaProbeTimeout;
  auto d = parse_duration(env_value);
  if (!d || *d < kMinMediaProbeTimeout || *d > kMaxMediaProbeTimeout)
    return make_error(std::string(kMediaProbeTimeoutVariable) + "='" + env_value +
                      "' is not a duration from 100ms to 10m (e.g. 30s): how long GStreamer may take to "
                      "open one media file");
  return *d;
}

std::vector<Error> check_playlist_on_wall(const PlaylistSettings& playlist, WallProbe& probe) {
  std::vector<Error> out;
  std::map<std::string, MediaFacts> probed;
  auto check = [&](const PlaylistItem& item) {
    if (item.kind == ItemKind::kText) return check_text(item, probe, out);
    if (item.kind != ItemKind::kImage && item.kind != ItemKind::kVideo) return;
    if (item.resolved.empty()) return;
    auto it = probed.find(item.resolved);
    if (it == probed.end()) it = probed.emplace(item.resolved, probe.probe_media(item.resolved)).first;
    else return;  // one message per file, at its first use
    auto e = item.kind == ItemKind::kVideo ? check_video(item, it->second) : check_image(item, it->second);
    if (e) out.push_back(std::move(*e));
  };
  for (const auto& item : playlist.default_items) check(item);
  for (const auto& rule : playlist.rules)
    for (const auto& item : rule.items) check(item);
  return out;
}

std::vector<Error> check_screens_on_wall(const YAML::Node& root, const ApplianceSettings& settings,
                                         const std::string& file) {
  std::vector<Error> out;
  YAML::Node screens = root.IsMap() ? root["screens"] : YAML::Node();
  if (!screens.IsSequence()) return out;
  for (size_t i = 0; i < settings.screens.size() && i < screens.size(); ++i) {
    const ScreenSettings& s = settings.screens[i];
    if (s.height <= s.width) continue;
    YAML::Node n = screens[i];
    YAML::Node key = n.IsMap() && n["resolution"] ? n["resolution"] : n;
    YAML::Mark m = key.Mark();
    SourcePlace where{file, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1};
    std::string res = dims(s.width, s.height), landscape = dims(s.height, s.width);
    if (s.rotation == 90 || s.rotation == 270) {
      out.push_back({"screen '" + s.id + "': resolution " + res + " is already upright and rotation " +
                         std::to_string(s.rotation) + " turns the picture again, so it comes out sideways; for a "
                         "TV hung on its side give the TV's own mode, resolution: " + landscape + ", with rotation: " +
                         std::to_string(s.rotation),
                     where, Severity::kWarning});
    } else if (s.output == OutputKind::kAuto || s.output == OutputKind::kKms) {
      out.push_back({"screen '" + s.id + "': resolution " + res + " is upright, but TVs and monitors are driven in "
                         "landscape modes, so on a TV turned on its side the picture comes out sideways; write "
                         "resolution: " + landscape + " with rotation: 90 (or 270, whichever way the TV is turned)",
                     where, Severity::kWarning});
    }
  }
  return out;
}

}  // namespace branchcast
