// The warm pdf children (PdfPool, `wenku __pdf serve`) through PdfConverter: the real tool in
// the real sandbox for documents, failures and the timeout; a fake tool (a shell script,
// sandbox off: it needs `ln`) for a child that plants links or files.
#include "ingest/pdf_pool.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>
#include <webp/decode.h>

#include <fstream>

#include "core/files.hpp"
#include "core/sandbox.hpp"
#include "ingest/pdf_converter.hpp"
#include "support/test_support.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;
using wenku::testing::MakePdf;
using wenku::testing::TempDir;
using wenku::testing::WithoutSpace;

ProcessLimits Limits(long timeout_ms = 60'000) {
  ProcessLimits l;
  l.timeout_ms = timeout_ms;
  return l;
}

PdfPoolOptions PoolOptions(const fs::path& folder, Sandbox& sandbox,
                           const std::string& tool = wenku::testing::WenkuBinary(),
                           long timeout_ms = 60'000) {
  PdfPoolOptions o;
  o.processes = 1;
  o.limits = Limits(timeout_ms);
  o.folder = folder;
  o.tool = tool;
  o.sandbox = &sandbox;
  return o;
}

std::vector<std::string> Entries(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename());
  return names;
}

int WebpWidth(const fs::path& file) {
  auto bytes = ReadFile(file);
  if (!bytes.ok()) return -1;
  int w = 0, h = 0;
  if (!WebPGetInfo(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size(), &w, &h)) {
    return -1;
  }
  return w;
}

// True when `pid` has exited (a zombie not yet reaped, or gone).
bool ProcessEnded(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

class PdfPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(MakePdf(dir_ / "a.pdf", {{"Alpha one: 成华区教育局"}, {"Alpha two: 文档上传"}}));
    ASSERT_TRUE(MakePdf(dir_ / "b.pdf", {{"Beta one"}, {"Beta two 第二页"}, {"Beta three"}}));
  }
  TempDir dir_;
  Sandbox sandbox_;  // the real one: bubblewrap + seccomp
  SandboxRunner runner_{sandbox_};
  PdfPool pool_{PoolOptions(dir_ / "convert", sandbox_)};
  PdfConverter warm_{runner_, wenku::testing::WenkuBinary(), Limits(), &pool_};
  PdfConverter cold_{runner_, wenku::testing::WenkuBinary(), Limits()};
};

TEST_F(PdfPoolTest, OneChildConvertsTwoDocumentsOneAfterTheOther) {
  RenderOptions o;
  o.width = 600;
  o.cover_width = 150;
  auto a = warm_.ExtractText(dir_ / "a.pdf", dir_ / "ja", nullptr);
  ASSERT_TRUE(a.ok()) << a.error().message;
  const pid_t child = pool_.ChildPid(0);
  ASSERT_NE(child, 0) << "the text was not read by a warm child";
  ASSERT_TRUE(warm_.Render(dir_ / "a.pdf", dir_ / "ia", 1, 2, o, nullptr).ok());
  std::vector<std::string> progress;
  auto b = warm_.ExtractText(dir_ / "b.pdf", dir_ / "jb", [&](int64_t d, int64_t t) {
    progress.push_back(std::to_string(d) + "/" + std::to_string(t));
  });
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_TRUE(warm_.Render(dir_ / "b.pdf", dir_ / "ib", 1, 3, o, nullptr).ok());
  EXPECT_EQ(pool_.ChildPid(0), child) << "the child was replaced between documents";

  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ(WithoutSpace((*a)[0].text), "Alphaone:成华区教育局");
  EXPECT_EQ(WithoutSpace((*a)[1].text), "Alphatwo:文档上传");
  ASSERT_EQ(b->size(), 3u);
  EXPECT_EQ(WithoutSpace((*b)[0].text), "Betaone");
  EXPECT_EQ(WithoutSpace((*b)[1].text), "Betatwo第二页");
  EXPECT_EQ(WithoutSpace((*b)[2].text), "Betathree");
  EXPECT_EQ(progress.back(), "3/3");
  for (const char* name : {"0001.webp", "0002.webp"}) EXPECT_EQ(WebpWidth(dir_ / "ia" / name), 600);
  for (const char* name : {"0001.webp", "0002.webp", "0003.webp"}) {
    EXPECT_EQ(WebpWidth(dir_ / "ib" / name), 600) << name;
  }
  EXPECT_EQ(WebpWidth(dir_ / "ia" / "cover.webp"), 150);
  EXPECT_EQ(WebpWidth(dir_ / "ib" / "cover.webp"), 150);
  EXPECT_FALSE(fs::exists(dir_ / "ia" / "0003.webp"));
  // What the child saw of either document is gone: its folder is empty between calls.
  EXPECT_TRUE(Entries(pool_.ExchangeFolder(0)).empty());
}

TEST_F(PdfPoolTest, GivesTheSameResultsAsAColdChild) {
  auto warm = warm_.ExtractText(dir_ / "b.pdf", dir_ / "w", nullptr);
  auto cold = cold_.ExtractText(dir_ / "b.pdf", dir_ / "c", nullptr);
  ASSERT_TRUE(warm.ok() && cold.ok());
  ASSERT_EQ(warm->size(), cold->size());
  for (size_t i = 0; i < warm->size(); ++i) {
    EXPECT_EQ((*warm)[i].text, (*cold)[i].text);
    EXPECT_EQ((*warm)[i].width_pt, (*cold)[i].width_pt);
  }
  RenderOptions o;
  ASSERT_TRUE(warm_.Render(dir_ / "b.pdf", dir_ / "wi", 2, 2, o, nullptr).ok());
  ASSERT_TRUE(cold_.Render(dir_ / "b.pdf", dir_ / "ci", 2, 2, o, nullptr).ok());
  EXPECT_EQ(ReadFile(dir_ / "wi" / "0002.webp").value(),
            ReadFile(dir_ / "ci" / "0002.webp").value());
  EXPECT_EQ(Entries(dir_ / "wi"), std::vector<std::string>{"0002.webp"});
}

TEST_F(PdfPoolTest, ADamagedPdfFailsOnlyItselfWithTheColdPathsSentence) {
  auto whole = ReadFile(dir_ / "a.pdf");
  ASSERT_TRUE(WriteFileAtomic(dir_ / "cut.pdf", whole->substr(0, whole->size() / 3)).ok());
  ASSERT_TRUE(
      WriteFileAtomic(dir_ / "garbage.pdf", "%PDF-1.7\n" + std::string(5000, 'x') + "\n%%EOF\n")
          .ok());
  ASSERT_TRUE(WriteFileAtomic(dir_ / "notpdf.pdf", "plain text, not a PDF").ok());
  for (const char* file : {"cut.pdf", "garbage.pdf", "notpdf.pdf"}) {
    auto warm = warm_.ExtractText(dir_ / file, dir_ / "w", nullptr);
    auto cold = cold_.ExtractText(dir_ / file, dir_ / "c", nullptr);
    ASSERT_FALSE(warm.ok()) << file;
    ASSERT_FALSE(cold.ok()) << file;
    EXPECT_EQ(warm.error().code, ErrorCode::kCorrupt) << file;
    EXPECT_EQ(warm.error().code, cold.error().code) << file;
    EXPECT_EQ(warm.error().message, cold.error().message) << file;
    EXPECT_TRUE(Entries(pool_.ExchangeFolder(0)).empty()) << file;
    // The next document converts.
    auto next = warm_.ExtractText(dir_ / "a.pdf", dir_ / "n", nullptr);
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ(WithoutSpace((*next)[1].text), "Alphatwo:文档上传");
  }
}

TEST_F(PdfPoolTest, AChildThatDiedIsReplacedForTheNextDocument) {
  ASSERT_TRUE(warm_.ExtractText(dir_ / "a.pdf", dir_ / "1", nullptr).ok());
  const pid_t first = pool_.ChildPid(0);
  ASSERT_NE(first, 0);
  ASSERT_EQ(kill(-first, SIGKILL), 0);  // the sandbox, as a crash would end it
  // Once it has ended (a zombie until the pool reaps it; its sandbox dies with it).
  for (int i = 0; i < 500 && !ProcessEnded(first); ++i) usleep(10'000);
  ASSERT_TRUE(ProcessEnded(first));
  auto b = warm_.ExtractText(dir_ / "b.pdf", dir_ / "2", nullptr);
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(WithoutSpace((*b)[2].text), "Betathree");
  EXPECT_NE(pool_.ChildPid(0), first);
  EXPECT_NE(pool_.ChildPid(0), 0);
}

TEST_F(PdfPoolTest, ACommandOverTheTimeoutIsKilledAndReportedAsATimeout) {
  // Twelve pages drawn 5000 px wide take several seconds; the limit is one.
  std::vector<std::vector<std::string>> pages;
  for (int i = 1; i <= 12; ++i)
    pages.push_back({"Page " + std::to_string(i) + " 第" + std::to_string(i) + "页"});
  ASSERT_TRUE(MakePdf(dir_ / "slow.pdf", pages));
  PdfPool pool(
      PoolOptions(dir_ / "convert-timeout", sandbox_, wenku::testing::WenkuBinary(), 1000));
  PdfConverter warm(runner_, wenku::testing::WenkuBinary(), Limits(1000), &pool);
  PdfConverter cold(runner_, wenku::testing::WenkuBinary(), Limits(1000));
  ASSERT_TRUE(warm.ExtractText(dir_ / "a.pdf", dir_ / "t0", nullptr).ok());  // a warm child
  const pid_t child = pool.ChildPid(0);
  RenderOptions o;
  o.width = 5000;
  Status w = warm.Render(dir_ / "slow.pdf", dir_ / "tw", 1, 12, o, nullptr);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(w.error().message,
            "Drawing this PDF's pages took longer than 1 seconds, so it was stopped; the file "
            "may be damaged or unusually complex.");
  Status c = cold.Render(dir_ / "slow.pdf", dir_ / "tc", 1, 12, o, nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, w.error().message);
  EXPECT_EQ(pool.ChildPid(0), 0) << "the child that ran out of time is gone";
  EXPECT_TRUE(Entries(pool.ExchangeFolder(0)).empty());
  // The next document gets a fresh child.
  auto next = warm.ExtractText(dir_ / "b.pdf", dir_ / "t1", nullptr);
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_NE(pool.ChildPid(0), 0);
  EXPECT_NE(pool.ChildPid(0), child);
}

TEST_F(PdfPoolTest, AChildIsReplacedAfterRecycleAfterCommands) {
  PdfPoolOptions options = PoolOptions(dir_ / "convert-recycle", sandbox_);
  options.recycle_after = 2;
  PdfPool pool(options);
  PdfConverter warm(runner_, wenku::testing::WenkuBinary(), Limits(), &pool);
  ASSERT_TRUE(warm.ExtractText(dir_ / "a.pdf", dir_ / "r1", nullptr).ok());
  const pid_t first = pool.ChildPid(0);
  ASSERT_NE(first, 0);
  ASSERT_TRUE(warm.ExtractText(dir_ / "b.pdf", dir_ / "r2", nullptr).ok());
  EXPECT_EQ(pool.ChildPid(0), 0) << "not replaced after two commands";
  ASSERT_TRUE(warm.ExtractText(dir_ / "a.pdf", dir_ / "r3", nullptr).ok());
  EXPECT_NE(pool.ChildPid(0), first);
}

TEST_F(PdfPoolTest, WorksWithTheSandboxOff) {
  Sandbox off = Sandbox::Off();
  SandboxRunner runner(off);
  PdfPool pool(PoolOptions(dir_ / "convert-off", off));
  PdfConverter warm(runner, wenku::testing::WenkuBinary(), Limits(), &pool);
  auto a = warm.ExtractText(dir_ / "a.pdf", dir_ / "o1", nullptr);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(WithoutSpace((*a)[0].text), "Alphaone:成华区教育局");
  EXPECT_NE(pool.ChildPid(0), 0);
}

// A fake child: a shell script speaking the serve protocol (sandbox off, so it may run `ln`).
fs::path FakeTool(const fs::path& dir, const std::string& body) {
  fs::path script = dir / "fake-tool.sh";
  std::ofstream(script) << "#!/bin/sh\n" << body;
  fs::permissions(script, fs::perms::owner_all);
  return script;
}

TEST_F(PdfPoolTest, ALinkAmongTheResultsFailsTheCallAndIsNotFollowed) {
  ASSERT_TRUE(WriteFileAtomic(dir_ / "secret.txt", "not for the converter").ok());
  fs::path tool =
      FakeTool(dir_.path(),
               "while read -r line; do\n  echo picture > out/0001.webp\n"
               "  ln -s " +
                   (dir_ / "secret.txt").string() + " out/0002.webp\n  echo ok\ndone\n");
  Sandbox off = Sandbox::Off();
  PdfPool pool(PoolOptions(dir_ / "convert-link", off, tool.string()));
  fs::create_directories(dir_ / "out");
  auto s = pool.Run("Drawing this PDF's pages", "render", dir_ / "a.pdf", "", {"1", "2"},
                    dir_ / "out", nullptr);
  ASSERT_TRUE(s.has_value());
  ASSERT_FALSE(s->ok());
  EXPECT_EQ(s->error().code, ErrorCode::kConversionFailed);
  EXPECT_EQ(s->error().message,
            "The converter left a link or a special file among its results, so they were thrown "
            "away.");
  EXPECT_TRUE(Entries(dir_ / "out").empty());
  EXPECT_TRUE(Entries(pool.ExchangeFolder(0)).empty());
  EXPECT_EQ(ReadFile(dir_ / "secret.txt").value(), "not for the converter");
}

TEST_F(PdfPoolTest, AChildNeverSeesAnEarlierDocumentsFiles) {
  // The first command leaves files, a folder and a link behind; the second lists what it sees.
  fs::path tool = FakeTool(dir_.path(),
                           "n=0\nwhile read -r line; do\n  n=$((n+1))\n"
                           "  if [ $n = 1 ]; then echo x > left.txt; mkdir -p sub/deeper;"
                           " ln -s / sub/root; echo y > out/result.txt; fi\n"
                           "  for f in * out/*; do echo \"saw $f\"; done\n  echo ok\ndone\n");
  Sandbox off = Sandbox::Off();
  PdfPool pool(PoolOptions(dir_ / "convert-plant", off, tool.string()));
  fs::create_directories(dir_ / "o1");
  fs::create_directories(dir_ / "o2");
  std::vector<std::string> first, second;
  ASSERT_TRUE(pool.Run("Reading this PDF", "text", dir_ / "a.pdf", "pages.jsonl", {}, dir_ / "o1",
                       nullptr, &first)
                  ->ok());
  EXPECT_EQ(ReadFile(dir_ / "o1" / "result.txt").value(), "y\n");
  ASSERT_TRUE(pool.Run("Reading this PDF", "text", dir_ / "b.pdf", "pages.jsonl", {}, dir_ / "o2",
                       nullptr, &second)
                  ->ok());
  EXPECT_EQ(second, (std::vector<std::string>{"saw in.pdf", "saw out", "saw out/*"}));
  EXPECT_TRUE(Entries(dir_ / "o2").empty());
  EXPECT_TRUE(Entries(pool.ExchangeFolder(0)).empty());
  EXPECT_TRUE(fs::exists("/usr/bin")) << "the link to / was followed";
}

TEST_F(PdfPoolTest, ACrashMidCommandSaysWhatTheColdPathSays) {
  // Cold or warm, the fake tool dies of SIGSEGV on its command.
  fs::path tool = FakeTool(dir_.path(),
                           "if [ \"$2\" != serve ]; then kill -SEGV $$; fi\n"
                           "while read -r line; do echo 'progress 1 2'; kill -SEGV $$; done\n");
  Sandbox off = Sandbox::Off();
  SandboxRunner runner(off);
  PdfPool pool(PoolOptions(dir_ / "convert-crash", off, tool.string()));
  PdfConverter warm(runner, tool.string(), Limits(), &pool);
  PdfConverter cold(runner, tool.string(), Limits());
  auto w = warm.ExtractText(dir_ / "a.pdf", dir_ / "cw", nullptr);
  auto c = cold.ExtractText(dir_ / "a.pdf", dir_ / "cc", nullptr);
  ASSERT_FALSE(w.ok());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kConversionFailed);
  EXPECT_EQ(w.error().message, c.error().message);
  EXPECT_NE(w.error().message.find("crashed"), std::string::npos) << w.error().message;
  EXPECT_EQ(pool.ChildPid(0), 0);
}

}  // namespace
}  // namespace wenku::ingest
