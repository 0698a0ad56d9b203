import { describe, expect, it } from "vitest";
import { textFeatures, tokenize } from "../../src";
import { lookupForms, stem, words } from "../../src/text/tokenize";

describe("tokenize", () => {
  it("keeps contractions whole, marks negation scope and shouting, keeps punctuation", () => {
    expect(tokenize("I don't like it, but it's GREAT!")).toEqual([
      { text: "i", kind: "word", shouted: false, negated: false },
      { text: "don't", kind: "word", shouted: false, negated: false },
      { text: "like", kind: "word", shouted: false, negated: true },
      { text: "it", kind: "word", shouted: false, negated: true },
      { text: ",", kind: "punct", shouted: false, negated: false },
      { text: "but", kind: "word", shouted: false, negated: false },
      { text: "it's", kind: "word", shouted: false, negated: false },
      { text: "great", kind: "word", shouted: true, negated: false },
      { text: "!", kind: "punct", shouted: false, negated: false },
    ]);
  });

  it("ends negation after three words or at a contrast word", () => {
    const negated = (text: string) =>
      tokenize(text)
        .filter((t) => t.negated)
        .map((t) => t.text);
    expect(negated("Not at all what I wanted")).toEqual(["at", "all", "what"]);
    expect(negated("It is not fast but cheap")).toEqual(["fast"]);
  });

  it("spells apostrophe-less contractions the lexicon's way and folds accents and curly quotes", () => {
    expect(words("Dont buy it. It doesn’t work at the café")).toEqual([
      "don't",
      "buy",
      "it",
      "it",
      "doesn't",
      "work",
      "at",
      "the",
      "cafe",
    ]);
  });

  it("does not read a text written wholly in capitals as shouting", () => {
    expect(tokenize("THIS IS FINE").some((t) => t.shouted)).toBe(false);
  });
});

describe("stem and lookupForms", () => {
  it("strips plural, -ed, -ing and -ly", () => {
    expect(["disappointing", "disappointed", "stopped", "batteries", "glass", "quickly"].map(stem)).toEqual([
      "disappoint",
      "disappoint",
      "stop",
      "battery",
      "glass",
      "quick",
    ]);
  });

  it("lists the forms to look up, the word itself first", () => {
    expect(lookupForms("loved")).toEqual(["loved", "lov", "love"]);
    expect(lookupForms("stopped")).toEqual(["stopped", "stopp", "stoppe", "stop"]);
    expect(lookupForms("great")).toEqual(["great"]);
  });
});

describe("textFeatures", () => {
  it("has words (negated ones marked) and bigrams within a clause", () => {
    expect([...textFeatures(tokenize("Not good. Call 3 times")).keys()]).toEqual([
      "w:not",
      "w:not_good",
      "b:not good",
      "w:call",
      "w:<num>",
      "b:call <num>",
      "w:times",
      "b:<num> times",
    ]);
  });
});
