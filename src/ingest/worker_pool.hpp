// WorkerPool: N threads that claim ingest jobs from the JobStore and run the Pipeline on
// them. While a job runs, a lease keeper extends its lease every lease/3; if the process
// dies, the lease runs out and any worker (this process or another) claims the job again.
//
// A job's outcome:
//   pipeline ok                        → published by the publish stage (ready)
//   error, not transient (bad file)    → DocumentStore::Fail with the error's message
//   error, transient (I/O) or an exception in a stage
//                                      → JobStore::Retry with backoff (bounded attempts)
// Exceptions are caught here, in the worker loop, and nowhere else in ingest.
//
// Follow-up ocr jobs (a published scan's text, storage/job_store.hpp) are claimed by
// `ocr_workers` threads of their own, never by the ingest threads, so a queue of scans never
// delays an upload; Tesseract's processes run at a lower CPU priority (OcrOptions::limits).
// An ocr job's outcome:
//   pipeline ok                        → the text amended (amend stage)
//   kForbidden (the recognised text copies a taken-down document: the near-duplicate rule)
//                                      → the document fails with that sentence, as it would
//                                        have had the text been there at publication
//   any other error, not transient     → the job is given up (JobStore::Abandon): the
//                                        document stays published without that text
//   transient                          → retried as an ingest job is
//
// Start also removes the work folders of finished jobs a killed process left behind.
// Threading: Start/Stop/Notify from one controlling thread; Stop waits for running jobs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "blob/blob_store.hpp"
#include "core/data_layout.hpp"
#include "ingest/pipeline.hpp"
#include "storage/document_store.hpp"
#include "storage/job_store.hpp"

namespace wenku::ingest {

struct WorkerOptions {
  int workers = 2;
  int64_t lease_ms = 60'000;
  int64_t idle_poll_ms = 500;      // how often an idle worker looks for new jobs
  int64_t retry_delay_ms = 2'000;  // times the attempt number
  // Whether converters can run now (the sandbox is ready); empty: always. While it is not,
  // workers claim nothing: documents wait in the queue, none fails for it.
  std::function<Status()> converters_ready;
  // The follow-up pipeline of ocr jobs and how many threads run it; null or 0: none are
  // claimed here (they wait for a process that has them).
  const Pipeline* ocr_pipeline = nullptr;
  int ocr_workers = 1;
  // Run once on a thread of its own when the pool starts, beside the first conversions:
  // loading what the later stages need on first use (the search dictionaries, OpenCC's
  // table: ~0.3 s that would otherwise sit in the first document's index stage).
  std::function<void()> warm_up;
};

// What this pool's jobs came to since it started (per process: each `wenku serve` or
// `wenku worker` counts its own): wenku_conversions_total{result} on /metrics.
struct ConversionCounts {
  int64_t ready = 0;    // published
  int64_t failed = 0;   // the document failed (a bad file, out of attempts)
  int64_t retried = 0;  // handed back after a transient error
};

class WorkerPool {
 public:
  WorkerPool(const Pipeline& pipeline, storage::JobStore& jobs, storage::DocumentStore& documents,
             blob::BlobStore& blobs, DataLayout layout, WorkerOptions options);
  ~WorkerPool();
  void Start();
  // Lets running jobs finish, then joins every thread.
  void Stop();
  // Wakes idle workers (a job was just queued).
  void Notify();
  // Jobs finished by this pool (published, failed or handed back for retry).
  int64_t finished() const { return finished_.load(); }
  ConversionCounts conversions() const {
    return {ready_.load(std::memory_order_relaxed), failed_.load(std::memory_order_relaxed),
            retried_.load(std::memory_order_relaxed)};
  }

 private:
  void WorkerLoop(int index, const std::string& kind);
  void LeaseKeeperLoop();
  // Removes the work folders of jobs that are finished (a process killed after its job was
  // done, before it cleaned up, leaves one behind); a running job's folder is left alone.
  void SweepWorkFolders();
  void RunJob(const storage::Job& job);
  // How an ocr job's error ends it (see the top of this file).
  void EndFollowUp(const storage::Job& job, const Error& err, double seconds);
  const Pipeline& pipeline_;
  storage::JobStore& jobs_;
  storage::DocumentStore& documents_;
  blob::BlobStore& blobs_;
  DataLayout layout_;
  WorkerOptions options_;
  std::string worker_prefix_;
  std::vector<std::thread> threads_;
  std::thread lease_keeper_;
  std::thread warm_up_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<int64_t, std::string> active_;  // job id → worker name, guarded by mu_
  std::atomic<int64_t> finished_{0};
  std::atomic<int64_t> ready_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> retried_{0};
};

}  // namespace wenku::ingest
