import { describe, it, expect } from "vitest";
import type { AutoResponse, InterpretAction, InterpretPayload } from "../../../src/protocol";
import { interpret, InterpretInputError, MOCK_AUTO_RESPONSES, MOCK_GUILD_LIMIT } from "./interpret";
import { matchesAutoResponse } from "./matchesAutoResponse";

const payload = (content: string, extra: Partial<InterpretPayload> = {}): InterpretPayload => ({
  _id: 1,
  guild_id: "42",
  message_id: "1000",
  content,
  ...extra,
});
const run = (content: string, extra: Partial<InterpretPayload> = {}, ars = MOCK_AUTO_RESPONSES) =>
  interpret(payload(content, extra), ars);
const send = (message_id: string, content: string): InterpretAction => ({
  action: 3001,
  message_id,
  content,
});
const react = (message_id: string, emoji: string): InterpretAction => ({
  action: 3100,
  message_id,
  emoji,
});
const unreact = (message_id: string, emoji: string): InterpretAction => ({
  action: 3101,
  message_id,
  emoji,
});
const ar = (
  id: string,
  trigger: string,
  mode: AutoResponse["mode"],
  response: string,
  count = 0,
): AutoResponse => ({
  id,
  trigger,
  response,
  author_id: null,
  mode,
  count,
});

describe("message ids", () => {
  it("gives the bot's replies consecutive odd ids: +1, +3, +5", () => {
    expect(run("hello, good bot. architus here")).toEqual([
      send("1001", "hi there, you!"),
      send("1003", "thank you :)"),
      send("1005", "that's me!"),
    ]);
  });

  it("uses BigInt arithmetic on 20-digit ids", () => {
    expect(run("hello good bot architus", { message_id: "99999999999999999994" })).toEqual([
      send("99999999999999999995", "hi there, you!"),
      send("99999999999999999997", "thank you :)"),
      send("99999999999999999999", "that's me!"),
    ]);
    expect(run("!ping", { message_id: "99999999999999999998" })).toEqual([
      send("99999999999999999999", "pong"),
    ]);
    expect(run("!ping", { message_id: "0" })).toEqual([send("1", "pong")]);
    expect(run("!ping", { message_id: "0010" })).toEqual([send("11", "pong")]);
  });

  it("rejects an odd message_id, a non-digit id and a reply id beyond 20 digits", () => {
    expect(() => run("!ping", { message_id: "1001" })).toThrow(InterpretInputError);
    expect(() => run("!ping", { message_id: "1001" })).toThrow("message_id must be even");
    expect(() => run("!ping", { message_id: "12a4" })).toThrow(InterpretInputError);
    expect(() => run("hello good bot", { message_id: "99999999999999999998" })).toThrow(InterpretInputError);
    const error = new InterpretInputError("x");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("InterpretInputError");
  });
});

describe("content", () => {
  it("rejects content over 2,000 characters and accepts exactly 2,000", () => {
    expect(() => run("a".repeat(2001))).toThrow(InterpretInputError);
    expect(run("a".repeat(2000))).toEqual([]);
  });

  it("answers blank content with nothing", () => {
    expect(run("")).toEqual([]);
    expect(run("  \n ")).toEqual([]);
  });
});

describe("auto responses", () => {
  it("naive: case-insensitive substring", () => {
    expect(run("sAY HELLOOO")).toEqual([send("1001", "hi there, you!")]);
    expect(run("hell o")).toEqual([]);
  });

  it("punctuated: whole word or phrase, ignoring punctuation and case", () => {
    expect(run("Good... BOT!!!")).toEqual([send("1001", "thank you :)")]);
    expect(run("what a good-bot")).toEqual([send("1001", "thank you :)")]);
    expect(run("goodbot")).toEqual([]);
    expect(run("good bottle")).toEqual([]);
  });

  it("regex: case-insensitive JS regex", () => {
    expect(run("fff")).toEqual([send("1001", "f")]);
    expect(run("F")).toEqual([send("1001", "f")]);
    expect(run("ff f")).toEqual([]);
  });

  it("skips invalid and catastrophic regexes without throwing", () => {
    const ars = [
      ar("1", "(", "regex", "invalid"),
      ar("2", "(a+)+$", "regex", "catastrophic"),
      ar("3", "(?<x", "regex", "invalid too"),
      ar("4", "^a+b?$", "regex", "fine"),
    ];
    expect(run("a".repeat(40) + "!", {}, ars)).toEqual([]);
    expect(run("aaaa", {}, ars)).toEqual([send("1001", "fine")]);
  });

  it("tests regexes against the first 2,000 characters only", () => {
    const endsWithB = ar("1", "b$", "regex", "b");
    expect(matchesAutoResponse(endsWithB, "a".repeat(1999) + "b")).toBe(true);
    expect(matchesAutoResponse(endsWithB, "a".repeat(2000) + "b")).toBe(false);
  });

  it("sends every match in order, at most three", () => {
    const ars = [1, 2, 3, 4].map((n) => ar(String(n), "x", "naive", `r${n}`));
    expect(run("x", {}, ars)).toEqual([send("1001", "r1"), send("1003", "r2"), send("1005", "r3")]);
  });

  it("fills [author] and [count] (count + 1) in templates", () => {
    const ars = [ar("1", "hi", "naive", "[author], [author]: #[count] [count]", 41)];
    expect(run("hi", {}, ars)).toEqual([send("1001", "you, you: #42 42")]);
    expect(run("bad bot")).toEqual([send("1001", "sorry :( that's 1 times now")]);
  });

  it("ignores empty triggers and does not answer commands", () => {
    expect(run("anything", {}, [ar("1", "", "naive", "no"), ar("2", "...", "punctuated", "no")])).toEqual([]);
    expect(run("!echo hello")).toEqual([send("1001", "hello")]);
  });

  it("exports the mock guild defaults", () => {
    expect(MOCK_GUILD_LIMIT).toBe(10_000_000);
    expect(MOCK_AUTO_RESPONSES.map(({ trigger, mode, response }) => [trigger, mode, response])).toEqual([
      ["hello", "naive", "hi there, [author]!"],
      ["good bot", "punctuated", "thank you :)"],
      ["^f+$", "regex", "f"],
      ["architus", "naive", "that's me!"],
      ["bad bot", "punctuated", "sorry :( that's [count] times now"],
    ]);
    for (const { id } of MOCK_AUTO_RESPONSES) expect(id).toMatch(/^[0-9]{1,20}$/);
    expect(new Set(MOCK_AUTO_RESPONSES.map(({ id }) => id)).size).toBe(MOCK_AUTO_RESPONSES.length);
  });
});

describe("reactions", () => {
  const added = [
    { message_id: "1001", emoji: "🔥" },
    { message_id: "998", emoji: "x" },
    { message_id: "998", emoji: "y" },
    { message_id: "996", emoji: "👀" },
    { message_id: "1001", emoji: "🔥" },
  ];

  it("mirrors reactions on bot messages and eyes user messages once each", () => {
    expect(run("", { added_reactions: added })).toEqual([
      react("1001", "🔥"),
      react("998", "👀"),
      react("996", "👀"),
    ]);
  });

  it("removes its own reaction from bot messages only", () => {
    const removed = [
      { message_id: "999", emoji: "🎉" },
      { message_id: "998", emoji: "x" },
    ];
    expect(run("", { removed_reactions: removed })).toEqual([unreact("999", "🎉")]);
  });

  it("handles reactions before the content", () => {
    const actions = run("!ping", {
      added_reactions: [{ message_id: "997", emoji: "a" }],
      removed_reactions: [{ message_id: "995", emoji: "b" }],
    });
    expect(actions).toEqual([react("997", "a"), unreact("995", "b"), send("1001", "pong")]);
  });

  it("rejects a reaction on a non-digit message id", () => {
    expect(() => run("", { added_reactions: [{ message_id: "abc", emoji: "a" }] })).toThrow(
      InterpretInputError,
    );
  });
});

describe("determinism", () => {
  it("gives the same output for the same input and does not mutate it", () => {
    const input = Object.freeze(
      payload("!roll 5d100", { added_reactions: [{ message_id: "3", emoji: "a" }] }),
    );
    const first = interpret(input, MOCK_AUTO_RESPONSES);
    expect(interpret(input, MOCK_AUTO_RESPONSES)).toEqual(first);
    expect(interpret(structuredClone(input), MOCK_AUTO_RESPONSES)).toEqual(first);
    for (const content of ["!8ball why?", "!poll a | b | c", "hello"]) {
      expect(run(content)).toEqual(run(content));
    }
  });
});
