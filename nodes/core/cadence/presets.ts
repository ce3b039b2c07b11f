import type { CadenceSequenceInput } from './model';

export const PRESET_IDS = ['storyReplyWindow', 'softDmFollowUp', 'nurture'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export interface PresetOptions {
	/** Channel of every step (softDmFollowUp default `instagram_dm`, nurture default `email`; storyReplyWindow is always `instagram_dm`). */
	channel?: string;
	/** Channel to hand over to when the window closes (default `email`). */
	handoffChannel?: string;
}

/**
 * Story reply → Instagram DM inside the 24 h window: an immediate answer, +2 h and +20 h follow-ups
 * (relative to the previous send), each pulled earlier inside the window when needed. The immediate answer
 * ignores quiet hours: it replies to a message the person has just sent.
 */
export function storyReplyWindow(options: PresetOptions = {}): CadenceSequenceInput {
	return {
		id: 'storyReplyWindow',
		handoffChannel: options.handoffChannel ?? 'email',
		completeAfter: { min: 2, unit: 'hours' },
		steps: [
			{
				id: 'thanks',
				delay: { min: 0, unit: 'minutes' },
				channel: 'instagram_dm',
				quietHours: false,
				variants: [
					'Hi {{name|there}}, thanks for replying to my story about {{storyTopic|this}}! Want me to send you the details?',
					'Hey {{name|there}}! Glad {{storyTopic|the story}} caught your eye. Shall I send you more?',
				],
			},
			{
				id: 'followUp',
				delay: { min: 2, unit: 'hours' },
				channel: 'instagram_dm',
				allowEarlier: true,
				variants: [
					'Just checking in, {{name|there}}: happy to share more about {{storyTopic|this}} whenever suits you.',
					'{{name|Hi}}, still curious about {{storyTopic|this}}? Reply here and I will send it over.',
				],
			},
			{
				id: 'lastCall',
				delay: { min: 20, unit: 'hours' },
				channel: 'instagram_dm',
				allowEarlier: true,
				variants: [
					'Last note from me, {{name|there}}: reply any time if you want more on {{storyTopic|this}}.',
				],
			},
		],
	};
}

/** The playbook's soft DM: a day-1 message, one follow-up after 48–72 h, then stop (two non-replies). */
export function softDmFollowUp(options: PresetOptions = {}): CadenceSequenceInput {
	const channel = options.channel ?? 'instagram_dm';
	return {
		id: 'softDmFollowUp',
		handoffChannel: options.handoffChannel ?? 'email',
		completeAfter: { min: 48, unit: 'hours' },
		steps: [
			{
				id: 'soft',
				delay: { min: 0, unit: 'minutes' },
				channel,
				variants: [
					'Hi {{name|there}}, thanks for your interest in {{storyTopic|our story}}. Any questions I can answer?',
					'Hey {{name|there}}! Saw you liked {{storyTopic|our story}}. Anything you would like to know?',
				],
			},
			{
				id: 'followUp',
				delay: { min: 48, max: 72, unit: 'hours' },
				channel,
				variants: [
					'Hi {{name|there}}, just following up once on {{storyTopic|this}}. Happy to help if you need anything.',
				],
			},
		],
	};
}

/** ROI playbook: immediate → value after 24–48 h → final reminder after 3–7 days → move to nurture. */
export function nurture(options: PresetOptions = {}): CadenceSequenceInput {
	const channel = options.channel ?? 'email';
	return {
		id: 'nurture',
		handoffChannel: options.handoffChannel,
		completeAfter: { min: 24, unit: 'hours' },
		moveToOnExhausted: 'nurture',
		steps: [
			{
				id: 'welcome',
				delay: { min: 0, unit: 'minutes' },
				channel,
				variants: ['Hi {{name|there}}, here is what you asked for about {{storyTopic|our story}}.'],
			},
			{
				id: 'value',
				delay: { min: 24, max: 48, unit: 'hours' },
				channel,
				variants: [
					'{{name|Hi}}, a quick tip on {{storyTopic|this}} that our clients find useful.',
					'{{name|Hi}}, one idea on {{storyTopic|this}} you can use today.',
				],
			},
			{
				id: 'finalReminder',
				delay: { min: 3, max: 7, unit: 'days' },
				channel,
				variants: [
					'Last reminder, {{name|there}}: the offer on {{storyTopic|this}} is still open if you want it.',
				],
			},
		],
	};
}

export function presetSequence(id: PresetId, options: PresetOptions = {}): CadenceSequenceInput {
	if (id === 'storyReplyWindow') return storyReplyWindow(options);
	if (id === 'softDmFollowUp') return softDmFollowUp(options);
	return nurture(options);
}
