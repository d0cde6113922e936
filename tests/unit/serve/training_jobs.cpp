#include "mlpipe/serve/training_jobs.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../temp_dir.h"
#include "mlpipe/serve/add_version.h"
#include "mlpipe/serve/request_error.h"
#include "status_of.h"

using namespace mlpipe;
using namespace mlpipe::serve;
using mlpipe::testing::TempDir;
namespace fs = std::filesystem;
using Query = std::vector<std::pair<std::string, std::string>>;
using Words = std::vector<std::string>;

using mlpipe::serve::testing::status_of;

namespace {

// Two well-separated classes: every learner trains on them in milliseconds.
const std::string kCsv =
    "a,b,label\n0,0,no\n0,1,no\n1,0,no\n0,0.5,no\n0.5,0,no\n5,5,yes\n5,6,yes\n6,5,yes\n5.5,5.5,yes\n6,6,yes\n";

std::string job_file_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Waits until job `id` has finished: a wait on a condition, with a cap far above what the
// tiny trainings here take, never a guess at how long they take.
JobRecord wait_finished(const TrainingJobs& jobs, const std::string& id) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    std::optional<JobRecord> r = jobs.find(id);
    REQUIRE(r);
    if (r->finished_state()) return *r;
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TrainingJobs::Limits limits(int workers, std::size_t max_queued) {
  TrainingJobs::Limits l;
  l.workers = workers;
  l.max_queued = max_queued;
  l.threads_per_job = 1;
  return l;
}

// The record of a job a service left unfinished.
JobRecord left_job(const std::string& id, JobRecord::State state) {
  JobRecord r;
  // Strings, not literals, assigned: gcc 12 sees a false overlap (-Wrestrict) in assigning a
  // short literal here.
  r.id = id;
  r.model = std::string("m");
  r.format = std::string("csv");
  r.options = {"--cv=3"};
  r.state = state;
  r.created = 1;
  r.started = state == JobRecord::State::running ? 2 : 0;
  r.rows = 4;
  return r;
}

}  // namespace

TEST_CASE("query parameters become mltrain's long options, checked by mltrain's parser") {
  CHECK(mltrain_words({}) == Words{});
  CHECK(mltrain_words({{"cv", "5"}, {"learner", "logistic"}, {"balanced", ""}, {"threshold", "-0.5"}}) ==
        Words{"--cv=5", "--learner=logistic", "--balanced", "--threshold=-0.5"});
  CHECK(mltrain_words({{"ignore", "a"}, {"ignore", "b"}, {"weight", "yes=2"}}) ==
        Words{"--ignore=a", "--ignore=b", "--weight=yes=2"});

  std::string message;
  CHECK(status_of([] { mltrain_words({{"cv", "5"}, {"output", "/etc/passwd"}}); }, message) == 400);
  CHECK(message == "train: parameter 'output': not allowed (the service names the model's files)");
  for (const char* refused : {"info", "json", "refresh-sidecar", "oof", "spec", "rejects", "format", "threads",
                              "progress", "no-progress", "cache-mb"}) {
    CAPTURE(refused);
    CHECK(status_of([&] { mltrain_words({{refused, "x"}}); }, message) == 400);
    CHECK(message.rfind(std::string("train: parameter '") + refused + "': not allowed (", 0) == 0);
  }
  // Only long names, and nothing that could turn into another option's word.
  for (const char* bad : {"o", "output=x", "-o", "", "Cost", "cv 5"}) {
    CAPTURE(bad);
    CHECK(status_of([&] { mltrain_words({{bad, "x"}}); }, message) == 400);
  }
  CHECK(status_of([] { mltrain_words({{"output=m", ""}}); }, message) == 400);
  CHECK(message.find("not an option name") != std::string::npos);
  // mltrain's own messages for what it refuses.
  CHECK(status_of([] { mltrain_words({{"frobnicate", "1"}}); }, message) == 400);
  CHECK(message == "train: The following argument was not expected: --frobnicate=1");
  CHECK(status_of([] { mltrain_words({{"help", ""}}); }, message) == 400);
  CHECK(status_of([] { mltrain_words({{"cost", "abc"}}); }, message) == 400);
  CHECK(message == "train: Could not convert: --cost = abc");
  CHECK(status_of([] { mltrain_words({{"trees", "0"}}); }, message) == 400);
  CHECK(status_of([] { mltrain_words({{"learner", "perceptron"}}); }, message) == 400);
  CHECK(message.rfind("train: --learner: perceptron not in {svm,", 0) == 0);
}

TEST_CASE("options that mltrain refuses together are refused before a job is queued") {
  std::string message;
  CHECK(status_of([] { check_mltrain_command("csv", {"--calibrate"}); }, message) == 400);
  CHECK(message == "train: --calibrate fits on out-of-fold decision values: it needs cross-validation (--cv K)");
  CHECK(status_of([] { check_mltrain_command("ndjson", {"--ignore=a"}); }, message) == 400);
  CHECK(status_of([] { check_mltrain_command("csv", {"--ignore=a", "--cv=3", "--calibrate"}); }, message) == 0);

  TempDir dir;
  ModelFiles files(dir.path);
  TrainingJobs jobs(files, limits(1, 4), nullptr);
  CHECK(status_of([&] { jobs.submit("m", "csv", {"--calibrate"}, kCsv); }, message) == 400);
  CHECK(status_of([&] { jobs.submit("../m", "csv", {}, kCsv); }, message) == 400);
  CHECK(status_of([&] { jobs.submit("m", "libsvm", {}, kCsv); }, message) == 415);
  CHECK(jobs.list().empty());
  CHECK(fs::is_empty(files.jobs_dir()));
}

TEST_CASE("each successful job publishes the model's next version") {
  TempDir dir;
  ModelFiles files(dir.path);
  std::vector<std::uint64_t> published;
  std::mutex m;
  TrainingJobs jobs(files, limits(1, 4), [&](const std::string& model, std::uint64_t version) {
    std::lock_guard<std::mutex> lock(m);
    CHECK(model == "m");
    published.push_back(version);
  });

  const JobRecord queued = jobs.submit("m", "csv", {}, kCsv);
  CHECK(queued.state == JobRecord::State::queued);
  CHECK(queued.model == "m");
  CHECK(queued.created > 0);
  JobRecord first = wait_finished(jobs, queued.id);
  CHECK(first.error == "");
  REQUIRE(first.state == JobRecord::State::succeeded);
  CHECK(first.version == 1);
  CHECK(first.rows == 10);
  CHECK(first.report == "");  // no cross-validation: nothing was selected
  CHECK(first.started >= first.created);
  CHECK(first.finished >= first.started);
  const std::string v1 = job_file_text(files.version_path("m", 1));
  CHECK(job_file_text(files.model_path("m")) == v1);

  const JobRecord second =
      wait_finished(jobs, jobs.submit("m", "csv", mltrain_words({{"cv", "3"}, {"learner", "logistic"}}), kCsv).id);
  REQUIRE(second.state == JobRecord::State::succeeded);
  CHECK(second.id > first.id);
  CHECK(second.version == 2);
  CHECK(files.versions("m") == std::vector<std::uint64_t>{1, 2});
  CHECK(job_file_text(files.model_path("m")) == job_file_text(files.version_path("m", 2)));
  CHECK(job_file_text(files.model_path("m")) != v1);
  CHECK(job_file_text(fs::path(files.model_path("m").string() + ".json")) ==
        job_file_text(fs::path(files.version_path("m", 2).string() + ".json")));
  // The report: what cross-validation chose and measured, and the lines mltrain printed.
  CHECK(second.report.rfind("{\"learner\":\"logistic\"", 0) == 0);
  CHECK(second.report.find("\"cv\":{\"folds\":3") != std::string::npos);
  CHECK(second.report.find("\"printed\":\"3-fold cross-validation") != std::string::npos);
  CHECK(second.to_json().find("\"report\":{\"learner\"") != std::string::npos);
  CHECK(published == std::vector<std::uint64_t>{1, 2});

  // Finished jobs keep their records and lose their rows and training directories.
  for (const std::string& id : {first.id, second.id}) {
    CHECK(fs::exists(files.jobs_dir() / (id + ".json")));
    CHECK(!fs::exists(files.jobs_dir() / (id + ".data")));
    CHECK(!fs::exists(files.jobs_dir() / (id + ".train")));
  }
  CHECK(JobRecord::from_json(job_file_text(files.jobs_dir() / (second.id + ".json")), "record").to_json() ==
        second.to_json());
  CHECK(jobs.active() == 0);
  CHECK(jobs.list().size() == 2);
}

TEST_CASE("a job whose rows are bad fails with a located message and replaces nothing") {
  TempDir dir;
  ModelFiles files(dir.path);
  int published = 0;
  TrainingJobs jobs(files, limits(1, 4), [&](const std::string&, std::uint64_t) { ++published; });
  REQUIRE(wait_finished(jobs, jobs.submit("m", "csv", {}, kCsv).id).state == JobRecord::State::succeeded);
  const std::string model = job_file_text(files.model_path("m"));
  const std::string sidecar = job_file_text(files.model_path("m").string() + ".json");

  const std::string rows = "{\"x\":[0,0],\"label\":\"no\"}\n{\"x\":[5,5],\"label\":\"yes\"}\n{\"x\":[1,1]}\n";
  const JobRecord failed = wait_finished(jobs, jobs.submit("m", "ndjson", {}, rows).id);
  CHECK(failed.state == JobRecord::State::failed);
  CHECK(failed.error == "rows:3: no label field 'label' (--label FIELD)");
  CHECK(failed.version == 0);
  CHECK(published == 1);
  CHECK(files.versions("m") == std::vector<std::uint64_t>{1});
  CHECK(files.served("m")->version == 1);
  CHECK(job_file_text(files.model_path("m")) == model);
  CHECK(job_file_text(files.model_path("m").string() + ".json") == sidecar);
  CHECK(!fs::exists(files.jobs_dir() / (failed.id + ".data")));
  CHECK(!fs::exists(files.jobs_dir() / (failed.id + ".train")));

  // Rows that fail only once read (one class: nothing to learn) fail the same way.
  const JobRecord one_class = wait_finished(jobs, jobs.submit("m", "csv", {}, "a,label\n1,x\n2,x\n").id);
  CHECK(one_class.state == JobRecord::State::failed);
  CHECK(one_class.error == "only one class in the training data ('x'): a classifier needs two or more");
  CHECK(job_file_text(files.model_path("m")) == model);
}

TEST_CASE("a full queue refuses jobs with 429") {
  TempDir dir;
  ModelFiles files(dir.path);
  std::mutex m;
  std::condition_variable cv;
  bool in_callback = false, release = false;
  // The first job holds the one worker in its callback, so that what waits is known.
  TrainingJobs jobs(files, limits(1, 1), [&](const std::string&, std::uint64_t) {
    std::unique_lock<std::mutex> lock(m);
    in_callback = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  });
  struct Release {
    std::mutex& m;
    std::condition_variable& cv;
    bool& release;
    ~Release() {
      std::lock_guard<std::mutex> lock(m);
      release = true;
      cv.notify_all();
    }
  } releaser{m, cv, release};  // also on a failed REQUIRE: the worker must be let go to be joined

  const std::string running = jobs.submit("m", "csv", {}, kCsv).id;
  {
    std::unique_lock<std::mutex> lock(m);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return in_callback; }));
  }
  CHECK(jobs.find(running)->state == JobRecord::State::running);
  const std::string waiting = jobs.submit("m", "csv", {}, kCsv).id;
  CHECK(jobs.find(waiting)->state == JobRecord::State::queued);
  CHECK(jobs.active() == 2);
  std::string message;
  CHECK(status_of([&] { jobs.submit("m", "csv", {}, kCsv); }, message) == 429);
  CHECK(jobs.list().size() == 2);
  {
    std::lock_guard<std::mutex> lock(m);
    release = true;
    cv.notify_all();
  }
  CHECK(wait_finished(jobs, running).version == 1);
  CHECK(wait_finished(jobs, waiting).version == 2);
}

TEST_CASE("a restarted service lists finished jobs and runs again those it had not finished") {
  TempDir dir;
  ModelFiles files(dir.path);
  std::string done;
  {
    TrainingJobs jobs(files, limits(1, 4), nullptr);
    done = jobs.submit("m", "csv", {}, kCsv).id;
    REQUIRE(wait_finished(jobs, done).state == JobRecord::State::succeeded);
  }
  // What a service stopped in the middle of a job leaves: its record saying so, and its rows.
  std::ofstream(files.jobs_dir() / "00000007.json")
      << left_job("00000007", JobRecord::State::running).to_json() << "\n";
  std::ofstream(files.jobs_dir() / "00000007.data") << kCsv;
  fs::create_directory(files.jobs_dir() / "00000007.train");
  std::ofstream(files.jobs_dir() / "00000007.train" / "model") << "half a model";
  // And one queued whose rows are gone: it cannot run.
  std::ofstream(files.jobs_dir() / "00000008.json") << left_job("00000008", JobRecord::State::queued).to_json() << "\n";
  // And one whose record was damaged: listed as failed, left as it is.
  std::ofstream(files.jobs_dir() / "00000009.json") << "{\"id\":";
  std::ofstream(files.jobs_dir() / "notes.txt") << "not a job";

  TrainingJobs jobs(files, limits(1, 4), nullptr);
  std::vector<JobRecord> listed = jobs.list();
  REQUIRE(listed.size() == 4);
  CHECK(listed[0].id == done);
  CHECK(listed[0].state == JobRecord::State::succeeded);
  CHECK(listed[0].version == 1);
  CHECK(listed[1].id == "00000007");
  CHECK(listed[2].id == "00000008");
  CHECK(listed[2].state == JobRecord::State::failed);
  CHECK(listed[2].error == "its rows were lost (00000008.data is missing)");
  CHECK(listed[3].id == "00000009");
  CHECK(listed[3].state == JobRecord::State::failed);
  CHECK(listed[3].error.rfind("the job's record cannot be read: ", 0) == 0);

  const JobRecord rerun = wait_finished(jobs, "00000007");
  CHECK(rerun.error == "");
  CHECK(rerun.state == JobRecord::State::succeeded);
  CHECK(rerun.version == 2);
  CHECK(rerun.rows == 10);
  CHECK(rerun.created == 1);
  CHECK(rerun.report.find("\"folds\":3") != std::string::npos);
  CHECK(!fs::exists(files.jobs_dir() / "00000007.data"));
  CHECK(!fs::exists(files.jobs_dir() / "00000007.train"));
  CHECK(fs::exists(files.jobs_dir() / "notes.txt"));
  CHECK(jobs.submit("m", "csv", {}, kCsv).id == "00000010");
  CHECK(!jobs.find("7"));
  CHECK(!jobs.find("notes"));
}

TEST_CASE("two jobs for one model on two workers take distinct versions") {
  TempDir dir;
  ModelFiles files(dir.path);
  std::vector<std::uint64_t> published;
  TrainingJobs* pool = nullptr;
  std::atomic<bool> ready{false};
  // The first job to publish waits in its callback until the other has started too, so that
  // the two are known to have run at once: the other then finishes training while the first
  // holds the version lock.
  TrainingJobs jobs(files, limits(2, 4), [&](const std::string&, std::uint64_t version) {
    published.push_back(version);  // calls come one at a time
    if (published.size() > 1) return;
    while (!ready) std::this_thread::yield();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      std::vector<JobRecord> all = pool->list();
      if (std::none_of(all.begin(), all.end(), [](const JobRecord& r) { return r.state == JobRecord::State::queued; }))
        return;
      if (std::chrono::steady_clock::now() > deadline) return;  // the checks below then fail
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  pool = &jobs;
  const std::string a = jobs.submit("m", "csv", mltrain_words({{"grid", ""}, {"cv", "3"}}), kCsv).id;
  const std::string b = jobs.submit("m", "csv", mltrain_words({{"learner", "logistic"}, {"cv", "3"}}), kCsv).id;
  ready = true;
  const JobRecord ra = wait_finished(jobs, a), rb = wait_finished(jobs, b);
  REQUIRE(ra.state == JobRecord::State::succeeded);
  REQUIRE(rb.state == JobRecord::State::succeeded);
  CHECK(std::max(ra.started, rb.started) < std::min(ra.finished, rb.finished));  // they overlapped
  CHECK(std::set<std::uint64_t>{ra.version, rb.version} == std::set<std::uint64_t>{1, 2});
  CHECK(published == std::vector<std::uint64_t>{1, 2});  // announced in order
  CHECK(files.versions("m") == std::vector<std::uint64_t>{1, 2});
  CHECK(job_file_text(files.model_path("m")) == job_file_text(files.version_path("m", 2)));
}

TEST_CASE("a new version numbers past the model served") {
  TempDir dir;
  ModelFiles files(dir.path);
  CHECK(next_version(files, "m") == 1);
  // A model that is only DIR/NAME.model is served as version 1.
  std::ofstream(files.model_path("m")) << "shipped";
  CHECK(next_version(files, "m") == 2);
  // Files of a version never completed still hold their number.
  fs::create_directories(files.versions_dir("m"));
  std::ofstream(files.version_path("m", 5)) << "half";
  CHECK(next_version(files, "m") == 6);
}
