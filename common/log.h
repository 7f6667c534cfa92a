// Logging facade, injected and tagged per component (after mpv's mp_log).
//
// A LogSink receives complete lines; StderrLogSink writes them to stderr (the journal under
// systemd). Nothing that identifies a device or a patron may ever be passed to a logger: callers
// log counts, ids of content and feeds, and error causes only.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace branchcast {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

class LogSink {
 public:
  virtual ~LogSink() = default;
  // May be called from any thread; implementations serialise.
  virtual void write(LogLevel level, std::string_view tag, std::string_view message) = 0;
};

// Writes "<level> tag: message" lines to stderr, with the sd-daemon priority prefix ("<3>") when
// stderr is the journal (JOURNAL_STREAM set), so journalctl shows levels.
class StderrLogSink final : public LogSink {
 public:
  explicit StderrLogSink(LogLevel min_level = LogLevel::kInfo);
  void write(LogLevel level, std::string_view tag, std::string_view message) override;

 private:
  LogLevel min_level_;
  bool journal_;
  std::mutex mu_;
};

// Discards everything (tests that do not look at logs).
class NullLogSink final : public LogSink {
 public:
  void write(LogLevel, std::string_view, std::string_view) override {}
};

// A tagged handle to a sink. Cheap to copy; the sink must outlive it.
class Logger {
 public:
  Logger(LogSink& sink, std::string tag) : sink_(&sink), tag_(std::move(tag)) {}
  void debug(std::string_view m) const { sink_->write(LogLevel::kDebug, tag_, m); }
  void info(std::string_view m) const { sink_->write(LogLevel::kInfo, tag_, m); }
  void warn(std::string_view m) const { sink_->write(LogLevel::kWarn, tag_, m); }
  void error(std::string_view m) const { sink_->write(LogLevel::kError, tag_, m); }
  Logger child(std::string_view sub) const { return Logger(*sink_, tag_ + "." + std::string(sub)); }

 private:
  LogSink* sink_;
  std::string tag_;
};

}  // namespace branchcast
