import type { ConversionRow, EventRow, SendRow } from './rows';

/**
 * Last-touch attribution, one rule for every outcome: a reply, open, click or order is credited to the last
 * sequence message sent before it within the attribution window — the last one to the person, or, for an order
 * that names no recipient but carries UTM campaign and content, the last send with those values (credited to that
 * sequence, step and variant, not to a person). Which rows are read never changes the credit of an outcome in the
 * period: an older send could only be the last touch if no send read came after it.
 */
export class Attribution {
	private readonly byContact = new Map<string, SendRow[]>();
	private readonly byUtm = new Map<string, SendRow[]>();

	constructor(
		sends: readonly SendRow[],
		private readonly windowMs: number,
	) {
		const ordered = [...sends].sort(compareSends);
		for (const send of ordered) {
			const list = this.byContact.get(send.contactId);
			if (list) list.push(send);
			else this.byContact.set(send.contactId, [send]);
			if (send.utmContent !== '') {
				const key = utmKey(send.utmCampaign, send.utmContent);
				const sameUtm = this.byUtm.get(key);
				if (sameUtm) sameUtm.push(send);
				else this.byUtm.set(key, [send]);
			}
		}
	}

	/** The sends to a contact, oldest first. */
	sendsTo(contactId: string): readonly SendRow[] {
		return this.byContact.get(contactId) ?? [];
	}

	/** The last send to `contactId` strictly before `at`, when `at` is within the window after it. */
	creditFor(contactId: string, at: number): SendRow | undefined {
		return this.lastWithin(this.byContact.get(contactId), at);
	}

	/** The last send of `list` (oldest first) strictly before `at`, when `at` is within the window after it. */
	private lastWithin(list: readonly SendRow[] | undefined, at: number): SendRow | undefined {
		if (!list) return undefined;
		let lo = 0;
		let hi = list.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (list[mid].at < at) lo = mid + 1;
			else hi = mid;
		}
		const send = lo > 0 ? list[lo - 1] : undefined;
		return send && at - send.at <= this.windowMs ? send : undefined;
	}

	creditEvent(event: EventRow): SendRow | undefined {
		return this.creditFor(event.viewerKey, event.at);
	}

	/** Credit of a conversion: by person first, else by its UTM values. `person` tells which. */
	creditConversion(conversion: ConversionRow): { send: SendRow; person: boolean } | undefined {
		const send = this.creditFor(conversion.contactKey, conversion.at);
		if (send) return { send, person: true };
		if (conversion.utmContent === '') return undefined;
		const list = this.byUtm.get(utmKey(conversion.utmCampaign, conversion.utmContent));
		const byUtm = this.lastWithin(list, conversion.at);
		return byUtm ? { send: byUtm, person: false } : undefined;
	}
}

function utmKey(campaign: string, content: string): string {
	return `${campaign}\u0000${content}`;
}

/** Oldest first; ties broken by contact, sequence and step so the order never depends on input order. */
export function compareSends(a: SendRow, b: SendRow): number {
	return (
		a.at - b.at ||
		cmp(a.contactId, b.contactId) ||
		cmp(a.sequence, b.sequence) ||
		a.step - b.step ||
		cmp(a.variant, b.variant)
	);
}

export function cmp(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Identity of a send, to recognise the credited send among a cohort's sends. */
export function sendKey(send: SendRow): string {
	return `${send.contactId}\u0000${send.sequence}\u0000${send.step}\u0000${send.at}`;
}
