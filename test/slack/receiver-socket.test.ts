import { describe, expect, it } from 'vitest';
import { dedupeKeys } from '../../src/slack/inbound.js';
import { envelopeInbound, screenMessage } from '../../src/slack/receiver-socket.js';

describe('envelopeInbound: an envelope is the same Inbound as the HTTP request', () => {
  const event = {
    type: 'event_callback',
    token: 'verification-token',
    team_id: 'T1',
    event_id: 'Ev1',
    event: { type: 'message', channel: 'D1', ts: '1.1', text: 'hi' },
  };

  it('events_api → an event, with its dedupe keys and without the verification token', () => {
    const inbound = envelopeInbound('events_api', structuredClone(event), 5);
    expect(inbound).toMatchObject({ kind: 'event', eventId: 'Ev1', team: 'T1', receivedAt: 5 });
    if (!inbound || inbound === 'malformed') throw new Error('no inbound');
    expect(JSON.stringify(inbound)).not.toContain('verification-token');
    expect(dedupeKeys(inbound)).toEqual(['event:Ev1', 'message:D1:1.1']);
  });

  it('interactive → an interaction; slash_commands → a command with string fields only', () => {
    expect(
      envelopeInbound('interactive', { type: 'block_actions', team: { id: 'T2' }, trigger_id: 'tr1' }, 0),
    ).toMatchObject({ kind: 'interaction', team: 'T2' });
    const cmd = envelopeInbound(
      'slash_commands',
      { command: '/icp', text: 'hi', team_id: 'T3', token: 't', is_enterprise_install: false },
      0,
    );
    expect(cmd).toEqual({
      kind: 'command',
      fields: { command: '/icp', text: 'hi', team_id: 'T3' },
      team: 'T3',
      receivedAt: 0,
    });
  });

  it('malformed or unknown envelopes are recognised, not thrown on', () => {
    expect(envelopeInbound('events_api', null, 0)).toBe('malformed');
    expect(envelopeInbound('events_api', 'text', 0)).toBe('malformed');
    expect(envelopeInbound('events_api', { type: 'event_callback' }, 0)).toBe('malformed');
    expect(envelopeInbound('something_new', {}, 0)).toBeNull();
    expect(envelopeInbound('events_api', { type: 'app_rate_limited' }, 0)).toBeNull();
  });
});

describe('screenMessage: what the Socket Mode client may not see', () => {
  const envelope = (fields: Record<string, unknown>) =>
    JSON.stringify({ envelope_id: 'E1', type: 'events_api', accepts_response_payload: false, ...fields });

  it('passes hello, disconnect, interactive and events with an event of a string type', () => {
    expect(screenMessage('{"type":"hello"}')).toEqual({ pass: true });
    expect(screenMessage('{"type":"disconnect","reason":"refresh_requested"}')).toEqual({ pass: true });
    expect(screenMessage(JSON.stringify({ envelope_id: 'E2', type: 'interactive' }))).toEqual({ pass: true });
    expect(screenMessage(envelope({ payload: { event: { type: 'message' } } }))).toEqual({ pass: true });
  });

  it('stops an events_api envelope without an object payload and event, with its id to acknowledge', () => {
    for (const fields of [
      {},
      { payload: null },
      { payload: 'text' },
      { payload: [] },
      { payload: { type: 'event_callback' } },
      { payload: { event: null } },
      { payload: { event: 'message' } },
      { payload: { event: { type: 7 } } },
    ])
      expect(screenMessage(envelope(fields))).toEqual({ pass: false, why: 'malformed_envelope', envelopeId: 'E1' });
  });

  it("stops an event named like one of the client's own events, and anything that is not a JSON object", () => {
    expect(screenMessage(envelope({ payload: { event: { type: 'close' } } }))).toMatchObject({
      pass: false,
      why: 'reserved_event_type',
      envelopeId: 'E1',
    });
    for (const text of ['null', '"hello"', '[1]', '{not json'])
      expect(screenMessage(text)).toEqual({ pass: false, why: 'malformed_message', envelopeId: undefined });
  });
});
