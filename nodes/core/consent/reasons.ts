/** Why the gate refused a contact, in the order the checks run (the first that applies is reported). */
export const BLOCK_REASONS = [
	'invalid_input',
	'missing_identity',
	'opted_out',
	'no_consent',
	'retention_expired',
	'possible_bot',
	'outside_window',
	'rate_limited',
	'already_sent',
] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

/** One human sentence per reason, shown next to the machine-readable `reason`. */
export const REASON_TEXT: Readonly<Record<BlockReason, string>> = {
	invalid_input: 'The item has a value the gate cannot read (see reasonDetail), so it was not sent.',
	missing_identity: 'The contact has no subject key or no channel, so consent cannot be checked.',
	opted_out: 'The contact opted out of this channel and purpose (or of every channel).',
	no_consent: 'This purpose needs an opt-in and the contact has no active one.',
	retention_expired:
		'The retention period for this contact’s data has passed and there is no separate consent to keep it.',
	possible_bot: 'The contact is flagged as a possible bot.',
	outside_window:
		'The messaging window is closed: Instagram allows automated DMs only within 24 hours of the person’s last message (7 days with the HUMAN_AGENT tag, for messages a person types).',
	rate_limited:
		'The account reached its sending cap for this run, hour or day; the contact stays queued for a later run.',
	already_sent:
		'The send log already holds a message sent with this idempotency key, so it is not sent a second time.',
};

/** Reason code stored in a Uint8Array: 0 = allowed, otherwise 1 + index in BLOCK_REASONS. */
export const ALLOWED = 0;
export const CODE: Readonly<Record<BlockReason, number>> = Object.fromEntries(
	BLOCK_REASONS.map((reason, i) => [reason, i + 1]),
) as Record<BlockReason, number>;

export function reasonOfCode(code: number): BlockReason | undefined {
	return code === ALLOWED ? undefined : BLOCK_REASONS[code - 1];
}
