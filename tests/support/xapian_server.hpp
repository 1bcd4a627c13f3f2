// The one search service (xapian-tcpsrv --writable) of a test binary run: started by
// scripts/start-xapian.sh on the first XapianServer::Get() (well under a second), stopped by
// its PID (start-xapian.sh --stop) when the tests end, its folder removed; a run that never
// asks for it starts nothing. When it cannot start (xapian-tools missing, the server exits),
// ok() is false and reason() says why: tests then FAIL with that reason
// (ASSERT_TRUE(ok()) << reason()), never skip.
// Every test of the run shares the one index: each uses document ids and a category of its
// own (UniqueDocumentIds, UniqueCategory) and filters its searches by that category.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace wenku::testing {

class XapianServer {
 public:
  static XapianServer& Get();
  bool ok() const { return ok_; }
  const std::string& reason() const { return reason_; }
  const std::string& url() const { return url_; }  // tcp://127.0.0.1:PORT
  void Stop();

 private:
  XapianServer();
  std::filesystem::path dir_;
  bool started_ = false;
  bool ok_ = false;
  std::string reason_, url_;
};

// The first of `n` document ids no other test of this run uses (from 1,000,000 up: the
// ids a data folder's database gives stay far below).
int64_t UniqueDocumentIds(int64_t n);
// A category slug no other test of this run uses.
std::string UniqueCategory();
// tcp://127.0.0.1:PORT where nothing listens (a port just bound and released).
std::string UnreachableSearchUrl();

}  // namespace wenku::testing
