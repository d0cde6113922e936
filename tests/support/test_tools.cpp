#include "support/test_tools.h"

#include <chrono>
#include <map>
#include <thread>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/output.h"

namespace mlpipe::testing {

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
    const ModelStage* stage;
    JsonReader reader;
    explicit W(const ModelStage* s) : stage(s) {}
    void process(const Record& in, std::string& out) override {
      JsonWriter w(out);
      const std::vector<std::string_view> drop = stage->show_path_ ? std::vector<std::string_view>{"model", "model_path"}
                                                                   : std::vector<std::string_view>{"model"};
      w.begin_object().copy_fields(reader.index(in), drop).key("model").string(stage->first_line_);
      if (stage->show_path_) w.key("model_path").string(stage->path_);
      w.end_object().end_record();
    }
  };
  std::string path_, first_line_, write_;
  bool show_path_;

 public:
  ModelStage(const std::string& path, bool show_path, std::string write, const FileSource& files)
      : path_(path), write_(std::move(write)), show_path_(show_path) {
    std::string text = files.read(path);
    first_line_ = text.substr(0, text.find('\n'));
    if (first_line_.empty()) throw Error(path, 1, "empty model (expected a first line)");
  }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<W>(this); }
  void write_files() const override {
    if (!write_.empty()) write_file_atomically(write_, first_line_ + "\n");
  }
};

class PairsStage : public Stage {
  struct W : Worker {
    std::string key;
    JsonReader reader;
    std::map<std::string, std::vector<std::string>, std::less<>> seen;
    explicit W(std::string k) : key(std::move(k)) {}
    void process(const Record& in, std::string& out) override {
      reader.index(in);
      std::optional<Field> f = reader.find(key);
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

class SlowStage : public Stage {
  struct W : Worker {
    int ms;
    explicit W(int m) : ms(m) {}
    void process(const Record& in, std::string& out) override {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      out.append(in.data);
      out.push_back('\n');
    }
  };
  int ms_;

 public:
  explicit SlowStage(int ms) : ms_(ms) {}
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<W>(ms_); }
};

template <class S>
StageFactory plain(CLI::App&) {
  return [](const FileSource&) { return std::make_unique<S>(); };
}

const ToolDef kCat{"_cat", "mlmr test stage: identity", plain<CatStage>};
const ToolDef kLines{"_lines", "mlmr test stage: one record per line of text", plain<LinesStage>};
const ToolDef kCount{"_count", "mlmr test stage: count records on one rank", plain<CountStage>};
const ToolDef kModel{"_model", "mlmr test stage: tag with a model's first line", [](CLI::App& app) -> StageFactory {
                       auto path = std::make_shared<std::string>();
                       auto show = std::make_shared<bool>(false);
                       auto write = std::make_shared<std::string>();
                       app.add_option("-m,--model", *path, "model file")->required();
                       app.add_flag("--show-path", *show, "add model_path: the path the stage read");
                       app.add_option("--write", *write, "write the model's first line to FILE when done");
                       return [path, show, write](const FileSource& files) {
                         return std::make_unique<ModelStage>(*path, *show, *write, files);
                       };
                     }};
const ToolDef kSlow{"_slow", "mlmr test stage: identity, slowly", [](CLI::App& app) -> StageFactory {
                      auto ms = std::make_shared<int>(10);
                      app.add_option("--ms", *ms, "milliseconds per record");
                      return [ms](const FileSource&) { return std::make_unique<SlowStage>(*ms); };
                    }};
const ToolDef kPairs{"_pairs", "mlmr test stage: pairs by key", [](CLI::App& app) -> StageFactory {
                       auto key = std::make_shared<std::string>("doc");
                       app.add_option("--key", *key, "key field");
                       return [key](const FileSource&) { return std::make_unique<PairsStage>(*key); };
                     }};

}  // namespace

pipeline::ToolList test_tool_defs() { return {&kCat, &kLines, &kModel, &kPairs, &kCount, &kSlow}; }

pipeline::ToolList tools_with_test_stages() {
  pipeline::ToolList tools = pipeline::known_tools();
  for (const ToolDef* t : test_tool_defs()) tools.push_back(t);
  return tools;
}

}  // namespace mlpipe::testing
