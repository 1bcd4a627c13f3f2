#include "core/log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

namespace wenku {

void InitLogging(const std::string& level, const std::string& console_level,
                 const std::string& log_file) {
  std::vector<spdlog::sink_ptr> sinks;
  auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  console->set_level(spdlog::level::from_str(console_level));
  sinks.push_back(console);
  if (!log_file.empty()) {
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file);
      file->set_level(spdlog::level::from_str(level));
      sinks.push_back(file);
    } catch (const spdlog::spdlog_ex& e) {
      console->log(spdlog::details::log_msg("wenku", spdlog::level::warn,
                                            std::string("cannot open log file: ") + e.what()));
    }
  }
  auto logger = std::make_shared<spdlog::logger>("wenku", sinks.begin(), sinks.end());
  logger->set_level(
      std::min(spdlog::level::from_str(level), spdlog::level::from_str(console_level)));
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5!l %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace wenku
