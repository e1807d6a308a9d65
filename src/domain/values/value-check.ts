/** What a value rule says: the value as checked, or what is wrong with it, in a phrase without the field's name. */
export type ValueCheck<T> = { ok: true; value: T } | { ok: false; message: string };
