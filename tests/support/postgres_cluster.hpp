// The PostgreSQL server the tests use: WENKU_TEST_POSTGRES_URL when set (a server someone
// else runs; its user must be allowed to CREATE DATABASE), else a throwaway cluster started
// by scripts/start-postgres.sh on first use and stopped (its folder removed) when the test
// binary exits. A test that needs PostgreSQL and cannot have it fails with the reason: it
// is never skipped.
#pragma once

#include <string>

#include "core/result.hpp"

namespace wenku::testing {

// The URL of a new, empty database on the test server (a schema of its own, which the
// URL makes the connection's search_path: the tables that migrations create go there); or
// why there is none (the server did not start, or refused).
Result<std::string> FreshPostgresDatabase();

// Drops what FreshPostgresDatabase made, with everything in it.
void DropPostgresDatabase(const std::string& url);

}  // namespace wenku::testing
