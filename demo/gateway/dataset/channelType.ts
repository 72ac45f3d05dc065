/** Discord channel types used by the dataset. */
export const ChannelType = { TEXT: 0, VOICE: 2, CATEGORY: 4 } as const;
