/**
 * Word lists the dataset and activity generators draw from. Lists are written as
 * `|`-separated strings to keep this file compact.
 */
import type { AutoResponseMode } from "../../../src/protocol";

const list = (s: string): readonly string[] => s.split("|");

/** Syllables member names are composed of (shared syllables give shared name prefixes). */
export const NAME_SYLLABLES = list(
  "ka|ra|mi|lo|zen|vel|tor|an|el|ri|sa|mor|da|kin|ja|ne|ox|ly|bel|cas|dor|fi|gal|hal|is|jor|ke|lu|mar|" +
    "nyx|o|pe|qui|ros|sil|ta|u|vin|wex|yu|zo|ash|bri|cor|dev",
);

/** Words appended to some names ("kara_moon", "Velrik-dev", "Miro Tan"). */
export const NAME_SUFFIX_WORDS = list(
  "moon|dev|star|fox|wolf|cat|byte|pixel|storm|leaf|gamer|tan|rose|bear|nova|ghost|king|queen|frost|ray",
);

/** Separators between a name and its suffix word; "" glues them together. */
export const NAME_SEPARATORS = list(" |_|-|");

/** Names of public text channels. */
export const TEXT_CHANNEL_NAMES = list(
  "general|announcements|introductions|memes|off-topic|bot-commands|music|gaming|art|help|showcase|" +
    "suggestions|events|media|random|dev-talk|screenshots|pets|food|books|movies|starboard|feedback|" +
    "rules|links",
);

/** Names of private text channels. The first one ("mod-private") exists in every guild. */
export const PRIVATE_CHANNEL_NAMES = list("mod-private|admin-log|staff-chat");

/** Names of voice channels. */
export const VOICE_CHANNEL_NAMES = list("Lounge|Gaming|Music|Study Room|AFK|Podcast|Stage|Chill");

/** Names of channel categories. */
export const CATEGORY_NAMES = list("Information|Community|Hobbies|Voice|Development|Events|Archive|Media");

/** Role names (without @everyone). */
export const ROLE_NAMES = list(
  "Admin|Moderator|Member|Verified|Bot|Muted|Artist|DJ|Nitro Booster|Helper|Developer|Gamer|Event Host|" +
    "Contributor|Veteran|Newcomer|Streamer|Writer|Photographer|Musician|Night Owl|Early Bird|Pro|" +
    "Supporter|VIP|Tester|Translator|Designer|Editor|Curator|Lurker|Regular",
);

/** Roles managed by an integration (never deleted by the activity generator). */
export const MANAGED_ROLE_NAMES: ReadonlySet<string> = new Set(["Bot", "Nitro Booster"]);

/** Names of custom emoji. */
export const EMOJI_NAMES = list(
  "pepega|kekw|poggers|monkaS|catjam|blobwave|partyparrot|thonk|yikes|sadge|hypers|feelsgood|ez|" +
    "omegalul|peepoHappy|copium|stonks|bonk|nodders|wicked|blush|cool_dog|frogHug|meow|heart_blue",
);

/** Unicode emoji used in reactions. */
export const UNICODE_EMOJI = list("👍|😂|❤️|🎉|🔥|👀|😮|🙏|💯|🤔");

/** (trigger, response, mode) seeds of auto responses. */
export const AUTO_RESPONSE_SEEDS: readonly (readonly [string, string, AutoResponseMode])[] = [
  ["hello", "Hi there, [author]!", "naive"],
  ["good bot", "thank you :)", "punctuated"],
  ["bad bot", "I'm trying my best", "punctuated"],
  ["gm", "good morning ☀️", "naive"],
  ["gn", "sleep well 🌙", "naive"],
  ["^ping$", "pong", "regex"],
  ["f", "F", "punctuated"],
  ["rip", "press F to pay respects", "naive"],
  ["^(hi|hey) architus$", "hello human", "regex"],
  ["nice", "nice.", "punctuated"],
  ["when release", "soon™", "naive"],
  ["owo", "what's this?", "naive"],
  ["\\bcoffee\\b", "☕", "regex"],
  ["thanks", "you're welcome!", "punctuated"],
  ["lol", "[count] people laughed", "naive"],
  ["is it friday", "not yet", "naive"],
  ["^!rules$", "read #rules please", "regex"],
  ["hype", "HYPE HYPE HYPE", "naive"],
];

/** Responses an auto response edit can switch to. */
export const AUTO_RESPONSE_REPLIES = list(
  "indeed|absolutely|[author] said it|no u|👀|certified moment|big if true|ok|noted|wow|sure thing|" +
    "hmm|let's go!",
);

/** Auto response matching modes. */
export const AUTO_RESPONSE_MODES: readonly AutoResponseMode[] = ["naive", "regex", "punctuated"];

/** Words random messages are made of. */
export const MESSAGE_WORDS = list(
  "the|a|is|it|that|this|we|you|i|they|game|bot|server|music|tonight|later|lol|yeah|no|maybe|cool|" +
    "nice|really|think|should|play|build|deploy|broken|works|again|anyone|here|what|why|how|new|" +
    "update|patch|raid|stream|art|cat|dog|coffee|tea|pizza|gg",
);

/** Command prefixes a guild can switch to. */
export const SETTING_PREFIXES = list("!|?|$|%|>|.");
