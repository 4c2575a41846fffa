using System.Text.Json.Serialization;

namespace Remediator.Operations;

/// <summary>events:TagResource / events:UntagResource.</summary>
public sealed record EventBusTags(string ResourceARN, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => ResourceARN;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record EventBusUntag(string ResourceARN, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => ResourceARN;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

[JsonSerializable(typeof(EventBusTags))]
[JsonSerializable(typeof(EventBusUntag))]
internal sealed partial class EventBusTagsJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static TagOperations<EventBusTags, EventBusUntag> EventBusTags { get; } = RegisterFamily(new TagOperations<EventBusTags, EventBusUntag>(new(
        "events:TagResource", "events:UntagResource", ["events:TagResource"], ["events:UntagResource"], ["events:ListTagsForResource"],
        OperationJson.For<EventBusTags>(EventBusTagsJson.Default), OperationJson.For<EventBusUntag>(EventBusTagsJson.Default),
        (target, tags) => new EventBusTags(target, TagLists.List(tags)), (target, keys) => new EventBusUntag(target, keys),
        new TagCalls((c, arn, ct) => c.EventBridge.ListTagsForResourceAsync(arn, ct), (c, arn, tags, ct) => c.EventBridge.TagResourceAsync(arn, tags, ct),
            (c, arn, keys, ct) => c.EventBridge.UntagResourceAsync(arn, keys, ct)),
        new TagTarget(["AWS::Events::EventBus"], "arn:aws:events:us-east-1:123456789012:event-bus/default", TagTargets.Arn))));
}
