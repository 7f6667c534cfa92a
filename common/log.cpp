#include "common/log.h"

#include <cstdio>
#include <cstdlib>

namespace branchcast {

StderrLogSink::StderrLogSink(LogLevel min_level)
    : min_level_(min_level), journal_(std::getenv("JOURNAL_STREAM") != nullptr) {}

void StderrLogSink::write(LogLevel level, std::string_view tag, std::string_view message) {
  if (level < min_level_) return;
  static constexpr const char* kNames[] = {"debug", "info", "warning", "error"};
  static constexpr const char* kPrio[] = {"<7>", "<6>", "<4>", "<3>"};
  int i = static_cast<int>(level);
  std::lock_guard lock(mu_);
  std::fprintf(stderr, "%s%s %.*s: %.*s\n", journal_ ? kPrio[i] : "", kNames[i],
               static_cast<int>(tag.size()), tag.data(), static_cast<int>(message.size()),
               message.data());
}

}  // namespace branchcast
