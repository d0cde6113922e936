#include "mlpipe/mpi/driver.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/executor.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/string_map.h"
#include "mlpipe/mpi/key_plan.h"
#include "mlpipe/mpi/manifest.h"
#include "mlpipe/mpi/part_file.h"
#include "mlpipe/mpi/partition.h"
#include "mlpipe/mpi/pipeline.h"
#include "mlpipe/mpi/shared_files.h"
#include "mlpipe/mpi/spool.h"

namespace mlpipe::mr {

namespace fs = std::filesystem;

namespace {

// Ends the job on every rank with this status (after the one report).
struct JobEnd {
  int code;
};

std::string describe(const Error& e) {
  if (!e.has_location()) return e.what();
  if (e.line() == 0) return fmt::format("{}: {}", e.file(), e.what());
  return fmt::format("{}:{}: {}", e.file(), e.line(), e.what());
}

// Runs a setup step on every rank. When it fails anywhere, the lowest failing rank reports
// its error once ("mlmr: error: …", with its rank unless it is rank 0 or a usage error that
// every rank found alike) and every rank ends with that rank's status.
void agree(const Comm& c, const std::function<void()>& step) {
  int code = 0;
  std::string message;
  bool usage = false;
  try {
    step();
  } catch (const Error& e) {
    usage = e.is_usage();
    code = usage ? int(Exit::usage) : int(Exit::failure);
    message = describe(e);
  }
  int mine = code ? c.rank : c.size, first = c.size;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, c.comm);
  if (first == c.size) return;
  MPI_Bcast(&code, 1, MPI_INT, first, c.comm);
  if (c.rank == first) {
    if (c.rank == 0)
      fmt::print(stderr, "mlmr: error: {}\n", message);
    else
      fmt::print(stderr, "mlmr: error: rank {}: {}\n", c.rank, message);
    if (usage) fmt::print(stderr, "Run 'mlmr --help' for the options.\n");
    std::fflush(stderr);
  }
  throw JobEnd{code};
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// One stage as the job runs it.
struct StageRun {
  std::string name;
  std::unique_ptr<Stage> stage;
  ErrorPolicy policy;
  // Counted over the whole job on this rank.
  std::uint64_t records_in = 0, skipped = 0;
  std::vector<std::string> skip_messages;

  void collect(const Executor& e, bool messages = true) {
    records_in += e.records_in();
    skipped += e.skipped();
    if (messages)
      for (const auto& m : e.skip_messages()) add_message(m);
  }
  void add_message(std::string m) {
    if (skip_messages.size() < 10) skip_messages.push_back(std::move(m));
  }
};

// Fresh executors for stages [from, to), one per stage.
std::vector<std::unique_ptr<Executor>> make_executors(std::vector<StageRun>& stages, std::size_t from, std::size_t to,
                                                      int threads) {
  std::vector<std::unique_ptr<Executor>> execs;
  for (std::size_t i = from; i < to; ++i)
    execs.push_back(std::make_unique<Executor>(*stages[i].stage, threads, stages[i].policy));
  return execs;
}

// Runs a batch through a chain of executors. Output of executor i becomes the input batch of
// executor i+1, its records named sources[i+1] and numbered by counters[i+1] (the record's
// number in that stage's input, for messages). `first` is the first executor to run.
struct Chain {
  std::vector<std::unique_ptr<Executor>> execs;
  std::vector<std::string> sources;   // one per executor
  std::vector<std::uint64_t> counts;  // records seen by each executor
  Batch scratch;

  // Processes `in` with execs[first..] and appends the last stage's lines to `out`.
  void run(std::size_t first, const Batch& in, std::string& buf, std::string& out) {
    const Batch* cur = &in;
    for (std::size_t i = first; i < execs.size(); ++i) {
      counts[i] += cur->records.size();
      execs[i]->process(*cur, buf);
      if (i + 1 == execs.size()) break;
      Batch::from_lines(scratch, std::move(buf), &sources[i + 1]);
      buf = std::string();
      for (Record& r : scratch.records) r.line += counts[i + 1];
      cur = &scratch;
    }
    if (cur == &in && execs.size() == first) {  // no stages: the records themselves
      for (const Record& r : in.records) {
        out.append(r.data);
        out.push_back('\n');
      }
      return;
    }
    out += buf;
  }

  // End of input: each stage's held records go through the stages after it, a part at a
  // time (mljoin holds a key's records, but its pairs may be many times their size).
  void finish(std::string& buf, std::string& out) {
    for (std::size_t i = 0; i < execs.size(); ++i) {
      std::string held;
      bool more = true;
      while (more) {
        more = execs[i]->finish_part(held);
        if (held.empty()) continue;
        if (i + 1 == execs.size()) {
          out += held;
          continue;
        }
        Batch b;
        Batch::from_lines(b, std::move(held), &sources[i + 1]);
        held = std::string();
        for (Record& r : b.records) r.line += counts[i + 1];
        run(i + 1, b, buf, out);
      }
    }
  }
};

std::uint64_t peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return std::uint64_t(ru.ru_maxrss);
}

std::string part_name(std::size_t p) { return fmt::format("part-{:05}", p); }

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

class Job {
 public:
  Job(const Comm& c, const JobOptions& o, const volatile std::sig_atomic_t* stop) : c_(c), o_(o), stop_(stop) {}

  int run() {
    auto t0 = std::chrono::steady_clock::now();
    setup();
    if (plan_.complete) {
      if (c_.rank == 0) fmt::print(stderr, "mlmr: {}: already complete (_SUCCESS present); nothing to do\n", o_.output_dir);
      return 0;
    }
    auto ta = std::chrono::steady_clock::now();
    bool stopped_here = phase_a();
    time_a_ = seconds_since(ta);
    bool stopped = any(c_, stopped_here);
    if (!stopped) {
      auto tb = std::chrono::steady_clock::now();
      if (keyed_ < stages_.size())
        stopped = !phase_b();
      else if (o_.output_dir.empty())
        gather_to_stdout();
      time_b_ = seconds_since(tb);
    }
    report_skips();
    if (stopped) {
      if (c_.rank == 0)
        fmt::print(stderr, "mlmr: stopped by a signal{}\n",
                   o_.output_dir.empty() ? ": output incomplete"
                                         : fmt::format(": finished partitions are committed in {}; rerun with --resume",
                                                       o_.output_dir));
      return kExitStopped;
    }
    // What stages write besides records (--write-spec), once per job: by rank 0.
    agree(c_, [&] {
      if (c_.rank == 0)
        for (const StageRun& s : stages_) s.stage->write_files();
    });
    if (!o_.output_dir.empty()) {
      MPI_Barrier(c_.comm);  // every part is in place before the marker
      if (c_.rank == 0) {
        std::error_code ec;
        fs::remove_all(work_dir_, ec);
        // Part files of an interrupted run on more ranks are not this run's.
        for (const auto& e : fs::directory_iterator(o_.output_dir, ec)) {
          std::string n = e.path().filename().string();
          bool numbered = n.size() == 10 && n.rfind("part-", 0) == 0 &&
                          std::all_of(n.begin() + 5, n.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
          if (numbered && std::stoul(n.substr(5)) >= std::size_t(c_.size))
            fs::remove(e.path(), ec);
        }
        write_file_atomically(o_.output_dir + "/_SUCCESS", "");
      }
    }
    report_stats(seconds_since(t0));
    return 0;
  }

 private:
  // ---- setup: parse, models, stages, plan -------------------------------------------
  void setup() {
    std::vector<std::vector<std::string>> words;
    agree(c_, [&] {
      words = split_pipeline(o_.pipeline);
      parse_pipeline(words, o_.test_tools);  // usage errors, before anything is read
      if (o_.inputs.empty()) throw Error::usage("no input files (give FILE… after the pipeline)");
    });
    // Rank 0 builds its stages first, from its own file system, and keeps what they read
    // (models, sidecars, specs, vocabularies); the other ranks build theirs from those bytes.
    // A failure on rank 0 (a missing model) is reported once, by rank 0.
    std::string packed;
    agree(c_, [&] {
      if (c_.rank != 0) return;
      RecordingFileSource recorded(local_files());
      build_stages(words, recorded);
      packed = recorded.answers().pack();
    });
    bcast_bytes(c_, packed, 0);
    agree(c_, [&] {
      FileAnswers answers = FileAnswers::unpack(packed);
      packed = std::string();
      models_files_ = answers.files();
      models_bytes_ = answers.bytes();
      if (c_.rank != 0) build_stages(words, ServingFileSource(std::move(answers)));
    });
    keyed_ = stages_.size();
    agree(c_, [&] {
      for (std::size_t i = 0; i < stages_.size(); ++i) {
        Placement pl = stages_[i].stage->placement();
        if (i > 0 && stages_[i].stage->reads_text())
          throw Error::usage(fmt::format("stage {} ({}): reads text documents, so it can only be the first stage", i + 1,
                                         stages_[i].name));
        if (pl.kind == Placement::Kind::anywhere) continue;
        if (keyed_ < stages_.size())
          throw Error::usage(fmt::format(
              "stage {} ({}): mlmr runs one keyed stage per pipeline and stage {} ({}) is one (split the pipeline "
              "into two mlmr runs)",
              i + 1, stages_[i].name, keyed_ + 1, stages_[keyed_].name));
        keyed_ = i;
        placement_ = pl;
      }
      // A stage that ranks a key's output (mllink --top) must get each key's records in one
      // block, as the shell pipeline gives them: after a keyed stage that writes a key's
      // output together (in batch), or after one that sees everything on one rank.
      for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (stages_[i].stage->together() == Together::none) continue;
        const char* why = nullptr;
        if (keyed_ >= i)
          why = "it needs a keyed stage (mljoin) before it, so that each key's records reach it together";
        else if (placement_.kind == Placement::Kind::by_key && !stages_[keyed_].stage->splits_products())
          why = "the keyed stage writes each key's output as records arrive (mljoin --stream or a window), so the "
                "runs it ranks differ between ranks and a shell pipeline";
        if (why)
          throw Error::usage(fmt::format("stage {} ({}): ranks what a key gives together, but {}", i + 1,
                                         stages_[i].name, why));
      }
    });
    agree(c_, [&] { make_plan(); });
    local_dir_ = o_.tmpdir;
    if (!o_.output_dir.empty()) work_dir_ = o_.output_dir + "/_work";
  }

  // Builds the pipeline's stages, reading their files through `files`.
  void build_stages(const std::vector<std::vector<std::string>>& words, const FileSource& files) {
    std::vector<StageSpec> specs = parse_pipeline(words, o_.test_tools);
    for (StageSpec& s : specs) {
      StageRun run;
      run.name = std::string(s.tool->name);
      run.stage = s.factory(files);
      if (!run.stage) throw Error::usage(fmt::format("{}: does not run as a pipeline stage", run.name));
      // A header is one line of one input, but mlmr cuts inputs into byte ranges.
      if (run.stage->reads_header())
        throw Error::usage(fmt::format("{}: --format csv reads a header line, which mlmr does not keep with each "
                                       "part of an input (convert the CSV to NDJSON records first)",
                                       run.name));
      // mlmr reads its inputs to their end, with models read once by rank 0 and broadcast:
      // there is no stream to follow.
      if (run.stage->reload() == Reload::polling)
        throw Error::usage(fmt::format("{}: --reload follows model files in a long-running stream; mlmr reads "
                                       "its models once, when the job starts (leave --reload out)",
                                       run.name));
      run.policy.skip = s.skip_errors.value_or(o_.skip_errors);
      run.policy.max_record_bytes = s.max_record_bytes.value_or(o_.max_record_bytes);
      stages_.push_back(std::move(run));
    }
  }

  // Rank 0 stats the inputs, prepares -o DIR (or reads the manifest of the run to resume)
  // and sends the plan to every rank.
  void make_plan() {
    std::string text, error;
    bool reads_text = stages_[0].stage->reads_text();
    if (c_.rank == 0) {
      try {
        Plan plan;
        plan.files = stat_inputs(o_.inputs);
        std::string header = manifest_header(o_.pipeline, plan.files);
        bool resumed = false;
        if (!o_.output_dir.empty()) {
          std::string dir = o_.output_dir, manifest = dir + "/_manifest";
          std::error_code ec;
          fs::create_directories(dir, ec);
          if (ec) throw Error(dir, 0, fmt::format("cannot create the output directory: {}", ec.message()));
          if (o_.resume && exists(manifest)) {
            if (!read_manifest(read_whole_file(manifest), header, plan))
              throw Error(dir, 0,
                          "holds a run of another pipeline or of other (or changed) inputs: remove it, or run without "
                          "--resume to replace it");
            // Without a keyed stage, part files (one per rank) are written as partitions end.
            if (!keyed() && plan.ranks != c_.size)
              throw Error(dir, 0,
                          fmt::format("was written by {} ranks and its part files are per rank: resume it with {} "
                                      "ranks, or run without --resume",
                                      plan.ranks, plan.ranks));
            resumed = true;
            plan.complete = exists(dir + "/_SUCCESS");
            // Half-written files of the interrupted run (temporaries never renamed into place).
            for (const std::string& d : {dir, dir + "/_work"})
              for (const auto& e : fs::directory_iterator(d, ec))
                if (e.path().filename().string().find(".tmp.") != std::string::npos) fs::remove(e.path(), ec);
          } else {
            // A new run: clear what an earlier run left (only the names mlmr writes).
            for (const auto& e : fs::directory_iterator(dir, ec)) {
              std::string n = e.path().filename().string();
              if (n.rfind("part-", 0) == 0 || n == "_SUCCESS" || n == "_manifest" || n == "_work")
                fs::remove_all(e.path(), ec);
            }
          }
        }
        if (!resumed) {
          std::uint64_t total = 0;
          for (const InputFile& f : plan.files) total += f.size;
          std::uint64_t target = o_.partition_bytes ? o_.partition_bytes : auto_partition_bytes(total, c_.size);
          plan.parts = plan_partitions(plan.files, reads_text, target);
          plan.ranks = c_.size;
        }
        plan.ranks = c_.size;  // from now on, the part files are this run's
        if (!o_.output_dir.empty()) {
          std::error_code ec;
          fs::create_directories(o_.output_dir + "/_work", ec);
          if (ec) throw Error(o_.output_dir, 0, fmt::format("cannot create _work in it: {}", ec.message()));
          write_file_atomically(o_.output_dir + "/_manifest", manifest_text(o_.pipeline, plan));
        }
        text = std::string(plan.complete ? "C" : "R") + manifest_text(o_.pipeline, plan);
      } catch (const Error& e) {
        error = describe(e);
      }
      text = error.empty() ? "0" + text : "1" + error;
    }
    bcast_bytes(c_, text, 0);
    if (text[0] != '0') throw Error(c_.rank == 0 ? text.substr(1) : "rank 0 could not plan the inputs");
    // Every rank reads the same plan back.
    plan_.complete = text[1] == 'C';
    std::string manifest = text.substr(2);
    std::istringstream in(manifest);
    std::string line;
    std::size_t file = 0;
    while (std::getline(in, line) && line.rfind("partition", 0) != 0) {
      if (line.rfind("input ", 0) != 0) continue;
      InputFile f;
      std::istringstream ls(line.substr(6));
      ls >> f.size >> f.mtime_ns;
      f.path = o_.inputs.at(file++);
      plan_.files.push_back(f);
    }
    std::string header = manifest_header(o_.pipeline, plan_.files);
    if (!read_manifest(manifest, header, plan_)) throw Error("internal: unreadable plan");
    plan_.owner = assign_owners(plan_.parts, c_.size);
    for (const InputFile& f : plan_.files) displays_.push_back(display_name(f.path));
  }

  // ---- phase A: the stages before the keyed one, per partition ----------------------
  bool keyed() const { return keyed_ < stages_.size(); }

  // Runs partition `p` through stages [0, keyed_) and passes its output to `sink`.
  void run_partition(std::size_t p, const std::function<void(std::string_view)>& sink) {
    const Partition& part = plan_.parts[p];
    Chain chain;
    chain.execs = make_executors(stages_, 0, keyed_, o_.threads);
    chain.counts.assign(chain.execs.size(), 0);
    std::string first = displays_[part.pieces.front().file];
    if (part.pieces.front().begin > 0) first += fmt::format("@{}", part.pieces.front().begin);
    for (std::size_t i = 0; i < chain.execs.size(); ++i)
      chain.sources.push_back(i == 0 ? first : fmt::format("{} (input of {})", first, stages_[i].name));
    const bool text_input = !chain.execs.empty() && stages_[0].stage->reads_text();
    std::string buf, out;
    Batch batch;
    auto flush = [&] {
      if (out.size() >= (std::size_t(4) << 20)) {
        sink(out);
        out.clear();
      }
    };
    try {
      if (text_input) {
        std::vector<std::string> paths, names;
        for (const auto& piece : part.pieces) {
          paths.push_back(plan_.files[piece.file].path);
          names.push_back(displays_[piece.file]);
        }
        TextReader reader(std::move(paths), std::move(names), o_.threads);
        while (reader.next(batch)) {
          chain.run(0, batch, buf, out);
          flush();
        }
      } else {
        InputLimits limits;
        limits.max_record_bytes = chain.execs.empty() ? o_.max_record_bytes : stages_[0].policy.max_record_bytes;
        limits.batch_bytes = std::max<std::size_t>(std::size_t(1) << 20, std::size_t(o_.threads) * (std::size_t(256) << 10));
        for (const Piece& pc : part.pieces) {
          LineReader reader(plan_.files[pc.file].path, &displays_[pc.file], ByteRange{pc.begin, pc.end}, limits);
          const std::size_t seen = chain.execs.empty() ? 0 : chain.execs[0]->skip_messages().size();
          try {
            while (reader.next(batch)) {
              chain.run(0, batch, buf, out);
              flush();
            }
          } catch (const Error& e) {
            // Lines are counted from the range's start: make them the file's line numbers.
            if (pc.begin > 0 && e.file() == displays_[pc.file] && e.line() > 0)
              throw Error(e.file(), e.line() + reader.line_base(), e.what());
            throw;
          }
          if (!chain.execs.empty()) {  // the same for the messages of skipped records
            const auto& msgs = chain.execs[0]->skip_messages();
            std::string prefix = displays_[pc.file] + ":";
            std::uint64_t base = 0;
            for (std::size_t m = seen; m < msgs.size(); ++m) {
              std::size_t colon = msgs[m].find(':', prefix.size());
              if (pc.begin == 0 || msgs[m].compare(0, prefix.size(), prefix) != 0 || colon == std::string::npos) {
                stages_[0].add_message(msgs[m]);
                continue;
              }
              if (base == 0) base = reader.line_base();
              std::uint64_t line = std::stoull(msgs[m].substr(prefix.size(), colon - prefix.size()));
              stages_[0].add_message(fmt::format("{}{}{}", prefix, line + base, msgs[m].substr(colon)));
            }
          }
        }
      }
      chain.finish(buf, out);
    } catch (...) {
      for (std::size_t i = 0; i < chain.execs.size(); ++i) stages_[i].collect(*chain.execs[i], i > 0 || text_input);
      throw;
    }
    // The first stage's messages from NDJSON input were collected per piece, above.
    for (std::size_t i = 0; i < chain.execs.size(); ++i) stages_[i].collect(*chain.execs[i], i > 0 || text_input);
    sink(out);
    bytes_in_ += part.bytes;
    ++parts_done_;
  }

  // Returns true when a signal stopped it before its last partition.
  bool phase_a() {
    const bool dir = !o_.output_dir.empty();
    std::optional<Output> stdout_out;
    std::optional<PartFile> part_file;
    if (!dir && !keyed() && c_.rank == 0) stdout_out.emplace("");
    if (!dir && (keyed() || c_.rank != 0)) spool_.emplace(local_dir_);
    if (dir && !keyed())
      part_file.emplace(o_.output_dir + "/" + part_name(std::size_t(c_.rank)),
                        fmt::format("{}/journal-{:05}", work_dir_, c_.rank), o_.resume);
    for (std::size_t p = 0; p < plan_.parts.size(); ++p) {
      if (plan_.owner[p] != c_.rank) continue;
      if (stop_ && *stop_) return true;
      if (part_file) {
        if (part_file->committed(p)) {
          ++parts_skipped_;
          continue;
        }
        run_partition(p, [&](std::string_view b) { part_file->write(b); });
        part_file->commit(p);
      } else if (dir) {
        std::string path = fmt::format("{}/pre-{:05}", work_dir_, p);
        if (o_.resume && exists(path)) {
          ++parts_skipped_;
        } else {
          Output out(path);
          run_partition(p, [&](std::string_view b) { out.write(b); });
          out.commit();
        }
        pre_.push_back({p, path, 0, fs::file_size(path)});
      } else if (stdout_out) {
        run_partition(p, [&](std::string_view b) { stdout_out->write(b); });
      } else {
        std::uint64_t begin = spool_->size();
        run_partition(p, [&](std::string_view b) { spool_->write(b); });
        if (keyed()) pre_.push_back({p, spool_->path(), begin, spool_->size()});
      }
    }
    return false;
  }

  // Rank 0 writes every other rank's output, in rank order, after its own.
  void gather_to_stdout() {
    if (c_.rank == 0) {
      Output out("");
      receive_spools_at_root(out);
    } else {
      send_spool_to_root(*spool_);
    }
  }
  void receive_spools_at_root(Output& out) {
    for (int r = 1; r < c_.size; ++r) receive_stream(c_, r, [&](std::string_view b) { out.write(b); });
  }
  void send_spool_to_root(const Spool& spool) {
    std::string block;
    const std::size_t piece = std::size_t(4) << 20;
    for (std::uint64_t at = 0; at < spool.size(); at += piece) {
      spool.read(at, std::size_t(std::min<std::uint64_t>(piece, spool.size() - at)), block);
      send_stream(c_, 0, block);
    }
    end_stream(c_, 0);
  }

  // ---- phase B: keys to writers, the keyed stage per key group, ordered output ------
  struct PreRange {
    std::size_t part;
    std::string path;
    std::uint64_t begin, end;
  };

  // Reads back the records this rank passes to the keyed stage, in order, with their tags.
  class PreScanner {
   public:
    PreScanner(const std::vector<PreRange>& ranges, const std::string* name) : ranges_(ranges), name_(name) {
      limits_.max_record_bytes = std::numeric_limits<std::size_t>::max() / 2;
    }
    // The next record (valid until the next call), or nullptr at the end.
    const Record* next(Tag& tag) {
      while (at_ == batch_.records.size()) {
        at_ = 0;
        batch_.clear();
        if (!in_) {
          if (range_ == ranges_.size()) return nullptr;
          const PreRange& r = ranges_[range_];
          in_.emplace(r.path, name_, ByteRange{r.begin, r.end}, limits_);
          index_ = 0;
        }
        if (!in_->next(batch_)) {
          in_.reset();
          ++range_;
        }
      }
      tag = Tag{ranges_[range_].part, index_++};
      return &batch_.records[at_++];
    }

   private:
    const std::vector<PreRange>& ranges_;
    const std::string* name_;
    InputLimits limits_;
    std::size_t range_ = 0, at_ = 0;
    std::uint64_t index_ = 0;
    std::optional<LineReader> in_;
    Batch batch_;
  };

  // The keyed stage as one slice of a split key sees it.
  class SliceStage : public Stage {
   public:
    SliceStage(const Stage& inner, const Slice& s) : inner_(inner), slice_(s) {}
    bool concurrent() const override { return false; }
    std::unique_ptr<Worker> make_worker() const override { return inner_.make_slice_worker(slice_.begin, slice_.end); }

   private:
    const Stage& inner_;
    Slice slice_;
  };

  // One key group (or slice of one) through the keyed stage and the stages after it.
  struct GroupRun {
    std::string out;
    std::optional<Error> error;
    std::vector<std::uint64_t> records_in, skipped;
    std::vector<std::string> messages;  // "stage\tmessage"
  };

  template <class V>
  using KeyMap = StringMap<V>;

  // `records` are the group's records in order, in memory that has kJsonPadding readable
  // bytes after `data_end`. `slice`: run only that slice of the keyed stage's product.
  void run_group(const std::vector<std::string_view>& records, const char* data_end, std::string_view key,
                 const Slice* slice, GroupRun& d) {
    const std::size_t nstages = stages_.size() - keyed_;
    Chain chain;
    std::optional<SliceStage> slice_stage;
    try {
      chain.execs = make_executors(stages_, keyed_, stages_.size(), 1);
      if (slice) {
        slice_stage.emplace(*stages_[keyed_].stage, *slice);
        chain.execs[0] = std::make_unique<Executor>(*slice_stage, 1, stages_[keyed_].policy);
      }
      chain.counts.assign(nstages, 0);
      std::string what = placement_.kind == Placement::Kind::by_key ? fmt::format(" for key {}", key) : "";
      for (std::size_t i = 0; i < nstages; ++i) chain.sources.push_back(fmt::format("{} input{}", stages_[keyed_ + i].name, what));
      Batch batch;
      std::uint64_t line = 0;
      for (std::string_view data : records) {
        Record r;
        r.data = data;
        r.readable = std::size_t(data_end + kJsonPadding - data.data());
        r.source = &chain.sources[0];
        r.line = ++line;
        batch.records.push_back(r);
      }
      std::string buf;
      chain.run(0, batch, buf, d.out);
      chain.finish(buf, d.out);
    } catch (Error& e) {
      d.error = std::move(e);
    } catch (const std::exception& e) {
      d.error = Error(e.what());
    }
    // Every slice of a key reads all its records: only the first counts them for the keyed stage.
    const std::size_t counted = slice && slice->begin > 0 ? 1 : 0;
    for (std::size_t i = 0; i < chain.execs.size(); ++i) {
      d.records_in.push_back(i < counted ? 0 : chain.execs[i]->records_in());
      d.skipped.push_back(i < counted ? 0 : chain.execs[i]->skipped());
      if (i >= counted)
        for (const auto& m : chain.execs[i]->skip_messages()) d.messages.push_back(fmt::format("{}\t{}", i, m));
    }
  }

  // Adds a group run's counts to the stages'; rethrows its error.
  void collect(GroupRun& d) {
    for (std::size_t i = 0; i < d.records_in.size(); ++i) {
      stages_[keyed_ + i].records_in += d.records_in[i];
      stages_[keyed_ + i].skipped += d.skipped[i];
    }
    for (const std::string& m : d.messages) {
      std::size_t tab = m.find('\t');
      stages_[keyed_ + std::stoul(m.substr(0, tab))].add_message(m.substr(tab + 1));
    }
    if (d.error) throw std::move(*d.error);
  }

  // Returns false when stopped by a signal.
  bool phase_b() {
    const std::size_t per_dest = std::max<std::size_t>(o_.shuffle_bytes / 2 / std::size_t(c_.size), 64 << 10);
    const bool by_key = placement_.kind == Placement::Kind::by_key;
    const Stage& keyed_stage = *stages_[keyed_].stage;
    const SplitPolicy policy{c_.size, std::max(1, o_.threads), o_.split_min_pairs};
    bool whole_keys = false;  // a later stage ranks a key's whole output (mllink --top-right)
    for (std::size_t i = keyed_ + 1; i < stages_.size(); ++i)
      whole_keys = whole_keys || stages_[i].stage->together() == Together::key;
    const bool products = by_key && !o_.no_split && !whole_keys && keyed_stage.splits_products();

    // 1. This rank's keys and their figures; each record's key, so records are parsed once.
    KeyMap<std::uint32_t> ids;
    std::vector<const std::string*> names;
    std::vector<KeyStat> stats;
    std::vector<std::uint32_t> record_key;
    {
      JsonReader reader;
      PreScanner scan(pre_, &pre_name_);
      Tag tag;
      std::string key;
      while (const Record* r = scan.next(tag)) {
        ProductRoles roles;
        key.clear();
        if (by_key) {
          try {
            reader.index(*r);
            std::optional<Field> f = reader.find(placement_.key);
            key = f ? f->raw : std::string_view("\x01missing", 8);
            if (products) roles = keyed_stage.product_roles(reader);
          } catch (const Error&) {
            key = "\x01invalid";  // the keyed stage reports it, as --on-error says
          }
        }
        auto it = ids.find(std::string_view(key));
        if (it == ids.end()) {
          it = ids.emplace(key, std::uint32_t(names.size())).first;
          names.push_back(&it->first);
          stats.emplace_back();
        }
        KeyStat& s = stats[it->second];
        s.first = std::min(s.first, tag);
        ++s.records;
        s.rows += roles.row;
        s.columns += roles.column;
        record_key.push_back(it->second);
      }
    }

    // 2. The directory: each key's figures meet at the rank of its hash.
    struct DirEntry {
      KeyStat stat;
      std::vector<int> sources;
    };
    KeyMap<DirEntry> dir;
    {
      std::size_t next = 0;
      std::string counts;
      auto produce = [&](std::vector<std::string>& out, std::size_t budget) -> bool {
        for (; next < names.size(); ++next) {
          std::string& o = out[std::size_t(stable_hash(*names[next]) % std::uint64_t(c_.size))];
          counts.clear();
          stats[next].append_counts(counts);
          put_entry(o, stats[next].first, *names[next], counts);
          if (o.size() >= budget) return ++next == names.size();
        }
        return true;
      };
      auto consume = [&](int src, std::string_view bytes) {
        std::size_t pos = 0;
        EntryView e;
        while (get_entry(bytes, pos, e)) {
          auto it = dir.find(e.key);
          if (it == dir.end()) it = dir.emplace(std::string(e.key), DirEntry{}).first;
          it->second.stat.merge(KeyStat::from(e.tag, e.data));
          it->second.sources.push_back(src);
        }
      };
      if (!exchange(c_, per_dest, produce, consume, stop_)) return false;
    }

    // 3. Each writer's load, and the keys to split (planned alike on every rank).
    std::vector<double> loads(std::size_t(c_.size), 0);
    {
      std::string candidates;
      for (const auto& [key, e] : dir) {
        int writer = plan_.owner[e.stat.first.part];
        loads[std::size_t(writer)] += e.stat.cost();
        if (products && split_candidate(e.stat, policy)) SplitKey{key, e.stat, writer, {}}.append_to(candidates);
      }
      MPI_Allreduce(MPI_IN_PLACE, loads.data(), c_.size, MPI_DOUBLE, MPI_SUM, c_.comm);
      std::vector<SplitKey> all;
      for (const std::string& bytes : allgather_bytes(c_, candidates)) {
        std::size_t pos = 0;
        SplitKey k;
        while (SplitKey::read(bytes, pos, k)) all.push_back(k);
      }
      splits_ = plan_splits(std::move(all), loads, policy);
    }
    KeyMap<std::size_t> split_of;
    for (std::size_t s = 0; s < splits_.size(); ++s) {
      split_of.emplace(splits_[s].key, s);
      for (const Slice& sl : splits_[s].slices) slices_ += sl.rank == c_.rank;
    }

    // 4. Each rank learns where its keys' records go: the writer, or every rank with a slice.
    std::vector<std::vector<int>> targets(names.size());
    for (std::size_t k = 0; k < names.size(); ++k) {
      auto s = split_of.find(*names[k]);
      if (s == split_of.end()) continue;
      for (const Slice& sl : splits_[s->second].slices)
        if (std::find(targets[k].begin(), targets[k].end(), sl.rank) == targets[k].end()) targets[k].push_back(sl.rank);
    }
    {
      std::vector<const std::pair<const std::string, DirEntry>*> entries;
      for (const auto& e : dir)
        if (!split_of.count(e.first)) entries.push_back(&e);
      std::size_t next = 0, source = 0;
      auto produce = [&](std::vector<std::string>& out, std::size_t budget) -> bool {
        for (; next < entries.size(); ++next, source = 0) {
          const auto& [key, e] = *entries[next];
          Tag writer{std::uint64_t(plan_.owner[e.stat.first.part]), 0};
          for (; source < e.sources.size(); ++source) {
            std::string& o = out[std::size_t(e.sources[source])];
            put_entry(o, writer, key, {});
            if (o.size() >= budget) {
              ++source;
              return false;
            }
          }
        }
        return true;
      };
      auto consume = [&](int, std::string_view bytes) {
        std::size_t pos = 0;
        EntryView e;
        while (get_entry(bytes, pos, e)) targets[ids.find(e.key)->second] = {int(e.tag.part)};
      };
      if (!exchange(c_, per_dest, produce, consume, stop_)) return false;
    }
    dir.clear();

    // 5. The records move.
    Spool received(local_dir_);
    {
      PreScanner scan(pre_, &pre_name_);
      std::size_t i = 0;
      auto produce = [&](std::vector<std::string>& out, std::size_t budget) -> bool {
        Tag tag;
        while (const Record* r = scan.next(tag)) {
          std::uint32_t k = record_key[i++];
          bool full = false;
          for (int t : targets[k]) {
            std::string& o = out[std::size_t(t)];
            put_entry(o, tag, *names[k], r->data);
            if (t != c_.rank) shuffled_out_ += r->data.size();
            full = full || o.size() >= budget;
          }
          if (full) return false;
        }
        return true;
      };
      auto consume = [&](int src, std::string_view bytes) {
        if (src != c_.rank) shuffled_in_ += bytes.size();
        received.write(bytes);
      };
      if (!exchange(c_, per_dest, produce, consume, stop_)) return false;
    }
    record_key = {};

    // 6. This rank's key groups, in the order of their first record; records in order within each.
    std::string_view all = received.map();
    const char* all_end = all.data() + all.size();
    struct Rec {
      Tag tag;
      std::uint32_t group;
      std::string_view data;
    };
    std::vector<Rec> recs;
    std::vector<std::string_view> group_keys;
    {
      std::unordered_map<std::string_view, std::uint32_t> gids;
      std::size_t pos = 0;
      EntryView e;
      while (get_entry(all, pos, e)) {
        auto [it, added] = gids.try_emplace(e.key, std::uint32_t(group_keys.size()));
        if (added) group_keys.push_back(e.key);
        recs.push_back({e.tag, it->second, e.data});
      }
    }
    std::sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.tag < b.tag; });
    std::vector<std::vector<std::string_view>> members(group_keys.size());
    std::vector<Tag> group_first(group_keys.size());
    std::vector<std::uint32_t> group_order;
    for (const Rec& r : recs) {
      auto& m = members[r.group];
      if (m.empty()) {
        group_first[r.group] = r.tag;
        group_order.push_back(r.group);
      }
      m.push_back(r.data);
    }
    recs = {};
    const int threads = std::max(1, o_.threads);

    // 7. The slices of split keys given to this rank. Their output is posted to the key's
    //    writer at once, so that no rank waits for slices while it could write its own keys.
    std::vector<GroupRun> slice_runs;
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> my_slice;  // (key, slice) -> slice_runs
    std::vector<MPI_Request> sends;
    {
      std::vector<std::pair<std::size_t, std::size_t>> mine;
      std::unordered_map<std::string_view, std::uint32_t> group_of;
      for (std::uint32_t g = 0; g < group_keys.size(); ++g) group_of.emplace(group_keys[g], g);
      for (std::size_t s = 0; s < splits_.size(); ++s)
        for (std::size_t i = 0; i < splits_[s].slices.size(); ++i)
          if (splits_[s].slices[i].rank == c_.rank) mine.emplace_back(s, i);
      slice_runs.resize(mine.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
      for (std::size_t u = 0; u < mine.size(); ++u) {
        const SplitKey& k = splits_[mine[u].first];
        run_group(members[group_of.at(k.key)], all_end, k.key, &k.slices[mine[u].second], slice_runs[u]);
      }
      for (std::size_t u = 0; u < mine.size(); ++u) {
        collect(slice_runs[u]);
        int writer = splits_[mine[u].first].writer;
        if (writer == c_.rank)
          my_slice[mine[u]] = u;
        else
          post_stream(c_, writer, slice_runs[u].out, sends);
      }
    }

    // 8. Output, in the order of first records: this rank's groups, and the split keys it writes.
    struct Unit {
      Tag first;
      bool split;
      std::uint32_t id;  // group, or index in splits_
    };
    std::vector<Unit> units;
    for (std::uint32_t g : group_order)
      if (split_of.find(group_keys[g]) == split_of.end()) units.push_back({group_first[g], false, g});
    for (std::uint32_t s = 0; s < splits_.size(); ++s)
      if (splits_[s].writer == c_.rank) units.push_back({splits_[s].stat.first, true, s});
    std::sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) { return a.first < b.first; });
    groups_ = units.size();

    OrderedWriter writer(*this);
    std::size_t u0 = 0;
    while (u0 < units.size()) {
      if (units[u0].split) {
        const SplitKey& k = splits_[units[u0].id];
        for (std::size_t i = 0; i < k.slices.size(); ++i) {
          if (k.slices[i].rank == c_.rank)
            writer.write(slice_runs[my_slice.at({units[u0].id, i})].out);
          else
            receive_posted(c_, k.slices[i].rank, [&](std::string_view b) { writer.write(b); });
        }
        ++u0;
        continue;
      }
      // A window of groups of about 64 MiB of input, or 1024 groups, run on the threads.
      std::size_t u1 = u0, bytes = 0;
      while (u1 < units.size() && !units[u1].split && u1 - u0 < 1024 && bytes < (std::size_t(64) << 20)) {
        for (std::string_view d : members[units[u1].id]) bytes += d.size();
        ++u1;
      }
      std::vector<GroupRun> done(u1 - u0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
      for (std::size_t u = u0; u < u1; ++u)
        run_group(members[units[u].id], all_end, group_keys[units[u].id], nullptr, done[u - u0]);
      for (std::size_t u = u0; u < u1; ++u) {
        collect(done[u - u0]);
        writer.write(done[u - u0].out);
        done[u - u0].out = std::string();
      }
      u0 = u1;
      if (!sends.empty()) {  // lets posted slices move on while this rank computes
        int done_all = 0;
        MPI_Testall(int(sends.size()), sends.data(), &done_all, MPI_STATUSES_IGNORE);
      }
    }
    MPI_Waitall(int(sends.size()), sends.data(), MPI_STATUSES_IGNORE);
    writer.close();
    return true;
  }

  // Writes this rank's output of the keyed stage in order: into its part file (-o DIR), to
  // standard output (rank 0), or into a spool that goes to rank 0 after every rank before
  // it has written (the other ranks, for standard output).
  class OrderedWriter {
   public:
    explicit OrderedWriter(Job& job) : job_(job) {
      if (!job_.o_.output_dir.empty())
        out_.emplace(job_.o_.output_dir + "/" + part_name(std::size_t(job_.c_.rank)));
      else if (job_.c_.rank == 0)
        out_.emplace("");
      else
        spool_.emplace(job_.local_dir_);
    }
    void write(std::string_view bytes) {
      if (out_)
        out_->write(bytes);
      else
        spool_->write(bytes);
    }
    void close() {
      if (!job_.o_.output_dir.empty())
        out_->commit();
      else if (spool_)
        job_.send_spool_to_root(*spool_);
      else
        job_.receive_spools_at_root(*out_);
    }

   private:
    Job& job_;
    std::optional<Output> out_;
    std::optional<Spool> spool_;
  };

  // ---- reports ----------------------------------------------------------------------
  // Each rank's skip messages, then the totals per stage from rank 0.
  void report_skips() {
    for (const StageRun& s : stages_)
      for (const std::string& m : s.skip_messages) fmt::print(stderr, "mlmr: rank {}: {}: skipped: {}\n", c_.rank, s.name, m);
    std::vector<std::uint64_t> mine, all(stages_.size() * 2);
    for (const StageRun& s : stages_) {
      mine.push_back(s.skipped);
      mine.push_back(s.records_in);
    }
    MPI_Reduce(mine.data(), all.data(), int(mine.size()), MPI_UINT64_T, MPI_SUM, 0, c_.comm);
    if (c_.rank != 0) return;
    for (std::size_t i = 0; i < stages_.size(); ++i)
      if (all[2 * i])
        fmt::print(stderr, "mlmr: {}: skipped {} bad record{} of {}\n", stages_[i].name, all[2 * i],
                   all[2 * i] == 1 ? "" : "s", all[2 * i + 1]);
  }

  // --stats: one line per rank, in rank order, from rank 0.
  void report_stats(double total) {
    if (!o_.stats) return;
    std::string line = fmt::format(
        "mlmr: stats: rank {}: partitions {} (skipped {}), input {:.1f} MB, phase A {:.3f} s, phase B {:.3f} s, "
        "records moved out {:.1f} MB in {:.1f} MB, key groups written {}, split keys {} (slices here {}), models {} files "
        "{:.1f} MB, total {:.3f} s, peak RSS {:.1f} MB",
        c_.rank, parts_done_, parts_skipped_, bytes_in_ / 1e6, time_a_, time_b_, shuffled_out_ / 1e6, shuffled_in_ / 1e6,
        groups_, splits_.size(), slices_, models_files_, models_bytes_ / 1e6, total, peak_rss_kb() / 1024.0);
    if (c_.rank == 0) {
      fmt::print(stderr, "{}\n", line);
      for (int r = 1; r < c_.size; ++r) receive_stream(c_, r, [](std::string_view b) { fmt::print(stderr, "{}\n", b); });
    } else {
      send_stream(c_, 0, line);
      end_stream(c_, 0);
    }
  }

  const Comm& c_;
  const JobOptions& o_;
  const volatile std::sig_atomic_t* stop_;
  std::vector<StageRun> stages_;
  std::size_t keyed_ = 0;
  Placement placement_;
  Plan plan_;
  std::vector<std::string> displays_;
  std::string local_dir_, work_dir_;
  std::optional<Spool> spool_;  // phase A output waiting (stdout mode)
  std::vector<PreRange> pre_;   // records reaching the keyed stage, per owned partition
  std::string pre_name_ = "records before the keyed stage";
  // For --stats.
  std::size_t models_files_ = 0;
  std::uint64_t models_bytes_ = 0;
  std::uint64_t bytes_in_ = 0, shuffled_out_ = 0, shuffled_in_ = 0;
  std::size_t parts_done_ = 0, parts_skipped_ = 0, groups_ = 0, slices_ = 0;
  std::vector<SplitKey> splits_;  // keys of the keyed stage cut into slices (the same on every rank)
  double time_a_ = 0, time_b_ = 0;
};

}  // namespace

int run_job(const Comm& c, const JobOptions& o, const volatile std::sig_atomic_t* stop) {
  try {
    Job job(c, o, stop);
    return job.run();
  } catch (const JobEnd& end) {
    return end.code;
  } catch (const BrokenPipe&) {
    // This rank's standard output lost its reader (no launcher in between: a single rank
    // run without mpirun). End as a pipeline's program does, killed by SIGPIPE: status 141,
    // no message; a launcher then ends the other ranks.
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
    MPI_Abort(c.comm, int(Exit::broken_pipe));
  } catch (const Error& e) {
    fmt::print(stderr, "mlmr: error: rank {}: {}\n", c.rank, describe(e));
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "mlmr: error: rank {}: out of memory\n", c.rank);
  } catch (const std::exception& e) {
    fmt::print(stderr, "mlmr: error: rank {}: {}\n", c.rank, e.what());
  }
  std::fflush(stderr);
  // The other ranks may be waiting for this one in a collective: end them all now.
  MPI_Abort(c.comm, int(Exit::failure));
  return int(Exit::failure);
}

}  // namespace mlpipe::mr
