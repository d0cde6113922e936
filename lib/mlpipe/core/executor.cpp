#include "mlpipe/core/executor.h"

#include <algorithm>
#include <exception>
#include <optional>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/thread_pool.h"

namespace mlpipe {

namespace {
constexpr std::size_t kMaxSkipMessages = 10;
}

struct Executor::Chunk {
  std::size_t begin = 0, end = 0;  // record range in the batch
  std::string out;
  std::string rejects;
  std::uint64_t skipped = 0;
  std::vector<Error> skips;
  std::optional<Error> error;  // the first failing record stops the chunk
};

Executor::Executor(const Stage& stage, int threads, ErrorPolicy policy)
    : stage_(stage), threads_(stage.concurrent() ? std::max(1, threads) : 1), policy_(policy) {
  for (int i = 0; i < threads_; ++i) workers_.push_back(stage_.make_worker());
  if (threads_ > 1) pool_ = std::make_unique<ThreadPool>(threads_);
}

Executor::~Executor() = default;

void Executor::run_chunk(Worker& worker, const Batch& in, Chunk& chunk) {
  for (std::size_t i = chunk.begin; i < chunk.end; ++i) {
    const Record& r = in.records[i];
    std::size_t mark = chunk.out.size();
    std::optional<Error> failure;
    try {
      if (r.too_long)
        throw Error(fmt::format("record is longer than {} bytes (raise --max-record-bytes)", policy_.max_record_bytes));
      worker.process(r, chunk.out);
    } catch (Error& e) {
      failure = std::move(e);
    } catch (const std::bad_alloc&) {
      failure = Error("out of memory while processing this record");
    } catch (const std::exception& e) {
      failure = Error(e.what());
    }
    if (!failure) continue;
    chunk.out.resize(mark);
    failure->locate(r.source_name(), r.line);
    if (!policy_.skip || failure->is_usage()) {
      chunk.error = std::move(failure);
      return;
    }
    ++chunk.skipped;
    if (chunk.skips.size() < kMaxSkipMessages) chunk.skips.push_back(*failure);
    if (policy_.rejects && !r.too_long) {
      chunk.rejects.append(r.data);
      chunk.rejects.push_back('\n');
    }
  }
}

void Executor::process(const Batch& in, std::string& out) {
  const std::size_t n = in.records.size();
  records_in_ += n;
  // Several chunks per thread balance uneven records (long documents next to short ones).
  std::size_t chunks = threads_ == 1 ? 1 : std::min<std::size_t>(n, std::size_t(threads_) * 8);
  if (chunks == 0) {
    out.clear();
    return;
  }
  // The chunks' buffers live from batch to batch: their capacity is reused, not reallocated.
  std::vector<Chunk>& parts = parts_;
  if (parts.size() < chunks) parts.resize(chunks);
  for (std::size_t c = 0; c < chunks; ++c) {
    Chunk& part = parts[c];
    part.begin = n * c / chunks;
    part.end = n * (c + 1) / chunks;
    part.out.clear();
    part.rejects.clear();
    part.skipped = 0;
    part.skips.clear();
    part.error.reset();
  }
  out.clear();
  if (chunks == 1) {
    parts[0].out.swap(out);  // reuse the caller's buffer
    run_chunk(*workers_[0], in, parts[0]);
  } else {
    pool_->run(chunks, [&](std::size_t c, int worker) { run_chunk(*workers_[std::size_t(worker)], in, parts[c]); });
  }
  for (std::size_t c = 0; c < chunks; ++c) {
    Chunk& part = parts[c];
    if (chunks == 1)
      out.swap(part.out);
    else
      out += part.out;
    skipped_ += part.skipped;
    for (auto& e : part.skips)
      if (skips_.size() < kMaxSkipMessages) skips_.push_back(std::move(e));
    if (policy_.rejects && !part.rejects.empty()) policy_.rejects->write(part.rejects);
    if (part.error) throw std::move(*part.error);
  }
}

void Executor::finish(std::string& out) {
  out.clear();
  std::string part;
  bool more = true;
  while (more) {
    more = finish_part(part);
    out += part;
  }
}

bool Executor::finish_part(std::string& out) {
  out.clear();
  while (finishing_ < workers_.size()) {
    if (workers_[finishing_]->finish_part(out)) return true;
    ++finishing_;
    if (!out.empty() && finishing_ < workers_.size()) return true;
  }
  return false;
}

}  // namespace mlpipe
