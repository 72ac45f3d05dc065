/**
 * Thrown by {@link interpret} when the payload is well-shaped but not interpretable
 * (an odd `message_id`, content over 2,000 characters, an id that is not a digit string…).
 * The gateway answers it with an `error` of code 400 carrying this message.
 */
export class InterpretInputError extends Error {
  override readonly name = "InterpretInputError";

  constructor(message: string) {
    super(message);
  }
}
