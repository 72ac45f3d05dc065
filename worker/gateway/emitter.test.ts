import { describe, expect, it } from "vitest";
// The emitter it stands in for in the worker build (vite.config.ts).
import { Emitter as Original } from "@socket.io/component-emitter";
import { Emitter } from "./emitter";

type Any = {
  on(e: string, f: (...a: unknown[]) => void): Any;
  once(e: string, f: (...a: unknown[]) => void): Any;
  off(e?: string, f?: (...a: unknown[]) => void): Any;
  removeListener(e: string, f: (...a: unknown[]) => void): Any;
  removeAllListeners(e?: string): Any;
  emit(e: string, ...a: unknown[]): Any;
  emitReserved(e: string, ...a: unknown[]): Any;
};

/** Runs one script of calls on an emitter and returns what its listeners saw, in order. */
function script(make: () => Any): string[] {
  const seen: string[] = [];
  const em = make();
  const a = (...args: unknown[]) => seen.push(`a:${args.join(",")}`);
  const b = (...args: unknown[]) => seen.push(`b:${args.join(",")}`);
  // A listener that adds and removes others while an emit runs: the emit goes on with its copy.
  const c = () => {
    seen.push("c");
    em.off("x", a);
    em.on("x", b);
  };
  em.on("x", a).on("x", c).once("x", b);
  em.emit("x", 1, 2);
  em.emit("x", 3);
  em.emitReserved("x", 4);
  em.removeListener("x", c);
  em.emit("x", 5);
  // once() then off() by the original function.
  em.once("y", a);
  em.off("y", a);
  em.emit("y", 6);
  // Events named after Object's own properties.
  em.on("constructor", a).on("__proto__", b);
  em.emit("constructor", 7);
  em.emit("__proto__", 8);
  em.removeAllListeners("constructor");
  em.emit("constructor", 9);
  em.emit("__proto__", 10);
  em.removeAllListeners();
  em.emit("x", 11);
  em.emit("__proto__", 12);
  // `this` in a listener is the emitter.
  em.on("z", function (this: unknown) {
    seen.push(`this:${this === em}`);
  });
  em.emit("z");
  em.off("nothing", a);
  em.off("z", a);
  em.emit("z");
  return seen;
}

describe("emitter: socket.io's component-emitter for the worker build", () => {
  it("behaves as the original on what the clients call of it", () => {
    const ours = script(() => new Emitter() as unknown as Any);
    const theirs = script(() => new (Original as unknown as new () => Any)());
    expect(ours).toEqual(theirs);
    expect(ours).toEqual([
      "a:1,2",
      "c",
      "b:1,2",
      "c",
      "b:3",
      "c",
      "b:4",
      "b:4",
      "b:5",
      "b:5",
      "b:5",
      "a:7",
      "b:8",
      "b:10",
      "this:true",
      "this:true",
    ]);
  });

  it("is a base class the clients extend", () => {
    class Socket extends Emitter {
      seen: unknown[] = [];
      constructor() {
        super();
        this.on("open", (v: unknown) => this.seen.push(v));
      }
    }
    const s = new Socket();
    s.emitReserved("open", 1);
    expect(s.seen).toEqual([1]);
  });
});
