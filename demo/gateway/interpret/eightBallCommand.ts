import { textReply, usageReply } from "./Command";
import type { Command } from "./Command";
import { deterministicIndex } from "./deterministicIndex";

/** The classic twenty Magic 8-Ball answers. */
export const EIGHT_BALL_ANSWERS: readonly string[] = Object.freeze([
  "It is certain.",
  "It is decidedly so.",
  "Without a doubt.",
  "Yes, definitely.",
  "You may rely on it.",
  "As I see it, yes.",
  "Most likely.",
  "Outlook good.",
  "Yes.",
  "Signs point to yes.",
  "Reply hazy, try again.",
  "Ask again later.",
  "Better not tell you now.",
  "Cannot predict now.",
  "Concentrate and ask again.",
  "Don't count on it.",
  "My reply is no.",
  "My sources say no.",
  "Outlook not so good.",
  "Very doubtful.",
]);

/** The answer to a question, derived from the message id and the question. */
export function eightBallAnswer(messageId: string, question: string): string {
  const seed = `8ball:${messageId}:${question.toLowerCase()}`;
  return EIGHT_BALL_ANSWERS[deterministicIndex(seed, EIGHT_BALL_ANSWERS.length)] ?? "Ask again later.";
}

/** `!8ball <question>`: answers the question from {@link EIGHT_BALL_ANSWERS}. */
export const eightBallCommand: Command = {
  name: "8ball",
  usage: "!8ball <question>",
  description: "ask the magic 8-ball a question",
  run: ({ args, messageId }) =>
    args.length === 0 ? usageReply(eightBallCommand) : textReply(`🎱 ${eightBallAnswer(messageId, args)}`),
};
