// mltrain reads the dimension a spec declares from its JSON alone (model/spec_dimension.h),
// since the model module links neither mlfeat's parser nor mllink's: checked here, where
// both writers are at hand, against what each says its vectors hold.
#include <doctest/doctest.h>

#include <string>

#include "mlpipe/features/groups.h"
#include "mlpipe/features/spec.h"
#include "mlpipe/features/spec_file.h"
#include "mlpipe/model/spec_dimension.h"
#include "mlpipe/pairs/pair_features.h"

using namespace mlpipe;
using features::feature_dimension;
using features::parse_group_option;

TEST_CASE("spec_dimension: an mlfeat spec's, as feature_dimension says") {
  FeatureSpec hashed;
  hashed.hash_bits = 12;
  CHECK(spec_dimension(canonical_spec_json(hashed)) == feature_dimension(hashed));
  CHECK(spec_dimension(canonical_spec_json(hashed)) == 4096);

  FeatureSpec fitted;
  fitted.hashing = false;
  fitted.vocab.file = "v.tsv";
  fitted.vocab.digest = "0123456789abcdef";
  fitted.vocab.terms = 345;
  fitted.vocab.docs = 10;
  CHECK(spec_dimension(canonical_spec_json(fitted)) == feature_dimension(fitted));

  FeatureSpec grouped;
  grouped.hash_bits = 10;
  grouped.groups = {parse_group_option("claim-cues"), parse_group_option("syntax:bits=8")};
  CHECK(spec_dimension(canonical_spec_json(grouped)) == feature_dimension(grouped));

  FeatureSpec long_docs;
  long_docs.hash_bits = 8;
  long_docs.long_docs = 40;
  CHECK(spec_dimension(canonical_spec_json(long_docs)) == feature_dimension(long_docs));
}

TEST_CASE("spec_dimension: a pair spec's, its whole layout") {
  PairSpec spec;
  spec.dim = 1024;
  CHECK(spec_dimension(canonical_pair_spec_json(spec)) == spec.max_index());
  spec.crossed = true;
  spec.long_docs = 30;
  CHECK(spec_dimension(canonical_pair_spec_json(spec)) == spec.max_index());
}

TEST_CASE("spec_dimension: none without a spec, or from one that says none") {
  CHECK(spec_dimension("") == 0);
  CHECK(spec_dimension("{}") == 0);
  CHECK(spec_dimension(R"({"vocabulary":{"type":"hashing","hash_bits":40}})") == 0);
}
