// S3BlobStore: see s3_blob_store.hpp for the contract.
#include "blob/s3_blob_store.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "core/files.hpp"

namespace wenku::blob {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxErrorBody = 64 * 1024;
constexpr int kAttempts = 3;

std::string Hex(const unsigned char* digest) {
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, crypto_hash_sha256_BYTES);
  return hex;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      char hex[3] = {s[i + 1], s[i + 2], 0};
      char* end = nullptr;
      long v = strtol(hex, &end, 16);
      if (end == hex + 2) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// RFC 3986 unreserved characters stay; everything else is %XX (upper case), as SigV4 wants.
std::string PercentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The text of the first <tag>…</tag> in `xml` ("" when absent). S3's answers are small and
// flat; entities in the values we read (codes, ids, hex keys, tokens) are unescaped below.
std::string XmlValue(std::string_view xml, std::string_view tag, size_t* from = nullptr) {
  std::string open = "<" + std::string(tag) + ">";
  std::string close = "</" + std::string(tag) + ">";
  size_t start = xml.find(open, from ? *from : 0);
  if (start == std::string_view::npos) return "";
  start += open.size();
  size_t end = xml.find(close, start);
  if (end == std::string_view::npos) return "";
  if (from) *from = end + close.size();
  std::string v(xml.substr(start, end - start));
  for (auto [entity, ch] :
       {std::pair{"&quot;", "\""}, {"&apos;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
    for (size_t p; (p = v.find(entity)) != std::string::npos;) v.replace(p, strlen(entity), ch);
  }
  return v;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

// One HTTP request to the bucket. `path_and_query` follows "/<bucket>/": a key, and the
// query with its parameters in sorted order (SigV4's canonical form).
struct S3BlobStore::Request {
  std::string method = "GET";
  std::string path_and_query;
  std::vector<std::string> headers;
  // Body: either `body` or `fd` [fd_offset, fd_offset + fd_length).
  std::string body;
  int fd = -1;
  int64_t fd_offset = 0;
  int64_t fd_length = 0;
  bool has_body = false;
  // Where a 2xx answer's body goes (nullptr: kept in Response::body).
  const ByteSink* sink = nullptr;
  // 0: S3Options::timeout_seconds and up to kAttempts tries; Check sets a short one, once.
  long timeout_seconds = 0;
  int attempts = 0;
  // Request state.
  int64_t sent = 0;
  bool sink_stopped = false;
  bool delivered = false;  // the sink got bytes: a retry would repeat them
  int io_errno = 0;
};

struct S3BlobStore::Response {
  long status = 0;
  std::string body;  // error answers, or a 2xx answer without a sink
  std::string etag;
  int64_t content_length = -1;
};

namespace {

struct CallState {
  S3BlobStore::Request* req;
  S3BlobStore::Response* resp;
  CURL* curl;
};

size_t ReadBody(char* buf, size_t size, size_t nmemb, void* userdata) {
  auto* st = static_cast<CallState*>(userdata);
  auto& r = *st->req;
  size_t want = size * nmemb;
  if (r.fd < 0) {
    size_t n = std::min(want, r.body.size() - static_cast<size_t>(r.sent));
    memcpy(buf, r.body.data() + r.sent, n);
    r.sent += static_cast<int64_t>(n);
    return n;
  }
  int64_t left = r.fd_length - r.sent;
  if (left <= 0) return 0;
  for (;;) {
    ssize_t n =
        pread(r.fd, buf, static_cast<size_t>(std::min<int64_t>(left, want)), r.fd_offset + r.sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // the file shrank or cannot be read: fail the request
      r.io_errno = n < 0 ? errno : EIO;
      return CURL_READFUNC_ABORT;
    }
    r.sent += n;
    return static_cast<size_t>(n);
  }
}

size_t WriteBody(char* data, size_t size, size_t nmemb, void* userdata) {
  auto* st = static_cast<CallState*>(userdata);
  size_t n = size * nmemb;
  long status = 0;
  curl_easy_getinfo(st->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300 && st->req->sink != nullptr) {
    st->req->delivered = true;
    if (!(*st->req->sink)(std::string_view(data, n))) {
      st->req->sink_stopped = true;
      return 0;  // aborts the transfer
    }
    return n;
  }
  if (st->resp->body.size() < kMaxErrorBody || (status >= 200 && status < 300)) {
    st->resp->body.append(data, n);
  }
  return n;
}

size_t ReadHeader(char* data, size_t size, size_t nmemb, void* userdata) {
  auto* st = static_cast<CallState*>(userdata);
  std::string_view line(data, size * nmemb);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    if (name == "etag") st->resp->etag = std::string(value);
    if (name == "content-length") st->resp->content_length = atoll(std::string(value).c_str());
  }
  return size * nmemb;
}

}  // namespace

Result<S3Options> S3Options::FromUrl(const std::string& url) {
  const std::string scheme = "s3://";
  if (url.rfind(scheme, 0) != 0) {
    return MakeError(ErrorCode::kInvalidInput, "blobs: an S3 location starts with s3://");
  }
  S3Options o;
  std::string rest = url.substr(scheme.size());
  std::string query;
  if (size_t q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  size_t slash = rest.find('/');
  o.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) o.prefix = rest.substr(slash + 1);
  if (!o.prefix.empty() && o.prefix.back() != '/') o.prefix += '/';
  // Bucket names: 3-63 of a-z 0-9 . - (S3's rule); prefixes: a plain path.
  for (size_t p = 0; p < o.prefix.size();) {  // no "." or ".." folders
    size_t end = o.prefix.find('/', p);
    std::string part = o.prefix.substr(p, end - p);
    if (part == "." || part == "..") {
      return MakeError(ErrorCode::kInvalidInput, "blobs: the key prefix may not hold . or ..");
    }
    p = end + 1;
  }
  if (o.bucket.size() < 3 || o.bucket.size() > 63 ||
      !std::all_of(o.bucket.begin(), o.bucket.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
      })) {
    return MakeError(ErrorCode::kInvalidInput,
                     "blobs: the bucket name \"" + o.bucket +
                         "\" must be 3-63 lower-case letters, digits, dots or hyphens");
  }
  if (!std::all_of(o.prefix.begin(), o.prefix.end(),
                   [](char c) {
                     return isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' ||
                            c == '_' || c == '.';
                   }) ||
      o.prefix.find("//") != std::string::npos || o.prefix.rfind('/', 0) == 0) {
    return MakeError(ErrorCode::kInvalidInput,
                     "blobs: the key prefix may hold letters, digits, / - _ . only");
  }
  size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    size_t amp = query.find('&', pos);
    std::string item = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    size_t eq = item.find('=');
    std::string name = item.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : PercentDecode(item.substr(eq + 1));
    if (name == "endpoint") {
      o.endpoint = value;
    } else if (name == "region") {
      o.region = value;
    } else if (name == "part_mb") {
      long mb = atol(value.c_str());
      if (mb < 5 || mb > 5000) {
        return MakeError(ErrorCode::kInvalidInput, "blobs: part_mb must be 5-5000");
      }
      o.part_bytes = static_cast<int64_t>(mb) << 20;
    } else if (!name.empty()) {
      return MakeError(ErrorCode::kInvalidInput,
                       "blobs: unknown S3 option \"" + name + "\" (endpoint, region, part_mb)");
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  while (!o.endpoint.empty() && o.endpoint.back() == '/') o.endpoint.pop_back();
  if (o.endpoint.rfind("http://", 0) != 0 && o.endpoint.rfind("https://", 0) != 0) {
    return MakeError(ErrorCode::kInvalidInput,
                     "blobs: name the S3 endpoint, e.g. s3://bucket?endpoint=http://"
                     "127.0.0.1:7480&region=us-east-1");
  }
  if (o.region.empty() || o.region.size() > 64 ||
      !std::all_of(o.region.begin(), o.region.end(),
                   [](char c) { return isalnum(static_cast<unsigned char>(c)) || c == '-'; })) {
    return MakeError(ErrorCode::kInvalidInput, "blobs: the region is letters, digits and -");
  }
  return o;
}

S3BlobStore::S3BlobStore(S3Options options) : options_(std::move(options)) {
  InitCurlOnce();
  if (!options_.cache_dir.empty()) {
    std::error_code ec;
    fs::create_directories(options_.cache_dir, ec);
  }
}

S3BlobStore::~S3BlobStore() {
  for (void* h : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* S3BlobStore::AcquireHandle() {
  {
    std::lock_guard lock(mu_);
    if (!idle_handles_.empty()) {
      void* h = idle_handles_.back();
      idle_handles_.pop_back();
      curl_easy_reset(static_cast<CURL*>(h));
      return h;
    }
  }
  return curl_easy_init();
}

void S3BlobStore::ReleaseHandle(void* handle) {
  std::lock_guard lock(mu_);
  if (idle_handles_.size() < 16) {
    idle_handles_.push_back(handle);
  } else {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

Result<S3BlobStore::Response> S3BlobStore::Perform(Request& req) {
  const std::string url = options_.endpoint + "/" + options_.bucket + "/" + req.path_and_query;
  const std::string sigv4 = "aws:amz:" + options_.region + ":s3";
  const std::string userpwd = options_.access_key + ":" + options_.secret_key;
  for (int attempt = 1;; ++attempt) {
    Response resp;
    req.sent = 0;
    req.io_errno = 0;
    CURL* curl = static_cast<CURL*>(AcquireHandle());
    if (curl == nullptr) return MakeError(ErrorCode::kInternal, "curl_easy_init failed");
    CallState st{&req, &resp, curl};
    curl_slist* headers = nullptr;
    // No "Expect:" override: curl would sign the empty header it then leaves out.
    headers = curl_slist_append(headers, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
    for (const auto& h : req.headers) headers = curl_slist_append(headers, h.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const long timeout = req.timeout_seconds > 0 ? req.timeout_seconds : options_.timeout_seconds;
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, std::min(10L, timeout));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &st);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &st);
    if (req.method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (req.method == "PUT") {
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
      curl_easy_setopt(curl, CURLOPT_READDATA, &st);
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                       static_cast<curl_off_t>(req.fd >= 0 ? req.fd_length : req.body.size()));
    } else if (req.method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    } else if (req.method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp.status);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(headers);
    ReleaseHandle(curl);

    if (req.sink_stopped) return MakeError(ErrorCode::kIo, "stopped");
    if (req.io_errno != 0) {
      return MakeError(ErrorCode::kIo,
                       std::string("cannot read the file being stored: ") + strerror(req.io_errno));
    }
    bool retryable = !req.delivered && attempt < (req.attempts > 0 ? req.attempts : kAttempts);
    if (rc != CURLE_OK) {
      if (retryable) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
        continue;
      }
      std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
      ErrorCode code = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                               rc == CURLE_OPERATION_TIMEDOUT
                           ? ErrorCode::kUnavailable
                           : ErrorCode::kIo;
      return MakeError(code, "S3 at " + options_.endpoint + ": " + why);
    }
    if ((resp.status >= 500 || resp.status == 429) && retryable) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
      continue;
    }
    return resp;
  }
}

namespace {

// The error for a non-2xx answer to `what` (e.g. "storing blob ab12…").
Error S3Failure(const S3Options& o, const std::string& what, const S3BlobStore::Response& r) {
  std::string code = XmlValue(r.body, "Code");
  if (r.status == 403 || code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch") {
    return {ErrorCode::kForbidden, "S3 at " + o.endpoint + " refused the keys" +
                                       (code.empty() ? "" : " (" + code + ")") + " while " + what +
                                       ": check WENKU_S3_ACCESS_KEY and WENKU_S3_SECRET_KEY"};
  }
  if (code == "NoSuchBucket") {
    return {ErrorCode::kNotFound,
            "S3 bucket \"" + o.bucket + "\" does not exist at " + o.endpoint + " (" + what + ")"};
  }
  if (r.status == 404) return {ErrorCode::kNotFound, what + ": no such blob"};
  if (r.status == 416) return {ErrorCode::kInvalidInput, what + ": the range starts past the end"};
  return {r.status == 503 ? ErrorCode::kUnavailable : ErrorCode::kIo,
          "S3 at " + o.endpoint + " answered " + std::to_string(r.status) +
              (code.empty() ? "" : " (" + code + ")") + " while " + what};
}

bool Ok(const S3BlobStore::Response& r) { return r.status >= 200 && r.status < 300; }

}  // namespace

Status S3BlobStore::EnsureBucket() {
  Request head;
  head.method = "HEAD";
  auto r = Perform(head);
  if (!r.ok()) return r.error();
  if (Ok(*r)) return {};
  if (r->status != 404) return S3Failure(options_, "checking bucket " + options_.bucket, *r);
  Request create;
  create.method = "PUT";
  auto c = Perform(create);
  if (!c.ok()) return c.error();
  if (Ok(*c) || XmlValue(c->body, "Code") == "BucketAlreadyOwnedByYou") return {};
  return S3Failure(options_, "creating bucket " + options_.bucket, *c);
}

Status S3BlobStore::Check() {
  Request head;
  head.method = "HEAD";
  head.timeout_seconds = 2;
  head.attempts = 1;
  auto r = Perform(head);
  if (!r.ok()) return r.error();
  if (Ok(*r)) return {};
  if (r->status == 404) {
    return MakeError(ErrorCode::kNotFound,
                     "S3 bucket \"" + options_.bucket + "\" is missing at " + options_.endpoint);
  }
  return S3Failure(options_, "checking bucket " + options_.bucket, *r);
}

Result<int64_t> S3BlobStore::Head(const std::string& sha256) {
  Request req;
  req.method = "HEAD";
  req.path_and_query = KeyOf(sha256);
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (r->status == 404) return MakeError(ErrorCode::kNotFound, "blob " + sha256 + " is missing");
  if (!Ok(*r)) return S3Failure(options_, "looking up blob " + sha256, *r);
  return r->content_length;
}

bool S3BlobStore::Exists(const std::string& sha256) {
  return IsBlobName(sha256) && Head(sha256).ok();
}

Result<BlobRef> S3BlobStore::Put(std::string_view bytes) {
  BlobRef ref{Sha256Hex(bytes), static_cast<int64_t>(bytes.size())};
  if (auto size = Head(ref.sha256); size.ok() && *size == ref.size) return ref;
  Request req;
  req.method = "PUT";
  req.path_and_query = KeyOf(ref.sha256);
  req.body = std::string(bytes);
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (!Ok(*r)) return S3Failure(options_, "storing blob " + ref.sha256, *r);
  return ref;
}

Result<BlobRef> S3BlobStore::PutFile(const fs::path& source) {
  int fd = open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, "cannot read " + source.string() + ": " + strerror(errno));
  }
  // First pass: the hash names the key, so it is known before the bytes are sent.
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> buf(1 << 20);
  int64_t size = 0;
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = strerror(errno);
      close(fd);
      return MakeError(ErrorCode::kIo, "cannot read " + source.string() + ": " + why);
    }
    if (n == 0) break;
    crypto_hash_sha256_update(&state, buf.data(), static_cast<unsigned long long>(n));
    size += n;
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  BlobRef ref{Hex(digest), size};
  Result<BlobRef> out = ref;
  if (auto stored = Head(ref.sha256); !(stored.ok() && *stored == size)) {
    out = size > options_.part_bytes ? UploadMultipart(fd, ref) : Upload(fd, ref);
  }
  close(fd);
  return out;
}

Result<BlobRef> S3BlobStore::Upload(int fd, BlobRef ref) {
  Request req;
  req.method = "PUT";
  req.path_and_query = KeyOf(ref.sha256);
  req.fd = fd;
  req.fd_length = ref.size;
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (!Ok(*r)) return S3Failure(options_, "storing blob " + ref.sha256, *r);
  return ref;
}

Result<BlobRef> S3BlobStore::UploadMultipart(int fd, BlobRef ref) {
  const std::string key = KeyOf(ref.sha256);
  Request start;
  start.method = "POST";
  start.path_and_query = key + "?uploads=";
  auto s = Perform(start);
  if (!s.ok()) return s.error();
  if (!Ok(*s)) return S3Failure(options_, "starting the upload of blob " + ref.sha256, *s);
  const std::string upload_id = XmlValue(s->body, "UploadId");
  if (upload_id.empty()) {
    return MakeError(ErrorCode::kIo, "S3 at " + options_.endpoint + " gave no UploadId");
  }
  const std::string id_param = "uploadId=" + PercentEncode(upload_id);
  auto abort = [&](Error e) -> Error {
    Request a;
    a.method = "DELETE";
    a.path_and_query = key + "?" + id_param;
    (void)Perform(a);  // best effort; a lifecycle rule cleans up what remains
    return e;
  };
  std::string complete = "<CompleteMultipartUpload>";
  int part = 1;
  for (int64_t offset = 0; offset < ref.size; offset += options_.part_bytes, ++part) {
    Request p;
    p.method = "PUT";
    p.path_and_query = key + "?partNumber=" + std::to_string(part) + "&" + id_param;
    p.fd = fd;
    p.fd_offset = offset;
    p.fd_length = std::min(options_.part_bytes, ref.size - offset);
    auto r = Perform(p);
    if (!r.ok()) return abort(r.error());
    if (!Ok(*r)) {
      return abort(S3Failure(
          options_, "storing part " + std::to_string(part) + " of blob " + ref.sha256, *r));
    }
    if (r->etag.empty()) {
      return abort({ErrorCode::kIo, "S3 gave no ETag for part " + std::to_string(part)});
    }
    complete += "<Part><PartNumber>" + std::to_string(part) + "</PartNumber><ETag>" +
                XmlEscape(r->etag) + "</ETag></Part>";
  }
  complete += "</CompleteMultipartUpload>";
  Request done;
  done.method = "POST";
  done.path_and_query = key + "?" + id_param;
  done.body = complete;
  done.headers.push_back("Content-Type: application/xml");
  auto d = Perform(done);
  if (!d.ok()) return abort(d.error());
  // S3 may answer 200 and still report an error in the body.
  if (!Ok(*d) || d->body.find("<Error>") != std::string::npos) {
    return abort(S3Failure(options_, "completing the upload of blob " + ref.sha256,
                           Ok(*d) ? Response{500, d->body, "", -1} : *d));
  }
  return ref;
}

Status S3BlobStore::Read(const std::string& sha256, ByteRange range, const ByteSink& sink) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  if (range.offset < 0) return MakeError(ErrorCode::kInvalidInput, "a negative offset");
  if (range.length == 0) {  // nothing to read; still say whether the blob is there
    auto size = Head(sha256);
    if (!size.ok()) return size.error();
    if (range.offset > 0 && range.offset >= *size) {
      return MakeError(ErrorCode::kInvalidInput, "the range starts past the end");
    }
    return {};
  }
  Request req;
  req.path_and_query = KeyOf(sha256);
  req.sink = &sink;
  if (range.offset > 0 || range.length > 0) {
    std::string h = "Range: bytes=" + std::to_string(range.offset) + "-";
    if (range.length > 0) h += std::to_string(range.offset + range.length - 1);
    req.headers.push_back(h);
  }
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (r->status == 404 && XmlValue(r->body, "Code") != "NoSuchBucket") {
    return MakeError(ErrorCode::kNotFound, "blob " + sha256 + " is missing");
  }
  if (!Ok(*r)) return S3Failure(options_, "reading blob " + sha256, *r);
  return {};
}

Result<fs::path> S3BlobStore::LocalPath(const std::string& sha256) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  if (options_.cache_dir.empty()) {
    return MakeError(ErrorCode::kInternal, "S3BlobStore has no cache folder for local copies");
  }
  fs::path target = options_.cache_dir / sha256;
  std::error_code ec;
  if (fs::exists(target, ec)) return target;
  fs::path tmp = options_.cache_dir / UniqueTempName();
  int out = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) {
    return MakeError(ErrorCode::kIo, "cannot create a file in " + options_.cache_dir.string() +
                                         ": " + strerror(errno));
  }
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  bool write_failed = false;
  Status s = Read(sha256, {}, [&](std::string_view chunk) {
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()),
                              chunk.size());
    for (size_t done = 0; done < chunk.size();) {
      ssize_t w = write(out, chunk.data() + done, chunk.size() - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        write_failed = true;
        return false;
      }
      done += static_cast<size_t>(w);
    }
    return true;
  });
  close(out);
  if (write_failed) {
    unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo, "cannot write to " + options_.cache_dir.string());
  }
  if (!s.ok()) {
    unlink(tmp.c_str());
    return s.error();
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  if (Hex(digest) != sha256) {
    unlink(tmp.c_str());
    return MakeError(ErrorCode::kCorrupt, "blob " + sha256 + " in S3 does not match its hash");
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo, "cannot keep a local copy of blob " + sha256);
  }
  return target;
}

Status S3BlobStore::Remove(const std::string& sha256) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  Request req;
  req.method = "DELETE";
  req.path_and_query = KeyOf(sha256);
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (!Ok(*r) && r->status != 404) return S3Failure(options_, "removing blob " + sha256, *r);
  std::error_code ec;
  if (!options_.cache_dir.empty()) fs::remove(options_.cache_dir / sha256, ec);
  return {};
}

std::vector<std::string> S3BlobStore::List() {
  std::vector<std::string> out;
  std::string token;
  for (;;) {
    Request req;
    // Parameters in sorted order (SigV4 signs the canonical query).
    req.path_and_query = "?";
    if (!token.empty()) req.path_and_query += "continuation-token=" + PercentEncode(token) + "&";
    req.path_and_query += "list-type=2&prefix=" + PercentEncode(options_.prefix);
    auto r = Perform(req);
    if (!r.ok() || !Ok(*r)) break;  // the interface has no error: a partial list
    size_t pos = 0;
    for (;;) {
      std::string key = XmlValue(r->body, "Key", &pos);
      if (key.empty()) break;
      std::string name = key.substr(std::min(key.size(), options_.prefix.size()));
      if (key.rfind(options_.prefix, 0) == 0 && IsBlobName(name)) out.push_back(name);
    }
    if (XmlValue(r->body, "IsTruncated") != "true") break;
    token = XmlValue(r->body, "NextContinuationToken");
    if (token.empty()) break;
  }
  return out;
}

Result<std::unique_ptr<BlobStore>> OpenBlobStore(const std::string& setting, const fs::path& root,
                                                 const fs::path& tmp) {
  if (setting.empty()) return std::unique_ptr<BlobStore>(new FsBlobStore(root, tmp));
  auto options = S3Options::FromUrl(setting);
  if (!options.ok()) return options.error();
  const char* access = getenv("WENKU_S3_ACCESS_KEY");
  const char* secret = getenv("WENKU_S3_SECRET_KEY");
  if (access == nullptr || *access == 0 || secret == nullptr || *secret == 0) {
    return MakeError(ErrorCode::kInvalidInput,
                     "blobs is an S3 bucket: set WENKU_S3_ACCESS_KEY and WENKU_S3_SECRET_KEY");
  }
  options->access_key = access;
  options->secret_key = secret;
  options->cache_dir = tmp / "s3-cache";
  auto store = std::make_unique<S3BlobStore>(std::move(options).value());
  if (Status s = store->EnsureBucket(); !s.ok()) return s.error();
  return std::unique_ptr<BlobStore>(std::move(store));
}

}  // namespace wenku::blob
