#include "mlpipe/mpi/test_tools.h"

#include <map>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"

namespace mlpipe::mr {

namespace {

class CatStage : public Stage {
  struct W : Worker {
    JsonReader reader;
    void process(const Record& in, std::string& out) override {
      reader.index(in);
      out.append(in.data);
      out.push_back('\n');
    }
  };

 public:
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<W>(); }
};

class LinesStage : public Stage {
  struct W : Worker {
    void process(const Record& in, std::string& out) override {
      JsonWriter w(out);
      std::size_t pos = 0, n = 0;
      while (pos < in.data.size()) {
        std::size_t nl = in.data.find('\n', pos);
        if (nl == std::string_view::npos) nl = in.data.size();
        std::string_view line = in.data.substr(pos, nl - pos);
        ++n;
        if (!line.empty()) {
          if (line == "FAIL") throw Error("line " + std::to_string(n) + ": the text says FAIL");
          w.begin_object().key("doc").string(in.source_name()).key("line").integer(std::int64_t(n));
          w.key("text").string(line).end_object().end_record();
        }
        pos = nl + 1;
      }
    }
  };

 public:
  bool reads_text() const override { return true; }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<W>(); }
};

class ModelStage : public Stage {
  struct W : Worker {
    const std::string* model;
    JsonReader reader;
    explicit W(const std::string* m) : model(m) {}
    void process(const Record& in, std::string& out) override {
      JsonWriter w(out);
      w.begin_object().copy_fields(reader.index(in), {"model"}).key("model").string(*model).end_object().end_record();
    }
  };
  std::string first_line_;

 public:
  explicit ModelStage(const std::string& path) {
    std::string text = read_whole_file(path);
    first_line_ = text.substr(0, text.find('\n'));
    if (first_line_.empty()) throw Error(path, 1, "empty model (expected a first line)");
  }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<W>(&first_line_); }
};

class PairsStage : public Stage {
  struct W : Worker {
    std::string key;
    JsonReader reader;
    std::map<std::string, std::vector<std::string>, std::less<>> seen;
    explicit W(std::string k) : key(std::move(k)) {}
    void process(const Record& in, std::string& out) override {
      reader.index(in);
      const Field* f = reader.find(key);
      if (!f) throw Error("no field '" + key + "' (expected the join key)");
      auto& earlier = seen[std::string(f->raw)];
      for (const std::string& e : earlier) {
        JsonWriter w(out);
        w.begin_object().key("key").raw(f->raw).key("a").raw(e).key("b").raw(in.data).end_object().end_record();
      }
      earlier.emplace_back(in.data);
    }
  };
  std::string key_;

 public:
  explicit PairsStage(std::string key) : key_(std::move(key)) {}
  bool concurrent() const override { return false; }
  Placement placement() const override { return Placement::by_key(key_); }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<W>(key_); }
};

class CountStage : public Stage {
  struct W : Worker {
    std::int64_t n = 0;
    void process(const Record&, std::string&) override { ++n; }
    void finish(std::string& out) override { JsonWriter(out).begin_object().key("count").integer(n).end_object().end_record(); }
  };

 public:
  bool concurrent() const override { return false; }
  Placement placement() const override { return Placement::one_rank(); }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<W>(); }
};

template <class S>
StageFactory plain(CLI::App&) {
  return [] { return std::make_unique<S>(); };
}

const ToolDef kCat{"_cat", "mlmr test stage: identity", plain<CatStage>};
const ToolDef kLines{"_lines", "mlmr test stage: one record per line of text", plain<LinesStage>};
const ToolDef kCount{"_count", "mlmr test stage: count records on one rank", plain<CountStage>};
const ToolDef kModel{"_model", "mlmr test stage: tag with a model's first line", [](CLI::App& app) -> StageFactory {
                       auto path = std::make_shared<std::string>();
                       app.add_option("-m,--model", *path, "model file")->required();
                       return [path] { return std::make_unique<ModelStage>(*path); };
                     }};
const ToolDef kPairs{"_pairs", "mlmr test stage: pairs by key", [](CLI::App& app) -> StageFactory {
                       auto key = std::make_shared<std::string>("doc");
                       app.add_option("--key", *key, "key field");
                       return [key] { return std::make_unique<PairsStage>(*key); };
                     }};

}  // namespace

std::vector<const ToolDef*> test_tool_defs() { return {&kCat, &kLines, &kModel, &kPairs, &kCount}; }

}  // namespace mlpipe::mr
