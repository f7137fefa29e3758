/**
 * The word lists behind the prompt guards. Small on purpose: each entry is a word whose
 * change flips the right answer while leaving most of the prompt's words in place.
 */

/** The words of a space-separated list; a phrase's words are joined by "_" ("at_least"). */
const words = (list: string): string[] => list.trim().replace(/-/g, '_').split(/\s+/);

/**
 * Scalar and opposed qualifiers: axis → pole → words. Two prompts that both use an axis must
 * use its poles in the same order ("senior" vs "junior", "annual to monthly" vs "monthly to
 * annual"); a qualifier only one prompt uses is left to the similarity threshold.
 */
const QUALIFIER_AXES: Record<string, Record<string, string>> = {
  seniority: {
    junior: 'junior entry_level entry-level',
    mid: 'mid_level mid-level',
    senior: 'senior senior_level',
  },
  expertise: {
    beginner: 'beginner beginners novice novices newbie newbies introductory',
    intermediate: 'intermediate',
    advanced: 'advanced expert experts',
  },
  order: {
    asc: 'ascending asc increasing_order',
    desc: 'descending desc decreasing_order',
  },
  extreme: {
    max: 'max maximum highest largest biggest greatest most top tallest',
    min: 'min minimum lowest smallest least fewest bottom',
  },
  compare: {
    more: 'more more_than higher greater larger bigger above over exceed exceeds exceeding',
    less: 'less less_than fewer fewer_than lower smaller below under',
  },
  quality: {
    good: 'best better good great excellent',
    bad: 'worst worse bad poor',
  },
  sentiment: { positive: 'positive positively', negative: 'negative negatively' },
  position: {
    start: 'first 1st beginning start starts starting begin begins front head leading',
    end: 'last final end ends ending back tail trailing stop stops',
  },
  time: {
    early: 'before earlier earliest previous prior oldest older eldest',
    late: 'after later latest next newest newer youngest younger most_recent recent upcoming',
  },
  change: {
    up: 'increase increasing increased raise upgrade upgrading round_up scale_up scroll_up',
    down: 'decrease decreasing decreased reduce reducing downgrade downgrading round_down scale_down scroll_down',
  },
  speed: {
    fast: 'fast faster fastest speed_up quick quicker quickest',
    slow: 'slow slower slowest slow_down',
  },
  formality: { formal: 'formal formally', casual: 'casual informal casually informally' },
  length: {
    short: 'short shorter shortest brief concise succinct',
    long: 'long longer longest detailed lengthy in-depth comprehensive thorough extensive',
  },
  merit: {
    plus: 'advantage advantages pro pros benefit benefits upside upsides strength strengths',
    minus:
      'disadvantage disadvantages con cons drawback drawbacks downside downsides weakness weaknesses',
  },
  letterCase: {
    upper: 'uppercase upper_case uppercased',
    lower: 'lowercase lower_case lowercased',
  },
  side: { left: 'left', right: 'right' },
  inside: {
    inner: 'inner inside internal internally interior',
    outer: 'outer outside external externally exterior',
  },
  cipher: {
    encrypt: 'encrypt encrypted encrypting encryption encode encoded encoding',
    decrypt: 'decrypt decrypted decrypting decryption decode decoded decoding',
  },
  packing: {
    compress: 'compress compressed compressing compression zip zipped',
    decompress: 'decompress decompressed decompressing decompression unzip unzipped',
  },
  transfer: { import: 'import importing imported', export: 'export exporting exported' },
  transport: { upload: 'upload uploading uploaded', download: 'download downloading downloaded' },
  message: { send: 'send sending sent', receive: 'receive receiving received' },
  toggle: {
    on: 'enable enabled enabling activate activated turn_on switch_on',
    off: 'disable disabled disabling deactivate deactivated turn_off switch_off',
  },
  verdict: {
    accept: 'accept accepted accepting acceptance approve approved approving',
    reject:
      'reject rejected rejecting rejection decline declined declining deny denied refuse refused turn_down',
  },
  staffing: { hire: 'hire hired hiring', fire: 'fire fired firing lay_off laid_off' },
  edit: {
    add: 'add adding added insert inserting append appending',
    remove: 'remove removing removed delete deleting deleted drop dropping',
  },
  execution: {
    sync: 'synchronous synchronously sync',
    async: 'asynchronous asynchronously async',
  },
  copying: { shallow: 'shallow', deep: 'deep' },
  workplace: {
    remote: 'remote remotely work_from_home wfh',
    hybrid: 'hybrid',
    onsite: 'onsite on-site on_site in-office in_office in-person in_person',
  },
  schedule: { full: 'full-time full_time fulltime', part: 'part-time part_time parttime' },
  period: {
    hour: 'hourly per_hour an_hour',
    day: 'daily per_day a_day',
    week: 'weekly per_week a_week',
    month: 'monthly per_month a_month each_month',
    year: 'yearly annual annually per_year a_year each_year per_annum',
  },
  payLine: { gross: 'gross', net: 'net' },
  difficulty: {
    easy: 'easy easier easiest simple simpler simplest simply straightforward',
    hard: 'hard harder hardest difficult complex complicated challenging',
  },
  technical: { technical: 'technical', nontechnical: 'non-technical non_technical nontechnical' },
  visibility: { public: 'public publicly', private: 'private privately' },
  mutability: { mutable: 'mutable', immutable: 'immutable' },
  truth: { true: 'true', false: 'false' },
  orientation: {
    horizontal: 'horizontal horizontally',
    vertical: 'vertical vertically',
  },
  trade: { buy: 'buy buying bought', sell: 'sell selling sold' },
  opening: { open: 'open opening opened', close: 'close closing closed' },
  sex: { male: 'male males men', female: 'female females women' },
};

/** "word" or "two_words" → "axis:pole". */
export const QUALIFIERS = new Map<string, string>(
  Object.entries(QUALIFIER_AXES).flatMap(([axis, poles]) =>
    Object.entries(poles).flatMap(([pole, list]) =>
      words(list).map((word): [string, string] => [word, `${axis}:${pole}`]),
    ),
  ),
);

/** The longest qualifier phrase, in words. */
export const QUALIFIER_MAX_WORDS = 3;

/** First words of the multi-word qualifiers ("lower" of "lower_case"). */
export const QUALIFIER_PHRASE_STARTS = new Set(
  [...QUALIFIERS.keys()].filter((key) => key.includes('_')).map((key) => key.split('_')[0]),
);

/** Negation cues, after contractions are spelled out ("don't" → "do not"). */
export const NEGATIONS = new Set(
  words(
    'not no never none nobody nothing nowhere neither nor without cannot dont doesnt didnt ' +
      'isnt arent wasnt werent cant wont shouldnt couldnt wouldnt havent hasnt hadnt aint ' +
      'except excluding exclude avoid avoiding lacking unable',
  ),
);

/** A negation word followed by one of these is an idiom, not a negation ("not only"). */
export const NEGATION_IDIOMS = new Set(words('not_only no_matter no_doubt'));

/** Number words worth reading as numbers. "one" is left out: it is a pronoun far more often. */
export const NUMBER_WORDS = new Map<string, number>([
  ...words(
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen ' +
      'fifteen sixteen seventeen eighteen nineteen',
  )
    .map((word, value): [string, number] => [word, value])
    .filter(([word]) => word !== 'one'),
  ...words('twenty thirty forty fifty sixty seventy eighty ninety').map(
    (word, i): [string, number] => [word, (i + 2) * 10],
  ),
  ['twice', 2],
  ['dozen', 12],
  ...words('second third fourth fifth sixth seventh eighth ninth tenth').map(
    (word, i): [string, number] => [word, i + 2],
  ),
]);

/** Words that multiply the number before them ("two hundred", "5 million"). */
export const NUMBER_SCALES = new Map<string, number>([
  ['hundred', 100],
  ['thousand', 1_000],
  ['million', 1_000_000],
  ['billion', 1_000_000_000],
]);

/**
 * Names that are names in any casing (a lower-case "python" is still Python): programming
 * languages, tools and platforms, large companies, countries, languages and big cities.
 * Words that are also ordinary English ("go", "rust", "swift", "apple", "excel") are not
 * here: only their capitalised form marks them as names.
 */
export const KNOWN_NAMES = new Set(
  words(`
    python javascript typescript java kotlin scala ruby php perl haskell erlang elixir clojure
    csharp cpp fsharp dotnet golang matlab fortran cobol lua bash powershell
    react vue angular svelte django flask fastapi rails laravel nestjs nextjs nuxt jquery
    tailwind pandas numpy scipy matplotlib tensorflow pytorch keras sklearn hadoop
    kafka rabbitmq redis mongodb mysql postgresql sqlite mariadb dynamodb cassandra
    elasticsearch bigquery redshift databricks airflow tableau powerbi docker kubernetes
    terraform ansible jenkins nginx linux ubuntu debian centos fedora macos ios android github
    gitlab bitbucket jira confluence slack figma salesforce workday hubspot shopify woocommerce
    stripe paypal aws azure gcp heroku vercel netlify openai chatgpt anthropic linkedin
    glassdoor google microsoft amazon facebook instagram twitter tiktok youtube netflix spotify
    uber airbnb tesla nvidia intel ibm deloitte accenture mckinsey pwc kpmg nike adidas walmart
    gmail powerpoint photoshop wordpress
    canada australia austria germany france spain italy japan china india indonesia brazil
    argentina mexico switzerland sweden norway denmark finland netherlands belgium poland
    ireland portugal russia ukraine korea singapore nigeria kenya egypt israel
    english spanish french german italian japanese chinese mandarin portuguese russian arabic
    hindi korean dutch polish swedish american british european canadian australian
    london paris berlin tokyo chicago denver seattle boston toronto sydney dubai manchester
    amsterdam madrid
  `),
);

/** Verbs after which "X to Y" says which way a conversion goes. */
export const CONVERSION_WORDS = words(
  'convert translate migrate transform cast change switch port map turn parse rewrite move ' +
    'upgrade downgrade export import',
);

/** Words skipped between "to" and the thing converted to ("to an integer"). */
export const DETERMINERS = new Set(words('a an the this that my your our their its'));

/** Other spellings of a name, written one way. */
export const NAME_ALIASES = new Map<string, string>(
  Object.entries({
    js: 'javascript',
    'node.js': 'node',
    nodejs: 'node',
    golang: 'go',
    postgres: 'postgresql',
    k8s: 'kubernetes',
    'c++': 'cpp',
    'c#': 'csharp',
    'f#': 'fsharp',
    '.net': 'dotnet',
    'next.js': 'nextjs',
    'vue.js': 'vue',
    'react.js': 'react',
  }),
);

/** Capitalised words that are not names: greetings, the pronoun I, courtesy titles. */
export const NOT_NAMES = new Set(
  words(`i i'm i've i'd i'll ok okay hi hello hey dear please thanks thank mr mrs ms dr yes no`),
);
