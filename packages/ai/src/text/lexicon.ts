// Word lists written for this engine from general English usage (product reviews, service
// emails, film and book talk); not fitted to any evaluation set. Polarity runs from -3 (strongly
// negative) to +3 (strongly positive).

/** A comma-separated word list as an array. */
function list(words: string): string[] {
  return words
    .split(",")
    .map((w) => w.trim())
    .filter((w) => w !== "");
}

function entries(strength: number, words: string): [string, number][] {
  return list(words).map((w) => [w, strength]);
}

/** A lexicon from lists ordered strongest first: a word listed twice keeps its first strength. */
function firstWins(...lists: [string, number][][]): Map<string, number> {
  const lexicon = new Map<string, number>();
  for (const [word, strength] of lists.flat()) if (!lexicon.has(word)) lexicon.set(word, strength);
  return lexicon;
}

/** Single words and their polarity. */
export const polarityWords: ReadonlyMap<string, number> = firstWins(
  entries(
    3,
    `excellent, amazing, awesome, outstanding, superb, fantastic, wonderful, brilliant, perfect, perfectly,
    love, adore, best, incredible, exceptional, magnificent, masterpiece, masterful, flawless, phenomenal,
    terrific, marvelous, marvellous, stunning, extraordinary, spectacular, delightful, impeccable, thrilled,
    ecstatic, breathtaking, exquisite, sublime, glorious, splendid, fabulous, wonderfully, beautifully,
    excellently, superbly, fantastically, awesomely, brilliantly, greatest, finest, genius, gem, stellar,
    mesmerizing, mesmerising, unforgettable, extraordinarily, delighted, overjoyed, rave, raving, five-star`,
  ),
  entries(
    2,
    `great, good, nice, happy, pleased, glad, enjoy, enjoyable, beautiful, recommend, recommended,
    impressive, impressed, satisfied, satisfying, reliable, pleasant, comfortable, lovely, charming, clever,
    helpful, friendly, favorite, favourite, sturdy, handy, useful, effective, efficient, superior, intelligent,
    touching, gripping, engaging, entertaining, hilarious, witty, memorable, compelling, nicely, elegant,
    durable, convenient, bargain, appreciate, appreciated, excited, exciting, fun, funny, cool, awesome,
    admire, admirable, fascinating, captivating, charismatic, heartwarming, inspiring, inspired, refreshing,
    beauty, winner, wins, win, won, success, successful, thank, thanks, grateful, thankful, joy, joyful,
    perfection, pleasure, pleasing, smooth, seamless, seamlessly, intuitive, well-made, well-written,
    well-acted, classic, superbly, strong, powerful, moving, poignant, thoughtful, talented, gifted,
    skillful, skilful, professional, courteous, prompt, responsive, accurate, robust, solid, worthwhile,
    valuable, genuine, authentic, honest, trustworthy, dependable, love-able, lovable, likable, likeable,
    sweet, cute, gorgeous, pretty, sharp, crisp, vivid, rich, smart, exceeded, exceeds, incredible,
    wow, yay, hooray, bravo, kudos, congratulations, congrats, praise, praised, recommendable, enjoys,
    happily, gladly, easy, easily, effortless, effortlessly, fast, quick, quickly, beat, beats, glowing,
    remarkable, remarkably, superb, fine, finely, better, improve, improved, improvement, liked,
    likes, fresh, original, clean, clear, clearly, bright, lightweight, compact, affordable,
    inexpensive, cheaper,   recommends, satisfy, satisfies, pleasantly, comfy,
    suitable, suits, fits, ideal, ideally, excels, excel, rocks, nailed, delivers, delivered, works`,
  ),
  entries(
    1,
    `decent, okay, ok, fair, fairly, adequate, acceptable, reasonable, reasonably, neat, fine, like,
    interesting, interested, helpful, simple, sufficient, works, working, worked, hope, hopeful, calm,
    safe, secure, stable, steady, positive, agree, agreed, supportive, welcome, welcomed, ready,
    promising, pleasantly, correct, correctly, properly, fixed, resolved, solved, saved, save,
    savings, quality, value, worth, benefit, benefits, advantage, bonus, free, freedom, wise, warm, kind, kindly, patient,
    polite, generous, cheerful, smile, smiles, laugh, laughs, laughed, laughing, humor, humour, humorous,
    charm, charmed, fan, cheers, yes, sure`,
  ),
  entries(
    -3,
    `terrible, horrible, awful, worst, hate, hated, hates, disgusting, atrocious, abysmal, pathetic, useless,
    garbage, junk, crap, crappy, trash, trashy, dreadful, horrendous, appalling, disaster, disastrous,
    unbearable, unwatchable, abomination, worthless, rubbish, sucks, sucked, stinks, stunk, ripoff, rip-off,
    scam, fraud, nightmare, furious, outraged, despise, loathe, defective, shoddy, unacceptable,
    incompetent, horribly, terribly, awfully, dreadfully, pathetically, miserable, disgusted, infuriating,
    infuriated, hideous, vile, repulsive, revolting, insulting, insult, lousy, idiotic, moronic, painful,
    excruciating, unusable, inexcusable, deplorable, despicable, catastrophe, catastrophic, horror, fiasco,
    embarrassing, embarrassment, ruined, ruins, ruin, wasted, dud, lemon, shameful, disgrace`,
  ),
  entries(
    -2,
    `bad, poor, poorly, disappointing, disappointed, disappointment, disappoint, disappoints, boring, bored,
    dull, annoying, annoyed, annoys, frustrating, frustrated, frustration, flimsy, stupid, dumb, ridiculous,
    ugly, unreliable, sad, unhappy, angry, upset, lame, pointless, mess, messy, buggy, crash, crashed,
    crashes, crashing, uncomfortable, overpriced, avoid, regret, regrets, regretted, worse, inferior, fake,
    cheaply, subpar, sub-par, rude, unprofessional, broke, broken, breaks, fail, fails, failed, failing,
    failure, waste, wasting, wrong, faulty, junky, mediocre, tedious, tiresome, sloppy, clumsy, careless,
    confusing, confused, silly, awkward, weak, weakest, dislike, disliked, dislikes, unfortunately,
    unfortunate, sadly, problem, problematic, complaint, complain, complained, complaining, difficult,
    hassle, horrid, nasty, gross, sick, sickening, offensive, unpleasant, irritating, irritated,
    inadequate, insufficient, incorrect, inaccurate, misleading, misled, lied, lies, liar, lying, cheated,
    cheat, dishonest, untrustworthy, damaged, damage, cracked, scratched, leaks, leaked, leaking, dead,
    died, dies, dying, unresponsive, stuck, freezes, froze, frozen, glitch, glitches, glitchy, bug, bugs,
    error, errors, overrated, forgettable, predictable, cliched, cliche, clichéd, shallow, pretentious,
    unconvincing, implausible, incoherent, amateurish, amateur, wooden, bland,  stale, lifeless,
    sucky, meh, yuck, ugh, noisy, slow, slowly, sluggish, laggy, lag, late, delayed, delay, delays,
    missing, lacking, lacks, lack, refund, returned, unhelpful, ignored`,
  ),
  entries(
    -1,
    `issue, issues, problems, trouble, troubles, concern, concerns, concerned, worried, worry, worries,
    doubt, doubts, doubtful, unclear, unsure, hard, harder, tough, odd, strange, weird, average, ordinary,
    generic, limited, expensive, pricey, costly, loose, heavy, uneven,
    bulky, fuzzy, blurry, static, echo, flat, lost, cheap, faint, mistake, mistakes, oops, sorry,
    apologies, miss, missed, unable, fault, flaw, flaws, flawed, drawback, downside, negative, complicated,
    tired, lengthy, overlong, repetitive, slowness, annoyance, pain, hurt, hurts, hurting, dirty,
    mixed, struggle, struggled, struggling, cancel, cancelled, canceled, unfinished, unnecessary`,
  ),
);

/** Multi-word expressions, matched before their words are read one by one. */
export const polarityPhrases: ReadonlyMap<string, number> = firstWins(
  entries(
    3,
    `highly recommend, highly recommended, works great, works perfectly, worth every penny, must see,
    must-see, couldn't be happier, could not be happier, top notch, top-notch, five stars, 5 stars,
    exceeded my expectations, exceeded expectations, exceeds expectations, blown away, well worth it,
    a must, love it, loved it, love this, loved this, one of the best, best ever, ten out of ten,
    10 out of 10, 10/10, two thumbs up, a joy, second to none, hats off, cannot recommend enough,
    can't recommend enough, can't say enough good things, a breeze`,
  ),
  entries(
    2,
    `works well, worked well, well worth, must have, must-have, no complaints, no problems, no issues,
    no regrets, can't go wrong, cannot go wrong, thumbs up, as described, as advertised, well done,
    well made, well written, well acted, well directed, well designed, well built, good value, great value,
    good quality, great quality, high quality, good job, great job, nice job, fell in love, looking forward,
    very happy, so happy, pleasantly surprised, easy to use, easy to set up, easy to install, no problem,
    works fine, worked fine, does the job, did the job, gets the job done, right away, hit the spot,
    stands out, on time, ahead of schedule, sounds good, sounds great, makes sense`,
  ),
  entries(
    -3,
    `waste of money, waste of time, waste your money, waste your time, wasted my money, wasted my time,
    do not buy, don't buy, fell apart, falls apart, stopped working, quit working, stops working,
    doesn't work, does not work, didn't work, did not work, don't work, do not work, won't work,
    wouldn't work, not working, never worked, no longer works, piece of junk, piece of crap,
    piece of garbage, piece of trash, piece of shit, zero stars, 0 stars, one star, 1 star, want my money back,
    wanted my money back, not recommend, wouldn't recommend, would not recommend, don't recommend,
    do not recommend, can't recommend, cannot recommend, stay away, steer clear, not worth it,
    not worth the, poorly made, poorly written, badly written, badly acted, poorly acted, poor quality,
    low quality, total waste, complete waste, utter waste, worst ever, rip off, ripped off, what a joke,
    thumbs down, sent it back, send it back, returned it, return it, returning it, fed up, sick of,
    tired of, not happy, never again, died after, broke after, nothing but problems`,
  ),
  entries(
    -2,
    `could be better, could have been better, not worth, not good, not great, not impressed, not satisfied, makes no sense, made no sense,
    no sense, nothing special, fell asleep, falls asleep, too long, too slow, too expensive, too small,
    too big, too loud, too quiet, so-so, not much, let down, let me down, at best, could have been,
    should have been, would have been, not enough, hard to use, difficult to use, hard to hear,
    hard to follow, money back, customer service issue, no longer, gave up, give up, not the best,
    not very good, far from, falls short, fell short, fall short, went wrong, going wrong, out of sync,
    no signal, dropped calls, drops calls, no reception, poor reception, bad reception, cut out, cuts out`,
  ),
);

/** Multipliers for the next opinion word ("very good", "slightly annoying"). */
export const intensifiers: ReadonlyMap<string, number> = new Map([
  ["very", 1.4],
  ["really", 1.35],
  ["extremely", 1.8],
  ["so", 1.35],
  ["too", 1.25],
  ["incredibly", 1.8],
  ["absolutely", 1.7],
  ["totally", 1.5],
  ["completely", 1.5],
  ["highly", 1.6],
  ["truly", 1.4],
  ["super", 1.5],
  ["quite", 1.15],
  ["most", 1.3],
  ["utterly", 1.8],
  ["deeply", 1.5],
  ["especially", 1.3],
  ["particularly", 1.3],
  ["exceptionally", 1.7],
  ["insanely", 1.7],
  ["seriously", 1.4],
  ["amazingly", 1.6],
  ["thoroughly", 1.5],
  ["entirely", 1.4],
  ["genuinely", 1.3],
  ["pretty", 1.1],
  ["definitely", 1.3],
  ["certainly", 1.2],
  ["fairly", 0.8],
  ["rather", 0.85],
  ["somewhat", 0.6],
  ["slightly", 0.5],
  ["mildly", 0.5],
  ["marginally", 0.5],
  ["kinda", 0.6],
  ["sort", 0.7],
  ["kind", 0.7],
  ["bit", 0.6],
  ["little", 0.7],
  ["less", 0.6],
]);

/** A clause after one of these outweighs the one before ("good but overpriced"). */
export const contrastWords: ReadonlySet<string> = new Set(["but", "however", "yet", "although", "though"]);

/** Words that are usually not an opinion after these ("looks like", "feel like"). */
export const likeAsComparison: ReadonlySet<string> = new Set([
  "look",
  "looks",
  "looked",
  "seem",
  "seems",
  "seemed",
  "sound",
  "sounds",
  "sounded",
  "feel",
  "feels",
  "felt",
  "just",
  "something",
  "anything",
  "things",
  "more",
  "much",
  "would",
  "i'd",
  "you'd",
  "we'd",
  "exactly",
]);

export const emotionNames = [
  "joy",
  "trust",
  "anticipation",
  "surprise",
  "sadness",
  "fear",
  "anger",
  "disgust",
] as const;
export type Emotion = (typeof emotionNames)[number];

/** Words that signal each emotion (after the basic emotions of Plutchik's wheel). */
export const emotionWords: Readonly<Record<Emotion, ReadonlySet<string>>> = {
  joy: new Set(
    list(
      `happy, happily, happiness, joy, joyful, delighted, delight, delightful, glad, pleased, love, loved, lovely,
      enjoy, enjoyed, enjoying, enjoyable, fun, excited, thrilled, wonderful, great, awesome, cheerful, smile,
      smiled, laugh, laughed, laughing, celebrate, celebrating, fantastic, amazing, ecstatic, grateful,
      thankful, yay, hooray, excellent, brilliant, perfect, beautiful, hilarious, overjoyed, elated, proud`,
    ),
  ),
  trust: new Set(
    list(
      `trust, trusted, trustworthy, reliable, reliably, dependable, confident, confidence, honest, honesty,
      recommend, recommended, secure, safe, solid, sturdy, loyal, consistent, consistently, guarantee,
      guaranteed, professional, helpful, responsive, faith, credible, sincere, sincerely, integrity, proven,
      assured, reassured, reassuring, durable, accurate, partner, partnership`,
    ),
  ),
  anticipation: new Set(
    list(
      `looking, forward, expect, expecting, expected, eager, eagerly, await, awaiting, hope, hoping, hopeful,
      upcoming, soon, anticipate, anticipating, plan, planning, prepare, preparing, ready, wait, waiting,
      tomorrow, next, future, excited, curious, interested`,
    ),
  ),
  surprise: new Set(
    list(
      `surprised, surprise, surprising, surprisingly, unexpected, unexpectedly, amazed, amazing, astonished,
      astonishing, shocked, shocking, shock, wow, suddenly, sudden, stunned, stunning, whoa, unbelievable,
      incredible, speechless, startled, mindblowing, mind-blowing, twist`,
    ),
  ),
  sadness: new Set(
    list(
      `sad, sadly, sadness, unhappy, disappointed, disappointing, disappointment, depressed, depressing,
      miserable, sorry, regret, regretted, unfortunately, unfortunate, heartbroken, heartbreaking, lonely,
      tragic, tragedy, cry, cried, crying, tears, grief, grieving, lost, loss, miss, missed, gloomy, hopeless,
      upset, devastated, sorrow, mourn, bleak`,
    ),
  ),
  fear: new Set(
    list(
      `afraid, scared, scary, worried, worry, worrying, anxious, anxiety, nervous, concerned, concern, fear,
      feared, frightened, frightening, terrified, terrifying, risk, risky, panic, alarming, alarmed, uneasy,
      threat, threatening, dread, creepy, horror, danger, dangerous, unsafe, insecure, vulnerable, warning`,
    ),
  ),
  anger: new Set(
    list(
      `angry, angrily, anger, furious, mad, annoyed, annoying, irritated, irritating, outraged, outrage, hate,
      hated, frustrated, frustrating, frustration, rage, livid, unacceptable, ridiculous, rude, insulting,
      infuriating, infuriated, pissed, fed, sick, demand, demanding, complaint, complain, hostile,
      resent, resentful, bitter, disrespectful, scam, ripoff, cheated, lied`,
    ),
  ),
  disgust: new Set(
    list(
      `disgusting, disgusted, gross, nasty, revolting, vile, sickening, repulsive, yuck, filthy, appalling,
      awful, horrible, dirty, stinks, smelly, rotten, foul, crap, crappy, garbage, trash, junk, cheesy`,
    ),
  ),
};

/** Cues of urgency and their weight; phrases are matched on the normalised text. */
export const urgencyCues: readonly { pattern: RegExp; weight: number; label: string }[] = [
  { pattern: /\burgent(ly)?\b/, weight: 3, label: "urgent" },
  { pattern: /\basap\b|\bas soon as possible\b/, weight: 3, label: "as soon as possible" },
  { pattern: /\bimmediate(ly)?\b/, weight: 3, label: "immediately" },
  { pattern: /\bemergency\b/, weight: 3, label: "emergency" },
  { pattern: /\boutage\b|\b(is|are|went|goes) down\b/, weight: 3, label: "outage" },
  { pattern: /\bcritical\b|\bsevere\b/, weight: 2, label: "critical" },
  { pattern: /\bright (away|now)\b/, weight: 2, label: "right away" },
  { pattern: /\bas soon as (you|we) can\b/, weight: 2, label: "as soon as you can" },
  {
    pattern: /\b(by|before) (the )?end of (the )?(day|business|week)\b|\beod\b|\bcob\b/,
    weight: 2,
    label: "end of day",
  },
  { pattern: /\bdeadlines?\b|\bdue (date|today|tomorrow)\b/, weight: 2, label: "deadline" },
  { pattern: /\btime[- ]sensitive\b|\btime is running out\b/, weight: 2, label: "time-sensitive" },
  { pattern: /\bwithin (the (next )?hour|\d+ hours?|24 hours)\b/, weight: 2, label: "within hours" },
  { pattern: /\b(overdue|past due)\b/, weight: 2, label: "overdue" },
  { pattern: /\bescalat(e|ed|ing|ion)\b/, weight: 2, label: "escalation" },
  { pattern: /\bblock(ing|er|ed)\b/, weight: 1.5, label: "blocking" },
  { pattern: /\bstill (waiting|no (reply|response|answer))\b/, weight: 2, label: "still waiting" },
  { pattern: /\bhurry\b|\bquickly\b|\bpromptly\b/, weight: 1, label: "quickly" },
  {
    pattern: /\b(by|before|until) (monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|noon)\b/,
    weight: 1.5,
    label: "a near date",
  },
  { pattern: /\btoday\b|\btonight\b|\bthis (morning|afternoon|evening)\b/, weight: 1, label: "today" },
  { pattern: /\btomorrow\b/, weight: 0.5, label: "tomorrow" },
  { pattern: /!{2,}/, weight: 1, label: "repeated exclamation marks" },
  {
    pattern:
      /\bno (rush|hurry|pressure)\b|\bnot urgent\b|\bwhenever (you|it) (get|gets|have|suits)\b|\bin your own time\b|\bno deadline\b/,
    weight: -3,
    label: "says there is no rush",
  },
];

/** Words that carry no topic, for key-phrase extraction. */
export const stopWords: ReadonlySet<string> = new Set(
  list(`a, about, above, after, again, against, all, also, am, an, and, any, are, as, at, be, because, been, before,
  being, below, between, both, but, by, can, could, did, do, does, doing, down, during, each, even, ever, every,
  few, for, from, further, get, gets, got, had, has, have, having, he, her, here, hers, herself, him, himself,
  his, how, i, if, in, into, is, it, its, itself, just, let, me, more, most, much, my, myself, no, nor, not, now,
  of, off, on, once, only, or, other, our, ours, ourselves, out, over, own, same, she, should, so, some, still,
  such, than, that, the, their, theirs, them, themselves, then, there, these, they, this, those, through, to,
  too, under, until, up, us, very, was, we, were, what, when, where, which, while, who, whom, why, will, with,
  would, you, your, yours, yourself, yourselves, really, one, ones, thing, things, lot, lots, way, well, also,
  i'm, i've, i'd, i'll, you're, you've, you'll, we're, we've, we'll, they're, it's, that's, there's, what's,
  don't, doesn't, didn't, isn't, aren't, wasn't, weren't, won't, wouldn't, can't, couldn't, shouldn't,
  haven't, hasn't, hadn't, ain't, cannot, may, might, must, shall, say, said, make, made, go, going, went, come,
  came, know, think, see, want, like, use, used, using, take, put, give, many, something, anything, nothing,
  everything, yet, already, however, though, although, please, thanks, thank, hi, hello, dear, regards, best,
  yes, ok, okay, sure, oh, well, s, t, re`),
);
