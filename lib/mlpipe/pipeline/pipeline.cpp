#include "mlpipe/pipeline/pipeline.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/runner.h"
#include "mlpipe/pipeline/registry.h"

namespace mlpipe::pipeline {

std::vector<std::vector<std::string>> split_pipeline(std::string_view s) {
  std::vector<std::vector<std::string>> stages(1);
  std::string word;
  bool in_word = false;  // a word has started (also for '' and "")
  auto end_word = [&] {
    if (in_word) stages.back().push_back(std::move(word));
    word.clear();
    in_word = false;
  };
  auto end_stage = [&](std::size_t at) {
    end_word();
    if (stages.back().empty())
      throw Error::usage(fmt::format("pipeline: empty stage before byte {} (expected 'tool [options] | tool …')", at));
    stages.emplace_back();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      end_word();
    } else if (c == '|') {
      end_stage(i);
    } else if (c == '\\') {
      if (i + 1 < s.size() && s[i + 1] == '\n') {  // backslash-newline continues the line
        ++i;
        continue;
      }
      if (i + 1 < s.size()) word.push_back(s[++i]);
      in_word = true;
    } else if (c == '\'') {
      std::size_t close = s.find('\'', i + 1);
      if (close == std::string_view::npos) throw Error::usage("pipeline: unterminated ' quote");
      word.append(s.substr(i + 1, close - i - 1));
      i = close;
      in_word = true;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < s.size() && s[j] != '"'; ++j) {
        if (s[j] == '\\' && j + 1 < s.size() && std::string_view("\"\\$`").find(s[j + 1]) != std::string_view::npos)
          ++j;
        word.push_back(s[j]);
      }
      if (j >= s.size()) throw Error::usage("pipeline: unterminated \" quote");
      i = j;
      in_word = true;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  end_word();
  if (stages.back().empty()) {
    if (stages.size() == 1) throw Error::usage("pipeline: no stages (expected 'tool [options] | tool …')");
    throw Error::usage("pipeline: empty stage at the end (expected a tool after the last '|')");
  }
  return stages;
}

std::vector<std::string_view> tool_names(const ToolList& tools) {
  std::vector<std::string_view> names;
  for (const ToolDef* t : tools) names.push_back(t->name);
  return names;
}

namespace {

// The I/O options a stage may carry in a shell pipeline but which mlmr sets for the
// whole job: each with what to use instead.
struct Disallowed {
  const char* option;
  const char* instead;
};
constexpr Disallowed kJobOptions[] = {
    {"inputs", "give input files after the pipeline: mlmr 'PIPELINE' FILE…"},
    {"--output", "use mlmr -o DIR"},
    {"--threads", "use mlmr --threads"},
    {"--rejects", "use --on-error=skip; mlmr keeps no rejects file"},
    {"--line-buffered", "mlmr runs batches"},
    {"--progress", "use mlmr --progress: rank 0 shows the whole job's"},
    {"--no-progress", "use mlmr --no-progress"},
};

StageSpec parse_stage(const std::vector<std::string>& words, std::size_t index, const ToolList& tools) {
  StageSpec spec;
  spec.argv = words;
  std::string where = fmt::format("stage {} ({})", index + 1, words[0]);
  spec.tool = find_tool(tools, words[0]);
  if (!spec.tool) {
    std::string known;
    for (std::string_view n : tool_names(tools))  // not the test stages ('_cat', tests/support/)
      if (n[0] != '_') known += fmt::format("{}{}", known.empty() ? "" : ", ", n);
    throw Error::usage(fmt::format("stage {}: unknown program '{}' (expected one of: {})", index + 1, words[0], known));
  }
  spec.app = std::make_shared<CLI::App>(std::string(spec.tool->summary), std::string(spec.tool->name));
  CLI::App& app = *spec.app;
  IoOptions io;
  add_io_options(app, io, spec.tool->writes_records);
  spec.factory = spec.tool->declare(app);
  // CLI11 parses argv in reverse order from a vector; argv[0] is the program name.
  std::vector<std::string> args(words.rbegin(), words.rend() - 1);
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    throw Error::usage(fmt::format("{}: --help inside a pipeline (run '{} --help')", where, words[0]));
  } catch (const CLI::CallForAllHelp&) {
    throw Error::usage(fmt::format("{}: --help inside a pipeline (run '{} --help')", where, words[0]));
  } catch (const CLI::ParseError& e) {
    throw Error::usage(fmt::format("{}: {}", where, e.what()));
  }
  for (const Disallowed& d : kJobOptions) {
    const CLI::Option* opt = app.get_option_no_throw(d.option);
    if (opt && opt->count() > 0)
      throw Error::usage(fmt::format("{}: {} is not a stage option under mlmr ({})", where,
                                     std::string_view(d.option) == "inputs" ? "an input file" : d.option, d.instead));
  }
  if (app.get_option("--on-error")->count() > 0) spec.skip_errors = io.skip_errors;
  if (app.get_option("--max-record-bytes")->count() > 0) spec.max_record_bytes = io.max_record_bytes;
  return spec;
}

}  // namespace

std::vector<StageSpec> parse_pipeline(const std::vector<std::vector<std::string>>& stages, const ToolList& tools) {
  std::vector<StageSpec> specs;
  for (std::size_t i = 0; i < stages.size(); ++i) specs.push_back(parse_stage(stages[i], i, tools));
  return specs;
}

}  // namespace mlpipe::pipeline
