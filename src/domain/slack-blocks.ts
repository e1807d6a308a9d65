/** A Slack message as the slash command API takes it (Block Kit blocks plus fallback text). */
export interface SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: unknown[];
}

/**
 * Block Kit's limits for a message. Past the first two Slack refuses the whole message (`invalid_blocks`),
 * so the channel would never hear of a change that was made.
 * - `blocks`: "You can include up to 50 blocks in each message" (docs.slack.dev/reference/block-kit/blocks).
 * - `text`: a section's text, "Maximum length for the text in this field is 3000 characters"
 *   (api.slack.com/reference/block-kit/blocks#section), and every mrkdwn text object, a context block's
 *   elements too: "The minimum length is 1 and maximum length is 3000 characters" (docs.slack.dev,
 *   @slack/types MrkdwnElement).
 * - `fallback`: with blocks, the top-level `text` only shows in notifications (chat.postMessage's
 *   reference); Slack truncates it at 40,000 characters and may split long ones, response URLs included
 *   (api.slack.com/changelog/2018-04-truncating-really-long-messages). One line is all a notification shows.
 * Lengths are JavaScript's (UTF-16 code units), never fewer than the characters they hold.
 */
export const BLOCK_KIT_LIMITS = { blocks: 50, text: 3_000, fallback: 300 } as const;

/** How many entries a list in a sentence names before it says how many more there are. */
export const LISTED_INLINE = 20;

const ELLIPSIS = '…';

/**
 * Escapes the three characters Slack's mrkdwn treats as markup (`&`, `<`, `>`). Everything a user typed
 * goes through it, so a reason can never mention @channel, link, or break the layout.
 *
 * @example
 * escapeMrkdwn('<!channel> & co'); // '&lt;!channel&gt; &amp; co'
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Shortens mrkdwn to at most `max` characters, ending with `…`. The cut never splits an entity (`&amp;`),
 * a Slack token (`<@U024BE7LH>`, `<!date^...>`) or a surrogate pair, since half of one would show as
 * garbage or make Slack refuse the text.
 *
 * @example
 * fitText('a &amp; b', 5); // 'a …'
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - ELLIPSIS.length;
  // An entity is at most 5 characters (`&amp;`): an `&` among the last 4 kept without its `;` is cut in two.
  const tail = text.slice(Math.max(0, cut - 4), cut);
  const amp = tail.lastIndexOf('&');
  if (amp >= 0 && !tail.slice(amp).includes(';')) cut -= tail.length - amp;
  // User text is escaped, so a raw `<` only opens one of our own tokens.
  const open = text.lastIndexOf('<', cut - 1);
  if (open > text.lastIndexOf('>', cut - 1)) cut = open;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}${ELLIPSIS}`;
}

/**
 * The first `items` that fit, joined by `separator`, in `budget` characters and at most `max` of them,
 * keeping `reserve` characters free to say how many were left out (when some are).
 *
 * @example
 * fitList(['a', 'b', 'c'], { budget: 20, max: 2, separator: ', ', reserve: 9 });
 * // { shown: ['a', 'b'], left: 1 }
 */
export function fitList(
  items: string[],
  options: { budget: number; max: number; separator: string; reserve: number },
): { shown: string[]; left: number } {
  const whole =
    items.reduce((sum, item) => sum + item.length, 0) + options.separator.length * (items.length - 1);
  if (items.length <= options.max && whole <= options.budget) return { shown: [...items], left: 0 };
  const shown: string[] = [];
  let length = 0;
  for (const item of items) {
    const next = length + (shown.length > 0 ? options.separator.length : 0) + item.length;
    if (shown.length === options.max || next + options.reserve > options.budget) break;
    shown.push(item);
    length = next;
  }
  return { shown, left: items.length - shown.length };
}

/**
 * A list in a sentence: `` `a`, `b`, `c` and 180 more ``, in at most `budget` characters.
 *
 * @example
 * summarise(['`a`', '`b`', '`c`'], 100, 2); // '`a`, `b` and 1 more'
 */
export function summarise(
  items: string[],
  budget: number,
  max: number = LISTED_INLINE,
  /** How many there are in all, when `items` are only the first of them. */
  total: number = items.length,
): string {
  const more = (left: number) => ` and ${left} more`;
  const { shown, left } = fitList(items, {
    budget,
    max,
    separator: ', ',
    reserve: more(total).length,
  });
  const unlisted = left + (total - items.length);
  return `${shown.join(', ')}${unlisted > 0 ? more(unlisted) : ''}`;
}

/** A section of mrkdwn text, fitted to Block Kit's limit. */
export function section(text: string) {
  return { type: 'section', text: { type: 'mrkdwn', text: fitText(text, BLOCK_KIT_LIMITS.text) } };
}

/** A context line of mrkdwn text, fitted to Block Kit's limit. */
export function context(text: string) {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: fitText(text, BLOCK_KIT_LIMITS.text) }] };
}

/** A message with its fallback fitted to one notification line and at most Block Kit's number of blocks. */
export function slackMessage(
  responseType: SlackMessage['response_type'],
  fallback: string,
  blocks: unknown[],
): SlackMessage {
  return {
    response_type: responseType,
    text: fitText(fallback, BLOCK_KIT_LIMITS.fallback),
    blocks: blocks.slice(0, BLOCK_KIT_LIMITS.blocks),
  };
}
