// Who is told of one recall revision, and why: a pure merge of the holders (recallHolders), the batches'
// manufacturers and those told of earlier revisions into one draft per participant.
import type { RecallHolder } from '@pharmatrace/tracing/affected-packs';
import type { NotificationReason } from '../recall-webhook-payload';

export interface NotificationDraft {
  participantId: string;
  reasons: NotificationReason[];
  /** Affected packs (and ingredient lots) it holds, is about to receive, or supplied; 0 for a manufacturer or someone told before only. */
  affectedPacks: number;
}

export interface RevisionAudience {
  holders: readonly RecallHolder[];
  /** Manufacturers of the recall's batches: told unless they initiated it. */
  manufacturers: readonly string[];
  initiatorId: string;
  /** Participants told of an earlier revision: told again (`previously_notified` when no other reason applies). */
  previouslyNotified: readonly string[];
}

/** One draft per participant, in participant id order, each reason once. */
export function notificationDrafts(audience: RevisionAudience): NotificationDraft[] {
  const drafts = new Map<string, NotificationDraft>();
  const add = (participantId: string, reason: NotificationReason, packs: number) => {
    const d = drafts.get(participantId) ?? { participantId, reasons: [], affectedPacks: 0 };
    if (!d.reasons.includes(reason)) d.reasons.push(reason);
    d.affectedPacks += packs;
    drafts.set(participantId, d);
  };
  // recallHolders counts a holder's packs over all its reasons already.
  for (const h of audience.holders) h.reasons.forEach((reason, i) => add(h.participantId, reason, i === 0 ? h.packs : 0));
  for (const maker of audience.manufacturers) if (maker !== audience.initiatorId) add(maker, 'manufacturer', 0);
  for (const participantId of audience.previouslyNotified) if (!drafts.has(participantId)) add(participantId, 'previously_notified', 0);
  return [...drafts.values()].sort((a, b) => (a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0));
}
