#include "ingest/office_pool.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>
#include <com/sun/star/beans/PropertyValue.hpp>
#include <com/sun/star/bridge/UnoUrlResolver.hpp>
#include <com/sun/star/bridge/XUnoUrlResolver.hpp>
#include <com/sun/star/frame/Desktop.hpp>
#include <com/sun/star/frame/XComponentLoader.hpp>
#include <com/sun/star/frame/XDesktop2.hpp>
#include <com/sun/star/frame/XStorable.hpp>
#include <com/sun/star/lang/XServiceInfo.hpp>
#include <com/sun/star/task/XInteractionAbort.hpp>
#include <com/sun/star/task/XInteractionHandler.hpp>
#include <com/sun/star/util/XCloseable.hpp>
#include <cppuhelper/bootstrap.hxx>
#include <cppuhelper/implbase1.hxx>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "core/files.hpp"
#include "core/sandbox.hpp"
#include "ingest/office_profile.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;
using namespace com::sun::star;
using com::sun::star::uno::Any;
using com::sun::star::uno::Exception;
using com::sun::star::uno::Reference;
using com::sun::star::uno::Sequence;
using com::sun::star::uno::UNO_QUERY;
using com::sun::star::uno::UNO_QUERY_THROW;
using com::sun::star::uno::XComponentContext;
using com::sun::star::uno::XInterface;
using rtl::OUString;
using rtl::OUStringToOString;

namespace {

OUString U(const std::string& s) { return OUString::fromUtf8(s.c_str()); }
std::string S(const OUString& s) { return OUStringToOString(s, RTL_TEXTENCODING_UTF8).getStr(); }

beans::PropertyValue Prop(const char* name, const Any& value) {
  beans::PropertyValue p;
  p.Name = OUString::createFromAscii(name);
  p.Value = value;
  return p;
}

// Answers every question LibreOffice asks with "abort", and remembers a password request.
class AbortingHandler : public cppu::WeakImplHelper1<task::XInteractionHandler> {
 public:
  void SAL_CALL handle(const Reference<task::XInteractionRequest>& request) override {
    if (S(request->getRequest().getValueTypeName()).find("PasswordRequest") != std::string::npos)
      password = true;
    for (const auto& c : request->getContinuations()) {
      Reference<task::XInteractionAbort> abort(c, UNO_QUERY);
      if (abort.is()) {
        abort->select();
        return;
      }
    }
  }
  std::atomic<bool> password{false};
};

}  // namespace

struct OfficePool::Impl {
  struct Office {
    int slot = 0;
    std::unique_ptr<SandboxedProcess> process;
    Reference<frame::XDesktop2> desktop;
    int converted = 0;
    bool busy = false;
    std::chrono::steady_clock::time_point deadline{};
    std::atomic<bool> timed_out{false};
  };

  OfficePoolOptions options;
  Reference<XComponentContext> local;
  std::mutex mu;
  std::condition_variable idle;
  std::vector<std::unique_ptr<Office>> offices;
  std::thread watchdog;
  bool stopping = false;
  std::string pipe_prefix;

  explicit Impl(OfficePoolOptions o) : options(std::move(o)) {
    setenv("URE_BOOTSTRAP", "vnd.sun.star.pathname:/usr/lib/libreoffice/program/fundamentalrc", 0);
    pipe_prefix = "wenku-" + std::to_string(getpid()) + "-";
    for (int i = 0; i < std::max(1, options.processes); ++i) {
      offices.push_back(std::make_unique<Office>());
      offices.back()->slot = i;
    }
    watchdog = std::thread([this] { Watch(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    idle.notify_all();
    watchdog.join();
    for (auto& o : offices) Stop(*o, "");
  }

  void Watch() {
    std::unique_lock lock(mu);
    while (!stopping) {
      idle.wait_for(lock, std::chrono::milliseconds(200));
      auto now = std::chrono::steady_clock::now();
      for (auto& o : offices) {
        if (o->busy && o->process && now > o->deadline && !o->timed_out) {
          o->timed_out = true;
          o->process->Kill("document took longer than " +
                           std::to_string(options.timeout_ms / 1000) + " s");
        }
      }
    }
  }

  fs::path Folder(const Office& o) const {
    return fs::absolute(options.profiles_dir / ("warm-" + std::to_string(o.slot)));
  }
  // Where the UNO client looks for the office's pipe (osl: /tmp/OSL_PIPE_<uid>_<name>, the
  // uid when the user has a passwd entry), and where a sandboxed office makes it (its /tmp;
  // no passwd in the sandbox, so no uid in the name).
  std::string PipeName(const Office& o) const { return pipe_prefix + std::to_string(o.slot); }
  std::string PipeFile(const Office& o) const {
    return "OSL_PIPE_" + std::to_string(getuid()) + "_" + PipeName(o);
  }
  std::string SandboxPipeFile(const Office& o) const { return "OSL_PIPE_" + PipeName(o); }

  // The watchdog reads `process` under `mu`: it is only replaced under `mu`.
  void Stop(Office& o, const std::string& reason) {
    o.desktop.clear();
    std::unique_ptr<SandboxedProcess> process;
    {
      std::lock_guard lock(mu);
      process = std::move(o.process);
    }
    if (process) process->Kill(reason);
    if (options.sandbox != nullptr && options.sandbox->enabled()) {
      unlink(("/tmp/" + PipeFile(o)).c_str());
    }
    o.converted = 0;
  }

  Status Start(Office& o) {
    if (!local.is()) {
      try {
        local = cppu::defaultBootstrap_InitialComponentContext();
      } catch (const Exception& e) {
        return MakeError(ErrorCode::kIo, "cannot start UNO: " + S(e.Message));
      }
    }
    const fs::path folder = Folder(o);
    const fs::path profile = folder / "profile";
    std::error_code ec;
    fs::create_directories(folder, ec);
    WENKU_TRY(PrepareOfficeProfile(*options.runner, options.soffice, profile, options.limits));
    // A fresh /tmp and exchange folder for each start: nothing a previous office left.
    for (const char* sub : {"tmp", "exchange"}) {
      fs::remove_all(folder / sub, ec);
      fs::create_directories(folder / sub, ec);
    }
    const bool sandboxed = options.sandbox != nullptr && options.sandbox->enabled();
    if (sandboxed) {
      // The office makes its pipe in its own /tmp; the client finds it through this link.
      const std::string link = "/tmp/" + PipeFile(o);
      unlink(link.c_str());
      if (symlink((folder / "tmp" / SandboxPipeFile(o)).c_str(), link.c_str()) != 0) {
        return MakeError(ErrorCode::kIo, "cannot link the office's pipe into /tmp");
      }
    }
    const std::string pipe = PipeName(o);
    ProcessSpec spec;
    spec.argv = {options.soffice,
                 "--headless",
                 "--invisible",
                 "--norestore",
                 "--nologo",
                 "--nodefault",
                 "--nolockcheck",
                 "-env:UserInstallation=file://" + profile.string(),
                 "--accept=pipe,name=" + pipe + ";urp;StarOffice.ComponentContext"};
    spec.work_dir = folder.string();
    if (sandboxed) spec.private_tmp = (folder / "tmp").string();
    spec.limits = options.limits;
    spec.env = {"HOME=" + profile.string(), "SAL_USE_VCLPLUGIN=svp"};
    auto process = SandboxedProcess::Start(spec, (options.profiles_dir / "office.log").string(),
                                           *options.sandbox);
    if (!process.ok()) return process.error();
    {
      std::lock_guard lock(mu);
      o.process = std::move(process).value();
    }
    auto started = std::chrono::steady_clock::now();
    Reference<bridge::XUnoUrlResolver> resolver = bridge::UnoUrlResolver::create(local);
    // A fresh profile's first start restarts once; the pipe appears when the office is up.
    while (std::chrono::steady_clock::now() - started < std::chrono::seconds(30)) {
      try {
        Reference<XInterface> remote =
            resolver->resolve(U("uno:pipe,name=" + pipe + ";urp;StarOffice.ComponentContext"));
        Reference<XComponentContext> ctx(remote, UNO_QUERY_THROW);
        o.desktop = frame::Desktop::create(ctx);
        spdlog::info(
            "office: warm office {} ready (pid {}, {:.2f} s)", o.slot, o.process->pid(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        return {};
      } catch (const Exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    Stop(o, "did not accept connections within 30 s");
    return MakeError(ErrorCode::kIo, "LibreOffice did not start");
  }

  Office& Acquire() {
    std::unique_lock lock(mu);
    for (;;) {
      for (auto& o : offices) {
        if (!o->busy) {
          o->busy = true;
          o->timed_out = false;
          o->deadline = std::chrono::steady_clock::time_point::max();
          return *o;
        }
      }
      idle.wait(lock);
    }
  }

  void Release(Office& o) {
    {
      std::lock_guard lock(mu);
      o.busy = false;
    }
    idle.notify_all();
  }

  Status Convert(Office& o, const fs::path& input, const fs::path& out_pdf) {
    if (o.process && !o.process->Alive()) Stop(o, "");
    if (!o.desktop.is()) WENKU_TRY(Start(o));
    // The document goes in by copy; the office sees nothing of the job's folder.
    const fs::path folder = Folder(o);
    const std::string name = "document" + input.extension().string();
    WENKU_TRY(CopyIntoUntrusted(input, folder, "exchange", name));
    std::error_code ec;
    fs::remove(out_pdf, ec);
    Status s = ConvertIn(o, folder / "exchange" / name, folder / "exchange" / "document.pdf");
    if (s.ok()) {
      s = CopyOutOfUntrusted(folder, "exchange", "document.pdf", out_pdf,
                             static_cast<uint64_t>(options.max_pdf_mb) << 20);
    }
    // The exchange folder is emptied whatever happened (links removed, not followed).
    std::vector<fs::path> left;
    for (const auto& entry : fs::directory_iterator(folder / "exchange", ec)) {
      left.push_back(entry.path());
    }
    for (const auto& p : left) fs::remove_all(p, ec);
    return s;
  }

  Status ConvertIn(Office& o, const fs::path& input, const fs::path& out_pdf) {
    {
      std::lock_guard lock(mu);
      o.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms);
    }
    Reference<AbortingHandler> handler(new AbortingHandler);
    try {
      beans::PropertyValue load[] = {
          Prop("Hidden", Any(true)), Prop("ReadOnly", Any(true)),
          Prop("MacroExecMode", Any(sal_Int16(0))), Prop("UpdateDocMode", Any(sal_Int16(0))),
          Prop("InteractionHandler", Any(Reference<task::XInteractionHandler>(handler.get())))};
      Reference<lang::XComponent> doc =
          o.desktop->loadComponentFromURL(U("file://" + fs::absolute(input).string()), U("_blank"),
                                          0, Sequence<beans::PropertyValue>(load, 5));
      if (!doc.is()) {
        if (handler->password) {
          return MakeError(ErrorCode::kEncrypted,
                           "This document is password-protected: it cannot be opened without "
                           "its password. Upload a copy without a password.");
        }
        return MakeError(
            ErrorCode::kCorrupt,
            "LibreOffice cannot open this file: it is damaged or not what its name says.");
      }
      Reference<lang::XServiceInfo> info(doc, UNO_QUERY);
      const char* filter = "writer_pdf_Export";
      if (info.is() && info->supportsService(U("com.sun.star.sheet.SpreadsheetDocument")))
        filter = "calc_pdf_Export";
      else if (info.is() &&
               info->supportsService(U("com.sun.star.presentation.PresentationDocument")))
        filter = "impress_pdf_Export";
      else if (info.is() && info->supportsService(U("com.sun.star.drawing.DrawingDocument")))
        filter = "draw_pdf_Export";
      beans::PropertyValue store[] = {Prop("FilterName", Any(OUString::createFromAscii(filter))),
                                      Prop("Overwrite", Any(true))};
      Reference<frame::XStorable>(doc, UNO_QUERY_THROW)
          ->storeToURL(U("file://" + fs::absolute(out_pdf).string()),
                       Sequence<beans::PropertyValue>(store, 2));
      Reference<util::XCloseable> closeable(doc, UNO_QUERY);
      if (closeable.is())
        closeable->close(true);
      else
        doc->dispose();
    } catch (const Exception& e) {
      bool timed_out = o.timed_out;
      Stop(o, timed_out ? "" : "crashed or disconnected: " + S(e.Message));
      if (timed_out) {
        return MakeError(ErrorCode::kTimeout, "Converting this document took longer than " +
                                                  std::to_string(options.timeout_ms / 1000) +
                                                  " seconds, so it was stopped.");
      }
      return MakeError(ErrorCode::kConversionFailed,
                       "LibreOffice failed on this document (" + S(e.Message) + ")");
    }
    ++o.converted;
    if (o.converted >= options.recycle_after) {
      Stop(o, "");
      spdlog::info("office: recycled warm office {} after {} documents", o.slot,
                   options.recycle_after);
    } else if (o.process && o.process->TreeRssMb() > options.max_rss_mb) {
      Stop(o, "");
      spdlog::info("office: recycled warm office {} above {} MB", o.slot, options.max_rss_mb);
    }
    return {};
  }
};

OfficePool::OfficePool(OfficePoolOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
OfficePool::~OfficePool() = default;

Status OfficePool::ToPdf(const fs::path& input, const fs::path& out_pdf) {
  Impl::Office& office = impl_->Acquire();
  Status s;
  try {
    s = impl_->Convert(office, input, out_pdf);
  } catch (...) {
    impl_->Release(office);
    throw;
  }
  impl_->Release(office);
  return s;
}

}  // namespace wenku::ingest
