using System.Text.Json.Serialization;
using Amazon.KeyManagementService.Model;
using Remediator.Aws.State;

namespace Remediator.Operations;

/// <summary>kms:TagResource: KMS names a tag's members <c>TagKey</c> and <c>TagValue</c>.</summary>
public sealed record KmsKeyTags(string KeyId, IReadOnlyList<KmsTag> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => KeyId;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => (Tags ?? []).ToDictionary(t => t.TagKey, t => t.TagValue, StringComparer.Ordinal);
}

public sealed record KmsTag(string TagKey, string TagValue);

/// <summary>kms:UntagResource.</summary>
public sealed record KmsKeyUntag(string KeyId, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => KeyId;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

[JsonSerializable(typeof(KmsKeyTags))]
[JsonSerializable(typeof(KmsKeyUntag))]
internal sealed partial class KmsKeyTagsJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    /// <summary>
    /// Customer-managed KMS keys, by key ARN (an alias ARN names no key the call can take). Tags are listed a page at a
    /// time (<c>Marker</c>); the step's resource is the key ARN, which is what kms:TagResource is granted on.
    /// </summary>
    public static TagOperations<KmsKeyTags, KmsKeyUntag> KmsKeyTags { get; } = RegisterFamily(new TagOperations<KmsKeyTags, KmsKeyUntag>(new(
        "kms:TagResource", "kms:UntagResource", ["kms:TagResource"], ["kms:UntagResource"], ["kms:ListResourceTags"],
        OperationJson.For<KmsKeyTags>(KmsKeyTagsJson.Default), OperationJson.For<KmsKeyUntag>(KmsKeyTagsJson.Default),
        (target, tags) => new KmsKeyTags(target, tags.Select(t => new KmsTag(t.Key, t.Value)).ToList()), (target, keys) => new KmsKeyUntag(target, keys),
        new TagCalls(
            ListKmsTagsAsync,
            (c, key, tags, ct) => c.KeyManagement.TagResourceAsync(
                new TagResourceRequest { KeyId = key, Tags = tags.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value }).ToList() }, ct),
            (c, key, keys, ct) => c.KeyManagement.UntagResourceAsync(new UntagResourceRequest { KeyId = key, TagKeys = keys.ToList() }, ct)),
        new TagTarget(["AWS::KMS::Key"], "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            arn => TagTargets.Arn(arn) is { } key && Core.Remediation.ResourceArns.ResourceOf(key)?.StartsWith("key/", StringComparison.Ordinal) == true ? key : null))));

    private static async Task<IReadOnlyDictionary<string, string>> ListKmsTagsAsync(AwsClients clients, string keyId, CancellationToken ct)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string? marker = null;
        do
        {
            var page = await clients.KeyManagement.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyId, Marker = marker }, ct).ConfigureAwait(false);
            foreach (var tag in page.Tags ?? [])
            {
                tags[tag.TagKey] = tag.TagValue;
            }

            marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (marker is not null);

        return tags;
    }
}
