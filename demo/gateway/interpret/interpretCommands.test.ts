import { describe, it, expect } from "vitest";
import type { InterpretAction, InterpretPayload } from "../../../src/protocol";
import { interpret, MOCK_AUTO_RESPONSES } from "./interpret";
import { EIGHT_BALL_ANSWERS } from "./eightBallCommand";

const run = (content: string, extra: Partial<InterpretPayload> = {}) =>
  interpret({ _id: 1, guild_id: "42", message_id: "1000", content, ...extra }, MOCK_AUTO_RESPONSES);
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
/** The single reply's text. */
const reply = (content: string, extra: Partial<InterpretPayload> = {}): string => {
  const actions = run(content, extra);
  expect(actions).toHaveLength(1);
  const [action] = actions;
  if (action?.action !== 3001) throw new Error(`expected one send, got ${JSON.stringify(actions)}`);
  return String(action.content);
};

const HELP_LINES = [
  "`!help` — list the available commands",
  "`!ping` — check that the bot is awake",
  "`!echo <text>` — repeat the text back",
  "`!roll [NdM]` — roll N dice with M sides (default 1d6)",
  "`!8ball <question>` — ask the magic 8-ball a question",
  "`!poll <question> | option 1 | option 2 …` — start a poll with 2–9 options",
];
const ROLL_USAGE = "Usage: `!roll [NdM]` (N 1–20, M 2–1000, e.g. `!roll 2d6`)";
const POLL_USAGE = "Usage: `!poll <question> | option 1 | option 2 …` (2–9 options)";

describe("commands", () => {
  it("!help lists every command", () => {
    expect(run("!help")).toEqual([send("1001", ["**Available commands**", ...HELP_LINES].join("\n"))]);
  });

  it("!ping answers pong; names are case-insensitive", () => {
    expect(run("!ping")).toEqual([send("1001", "pong")]);
    expect(reply("  !PiNg and more")).toBe("pong");
  });

  it("!echo repeats the text, or shows its usage", () => {
    expect(reply("!echo  hello\nworld  ")).toBe("hello\nworld");
    expect(reply("!ECHO !ping")).toBe("!ping");
    expect(reply("!echo")).toBe("Usage: `!echo <text>`");
    expect(reply("!echo   ")).toBe("Usage: `!echo <text>`");
  });

  it("!roll rolls 1d6 by default and NdM on demand, showing each die and the total", () => {
    expect(reply("!roll")).toBe("🎲 1d6: 5 (total 5)");
    expect(reply("!roll 1d6")).toBe("🎲 1d6: 5 (total 5)");
    expect(reply("!roll 3d20")).toBe("🎲 3d20: 18, 12, 2 (total 32)");
    expect(reply("!Roll 3D20")).toBe("🎲 3d20: 18, 12, 2 (total 32)");
  });

  it("!roll is deterministic per message id and stays in range", () => {
    const faces = new Set<string>();
    for (let id = 0; id < 400; id += 2) {
      const text = reply("!roll", { message_id: String(id) });
      expect(text).toMatch(/^🎲 1d6: ([1-6]) \(total \1\)$/);
      expect(reply("!roll", { message_id: String(id) })).toBe(text);
      faces.add(text);
    }
    expect(faces.size).toBe(6);
    const big = reply("!roll 20d1000");
    const dice = /^🎲 20d1000: ([\d, ]+) \(total (\d+)\)$/.exec(big);
    const values = (dice?.[1] ?? "").split(", ").map(Number);
    expect(values).toHaveLength(20);
    for (const v of values) expect(v >= 1 && v <= 1000).toBe(true);
    expect(Number(dice?.[2])).toBe(values.reduce((a, b) => a + b, 0));
  });

  it("!roll answers invalid dice with its usage", () => {
    for (const args of ["0d6", "21d6", "1d1", "1d1001", "abc", "2d6 extra", "-1d6", "1d6.5", "99999d6"]) {
      expect(reply(`!roll ${args}`)).toBe(ROLL_USAGE);
    }
    expect(reply("!roll d20", { message_id: "2" })).toMatch(/^🎲 1d20: \d+ \(total \d+\)$/);
  });

  it("!8ball answers from the fixed list, deterministically", () => {
    expect(reply("!8ball will it work?")).toBe("🎱 Outlook not so good.");
    expect(reply("!8ball")).toBe("Usage: `!8ball <question>`");
    const answers = new Set<string>();
    for (let id = 0; id < 400; id += 2) {
      const text = reply("!8ball why?", { message_id: String(id) });
      expect(EIGHT_BALL_ANSWERS.map((a) => `🎱 ${a}`)).toContain(text);
      answers.add(text);
    }
    expect(answers.size).toBeGreaterThan(10);
  });

  it("!poll posts the options and reacts to its own message with 1️⃣ 2️⃣ …", () => {
    expect(run("!poll Lunch? | pizza | tacos |", { message_id: "2000" })).toEqual([
      send("2001", "📊 **Lunch?**\n1️⃣ pizza\n2️⃣ tacos"),
      react("2001", "1️⃣"),
      react("2001", "2️⃣"),
    ]);
    const nine = run(`!poll q | ${"abcdefghi".split("").join(" | ")}`);
    expect(nine.map((a) => (a.action === 3100 ? a.emoji : a.action))).toEqual([
      3001,
      ..."123456789".split("").map((d) => `${d}\uFE0F\u20E3`),
    ]);
  });

  it("!poll answers a missing question or 1 or 10 options with its usage", () => {
    expect(reply("!poll q | a")).toBe(POLL_USAGE);
    expect(reply("!poll | a | b")).toBe(POLL_USAGE);
    expect(reply("!poll")).toBe(POLL_USAGE);
    expect(reply(`!poll q | ${"abcdefghij".split("").join(" | ")}`)).toBe(POLL_USAGE);
  });

  it("answers an unknown command", () => {
    expect(reply("!dance now")).toBe("Unknown command `!dance`. Type `!help` to see the available commands.");
    expect(reply("!dance", { allowed_commands: ["ping"] })).toBe("Unknown command `!dance`.");
  });

  it("treats a prefix without a name as an ordinary message", () => {
    expect(run("!")).toEqual([]);
    expect(run("!!! hello")).toEqual([send("1001", "hi there, you!")]);
    expect(run("! hello")).toEqual([send("1001", "hi there, you!")]);
  });
});

describe("allowed_commands", () => {
  it("refuses a command that is not enabled and does nothing else", () => {
    expect(run("!echo hello", { allowed_commands: ["ping", "help"] })).toEqual([
      send("1001", "`!echo` is not enabled here"),
    ]);
    expect(run("!POLL a | b | c", { allowed_commands: [] })).toEqual([
      send("1001", "`!poll` is not enabled here"),
    ]);
  });

  it("runs enabled commands, case-insensitively", () => {
    expect(reply("!ping", { allowed_commands: ["PING"] })).toBe("pong");
  });

  it("!help lists only the enabled commands", () => {
    expect(reply("!help", { allowed_commands: ["ping", "help"] })).toBe(
      ["**Available commands**", HELP_LINES[0], HELP_LINES[1]].join("\n"),
    );
    expect(reply("!help", { allowed_commands: ["ping"] })).toBe("`!help` is not enabled here");
  });
});
