// Reading and parsing YAML text for the config loaders: Diagnostics, the event-counting pre-pass
// and yaml-cpp exceptions turned into positioned errors.
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/yaml_reader.h"

namespace branchcast {
namespace {

// Thrown at the first node over kMaxYamlNodes.
struct NodeLimit {
  YAML::Mark mark;
};

// Counts a parse's events without building nodes. Throws once there are far more events than
// the text could hold, which only a parser that stopped consuming input produces.
class EventCounter final : public YAML::EventHandler {
 public:
  explicit EventCounter(size_t text_size) : limit_(4 * text_size + 64) {}
  size_t documents() const { return documents_; }
  const YAML::Mark& second_document() const { return second_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ == 2) second_ = mark;
    count(mark);
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    count(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    count(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    count(mark);
  }
  void OnMapEnd() override {}

 private:
  void count(const YAML::Mark& mark) {
    if (++events_ > limit_) throw YAML::ParserException(mark, "the parser stopped making progress");
    if (events_ > kMaxYamlNodes) throw NodeLimit{mark};
  }
  size_t limit_;
  size_t events_ = 0;
  size_t documents_ = 0;
  YAML::Mark second_ = YAML::Mark::null_mark();
};


}  // namespace

// ---- Diagnostics -------------------------------------------------------------------------------

void Diagnostics::push(Diagnostic e) {
  // An aliased node is checked once per alias: report each error once.
  for (const auto& o : errors_)
    if (o.where.line == e.where.line && o.where.column == e.where.column && o.message == e.message) return;
  if (errors_.size() >= kMaxErrorsPerFile) {
    if (!e.is_warning()) ++dropped_;
    return;
  }
  if (!e.is_warning()) ++error_count_;
  errors_.push_back(std::move(e));
}

void Diagnostics::add(int line, int column, std::string message) {
  push(make_diagnostic(make_error(std::move(message), SourcePlace{file_, line, column})));
}

void Diagnostics::add(const YAML::Mark& mark, std::string message) {
  if (mark.is_null() || mark.line < 0) add(0, 0, std::move(message));
  else add(mark.line + 1, mark.column + 1, std::move(message));
}

void Diagnostics::warn(int line, int column, std::string message) {
  push(make_diagnostic(make_error(std::move(message), SourcePlace{file_, line, column}), Severity::kWarning));
}

void Diagnostics::warn(const YAML::Mark& mark, std::string message) {
  if (mark.is_null() || mark.line < 0) warn(0, 0, std::move(message));
  else warn(mark.line + 1, mark.column + 1, std::move(message));
}

std::vector<Diagnostic> Diagnostics::take() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.where.line != b.where.line) return a.where.line < b.where.line;
    return a.where.column < b.where.column;
  });
  std::vector<Diagnostic> out = std::move(errors_);
  if (dropped_ > 0)
    out.push_back(make_diagnostic(make_error("too many errors; " + std::to_string(dropped_) + " more not shown",
                             SourcePlace{file_, 0, 0})));
  errors_.clear();
  error_count_ = 0;
  dropped_ = 0;
  return out;
}

// ---- parsing -----------------------------------------------------------------------------------

std::optional<YAML::Node> parse_yaml_text(std::string_view text, Diagnostics& diag) {
  if (!prescan_yaml(text, diag)) return std::nullopt;
  std::string copy(text);
  try {
    // yaml-cpp 0.7's LoadAll can loop for ever on some malformed input (e.g. "!,": upstream
    // #1040/#1319), so a first pass streams the events, counting documents and events.
    std::istringstream in(copy);
    YAML::Parser parser(in);
    EventCounter counter(copy.size());
    while (parser.HandleNextDocument(counter)) {
      if (counter.documents() > 1) {
        // A real second document starts at a "---" (or follows "..."); anything else is the loop.
        size_t end = std::min(copy.size(), static_cast<size_t>(std::max(0, counter.second_document().pos)) + 3);
        std::string_view before(copy.data(), end);
        bool marker = before.rfind("---", 0) == 0 || before.find("\n---") != std::string_view::npos ||
                      before.find("\n...") != std::string_view::npos;
        diag.add(counter.second_document(), marker ? "only one YAML document per file (found a second one)"
                                                   : "invalid YAML: unexpected character");
        return std::nullopt;
      }
    }
    YAML::Node root = YAML::Load(copy);
    if (root.IsNull()) {
      diag.add(1, 1, "file is empty");
      return std::nullopt;
    }
    return root;
  } catch (const NodeLimit& e) {
    diag.add(e.mark, "too many YAML nodes: more than " + std::to_string(kMaxYamlNodes) +
                         " (the limit, which bounds the memory a file can take); split the file or shorten it");
  } catch (const YAML::Exception& e) {
    if (auto x = explain_yaml_error(copy, e.mark.is_null() ? 0 : e.mark.line + 1))
      diag.add(x->line, x->column, "invalid YAML: " + x->message);
    else
      diag.add(e.mark, "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    diag.add(1, 1, std::string("invalid YAML: ") + e.what());
  }
  return std::nullopt;
}

std::optional<YAML::Node> read_yaml_file(const std::string& file, Diagnostics& diag) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path path(file);
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    diag.add(0, 0, "file does not exist");
    return std::nullopt;
  }
  if (!fs::is_regular_file(status)) {
    diag.add(0, 0, "not a regular file");
    return std::nullopt;
  }
  auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxYamlFileBytes) {
    diag.add(1, 1, "file is too large (" + std::to_string(size) + " bytes; the limit is " +
                       std::to_string(kMaxYamlFileBytes / (1024 * 1024)) + " MiB)");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diag.add(0, 0, "cannot read file");
    return std::nullopt;
  }
  // Read at most one byte over the cap, in case the file grew after the size check.
  std::string text(kMaxYamlFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return parse_yaml_text(text, diag);
}

}  // namespace branchcast
