// ModelWatch: a model replaced on disk is picked up whole, a bad or half-replaced one is
// refused once while the model in use stays, unchanged files are not read again.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "mlpipe/core/error.h"
#include "mlpipe/core/output.h"
#include "mlpipe/model/model_watch.h"

using namespace mlpipe;
namespace fs = std::filesystem;
using Kind = ModelWatch::Change::Kind;

namespace {

// A linear binary model: decision(1:1) = 2 - rho.
std::string model_text(double rho) {
  return "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 2\nrho " + std::to_string(rho) +
         "\nlabel 1 -1\nnr_sv 1 1\nSV\n1 1:1\n-1 1:-1\n";
}

const char* kSidecar = R"({"classes":{"1":"yes","-1":"no"},"training":{"rows":12}})";

struct Dir {
  fs::path path;
  Dir() {
    char tmpl[] = "/tmp/mlpipe-watch-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~Dir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

// Sets a file's modification time, seconds after an arbitrary origin, so that tests do not
// depend on the file system's clock resolution.
void set_mtime(const std::string& path, long secs) {
  timespec t[2];
  t[0].tv_sec = t[1].tv_sec = 1700000000 + secs;
  t[0].tv_nsec = t[1].tv_nsec = 0;
  REQUIRE(utimensat(AT_FDCWD, path.c_str(), t, 0) == 0);
}

double decision(const ModelWatch& w) {
  SparseVector x;
  x.idx = {1};
  x.val = {1.0};
  return w.model().decision(x);
}

const ModelWatch::Check kAccept = [](const Model&) {};

}  // namespace

TEST_CASE("a model renamed into place is read at the next poll, and only then") {
  Dir d;
  const std::string m = d / "claim.model";
  write_file_atomically(m, model_text(0.5));
  ModelWatch w(m, local_files());
  CHECK(decision(w) == doctest::Approx(1.5));

  // Unchanged files: nothing read, nothing said.
  int checks = 0;
  auto counting = [&](const Model&) { ++checks; };
  CHECK(w.poll(counting).kind == Kind::none);
  CHECK(checks == 0);

  write_file_atomically(m, model_text(-1));
  ModelWatch::Change c = w.poll(counting);
  CHECK(c.kind == Kind::reloaded);
  CHECK(checks == 1);
  CHECK(decision(w) == doctest::Approx(3));
  CHECK(c.line("mlclassify", "claim", m).rfind("mlclassify: reloaded claim from " + m + " (written 20", 0) == 0);
  CHECK(c.line("mlclassify", "claim", m).find("no sidecar") != std::string::npos);

  CHECK(w.poll(counting).kind == Kind::none);
  CHECK(checks == 1);
}

TEST_CASE("an invalid replacement keeps the model in use and is reported once") {
  Dir d;
  const std::string m = d / "claim.model";
  write_file_atomically(m, model_text(0.5));
  ModelWatch w(m, local_files());

  write_file_atomically(m, model_text(0.5).substr(0, 60));  // half a model
  ModelWatch::Change c = w.poll(kAccept);
  REQUIRE(c.kind == Kind::refused);
  CHECK(c.error->file() == m);
  std::string line = c.line("mlclassify", "claim", m);
  CHECK(line.rfind("mlclassify: warning: " + m, 0) == 0);
  CHECK(line.find("(claim: keeping the model in use)") != std::string::npos);
  CHECK(decision(w) == doctest::Approx(1.5));

  // The same files: not read, not reported again; on request (SIGHUP), looked at again.
  CHECK(w.poll(kAccept).kind == Kind::none);
  CHECK(w.poll(kAccept, true).kind == Kind::refused);

  // A removed model is refused the same way.
  fs::remove(m);
  CHECK(w.poll(kAccept).kind == Kind::refused);
  CHECK(decision(w) == doctest::Approx(1.5));

  // A good one after it is used.
  write_file_atomically(m, model_text(1));
  CHECK(w.poll(kAccept).kind == Kind::reloaded);
  CHECK(decision(w) == doctest::Approx(1));
}

TEST_CASE("a model the caller's check refuses is not used") {
  Dir d;
  const std::string m = d / "link.model";
  write_file_atomically(m, model_text(0.5));
  ModelWatch w(m, local_files());
  write_file_atomically(m, model_text(2));
  ModelWatch::Change c = w.poll([](const Model&) { throw Error("another layout"); });
  REQUIRE(c.kind == Kind::refused);
  CHECK(c.error->file() == m);  // located at the model when the check names no file
  CHECK(std::string(c.error->what()) == "another layout");
  CHECK(decision(w) == doctest::Approx(1.5));
  CHECK(w.poll(kAccept).kind == Kind::none);           // refused files stay refused…
  CHECK(w.poll(kAccept, true).kind == Kind::reloaded);  // …until asked again
  CHECK(decision(w) == doctest::Approx(0));
}

TEST_CASE("a model newer than its sidecar waits for the sidecar") {
  Dir d;
  const std::string m = d / "claim.model", side = m + ".json";
  write_file_atomically(m, model_text(0.5));
  write_file_atomically(side, kSidecar);
  set_mtime(m, 0);
  set_mtime(side, 1);
  ModelWatch w(m, local_files());
  REQUIRE(w.model().class_names()[0] == "yes");

  // mltrain's order: the model first…
  write_file_atomically(m, model_text(-1));
  set_mtime(m, 10);
  auto at = [](double secs) {  // the wall clock, seconds after the origin of set_mtime
    return ModelWatch::Clock::time_point(std::chrono::duration_cast<ModelWatch::Clock::duration>(
        std::chrono::duration<double>(1700000000 + secs)));
  };
  CHECK(w.poll(kAccept, false, at(10)).kind == Kind::none);
  CHECK(w.poll(kAccept, false, at(10.5)).kind == Kind::none);
  CHECK(decision(w) == doctest::Approx(1.5));
  // …then its sidecar: the pair is read.
  write_file_atomically(side, R"({"classes":{"1":"linked","-1":"not"},"training":{"rows":40}})");
  set_mtime(side, 10);
  ModelWatch::Change c = w.poll(kAccept, false, at(10.6));
  REQUIRE(c.kind == Kind::reloaded);
  CHECK(decision(w) == doctest::Approx(3));
  CHECK(w.model().class_names()[0] == "linked");
  CHECK(c.detail.find("40 training rows") != std::string::npos);
  CHECK(c.detail.rfind("written 2023-11-14T22:13:30Z", 0) == 0);

  // A model replaced without its sidecar: refused a second after it was written, even
  // when nothing looked at it before (an idle stream).
  write_file_atomically(m, model_text(2));
  set_mtime(m, 20);
  CHECK(w.poll(kAccept, false, at(20.9)).kind == Kind::none);
  c = w.poll(kAccept, false, at(21));
  REQUIRE(c.kind == Kind::refused);
  CHECK(c.error->file() == side);
  CHECK(w.poll(kAccept, false, at(22)).kind == Kind::none);
  CHECK(decision(w) == doctest::Approx(3));
  // Touching the sidecar says it goes with the new model.
  set_mtime(side, 21);
  CHECK(w.poll(kAccept, false, at(23)).kind == Kind::reloaded);
  CHECK(decision(w) == doctest::Approx(0));
}

TEST_CASE("a sidecar alone replaced is read; one that does not fit the model is refused") {
  Dir d;
  const std::string m = d / "claim.model", side = m + ".json";
  write_file_atomically(m, model_text(0.5));
  write_file_atomically(side, kSidecar);
  ModelWatch w(m, local_files());
  CHECK(!w.model().info().threshold);

  write_file_atomically(side, R"({"classes":{"1":"yes","-1":"no"},"threshold":{"decision":0.25}})");
  REQUIRE(w.poll(kAccept).kind == Kind::reloaded);
  CHECK(w.model().info().threshold == doctest::Approx(0.25));

  write_file_atomically(side, R"({"classes":{"7":"yes","-1":"no"}})");
  ModelWatch::Change c = w.poll(kAccept);
  REQUIRE(c.kind == Kind::refused);
  CHECK(c.error->file() == side);
  CHECK(w.model().info().threshold == doctest::Approx(0.25));
}

TEST_CASE("files that change while being read are read again at the next poll") {
  Dir d;
  const std::string m = d / "claim.model";
  write_file_atomically(m, model_text(0.5));
  ModelWatch w(m, local_files());
  write_file_atomically(m, model_text(1));
  // The check runs between the read and the second look at the files: replace them there.
  bool replaced = false;
  auto replacing = [&](const Model&) {
    if (!replaced) write_file_atomically(m, model_text(-2));
    replaced = true;
  };
  CHECK(w.poll(replacing).kind == Kind::none);
  CHECK(decision(w) == doctest::Approx(1.5));
  CHECK(w.poll(replacing).kind == Kind::reloaded);
  CHECK(decision(w) == doctest::Approx(4));
}

TEST_CASE("a model that does not load at start is an error") {
  Dir d;
  CHECK_THROWS_AS(ModelWatch(d / "none.model", local_files()), Error);
}

TEST_CASE("ReloadSchedule: every request, and polls at most once per interval") {
  using namespace std::chrono_literals;
  auto t = ReloadSchedule::Clock::now();
  ReloadSchedule polling(true, 100ms);
  CHECK(polling.due(false, t));
  CHECK(!polling.due(false, t + 50ms));
  CHECK(polling.due(true, t + 60ms));  // SIGHUP: now
  CHECK(!polling.due(false, t + 100ms));
  CHECK(polling.due(false, t + 160ms));

  ReloadSchedule asked(false, 100ms);
  CHECK(!asked.due(false, t));
  CHECK(!asked.due(false, t + 1s));
  CHECK(asked.due(true, t + 1s));
}
