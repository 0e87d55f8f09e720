import {
  addressKey,
  createLogger,
  type EdgeComment,
  fieldErrors,
  newId,
  ProblemError,
  type SiteSnapshot,
} from '@wp-edge/core';
import { z } from 'zod';
import { akismetFields } from '../akismet/akismet.ts';
import { statusAfterAkismet } from '../akismet/intake-verdict.ts';
import { countLinks, decideStatus } from './decide-status.ts';
import { filterAndReadFacts } from './filter-and-read.ts';
import { refuse } from './refusal.ts';
import type { SiteFacts } from './site-facts.ts';
import { duplicateRefusal, floodRefusal, rateRefusal, storeComment } from './store-comment.ts';
import { Submission } from './submission.ts';
import { TurnstileUnavailable, verifyTurnstile } from './turnstile.ts';
import { asWordPressReadsIt } from './wordpress-filters.ts';

/** A comment stored in the site's log, with what the answer to the commenter needs. */
export interface Accepted {
  comment: EdgeComment;
  seq: number;
  permalink: string;
  siteUrl: string;
  rememberMe: boolean;
}

const Email = z.email();

function parse(
  raw: Record<string, unknown>,
  settings: SiteSnapshot['settings']['comments'],
): Submission {
  const parsed = Submission.safeParse(asWordPressReadsIt(raw));
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    throw new ProblemError(400, errors[0]?.message ?? 'The comment could not be read.', {
      type: 'urn:wp-edge:comment:invalid',
      errors,
    });
  }
  const submission = parsed.data;
  if (settings.requireNameEmail && (!submission.author || !submission.email)) {
    throw refuse(400, 'required', 'Please fill the required fields (name, email).');
  }
  if (submission.email && !Email.safeParse(submission.email).success) {
    throw refuse(400, 'email', 'Please enter a valid email address.');
  }
  return submission;
}

function checkRules(
  submission: Submission,
  facts: SiteFacts,
  settings: SiteSnapshot['settings']['comments'],
  nowMs: number,
) {
  const { parent } = facts;
  if (!facts.catalogPublished) {
    throw refuse(
      503,
      'no-catalog',
      'Comments cannot be accepted yet: the site has not published its posts to the edge. Please try again later.',
      { 'retry-after': '60' },
    );
  }
  if (!facts.post) throw refuse(404, 'no-post', 'Sorry, that post could not be found.');
  if (facts.post.status !== 'publish')
    throw refuse(403, 'not-allowed', 'Sorry, comments are not allowed on this item.');
  if (facts.post.commentStatus !== 'open')
    throw refuse(403, 'closed', 'Sorry, comments are closed for this item.');
  if (facts.post.passwordProtected && !submission.hasPostPassword)
    throw refuse(
      403,
      'password',
      'This post is password protected. Enter its password on the post to comment.',
    );
  if (
    submission.parentWpId > 0 &&
    (!parent || parent.postId !== submission.postId || parent.state === 'gone')
  ) {
    throw refuse(400, 'parent', 'The comment you are replying to does not exist on this post.');
  }
  if (submission.parentWpId > 0 && parent?.state === 'held') {
    throw refuse(403, 'parent-held', 'Sorry, replies to unapproved comments are not allowed.');
  }
  if (facts.duplicate) throw duplicateRefusal();
  const floodMs = settings.floodIntervalSeconds * 1000;
  if (facts.lastFromAddressAtMs !== undefined && nowMs - facts.lastFromAddressAtMs < floodMs) {
    throw floodRefusal(Math.ceil((floodMs - (nowMs - facts.lastFromAddressAtMs)) / 1000));
  }
  if (settings.rateLimitCount > 0 && facts.recentFromAddress >= settings.rateLimitCount) {
    throw rateRefusal(settings.rateLimitWindowSeconds);
  }
}

async function checkTurnstile(
  env: Env,
  site: SiteSnapshot,
  token: string | undefined,
  address: string,
) {
  const { turnstileSecret: secret, turnstileAction: action } = site.settings.comments;
  if (!secret) return;
  const verdict = await verifyTurnstile(env.TURNSTILE_VERIFY_URL, secret, token, address, {
    hosts: site.hosts,
    action,
  }).catch((error: unknown) => {
    if (!(error instanceof TurnstileUnavailable)) throw error;
    createLogger({ service: 'comments' }).error('Turnstile unavailable', { error });
    throw refuse(
      503,
      'turnstile-unavailable',
      'The check that you are human cannot be run just now. Please try again in a minute.',
      { 'retry-after': '60' },
    );
  });
  if (verdict.ok) return;
  const expired = verdict.codes.includes('timeout-or-duplicate');
  throw refuse(
    403,
    'turnstile',
    expired
      ? 'The check that you are human has expired or was already used. Please reload the page and try again.'
      : 'Please complete the check that you are human before posting your comment.',
  );
}

/**
 * Applies WordPress's rules and the site's spam defences to a submission and, if it
 * passes, stores it with its log entry. Throws a refusal otherwise.
 */
export async function acceptComment(
  env: Env,
  site: SiteSnapshot,
  raw: Record<string, unknown>,
  request: Request,
): Promise<Accepted> {
  const settings = site.settings.comments;
  const submission = parse(
    { ...raw, hasPostPassword: /(^|;\s*)wp-postpass_/.test(request.headers.get('cookie') ?? '') },
    settings,
  );
  const address = request.headers.get('cf-connecting-ip') ?? '';
  const nowMs = Date.now();
  const limits = {
    addressKey: addressKey(address),
    floodSinceMs:
      settings.floodIntervalSeconds > 0 ? nowMs - settings.floodIntervalSeconds * 1000 : undefined,
    rateSinceMs: nowMs - settings.rateLimitWindowSeconds * 1000,
    rateLimitCount: settings.rateLimitCount,
  };
  const { stored, dedupeKey, facts } = await filterAndReadFacts(
    env.DB,
    site,
    submission,
    { userAgent: request.headers.get('user-agent') ?? '', ip: address },
    { addressKey: limits.addressKey, windowStartMs: limits.rateSinceMs },
  );
  checkRules(submission, facts, settings, nowMs);
  await checkTurnstile(env, site, submission.turnstileToken, address);
  const permalink = facts.post?.permalink ?? `https://${site.hosts[0]}/?p=${submission.postId}`;
  const siteUrl = facts.siteUrl ?? `https://${site.hosts[0]}`;
  const decided = decideStatus(settings, {
    honeypotFilled: Boolean(submission.honeypot),
    links: countLinks(stored.content),
    returningAuthor: facts.returningAuthor,
    passwordProtected: facts.post?.passwordProtected ?? false,
  });
  const comment: EdgeComment = {
    id: newId(nowMs),
    postId: submission.postId,
    parentWpId: submission.parentWpId,
    ...(submission.renderedBy ? { renderedBy: submission.renderedBy } : {}),
    ...(facts.parent?.edgeId ? { parentEdgeId: facts.parent.edgeId } : {}),
    author: stored.author,
    authorEmail: stored.email,
    authorUrl: stored.url,
    content: stored.content,
    authorIp: stored.ip,
    userAgent: stored.userAgent,
    status: decided,
    createdAt: new Date(nowMs).toISOString(),
    // Only where the site offers it, and only with an address to write to.
    ...(settings.replyNotifications && submission.notifyReplies && stored.email
      ? { notifyReplies: true }
      : {}),
  };
  comment.status = await statusAfterAkismet(env.AKISMET_API_URL, settings, decided, () =>
    akismetFields(comment, {
      blog: siteUrl,
      permalink,
      blogLang: settings.akismetBlogLang ?? facts.locale,
      referrer: request.headers.get('referer') ?? undefined,
      request,
    }),
  );
  return {
    comment,
    seq: await storeComment(env.DB, site.id, comment, { dedupeKey, nowMs, limits }),
    permalink,
    siteUrl,
    rememberMe: submission.rememberMe,
  };
}
