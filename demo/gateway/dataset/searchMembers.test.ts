import { describe, it, expect } from "vitest";
import type { Member } from "../../../src/protocol";
import { searchMembers } from "./searchMembers";

const member = (id: string, name: string, nick: string | null = null): Member => ({
  id,
  name,
  nick,
  avatar: null,
  discriminator: "0001",
  roles: [],
  color: null,
  joined_at: "2020-01-01T00:00:00.000Z",
});

const ids = (found: Member[]): string[] => found.map((m) => m.id);

describe("searchMembers", () => {
  const members = [
    member("10", "xkxaxrxa"), // subsequence
    member("9", "bakaras"), // substring
    member("8", "moon_kara"), // word start after _
    member("7", "karamel"), // prefix
    member("6", "kara"), // exact
    member("5", "zed"), // no match
  ];

  it("ranks exact, prefix, word start, substring, subsequence", () => {
    expect(ids(searchMembers(members, "kara", 10))).toEqual(["6", "7", "8", "9", "10"]);
  });

  it("leaves out members that do not match", () => {
    expect(ids(searchMembers(members, "q", 10))).toEqual([]);
    expect(ids(searchMembers(members, "kara", 10))).not.toContain("5");
  });

  it("respects the limit and keeps the best", () => {
    expect(ids(searchMembers(members, "kara", 2))).toEqual(["6", "7"]);
    expect(searchMembers(members, "kara", 0)).toEqual([]);
  });

  it("matches nicknames and takes the better of name and nick", () => {
    const list = [member("1", "zzz kara"), member("2", "someone", "Kara"), member("3", "karla")];
    expect(ids(searchMembers(list, "kara", 10))).toEqual(["2", "1", "3"]);
  });

  it("treats space, _ and - as word boundaries", () => {
    const list = [member("1", "xmoon"), member("2", "a-moon"), member("3", "a moon"), member("4", "a_moon")];
    expect(ids(searchMembers(list, "moon", 10))).toEqual(["2", "3", "4", "1"]);
  });

  it("is case-insensitive", () => {
    const list = [member("1", "KARA"), member("2", "kArAmel")];
    expect(ids(searchMembers(list, "kAra", 10))).toEqual(["1", "2"]);
  });

  it("breaks ties by shorter field, then numeric id", () => {
    const list = [
      member("100", "karamel"),
      member("99", "karamel"),
      member("1000", "karam"),
      member("20", "karamelo"),
    ];
    expect(ids(searchMembers(list, "kar", 10))).toEqual(["1000", "99", "100", "20"]);
  });

  it("finds nothing for an empty or blank query", () => {
    expect(searchMembers(members, "", 10)).toEqual([]);
    expect(searchMembers(members, "   ", 10)).toEqual([]);
  });

  it("accepts any iterable, such as a map's values", () => {
    const map = new Map(members.map((m) => [m.id, m]));
    expect(ids(searchMembers(map.values(), "kara", 1))).toEqual(["6"]);
  });
});
