#include "ingest/worker_pool.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <charconv>
#include <chrono>

namespace wenku::ingest {
namespace fs = std::filesystem;

WorkerPool::WorkerPool(const Pipeline& pipeline, storage::JobStore& jobs,
                       storage::DocumentStore& documents, blob::BlobStore& blobs, DataLayout layout,
                       WorkerOptions options)
    : pipeline_(pipeline),
      jobs_(jobs),
      documents_(documents),
      blobs_(blobs),
      layout_(std::move(layout)),
      options_(options) {
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  worker_prefix_ = std::string(host) + ":" + std::to_string(getpid());
}

WorkerPool::~WorkerPool() { Stop(); }

void WorkerPool::SweepWorkFolders() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(layout_.work(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("job-")) continue;
    int64_t id = 0;
    const char* digits = name.c_str() + 4;
    auto [end, parse] = std::from_chars(digits, name.c_str() + name.size(), id);
    if (parse != std::errc() || *end != '\0') continue;
    auto open = jobs_.IsOpen(id);
    if (!open.ok() || *open) continue;  // a job still to do cleans its own folder
    std::error_code removed;
    fs::remove_all(entry.path(), removed);
    spdlog::info("ingest: removed the work folder of finished job {}", id);
  }
}

void WorkerPool::Start() {
  SweepWorkFolders();
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  for (int i = 0; i < options_.workers; ++i)
    threads_.emplace_back([this, i] { WorkerLoop(i, storage::kIngestJob); });
  if (options_.ocr_pipeline != nullptr) {
    for (int i = 0; i < options_.ocr_workers; ++i)
      threads_.emplace_back([this, i] { WorkerLoop(i, storage::kOcrJob); });
  }
  lease_keeper_ = std::thread([this] { LeaseKeeperLoop(); });
  if (options_.warm_up) warm_up_ = std::thread(options_.warm_up);
}

void WorkerPool::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  if (lease_keeper_.joinable()) lease_keeper_.join();
  if (warm_up_.joinable()) warm_up_.join();
}

void WorkerPool::Notify() { wake_.notify_all(); }

void WorkerPool::LeaseKeeperLoop() {
  auto period = std::chrono::milliseconds(std::max<int64_t>(options_.lease_ms / 3, 100));
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, period);
    std::map<int64_t, std::string> active = active_;
    lock.unlock();
    for (const auto& [job_id, worker] : active) {
      Status s = jobs_.ExtendLease(job_id, worker, options_.lease_ms);
      if (!s.ok()) {
        std::lock_guard still(mu_);
        if (active_.count(job_id) > 0) {  // not merely finished in the meantime
          spdlog::warn("queue: cannot extend lease of job {}: {}", job_id, s.error().message);
        }
      }
    }
    lock.lock();
  }
}

void WorkerPool::WorkerLoop(int index, const std::string& kind) {
  std::string worker = worker_prefix_ + ":" + (kind == storage::kIngestJob ? "" : kind + "-") +
                       std::to_string(index);
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    if (options_.converters_ready && !options_.converters_ready().ok()) {
      // Fail closed: nothing is converted without the sandbox (Sandbox::Ready logs why).
      std::unique_lock lock(mu_);
      if (stopping_) return;
      wake_.wait_for(lock, std::chrono::seconds(5));
      continue;
    }
    auto claimed = jobs_.Claim(worker, options_.lease_ms, kind);
    if (!claimed.ok()) {
      spdlog::error("queue: cannot claim a job: {}", claimed.error().message);
    } else if (claimed->has_value()) {
      const storage::Job& job = **claimed;
      {
        std::lock_guard lock(mu_);
        active_[job.id] = worker;
      }
      RunJob(job);
      {
        std::lock_guard lock(mu_);
        active_.erase(job.id);
      }
      ++finished_;
      continue;
    }
    std::unique_lock lock(mu_);
    if (stopping_) return;
    wake_.wait_for(lock, std::chrono::milliseconds(options_.idle_poll_ms));
  }
}

void WorkerPool::RunJob(const storage::Job& job) {
  auto started = std::chrono::steady_clock::now();
  JobContext ctx;
  ctx.job_id = job.id;
  ctx.worker = job.worker;
  ctx.work_dir = layout_.work(job.id);
  const auto claimed = std::chrono::steady_clock::now();
  Status outcome;
  try {
    auto doc = documents_.Find(job.document_id);
    if (!doc.ok()) {
      outcome = doc.error();
    } else {
      ctx.document = *doc;
      spdlog::info("ingest: document {} \"{}\" started (attempt {}/{})", job.document_id,
                   ctx.document.filename, job.attempts, job.max_attempts);
      std::error_code ec;
      fs::remove_all(ctx.work_dir, ec);  // whatever a killed attempt left
      fs::create_directories(ctx.work_dir, ec);
      // Converters read a local file: the local store's own, or a copy in the work folder
      // (removed with it) when the store is remote.
      auto original = ec ? Result<fs::path>(MakeError(ErrorCode::kIo, ec.message()))
                         : blobs_.LocalPath(ctx.document.blob_sha256, ctx.work_dir / "original");
      if (ec) {
        outcome = MakeError(ErrorCode::kIo, "cannot create the work folder: " + ec.message());
      } else if (!original.ok()) {
        outcome = original.error().code == ErrorCode::kNotFound
                      ? MakeError(ErrorCode::kIo, "the stored original is missing")
                      : original.error();
      } else {
        ctx.original = *original;
        // "fetch": from the claim to a local original (the document's row, the work folder,
        // a copy from a remote blob store)
        ctx.timings.push_back({"fetch", std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::steady_clock::now() - claimed)
                                            .count()});
        DocumentId id = job.document_id;
        if (job.kind == storage::kIngestJob) {
          ctx.report = [this, id](const Progress& p) { (void)documents_.SetProgress(id, p); };
          outcome = pipeline_.Run(ctx);
          if (!ctx.mime_type.empty()) (void)documents_.SetDetected(id, ctx.mime_type, ctx.format);
        } else {  // a published document: its progress stays "done"
          outcome = options_.ocr_pipeline->Run(ctx);
        }
      }
    }
  } catch (const std::exception& e) {
    outcome = MakeError(ErrorCode::kInternal, std::string("internal error: ") + e.what());
  }
  std::error_code ec;
  fs::remove_all(ctx.work_dir, ec);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const bool follow_up = job.kind != storage::kIngestJob;
  if (outcome.ok()) {
    if (follow_up) {
      spdlog::info("ingest: document {}: text recognised ({:.2f} s)", job.document_id, seconds);
      return;
    }
    spdlog::info("ingest: document {} ready ({} pages, {:.2f} s)", job.document_id,
                 ctx.pages.size(), seconds);
    ready_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const Error& err = outcome.error();
  if (follow_up && !IsTransient(err.code) && err.code != ErrorCode::kConflict) {
    EndFollowUp(job, err, seconds);
    return;
  }
  if (err.code == ErrorCode::kConflict) {
    spdlog::warn("ingest: document {}: lease lost, another worker finishes it", job.document_id);
    return;
  }
  if (IsTransient(err.code)) {
    spdlog::warn("ingest: document {} {} attempt {} failed, will retry: {}", job.document_id,
                 job.kind, job.attempts, err.message);
    if (!follow_up) retried_.fetch_add(1, std::memory_order_relaxed);
    Status s = jobs_.Retry(job, err, options_.retry_delay_ms * job.attempts);
    if (!s.ok()) spdlog::error("queue: cannot hand job {} back: {}", job.id, s.error().message);
    return;
  }
  spdlog::info("ingest: document {} failed ({:.2f} s): {}", job.document_id, seconds, err.message);
  failed_.fetch_add(1, std::memory_order_relaxed);
  Status s = documents_.Fail(job.document_id, job.id, job.worker, err);
  if (!s.ok())
    spdlog::error("ingest: cannot record failure of document {}: {}", job.document_id,
                  s.error().message);
}

void WorkerPool::EndFollowUp(const storage::Job& job, const Error& err, double seconds) {
  if (err.code == ErrorCode::kForbidden) {
    spdlog::info("ingest: document {} failed after its text was recognised ({:.2f} s): {}",
                 job.document_id, seconds, err.message);
    failed_.fetch_add(1, std::memory_order_relaxed);
    Status s = documents_.Fail(job.document_id, job.id, job.worker, err);
    if (!s.ok())
      spdlog::error("ingest: cannot record failure of document {}: {}", job.document_id,
                    s.error().message);
    return;
  }
  spdlog::warn("ingest: document {}: text recognition given up ({:.2f} s): {}", job.document_id,
               seconds, err.message);
  Status s = jobs_.Abandon(job, err);
  if (!s.ok()) spdlog::error("queue: cannot give up ocr job {}: {}", job.id, s.error().message);
}

}  // namespace wenku::ingest
