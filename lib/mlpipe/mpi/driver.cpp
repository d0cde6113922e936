#include "mlpipe/mpi/driver.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <limits>
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
#include "mlpipe/mpi/models.h"
#include "mlpipe/mpi/partition.h"
#include "mlpipe/mpi/pipeline.h"
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

  // End of input: each stage's held records go through the stages after it.
  void finish(std::string& buf, std::string& out) {
    for (std::size_t i = 0; i < execs.size(); ++i) {
      std::string held;
      execs[i]->finish(held);
      if (held.empty()) continue;
      if (i + 1 == execs.size()) {
        out += held;
        continue;
      }
      Batch b;
      Batch::from_lines(b, std::move(held), &sources[i + 1]);
      for (Record& r : b.records) r.line += counts[i + 1];
      run(i + 1, b, buf, out);
    }
  }
};

std::uint64_t peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return std::uint64_t(ru.ru_maxrss);
}

// The run's plan, shared by every rank and kept in DIR/_manifest for --resume: the
// pipeline and inputs (header) and the partitions.
struct Plan {
  std::vector<InputFile> files;
  std::vector<Partition> parts;
  std::vector<int> owner;
  bool complete = false;  // --resume found a finished run
};

std::string manifest_header(const std::string& pipeline, const std::vector<InputFile>& files) {
  std::string h = "mlmr-manifest 1\npipeline ";
  append_json_string(h, pipeline);
  h += '\n';
  for (const InputFile& f : files) {
    h += fmt::format("input {} {} ", f.size, f.mtime_ns);
    append_json_string(h, f.path);
    h += '\n';
  }
  return h;
}

std::string manifest_text(const std::string& pipeline, const Plan& plan) {
  std::string m = manifest_header(pipeline, plan.files);
  for (const Partition& p : plan.parts) {
    m += "partition";
    for (const Piece& pc : p.pieces) m += fmt::format(" {} {} {}", pc.file, pc.begin, pc.end);
    m += '\n';
  }
  return m;
}

// Reads the partitions of a manifest whose header is `header`; false when it is another run's.
bool read_manifest(const std::string& text, const std::string& header, std::vector<Partition>& parts) {
  if (text.compare(0, header.size(), header) != 0) return false;
  std::istringstream in(text.substr(header.size()));
  std::string line;
  parts.clear();
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string word;
    if (!(ls >> word) || word != "partition") return false;
    Partition p;
    Piece pc;
    while (ls >> pc.file >> pc.begin >> pc.end) {
      p.pieces.push_back(pc);
      p.bytes += pc.end - pc.begin;
    }
    if (p.pieces.empty()) return false;
    parts.push_back(std::move(p));
  }
  return !parts.empty();
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
    if (!o_.output_dir.empty()) {
      MPI_Barrier(c_.comm);  // every part is in place before the marker
      if (c_.rank == 0) {
        std::error_code ec;
        fs::remove_all(work_dir_, ec);
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
    std::optional<ModelBroadcast> models;
    agree(c_, [&] { models.emplace(c_, words, o_.tmpdir); });
    models_files_ = models->files();
    models_bytes_ = models->bytes();
    agree(c_, [&] {
      std::vector<StageSpec> specs = parse_pipeline(words, o_.test_tools);
      for (StageSpec& s : specs) {
        StageRun run;
        run.name = std::string(s.tool->name);
        run.stage = s.factory();
        if (!run.stage) throw Error::usage(fmt::format("{}: does not run as a pipeline stage", run.name));
        run.policy.skip = s.skip_errors.value_or(o_.skip_errors);
        run.policy.max_record_bytes = s.max_record_bytes.value_or(o_.max_record_bytes);
        stages_.push_back(std::move(run));
      }
    });
    models->remove_copies();  // every rank has built its stages (agree() is collective)
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
    });
    agree(c_, [&] { make_plan(); });
    local_dir_ = o_.tmpdir;
    if (!o_.output_dir.empty()) work_dir_ = o_.output_dir + "/_work";
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
            if (!read_manifest(read_whole_file(manifest), header, plan.parts))
              throw Error(dir, 0,
                          "holds a run of another pipeline or of other (or changed) inputs: remove it, or run without "
                          "--resume to replace it");
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
          if (!o_.output_dir.empty()) write_file_atomically(o_.output_dir + "/_manifest", manifest_text(o_.pipeline, plan));
        }
        if (keyed_ < stages_.size() && !o_.output_dir.empty()) {
          std::error_code ec;
          fs::create_directories(o_.output_dir + "/_work", ec);
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
    if (!read_manifest(manifest, header, plan_.parts)) throw Error("internal: unreadable plan");
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
    if (!dir && !keyed() && c_.rank == 0) stdout_out.emplace("");
    if (!dir && (keyed() || c_.rank != 0)) spool_.emplace(local_dir_);
    for (std::size_t p = 0; p < plan_.parts.size(); ++p) {
      if (plan_.owner[p] != c_.rank) continue;
      if (stop_ && *stop_) return true;
      if (dir) {
        std::string path = keyed() ? fmt::format("{}/pre-{:05}", work_dir_, p) : o_.output_dir + "/" + part_name(p);
        if (o_.resume && exists(path)) {
          ++parts_skipped_;
          if (keyed()) pre_.push_back({p, path, 0, fs::file_size(path)});
          continue;
        }
        Output out(path);
        run_partition(p, [&](std::string_view b) { out.write(b); });
        out.commit();
        if (keyed()) pre_.push_back({p, path, 0, fs::file_size(path)});
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

  // Rank 0 writes every other rank's partitions, in rank order, after its own.
  void gather_to_stdout() {
    if (c_.rank == 0) {
      Output out("");
      for (int r = 1; r < c_.size; ++r) receive_stream(c_, r, [&](std::string_view b) { out.write(b); });
      return;
    }
    std::string block;
    const std::size_t piece = std::size_t(4) << 20;
    for (std::uint64_t at = 0; at < spool_->size(); at += piece) {
      spool_->read(at, std::size_t(std::min<std::uint64_t>(piece, spool_->size() - at)), block);
      send_stream(c_, 0, block);
    }
    end_stream(c_, 0);
  }

  // ---- phase B: shuffle by key, the keyed stage per key group, ordered output ---------
  struct PreRange {
    std::size_t part;
    std::string path;
    std::uint64_t begin, end;
  };

  // Returns false when stopped by a signal.
  bool phase_b() {
    const std::size_t per_dest = std::max<std::size_t>(o_.shuffle_bytes / 2 / std::size_t(c_.size), 64 << 10);
    // 1. Every record reaching the keyed stage goes to the rank of its key's hash.
    Spool received(local_dir_);
    {
      JsonReader reader;
      std::size_t src = 0;
      std::optional<LineReader> in;
      Batch batch;
      std::size_t at = 0;
      std::uint64_t index = 0;
      const bool by_key = placement_.kind == Placement::Kind::by_key;
      InputLimits limits;
      limits.max_record_bytes = std::numeric_limits<std::size_t>::max() / 2;
      auto produce = [&](std::vector<std::string>& out, std::size_t budget) -> bool {
        while (true) {
          if (at == batch.records.size()) {
            at = 0;
            batch.clear();
            while (true) {
              if (!in) {
                if (src == pre_.size()) return true;
                const PreRange& r = pre_[src];
                in.emplace(r.path, &pre_name_, ByteRange{r.begin, r.end}, limits);
                index = 0;
              }
              if (in->next(batch)) break;
              in.reset();
              ++src;
            }
          }
          const Record& r = batch.records[at++];
          std::string_view key;
          if (by_key) {
            reader.index(r);
            const Field* f = reader.find(placement_.key);
            key = f ? f->raw : std::string_view("\x01missing", 8);
          }
          int dest = by_key ? int(stable_hash(key) % std::uint64_t(c_.size)) : 0;
          put_entry(out[std::size_t(dest)], Tag{pre_[src].part, index++}, key, r.data);
          shuffled_out_ += r.data.size();
          if (out[std::size_t(dest)].size() >= budget) return false;
        }
      };
      auto consume = [&](int, std::string_view bytes) { received.write(bytes); };
      if (!exchange(c_, per_dest, produce, consume, stop_)) return false;
    }
    shuffled_in_ = received.size();

    // 2. Key groups, in the order of their first record; records in order within each.
    std::string_view all = received.map();
    struct Rec {
      Tag tag;
      std::uint32_t group;
      std::string_view data;
    };
    std::vector<Rec> recs;
    std::vector<std::string_view> group_keys;
    {
      std::unordered_map<std::string_view, std::uint32_t> ids;
      std::size_t pos = 0;
      EntryView e;
      while (get_entry(all, pos, e)) {
        auto [it, added] = ids.try_emplace(e.key, std::uint32_t(group_keys.size()));
        if (added) group_keys.push_back(e.key);
        recs.push_back({e.tag, it->second, e.data});
      }
    }
    std::sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.tag < b.tag; });
    std::vector<std::uint32_t> group_order;  // groups by first record
    std::vector<std::vector<std::uint32_t>> members(group_keys.size());
    for (std::uint32_t i = 0; i < recs.size(); ++i) {
      auto& m = members[recs[i].group];
      if (m.empty()) group_order.push_back(recs[i].group);
      m.push_back(i);
    }
    groups_ = group_order.size();

    // 3. The keyed stage and those after it, once per group; groups in parallel.
    Spool results(local_dir_);
    std::vector<std::pair<Tag, std::pair<std::uint64_t, std::uint64_t>>> result_index;
    const char* map_end = all.data() + all.size() + kJsonPadding;
    struct Done {
      std::string out;
      std::optional<Error> error;
      std::vector<std::uint64_t> records_in, skipped;
      std::vector<std::string> messages;  // "stage\tmessage"
    };
    const std::size_t nstages = stages_.size() - keyed_;
    std::size_t g0 = 0;
    while (g0 < group_order.size()) {
      // A window of groups of about 64 MiB of input, or 1024 groups.
      std::size_t g1 = g0, bytes = 0;
      while (g1 < group_order.size() && g1 - g0 < 1024 && bytes < (std::size_t(64) << 20)) {
        for (std::uint32_t i : members[group_order[g1]]) bytes += recs[i].data.size();
        ++g1;
      }
      std::vector<Done> done(g1 - g0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::max(1, o_.threads))
      for (std::size_t g = g0; g < g1; ++g) {
        Done& d = done[g - g0];
        std::uint32_t gid = group_order[g];
        Chain chain;
        try {
          chain.execs = make_executors(stages_, keyed_, stages_.size(), 1);
          chain.counts.assign(nstages, 0);
          std::string key = placement_.kind == Placement::Kind::by_key ? fmt::format("key {}", group_keys[gid]) : "";
          for (std::size_t i = 0; i < nstages; ++i)
            chain.sources.push_back(fmt::format("{} input{}{}", stages_[keyed_ + i].name, key.empty() ? "" : " for ", key));
          Batch batch;
          std::uint64_t line = 0;
          for (std::uint32_t i : members[gid]) {
            Record r;
            r.data = recs[i].data;
            r.readable = std::size_t(map_end - r.data.data());
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
        for (const auto& ex : chain.execs) {
          d.records_in.push_back(ex->records_in());
          d.skipped.push_back(ex->skipped());
          for (const auto& m : ex->skip_messages()) d.messages.push_back(fmt::format("{}\t{}", d.records_in.size() - 1, m));
        }
      }
      for (std::size_t g = g0; g < g1; ++g) {
        Done& d = done[g - g0];
        for (std::size_t i = 0; i < d.records_in.size(); ++i) {
          stages_[keyed_ + i].records_in += d.records_in[i];
          stages_[keyed_ + i].skipped += d.skipped[i];
        }
        for (const std::string& m : d.messages) {
          std::size_t tab = m.find('\t');
          auto& sm = stages_[keyed_ + std::stoul(m.substr(0, tab))].skip_messages;
          if (sm.size() < 10) sm.push_back(m.substr(tab + 1));
        }
        if (d.error) throw std::move(*d.error);
        if (d.out.empty()) continue;
        result_index.push_back({recs[members[group_order[g]].front()].tag, {results.size(), d.out.size()}});
        results.write(d.out);
      }
      g0 = g1;
    }

    // 4. Results go where they are written: rank 0 for stdout, else the owner of the partition
    //    of the group's first record; there they are put back in the global order.
    std::string_view res = results.map();
    Spool final_in(local_dir_);
    std::vector<EntryView> units;  // what this rank writes: its own results in place, then those received
    auto dest_of = [&](const Tag& tag) { return o_.output_dir.empty() ? 0 : plan_.owner[tag.part]; };
    for (const auto& [tag, span] : result_index)
      if (dest_of(tag) == c_.rank) units.push_back({tag, {}, res.substr(std::size_t(span.first), std::size_t(span.second))});
    {
      std::size_t next = 0;
      auto produce = [&](std::vector<std::string>& out, std::size_t budget) -> bool {
        for (; next < result_index.size(); ++next) {
          const auto& [tag, span] = result_index[next];
          int dest = dest_of(tag);
          if (dest == c_.rank) continue;
          put_entry(out[std::size_t(dest)], tag, {}, res.substr(std::size_t(span.first), std::size_t(span.second)));
          if (out[std::size_t(dest)].size() >= budget) {
            ++next;
            return next == result_index.size();
          }
        }
        return true;
      };
      auto consume = [&](int, std::string_view bytes) { final_in.write(bytes); };
      if (!exchange(c_, per_dest, produce, consume, stop_)) return false;
    }
    std::string_view fin = final_in.map();
    {
      std::size_t pos = 0;
      EntryView e;
      while (get_entry(fin, pos, e)) units.push_back(e);
    }
    std::sort(units.begin(), units.end(), [](const EntryView& a, const EntryView& b) { return a.tag < b.tag; });
    if (o_.output_dir.empty()) {
      if (c_.rank == 0) {
        Output out("");
        for (const EntryView& u : units) out.write(u.data);
      }
    } else {
      std::size_t u = 0;
      for (std::size_t p = 0; p < plan_.parts.size(); ++p) {
        if (plan_.owner[p] != c_.rank) continue;
        Output out(o_.output_dir + "/" + part_name(p));
        for (; u < units.size() && units[u].tag.part == p; ++u) out.write(units[u].data);
        out.commit();
      }
    }
    return true;
  }

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
        "shuffle out {:.1f} MB in {:.1f} MB, key groups {}, models {} files {:.1f} MB, total {:.3f} s, peak RSS {:.1f} MB",
        c_.rank, parts_done_, parts_skipped_, bytes_in_ / 1e6, time_a_, time_b_, shuffled_out_ / 1e6, shuffled_in_ / 1e6,
        groups_, models_files_, models_bytes_ / 1e6, total, peak_rss_kb() / 1024.0);
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
  std::size_t parts_done_ = 0, parts_skipped_ = 0, groups_ = 0;
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
