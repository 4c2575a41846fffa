using Remediator.Aws.DynamoDb;
using Remediator.Core.Audit;
using static Remediator.Aws.Audit.AuditTableDefinition;

namespace Remediator.Aws.Audit;

/// <summary>
/// The audit table as the Slack interactivity endpoint uses it: read a record, begin a decision record exactly once.
/// Both on the signed <see cref="DynamoDbClient"/> (GetItem with a consistent read, conditional PutItem), with the items
/// and the begin condition of <see cref="AuditItem"/>, so what it writes is what <see cref="DynamoDbAuditStore"/> writes
/// and the worker reads. Completing, querying and undoing are the worker's and the CLI's (the full store, under their
/// roles): the endpoint's role grants neither, and this store refuses them rather than half-doing them.
/// </summary>
public sealed class DynamoDbDecisionLedger : IAuditStore
{
    private readonly DynamoDbClient _client;
    private readonly string _tableName;
    private readonly AuditStoreOptions _options;
    private readonly TimeProvider _clock;

    /// <param name="client">Configured by the caller (region, endpoint, credentials); not disposed here.</param>
    public DynamoDbDecisionLedger(DynamoDbClient client, string tableName, AuditStoreOptions? options = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        _client = client;
        _tableName = tableName;
        _options = (options ?? new AuditStoreOptions()).Validated();
        _clock = clock ?? TimeProvider.System;
    }

    public Task<bool> TryBeginAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        record.Validated();
        var now = _clock.GetUtcNow();
        return _client.PutItemAsync(_tableName, AuditItem.From(_options.Stamp(record, now)), AuditItem.BeginCondition(now), cancellationToken);
    }

    public async Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var item = await _client.GetItemAsync(_tableName, AuditItem.Key(id), consistentRead: true, cancellationToken).ConfigureAwait(false);
        return item is null
            ? null
            : AuditItem.ToRecord(item.TryGetValue(RecordAttribute, out var json) ? json.Text : null, item.TryGetValue(IdAttribute, out var stored) ? stored.Text : null);
    }

    public Task<bool> CompleteAsync(AuditRecord record, CancellationToken cancellationToken = default) => throw NotHere("complete records");

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw NotHere("query the trail");

    public Task<bool> MarkUndoneAsync(string originalId, string undoId, CancellationToken cancellationToken = default) => throw NotHere("mark records undone");

    private static InvalidOperationException NotHere(string what) =>
        new($"the decision ledger only reads records and begins decisions; it does not {what} (the approval worker and the CLI do, with the full audit store)");
}
