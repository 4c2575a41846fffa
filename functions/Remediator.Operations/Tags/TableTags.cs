using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;
using Remediator.Aws.State;

namespace Remediator.Operations;

/// <summary>dynamodb:TagResource / dynamodb:UntagResource.</summary>
public sealed record TableTags(string ResourceArn, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record TableUntag(string ResourceArn, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

[JsonSerializable(typeof(TableTags))]
[JsonSerializable(typeof(TableUntag))]
internal sealed partial class TableTagsJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static TagOperations<TableTags, TableUntag> TableTags { get; } = RegisterFamily(new TagOperations<TableTags, TableUntag>(new(
        "dynamodb:TagResource", "dynamodb:UntagResource", ["dynamodb:TagResource"], ["dynamodb:UntagResource"], ["dynamodb:ListTagsOfResource"],
        OperationJson.For<TableTags>(TableTagsJson.Default), OperationJson.For<TableUntag>(TableTagsJson.Default),
        (target, tags) => new TableTags(target, TagLists.List(tags)), (target, keys) => new TableUntag(target, keys),
        new TagCalls(
            async (c, arn, ct) => await AwsTagStatePort.DynamoDbTagsAsync(c.DynamoDb, arn, ct).ConfigureAwait(false) ?? throw new ResourceNotFoundException($"table {arn} not found"),
            (c, arn, tags, ct) => c.DynamoDb.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList() }, ct),
            (c, arn, keys, ct) => c.DynamoDb.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = keys.ToList() }, ct)),
        new TagTarget(["AWS::DynamoDB::Table"], "arn:aws:dynamodb:us-east-1:123456789012:table/t", TagTargets.Arn))));
}
