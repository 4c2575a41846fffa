namespace Remediator.Core.Events;

/// <summary>
/// What makes a second delivery a true redelivery (see <see cref="CloudTrailEvent.DeliveryKey"/>): the event id and a
/// 64-bit digest of what identifies the record. A value, not a joined string, so the engine's duplicate check costs no
/// allocation per (event, rule) and its window of remembered keys holds 16 bytes plus the id, not the whole record's
/// identity as text.
/// </summary>
/// <remarks>
/// Two different records that share an id are told apart unless their digests collide (odds of 2^-64, the same as the
/// request digest the key has always relied on).
/// </remarks>
public readonly record struct DeliveryIdentity(string EventId, ulong RecordDigest);
