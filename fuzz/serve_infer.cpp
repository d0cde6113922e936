// mlserve's /infer: a request body, as JSON tensors, NDJSON records or CSV (the first byte
// chooses), through the service's one entry point to the records and the response. Whatever
// the body, the answer is a 2xx or a 4xx (never a 500: a bad body is the client's), and its
// body is JSON (or NDJSON records).
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "harness.h"
#include "mlpipe/serve/model_store.h"
#include "mlpipe/serve/service.h"

using namespace mlpipe;
using namespace mlpipe::serve;

namespace {

namespace fs = std::filesystem;

// A model directory holding a model trained on records (iris, 4 features) and one trained
// on CSV columns, made once.
struct Served {
  fs::path dir;
  std::unique_ptr<ModelStore> store;
  std::unique_ptr<Service> service;

  Served() {
    char pattern[] = "/tmp/mlpipe-fuzz-serve-XXXXXX";
    dir = mkdtemp(pattern);
    for (const char* from : {"tests/data/model/iris-named.model", "fuzz/data/iris-columns.model"}) {
      fs::path src = fuzz::source_path(from);
      fs::copy_file(src, dir / src.filename());
      fs::copy_file(src.string() + ".json", dir / (src.filename().string() + ".json"));
    }
    store = std::make_unique<ModelStore>(ModelFiles(dir));
    store->refresh();
    ServiceOptions options;
    options.access_log = false;
    options.max_rows = 1000;
    service = std::make_unique<Service>(options, *store, nullptr, Tokens(), std::vector<std::pair<std::string, std::string>>{});
  }
  ~Served() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Served served;
  if (size == 0) return 0;
  static const char* const kTypes[] = {"application/json", "application/x-ndjson", "text/csv"};
  HttpRequest request;
  request.method = "POST";
  request.content_type = kTypes[data[0] % 3];
  request.target = data[0] & 4 ? "/v2/models/iris-columns/infer" : "/v2/models/iris-named/infer";
  request.body = std::string(fuzz::as_text(data + 1, size - 1));
  HttpResponse response = served.service->handle(request);
  fuzz::expect(response.status == 200 || (response.status >= 400 && response.status < 500),
               "an answer is 200 or a 4xx");
  // A JSON body is one line; NDJSON, one record a line.
  fuzz::expect_ndjson(response.body, "the response");
  return 0;
}
