using System.Text.Json.Serialization;

namespace Remediator.Operations;

/// <summary>apigateway:TagResource of a REST API (PUT /tags/{arn}): lower-case members, tags as a map.</summary>
public sealed record RestApiTags(
    [property: JsonPropertyName("resourceArn")] string ResourceArn,
    [property: JsonPropertyName("tags")] IReadOnlyDictionary<string, string> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => Tags ?? TagLists.None;
}

public sealed record RestApiUntag(
    [property: JsonPropertyName("resourceArn")] string ResourceArn,
    [property: JsonPropertyName("tagKeys")] IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>apigateway:TagResource of an HTTP/WebSocket API (POST /v2/tags/{arn}): tags as a map.</summary>
public sealed record HttpApiTags(string ResourceArn, IReadOnlyDictionary<string, string> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => Tags ?? TagLists.None;
}

public sealed record HttpApiUntag(string ResourceArn, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

[JsonSerializable(typeof(RestApiTags))]
[JsonSerializable(typeof(RestApiUntag))]
[JsonSerializable(typeof(HttpApiTags))]
[JsonSerializable(typeof(HttpApiUntag))]
internal sealed partial class ApiTagsJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    /// <summary>REST API tags: PUT and DELETE on /tags/{arn}.</summary>
    public static TagOperations<RestApiTags, RestApiUntag> RestApiTags { get; } = RegisterFamily(new TagOperations<RestApiTags, RestApiUntag>(new(
        "apigateway:TagResource", "apigateway:UntagResource", ["apigateway:PUT"], ["apigateway:DELETE"], ["apigateway:GET"],
        OperationJson.For<RestApiTags>(ApiTagsJson.Default), OperationJson.For<RestApiUntag>(ApiTagsJson.Default),
        (target, tags) => new RestApiTags(target, tags), (target, keys) => new RestApiUntag(target, keys),
        new TagCalls((c, arn, ct) => c.ApiGateway.GetTagsAsync(arn, ct), (c, arn, tags, ct) => c.ApiGateway.TagResourceAsync(arn, tags, ct),
            (c, arn, keys, ct) => c.ApiGateway.UntagResourceAsync(arn, keys, ct)),
        // API Gateway's permissions are HTTP verbs on resource paths: the step's resource is the tags path.
        new TagTarget(["AWS::ApiGateway::RestApi"], "arn:aws:apigateway:us-east-1::/restapis/r1", TagTargets.Arn, TagTargets.ApiGatewayTagsPath),
        parameters => parameters.ContainsKey("resourceArn"))));

    /// <summary>HTTP/WebSocket API tags: POST and DELETE on /v2/tags/{arn}.</summary>
    public static TagOperations<HttpApiTags, HttpApiUntag> HttpApiTags { get; } = RegisterFamily(new TagOperations<HttpApiTags, HttpApiUntag>(new(
        "apigateway:TagResource", "apigateway:UntagResource", ["apigateway:POST"], ["apigateway:DELETE"], ["apigateway:GET"],
        OperationJson.For<HttpApiTags>(ApiTagsJson.Default), OperationJson.For<HttpApiUntag>(ApiTagsJson.Default),
        (target, tags) => new HttpApiTags(target, tags), (target, keys) => new HttpApiUntag(target, keys),
        new TagCalls((c, arn, ct) => c.ApiGatewayV2.GetTagsAsync(arn, ct), (c, arn, tags, ct) => c.ApiGatewayV2.TagResourceAsync(arn, tags, ct),
            (c, arn, keys, ct) => c.ApiGatewayV2.UntagResourceAsync(arn, keys, ct)),
        new TagTarget(["AWS::ApiGatewayV2::Api"], "arn:aws:apigateway:us-east-1::/apis/a1", TagTargets.Arn, TagTargets.ApiGatewayTagsPath),
        parameters => parameters.ContainsKey("ResourceArn"))));
}
