using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediator.Aws.State;
using Remediator.Core.Execution;
using Remediator.Core.Operations;

namespace Remediator.Aws.Execution;

/// <summary>
/// A table's encryption (UpdateTable SSESpecification) and its tags. DynamoDB changes encryption asynchronously: a
/// re-read showing UPDATING or ENABLING counts as taken (the change is under way and cannot be lost), which the step's
/// note says; the KMS key can then only be compared once the status is ENABLED.
/// </summary>
internal sealed class DynamoDbSteps(IAmazonDynamoDB dynamoDb)
{
    public void Register(OperationHandlers handlers)
    {
        handlers.Add(OperationCatalogue.UpdateTable, UpdateEncryptionAsync);
        TagSteps.Register(handlers, OperationCatalogue.TableTags,
            async (arn, ct) => await AwsTagStatePort.DynamoDbTagsAsync(dynamoDb, arn, ct).ConfigureAwait(false) ?? throw new ResourceNotFoundException($"table {arn} not found"),
            (arn, tags, ct) => dynamoDb.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList() }, ct),
            (arn, keys, ct) => dynamoDb.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = keys.ToList() }, ct));
    }

    private async Task<SSEDescription?> EncryptionAsync(string table, CancellationToken ct)
    {
        var sse = (await dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct).ConfigureAwait(false)).Table.SSEDescription;
        return sse is null || (sse.Status is null && sse.SSEType is null && sse.KMSMasterKeyArn is null) ? null : sse;
    }

    private static string State(SSEDescription? sse) =>
        StepStates.Of(StepStates.SseDescription, sse is null
            ? null
            : new JsonObject { ["Status"] = sse.Status?.Value, ["SSEType"] = sse.SSEType?.Value, ["KMSMasterKeyArn"] = sse.KMSMasterKeyArn });

    private async Task UpdateEncryptionAsync(StepRun run, TableEncryptionUpdate parameters, CancellationToken ct)
    {
        var table = parameters.TableName;
        var wanted = parameters.SSESpecification!;
        var enabled = wanted.Enabled;
        var keyId = string.IsNullOrEmpty(wanted.KMSMasterKeyId) ? null : wanted.KMSMasterKeyId;
        var specification = new SSESpecification { Enabled = enabled };
        if (enabled)
        {
            specification.SSEType = SSEType.FindValue(wanted.SSEType ?? "KMS");
            specification.KMSMasterKeyId = keyId;
        }

        var before = await EncryptionAsync(table, ct).ConfigureAwait(false);
        run.Before = State(before);
        await dynamoDb.UpdateTableAsync(new UpdateTableRequest { TableName = table, SSESpecification = specification }, ct).ConfigureAwait(false);
        run.Called = true;
        var after = await EncryptionAsync(table, ct).ConfigureAwait(false);
        run.After = State(after);
        var status = after?.Status?.Value;
        if (enabled)
        {
            var kms = after is not null && string.Equals(after.SSEType?.Value, "KMS", StringComparison.Ordinal);
            var keyMatches = keyId is null || !keyId.StartsWith("arn:", StringComparison.Ordinal) || keyId == after?.KMSMasterKeyArn;
            run.Verified = kms && (status is "UPDATING" or "ENABLING" || (status == "ENABLED" && keyMatches));
        }
        else
        {
            run.Verified = after is null || status is "UPDATING" or "DISABLING" or "DISABLED";
        }

        run.Note = run.Verified
            ? status is "UPDATING" or "ENABLING" or "DISABLING" ? $"DynamoDB reports {status}: the change is under way (asynchronous)" : null
            : "UpdateTable was accepted but DescribeTable does not show the new encryption yet (DynamoDB applies it asynchronously)";
    }
}
