#include "mlpipe/features/cue_lexicon.h"

#include "mlpipe/features/stemmer.h"

namespace mlpipe::features {

// Changing a list changes the features of every model trained with its group: append new
// lists at the end, and retrain the shipped models after editing one.

const std::vector<CueList>& claim_cue_lists() {
  static const std::vector<CueList> lists = {
      {"obligation",
       "should|must|ought to|need to|needs to|have to|has to|had better|is necessary|are necessary|it is essential"},
      {"possibility", "can|could|may|might|would|will|shall"},
      {"stance_verb",
       "argue|believe|claim|contend|maintain|assert|insist|suggest|think|hold that|propose|conclude|reckon|deny|"
       "reject|oppose|support|favor|favour|advocate|agree|disagree|doubt|recommend|urge"},
      {"causal",
       "cause|lead to|leads to|led to|result in|results in|because|due to|as a result|consequently|therefore|thus|"
       "hence|so that|since|contribute to|responsible for|effect|impact|affect"},
      {"contrast",
       "however|but|although|though|despite|nevertheless|nonetheless|whereas|yet|on the other hand|in contrast|"
       "instead|rather than|even if|while"},
      {"comparative",
       "more|less|better|worse|most|least|best|worst|than|greater|fewer|higher|lower|superior|inferior"},
      {"evaluative",
       "important|necessary|essential|crucial|vital|harmful|beneficial|dangerous|effective|ineffective|unfair|fair|"
       "unjust|wrong|good|bad|benefit|harm|threat|risk|problem|advantage|disadvantage|danger|damage|useful|"
       "useless|valuable|serious"},
      {"change_verb",
       "increase|decrease|reduce|improve|prevent|protect|promote|encourage|undermine|destroy|weaken|strengthen|"
       "enhance|worsen|eliminate|limit|restrict|enable|help|hurt|violate|threaten|discourage|foster"},
      {"negation",
       "not|no|never|neither|nor|cannot|without|none|don't|doesn't|isn't|aren't|won't|can't|shouldn't|wouldn't|"
       "didn't|wasn't"},
      {"generalisation", "all|every|always|many|often|usually|generally|typically|everyone|nobody|any"},
      {"certainty",
       "clearly|obviously|certainly|undoubtedly|indeed|in fact|of course|surely|definitely|no doubt|evidently"},
      {"hedge", "perhaps|probably|possibly|likely|unlikely|seem|appear|arguably|potentially|somewhat"},
      {"policy",
       "ban|law|legal|illegal|legalize|legalise|prohibit|policy|regulate|regulation|government|right|freedom|"
       "allow|permit|require|mandatory|compulsory|abolish|should be"},
      {"society", "people|society|we|our|us|children|citizens|individuals|public|community|families"},
      {"conclusion", "therefore|thus|hence|consequently|in conclusion|it follows|this means|this shows|which means"},
      {"addition", "moreover|furthermore|in addition|also|additionally|besides|what is more"},
  };
  return lists;
}

const std::vector<CueList>& evidence_cue_lists() {
  static const std::vector<CueList> lists = {
      {"study",
       "study|studies|research|survey|poll|experiment|trial|report|analysis|data|findings|statistics|review|"
       "census|meta analysis|investigation|sample|participants|respondents|evidence|estimate|journal"},
      {"reporting_verb",
       "found|find|show|showed|shown|demonstrate|reveal|indicate|report|conclude|observe|note|state|say|said|"
       "write|wrote|testify|publish|document|confirm"},
      {"according", "according to|cited|citing|quoted|as reported|in a statement|told"},
      {"source",
       "professor|dr|doctor|researcher|scientist|expert|university|institute|association|organization|"
       "organisation|commission|department|agency|center|centre|council|committee|court|ministry|bureau|"
       "foundation|academy|economist|psychologist|author|et al"},
      {"quantity",
       "percent|per cent|million|billion|thousand|hundred|average|rate|proportion|majority|minority|half|"
       "third|quarter|times|twice|double"},
      {"time", "year|decade|century|since|between|during|period|annual|annually"},
      {"association",
       "associated with|correlated|correlation|linked to|link between|relationship between|risk of|rates of|"
       "likely to|more likely|less likely|significantly|significant|effect of|effects of|impact of"},
      {"reported_speech",
       "said that|stated that|argued that|claimed that|wrote that|noted that|warned that|explained that|found that|"
       "showed that|concluded that|reported that|suggests that|suggested that"},
  };
  return lists;
}

const std::vector<CueList>& opinion_cue_lists() {
  static const std::vector<CueList> lists = {
      {"positive",
       "good|great|excellent|benefit|beneficial|positive|success|successful|advantage|improve|improvement|"
       "effective|valuable|best|better|fair|free|freedom|safe|safety|protect|healthy|happy|wise|reasonable|"
       "useful|help|helpful|progress|prosperity|peace|justice|equal|equality|respect|dignity|opportunity|"
       "growth|strong|strength|gain|secure|stable|stability|efficient|worthy|welcome"},
      {"negative",
       "bad|poor|harm|harmful|negative|fail|failure|danger|dangerous|risk|threat|threaten|damage|destroy|crime|"
       "criminal|violence|violent|abuse|corrupt|corruption|unfair|unjust|injustice|wrong|problem|crisis|suffer|"
       "suffering|death|die|kill|war|poverty|discrimination|exploit|exploitation|waste|weak|lose|loss|costly|"
       "illegal|immoral|evil|cruel|toxic|disease|addiction|inequality|oppression|unsafe|worse|worst|decline|"
       "fear|hate|attack|victim"},
      {"intensifier",
       "absolutely|totally|completely|utterly|extremely|very|highly|deeply|truly|really|simply|entirely|quite"},
      {"moral",
       "moral|morally|immoral|ethical|unethical|duty|obligation|responsibility|responsible|deserve|justify|"
       "justified|unjustified|acceptable|unacceptable|legitimate|illegitimate|virtue|sin|conscience"},
      {"emotion",
       "anger|angry|hope|love|shame|pride|proud|outrage|concern|worried|worry|afraid|disgust|sad|joy"},
  };
  return lists;
}

const std::vector<CueList>& discourse_cue_lists() {
  static const std::vector<CueList> lists = {
      {"conclusion",
       "therefore|thus|hence|consequently|accordingly|in conclusion|to conclude|to sum up|to summarize|"
       "to summarise|in sum|in summary|all in all|overall|in short|in the end|ultimately|for these reasons|"
       "for all these reasons|that is why|this is why|which is why|it follows that|as a result|so it is"},
      {"reason", "because|due to|owing to|given that|the reason is|this is because|after all|in view of"},
      {"example",
       "for example|for instance|such as|to illustrate|in particular|a case in point|take the case|consider the|"
       "an example|one example"},
      {"addition",
       "moreover|furthermore|in addition|additionally|besides|what is more|another|not only|as well|on top of that|"
       "also"},
      {"enumeration",
       "first|firstly|first of all|to begin with|to start with|second|secondly|third|thirdly|finally|lastly|"
       "last but not least|next|one reason|the main reason|the first reason|the second reason"},
      {"contrast",
       "however|but|yet|nevertheless|nonetheless|on the other hand|in contrast|by contrast|whereas|instead|"
       "rather|still|even so"},
      {"concession",
       "although|though|even though|admittedly|of course|granted|it is true that|true|despite|in spite of|"
       "may seem|might seem|at first sight|to be sure|while it"},
      {"opponent",
       "critics|opponents|some people|some argue|some say|some claim|some believe|others argue|others say|"
       "others claim|many people think|it is often said|it is argued|it is said|supporters|proponents|skeptics|"
       "sceptics|those who|detractors|naysayers|people who oppose"},
      {"own_stance",
       "i believe|i think|in my opinion|in my view|from my point of view|from my perspective|i am convinced|"
       "i agree|i disagree|i would argue|i feel|personally|i strongly|i firmly|my view|i am sure|i doubt"},
      {"request",
       "i urge|we urge|i ask|we ask|i request|please|i recommend|we recommend|i call on|we call on|i encourage|"
       "i support|we support|i oppose|we oppose|i respectfully|i implore|do not|let us|let's"},
      {"collective_should", "we should|we must|we need|we ought|we have to|we cannot|society should|everyone should"},
      {"restatement",
       "in other words|that is to say|this means|this shows|this proves|this suggests|which means|this demonstrates|"
       "clearly shows|it is clear"},
      {"condition", "if|unless|otherwise|only if|provided that|as long as|in case"},
      {"testimony",
       "in my experience|as a|i have|i had|i was|i am a|i work|i worked|my family|my son|my daughter|my mother|"
       "my father|my wife|my husband|my child|my children|years ago|when i|i remember|i live|i own|i run|i used to"},
      {"consequence",
       "would lead|will lead|would mean|will mean|would result|will result|would cause|will cause|would allow|"
       "will allow|would make|will make|would help|will help|would reduce|will reduce|would increase|will increase"},
      {"short_conclusion", "so|then|and so"},
      {"short_reason", "as|for|since"},
      {"question_word", "why|what|how|who|whether|should we|do we|is it|can we"},
  };
  return lists;
}

CueMatcher::CueMatcher(const std::vector<CueList>& lists) : lists_(lists.size()) {
  Stemmer stemmer("english");
  for (std::uint32_t k = 0; k < lists.size(); ++k) {
    std::string_view all = lists[k].phrases;
    while (!all.empty()) {
      std::size_t bar = all.find('|');
      std::string_view phrase = all.substr(0, bar);
      all = bar == std::string_view::npos ? std::string_view() : all.substr(bar + 1);
      std::vector<std::string> stems;
      while (!phrase.empty()) {
        std::size_t sp = phrase.find(' ');
        std::string_view word = phrase.substr(0, sp);
        phrase = sp == std::string_view::npos ? std::string_view() : phrase.substr(sp + 1);
        if (!word.empty()) stems.emplace_back(stemmer.stem(word));
      }
      if (stems.empty()) continue;
      Phrase p{std::vector<std::string>(stems.begin() + 1, stems.end()), k};
      // Two words of one list may share a stem ("improve", "improvement"): count it once.
      std::vector<Phrase>& same_first = by_first_[stems.front()];
      bool known = false;
      for (const Phrase& q : same_first) known = known || (q.list == k && q.rest == p.rest);
      if (!known) same_first.push_back(std::move(p));
    }
  }
}

void CueMatcher::count(const std::vector<std::string_view>& stems, std::vector<std::uint32_t>& counts,
                       std::vector<std::int32_t>* first) const {
  counts.assign(lists_, 0);
  if (first) first->assign(lists_, -1);
  for (std::size_t i = 0; i < stems.size(); ++i) {
    auto it = by_first_.find(stems[i]);
    if (it == by_first_.end()) continue;
    for (const Phrase& p : it->second) {
      if (i + 1 + p.rest.size() > stems.size()) continue;
      bool all = true;
      for (std::size_t j = 0; j < p.rest.size() && all; ++j) all = stems[i + 1 + j] == p.rest[j];
      if (!all) continue;
      ++counts[p.list];
      if (first && (*first)[p.list] < 0) (*first)[p.list] = std::int32_t(i);
    }
  }
}

}  // namespace mlpipe::features
