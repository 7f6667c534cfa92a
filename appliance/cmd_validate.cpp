// `branchcast validate [--format text|json|github] FILE...`: every diagnostic (errors and
// warnings, from every check) goes through one list of {file, line, col, severity, message} and
// one printer per format.
#include <cstdlib>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "appliance/commands.h"
#include "common/strings.h"
#include "config/loader.h"
#include "config/validate_wall.h"
#include "media/gst_media_probe.h"
#include "media/sdl_font_chain.h"

namespace branchcast {
namespace {

// The real WallProbe: GStreamer's discoverer for media, the card renderer's font chain for text
// (opened on first use, so files without text never start SDL_ttf). `media_timeout`: how long
// GStreamer may take per file (media_probe_timeout, from the environment).
class SystemWallProbe final : public WallProbe {
 public:
  explicit SystemWallProbe(Duration media_timeout) : media_timeout_(media_timeout) {}
  MediaFacts probe_media(const std::string& path) override { return gst_probe_media(path, media_timeout_); }
  bool can_draw(char32_t c) override {
    if (!fonts_) fonts_ = std::make_unique<SdlFontChain>(CardFonts{});
    return fonts_->can_draw(c);
  }

 private:
  Duration media_timeout_;
  std::unique_ptr<SdlFontChain> fonts_;
};

enum class Format { kText, kJson, kGithub };

// GitHub/Gitea workflow commands: data escapes %, CR, LF; properties also ':' and ','.
std::string gh_escape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string github_line(const Diagnostic& e) {
  std::string line = e.is_warning() ? "::warning" : "::error";
  std::string props;
  auto prop = [&](const std::string& k, const std::string& v) {
    props += (props.empty() ? " " : ",") + k + "=" + gh_escape(v, true);
  };
  if (!e.where.file.empty()) prop("file", e.where.file);
  if (e.where.line > 0) prop("line", std::to_string(e.where.line));
  if (e.where.column > 0) prop("col", std::to_string(e.where.column));
  return line + props + "::" + gh_escape(e.message, false);
}

std::string json_diagnostic(const Diagnostic& e) {
  return "{\"file\": " + json_quote(e.where.file) + ", \"line\": " + std::to_string(e.where.line) +
         ", \"col\": " + std::to_string(e.where.column) + ", \"severity\": \"" +
         (e.is_warning() ? "warning" : "error") + "\", \"message\": " + json_quote(e.message) + "}";
}

int validate(const Args& args, CommandEnv& env) {
  Format format = Format::kText;
  if (auto f = args.get("format")) {
    if (*f == "text") format = Format::kText;
    else if (*f == "json") format = Format::kJson;
    else if (*f == "github") format = Format::kGithub;
    else return usage_error(env, "validate", "--format must be text, json or github");
  }
  if (args.positional().empty()) return usage_error(env, "validate", "no file given");
  auto media_timeout = media_probe_timeout(std::getenv(kMediaProbeTimeoutVariable));
  if (!media_timeout) return usage_error(env, "validate", media_timeout.error().message);
  std::vector<Diagnostic> all;
  SystemWallProbe probe(*media_timeout);
  std::set<std::string> shown;  // a playlist given with its appliance file is checked twice
  for (const auto& file : args.positional())
    for (auto& e : validate_file(file, &probe))
      if (shown.insert(e.to_string()).second) all.push_back(std::move(e));
  size_t errors = 0, warnings = 0;
  for (const auto& e : all) (e.is_warning() ? warnings : errors)++;
  size_t files = args.positional().size();
  auto plural = [](size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); };

  switch (format) {
    case Format::kText:
      for (const auto& e : all) env.err << e.to_string() << "\n";
      if (errors > 0) env.err << plural(errors, "error") << (warnings ? ", " + plural(warnings, "warning") : "") << "\n";
      else if (warnings > 0) env.err << plural(warnings, "warning") << "\n";
      if (errors == 0) env.out << "ok: " << plural(files, "file") << " valid\n";
      break;
    case Format::kJson: {
      env.out << "{\"valid\": " << (errors == 0 ? "true" : "false") << ", \"errors\": " << errors
              << ", \"warnings\": " << warnings << ", \"files\": [";
      for (size_t i = 0; i < files; ++i) env.out << (i ? ", " : "") << json_quote(args.positional()[i]);
      env.out << "], \"diagnostics\": [";
      for (size_t i = 0; i < all.size(); ++i) env.out << (i ? ",\n  " : "\n  ") << json_diagnostic(all[i]);
      env.out << (all.empty() ? "" : "\n") << "]}\n";
      break;
    }
    case Format::kGithub:
      for (const auto& e : all) env.out << github_line(e) << "\n";
      if (errors > 0) env.err << plural(errors, "error") << (warnings ? ", " + plural(warnings, "warning") : "") << "\n";
      else env.err << "ok: " << plural(files, "file") << " valid" << (warnings ? ", " + plural(warnings, "warning") : "") << "\n";
      break;
  }
  return errors > 0 ? kExitInvalid : kExitOk;
}

}  // namespace

Command validate_command() {
  Command c;
  c.name = "validate";
  c.summary = "check appliance and playlist files, and the files they reference";
  c.usage =
      "Usage: branchcast validate [--format text|json|github] FILE...\n\n"
      "Checks each appliance.yaml, playlist or patrons file, and every file it references\n"
      "(playlists, content files, file: feeds, the patrons file, the VAPID key).\n"
      "Media files are probed with GStreamer as a screen would decode them, card text is checked\n"
      "against the card fonts, and screen resolution and rotation against how TVs are mounted.\n"
      "--format text (default): one line per problem on stderr, FILE:LINE:COL: error|warning: MESSAGE,\n"
      "  then \"ok: N files valid\" on stdout when there is no error.\n"
      "--format json: one JSON object on stdout: {\"valid\", \"errors\", \"warnings\", \"files\",\n"
      "  \"diagnostics\": [{\"file\", \"line\", \"col\", \"severity\", \"message\"}]}.\n"
      "--format github: GitHub/Gitea workflow annotations on stdout,\n"
      "  ::error file=F,line=L,col=C::MESSAGE (::warning for warnings).\n"
      "Media probing gives up on a file after 5 s; set BRANCHCAST_MEDIA_PROBE_TIMEOUT (e.g. 30s, up to\n"
      "10m) where decoding is slow, such as an emulated arm64 on a busy machine.\n"
      "Warnings (a rule that is always active, a time window that crosses midnight while the branch\n"
      "is closed, ...) are said but do not fail. Exit 1 on any error.\n"
      "See docs/config.md for every key, its default and meaning; docs/validate-workflow.md for a\n"
      "review pipeline.\n";
  c.valued = {"format"};
  c.run = validate;
  return c;
}

}  // namespace branchcast
