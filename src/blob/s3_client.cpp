// S3Client: see s3_client.hpp for the contract.
#include "blob/s3_client.hpp"

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
#include <ctime>
#include <thread>

#include "core/files.hpp"
#include "core/text.hpp"

namespace wenku::blob {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxErrorBody = 64 * 1024;
constexpr int kAttempts = 3;

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

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

// One HTTP request to the bucket. `path_and_query` follows "/<bucket>/": a key, and the
// query with its parameters in sorted order (SigV4's canonical form).
struct S3Client::Request {
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
  // 0: S3Options::timeout_seconds and up to kAttempts tries; CheckBucket sets a short one, once.
  long timeout_seconds = 0;
  int attempts = 0;
  // Request state.
  int64_t sent = 0;
  bool sink_stopped = false;
  bool delivered = false;  // the sink got bytes: a retry would repeat them
  int io_errno = 0;
};

struct S3Client::Response {
  long status = 0;
  std::string body;  // error answers, or a 2xx answer without a sink
  std::string etag;
  int64_t content_length = -1;
  int64_t last_modified = 0;  // Unix time; 0 when not sent
};

namespace {

struct CallState {
  S3Client::Request* req;
  S3Client::Response* resp;
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
    if (name == "last-modified") {
      time_t t = curl_getdate(std::string(value).c_str(), nullptr);
      st->resp->last_modified = t > 0 ? static_cast<int64_t>(t) : 0;
    }
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
    } else if (name == "presign") {
      if (value != "0" && value != "1") {
        return MakeError(ErrorCode::kInvalidInput, "blobs: presign must be 0 or 1");
      }
      o.presign = value == "1";
    } else if (!name.empty()) {
      return MakeError(ErrorCode::kInvalidInput, "blobs: unknown S3 option \"" + name +
                                                     "\" (endpoint, region, part_mb, presign)");
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

S3Client::S3Client(S3Options options) : options_(std::move(options)) { InitCurlOnce(); }

S3Client::~S3Client() {
  for (void* h : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* S3Client::AcquireHandle() {
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

void S3Client::ReleaseHandle(void* handle) {
  std::lock_guard lock(mu_);
  if (idle_handles_.size() < 16) {
    idle_handles_.push_back(handle);
  } else {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

Result<S3Client::Response> S3Client::Perform(Request& req) {
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
Error S3Failure(const S3Options& o, const std::string& what, const S3Client::Response& r) {
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
  if (r.status == 404) return {ErrorCode::kNotFound, what + " is missing"};
  if (r.status == 416) return {ErrorCode::kInvalidInput, what + ": the range starts past the end"};
  return {r.status == 503 ? ErrorCode::kUnavailable : ErrorCode::kIo,
          "S3 at " + o.endpoint + " answered " + std::to_string(r.status) +
              (code.empty() ? "" : " (" + code + ")") + " while " + what};
}

bool Ok(const S3Client::Response& r) { return r.status >= 200 && r.status < 300; }

}  // namespace

Status S3Client::EnsureBucket() {
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

Status S3Client::CheckBucket() {
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

std::string S3PercentEncode(std::string_view s) { return PercentEncode(s); }

Result<S3Object> S3Client::Head(const std::string& key, const std::string& what) {
  Request req;
  req.method = "HEAD";
  req.path_and_query = Key(key);
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (r->status == 404) return MakeError(ErrorCode::kNotFound, what + " is missing");
  if (!Ok(*r)) return S3Failure(options_, "looking up " + what, *r);
  return S3Object{r->content_length, r->etag, r->last_modified};
}

Status S3Client::PutBytes(const std::string& key, std::string_view bytes, const std::string& what) {
  Request req;
  req.method = "PUT";
  req.path_and_query = Key(key);
  req.body = std::string(bytes);
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (!Ok(*r)) return S3Failure(options_, "storing " + what, *r);
  return {};
}

Status S3Client::PutFile(const std::string& key, int fd, int64_t size, const std::string& what) {
  if (size > options_.part_bytes) return UploadMultipart(key, fd, size, what);
  Request req;
  req.method = "PUT";
  req.path_and_query = Key(key);
  req.fd = fd;
  req.fd_length = size;
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (!Ok(*r)) return S3Failure(options_, "storing " + what, *r);
  return {};
}

Status S3Client::UploadMultipart(const std::string& k, int fd, int64_t size,
                                 const std::string& what) {
  const std::string key = Key(k);
  Request start;
  start.method = "POST";
  start.path_and_query = key + "?uploads=";
  auto s = Perform(start);
  if (!s.ok()) return s.error();
  if (!Ok(*s)) return S3Failure(options_, "starting the upload of " + what, *s);
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
  for (int64_t offset = 0; offset < size; offset += options_.part_bytes, ++part) {
    Request p;
    p.method = "PUT";
    p.path_and_query = key + "?partNumber=" + std::to_string(part) + "&" + id_param;
    p.fd = fd;
    p.fd_offset = offset;
    p.fd_length = std::min(options_.part_bytes, size - offset);
    auto r = Perform(p);
    if (!r.ok()) return abort(r.error());
    if (!Ok(*r)) {
      return abort(S3Failure(options_, "storing part " + std::to_string(part) + " of " + what, *r));
    }
    if (r->etag.empty()) {
      return abort({ErrorCode::kIo, "S3 gave no ETag for part " + std::to_string(part)});
    }
    complete += "<Part><PartNumber>" + std::to_string(part) + "</PartNumber><ETag>" +
                EscapeMarkup(r->etag) + "</ETag></Part>";
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
    return abort(S3Failure(options_, "completing the upload of " + what,
                           Ok(*d) ? Response{500, d->body, "", -1} : *d));
  }
  return {};
}

Status S3Client::Get(const std::string& key, ByteRange range, const ByteSink& sink,
                     const std::string& what) {
  if (range.offset < 0) return MakeError(ErrorCode::kInvalidInput, "a negative offset");
  if (range.length == 0) {  // nothing to read; still say whether the object is there
    auto head = Head(key, what);
    if (!head.ok()) return head.error();
    if (range.offset > 0 && range.offset >= head->size) {
      return MakeError(ErrorCode::kInvalidInput, "the range starts past the end");
    }
    return {};
  }
  Request req;
  req.path_and_query = Key(key);
  req.sink = &sink;
  if (range.offset > 0 || range.length > 0) {
    std::string h = "Range: bytes=" + std::to_string(range.offset) + "-";
    if (range.length > 0) h += std::to_string(range.offset + range.length - 1);
    req.headers.push_back(h);
  }
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (r->status == 404 && XmlValue(r->body, "Code") != "NoSuchBucket") {
    return MakeError(ErrorCode::kNotFound, what + " is missing");
  }
  if (!Ok(*r)) return S3Failure(options_, "reading " + what, *r);
  return {};
}

Status S3Client::Delete(const std::string& key, const std::string& what) {
  Request req;
  req.method = "DELETE";
  req.path_and_query = Key(key);
  auto r = Perform(req);
  if (!r.ok()) return r.error();
  if (!Ok(*r) && r->status != 404) return S3Failure(options_, "removing " + what, *r);
  return {};
}

Result<std::vector<std::string>> S3Client::List(const std::string& key_prefix) {
  std::vector<std::string> out;
  const std::string prefix = Key(key_prefix);
  std::string token;
  for (;;) {
    Request req;
    // Parameters in sorted order (SigV4 signs the canonical query).
    req.path_and_query = "?";
    if (!token.empty()) req.path_and_query += "continuation-token=" + PercentEncode(token) + "&";
    req.path_and_query += "list-type=2&prefix=" + PercentEncode(prefix);
    auto r = Perform(req);
    if (!r.ok()) return r.error();
    if (!Ok(*r)) return S3Failure(options_, "listing " + prefix, *r);
    size_t pos = 0;
    for (;;) {
      std::string key = XmlValue(r->body, "Key", &pos);
      if (key.empty()) break;
      if (key.rfind(options_.prefix, 0) == 0) out.push_back(key.substr(options_.prefix.size()));
    }
    if (XmlValue(r->body, "IsTruncated") != "true") break;
    token = XmlValue(r->body, "NextContinuationToken");
    if (token.empty()) break;
  }
  return out;
}

namespace {

std::string HmacSha256(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  return std::string(reinterpret_cast<char*>(mac), sizeof mac);
}

}  // namespace

std::string S3Client::Presign(const std::string& key, int64_t expires_seconds, int64_t now_unix,
                              const std::string& content_disposition,
                              const std::string& content_type) const {
  // AWS Signature Version 4, query-string form (UNSIGNED-PAYLOAD, only `host` signed).
  std::time_t t = static_cast<std::time_t>(now_unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[16], stamp[32];
  std::strftime(date, sizeof date, "%Y%m%d", &tm);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  const std::string scope = std::string(date) + "/" + options_.region + "/s3/aws4_request";
  std::string host = options_.endpoint.substr(options_.endpoint.find("://") + 3);
  host = host.substr(0, host.find('/'));
  if (options_.endpoint.starts_with("http://") && host.ends_with(":80"))
    host.resize(host.size() - 3);
  if (options_.endpoint.starts_with("https://") && host.ends_with(":443")) {
    host.resize(host.size() - 4);
  }
  const std::string path = "/" + options_.bucket + "/" + Key(key);  // plain characters only
  std::vector<std::pair<std::string, std::string>> params = {
      {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
      {"X-Amz-Credential", options_.access_key + "/" + scope},
      {"X-Amz-Date", stamp},
      {"X-Amz-Expires", std::to_string(expires_seconds)},
      {"X-Amz-SignedHeaders", "host"},
  };
  if (!content_disposition.empty()) {
    params.emplace_back("response-content-disposition", content_disposition);
  }
  if (!content_type.empty()) params.emplace_back("response-content-type", content_type);
  for (auto& [k, v] : params) {
    k = PercentEncode(k);
    v = PercentEncode(v);
  }
  std::sort(params.begin(), params.end());
  std::string query;
  for (const auto& [k, v] : params) query += (query.empty() ? "" : "&") + k + "=" + v;
  const std::string canonical =
      "GET\n" + path + "\n" + query + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
  const std::string to_sign =
      "AWS4-HMAC-SHA256\n" + std::string(stamp) + "\n" + scope + "\n" + Sha256Hex(canonical);
  std::string k = HmacSha256("AWS4" + options_.secret_key, date);
  k = HmacSha256(k, options_.region);
  k = HmacSha256(k, "s3");
  k = HmacSha256(k, "aws4_request");
  const std::string sig = HmacSha256(k, to_sign);
  return options_.endpoint + path + "?" + query +
         "&X-Amz-Signature=" + DigestHex(reinterpret_cast<const unsigned char*>(sig.data()));
}

}  // namespace wenku::blob
