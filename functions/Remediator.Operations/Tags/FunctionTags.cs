using System.Text.Json.Serialization;

namespace Remediator.Operations;

/// <summary>lambda:TagResource / lambda:UntagResource: tags as a map.</summary>
public sealed record FunctionTags(string Resource, IReadOnlyDictionary<string, string> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => Resource;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => Tags ?? TagLists.None;
}

public sealed record FunctionUntag(string Resource, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => Resource;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

[JsonSerializable(typeof(FunctionTags))]
[JsonSerializable(typeof(FunctionUntag))]
internal sealed partial class FunctionTagsJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static TagOperations<FunctionTags, FunctionUntag> FunctionTags { get; } = RegisterFamily(new TagOperations<FunctionTags, FunctionUntag>(new(
        "lambda:TagResource", "lambda:UntagResource", ["lambda:TagResource"], ["lambda:UntagResource"], ["lambda:ListTags"],
        OperationJson.For<FunctionTags>(FunctionTagsJson.Default), OperationJson.For<FunctionUntag>(FunctionTagsJson.Default),
        (target, tags) => new FunctionTags(target, tags), (target, keys) => new FunctionUntag(target, keys),
        new TagCalls((c, arn, ct) => c.Lambda.ListTagsAsync(arn, ct), (c, arn, tags, ct) => c.Lambda.TagResourceAsync(arn, tags, ct),
            (c, arn, keys, ct) => c.Lambda.UntagResourceAsync(arn, keys, ct)),
        new TagTarget(["AWS::Lambda::Function"], "arn:aws:lambda:us-east-1:123456789012:function:f", TagTargets.Arn))));
}
