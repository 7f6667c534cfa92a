// A LogSink that keeps every line ("warn tv: ...") for tests that assert on what was logged.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "common/log.h"

namespace branchcast::test_support {

class RecordingLog final : public LogSink {
 public:
  void write(LogLevel level, std::string_view tag, std::string_view message) override {
    static const char* kNames[] = {"debug", "info", "warn", "error"};
    lines.push_back(std::string(kNames[static_cast<int>(level)]) + " " + std::string(tag) + ": " + std::string(message));
    if (echo) std::fprintf(stderr, "%s\n", lines.back().c_str());  // death tests match stderr
  }
  size_t count(const std::string& needle) const {
    size_t n = 0;
    for (const auto& l : lines) n += l.find(needle) != std::string::npos;
    return n;
  }
  std::vector<std::string> lines;
  bool echo = false;
};

}  // namespace branchcast::test_support
