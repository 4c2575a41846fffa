using System.Text.Json.Serialization;

namespace Remediator.Operations;

/// <summary>iam:TagRole / iam:UntagRole.</summary>
public sealed record RoleTags(string RoleName, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => RoleName;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record RoleUntag(string RoleName, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => RoleName;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>iam:TagUser / iam:UntagUser.</summary>
public sealed record UserTags(string UserName, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => UserName;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record UserUntag(string UserName, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => UserName;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>iam:TagPolicy / iam:UntagPolicy.</summary>
public sealed record PolicyTags(string PolicyArn, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => PolicyArn;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record PolicyUntag(string PolicyArn, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => PolicyArn;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

[JsonSerializable(typeof(RoleTags))]
[JsonSerializable(typeof(RoleUntag))]
[JsonSerializable(typeof(UserTags))]
[JsonSerializable(typeof(UserUntag))]
[JsonSerializable(typeof(PolicyTags))]
[JsonSerializable(typeof(PolicyUntag))]
internal sealed partial class IamTagsJson : JsonSerializerContext;

public static partial class OperationCatalogue
{
    public static TagOperations<RoleTags, RoleUntag> RoleTags { get; } = RegisterFamily(new TagOperations<RoleTags, RoleUntag>(new(
        "iam:TagRole", "iam:UntagRole", ["iam:TagRole"], ["iam:UntagRole"], ["iam:ListRoleTags"],
        OperationJson.For<RoleTags>(IamTagsJson.Default), OperationJson.For<RoleUntag>(IamTagsJson.Default),
        (target, tags) => new RoleTags(target, TagLists.List(tags)), (target, keys) => new RoleUntag(target, keys),
        new TagCalls((c, role, ct) => c.Iam.ListRoleTagsAsync(role, ct), (c, role, tags, ct) => c.Iam.TagRoleAsync(role, tags, ct), (c, role, keys, ct) => c.Iam.UntagRoleAsync(role, keys, ct)),
        new TagTarget(["AWS::IAM::Role"], "arn:aws:iam::123456789012:role/app", arn => TagTargets.IamName(arn, "role/")))));

    public static TagOperations<UserTags, UserUntag> UserTags { get; } = RegisterFamily(new TagOperations<UserTags, UserUntag>(new(
        "iam:TagUser", "iam:UntagUser", ["iam:TagUser"], ["iam:UntagUser"], ["iam:ListUserTags"],
        OperationJson.For<UserTags>(IamTagsJson.Default), OperationJson.For<UserUntag>(IamTagsJson.Default),
        (target, tags) => new UserTags(target, TagLists.List(tags)), (target, keys) => new UserUntag(target, keys),
        new TagCalls((c, user, ct) => c.Iam.ListUserTagsAsync(user, ct), (c, user, tags, ct) => c.Iam.TagUserAsync(user, tags, ct), (c, user, keys, ct) => c.Iam.UntagUserAsync(user, keys, ct)),
        new TagTarget(["AWS::IAM::User"], "arn:aws:iam::123456789012:user/alice", arn => TagTargets.IamName(arn, "user/")))));

    public static TagOperations<PolicyTags, PolicyUntag> PolicyTags { get; } = RegisterFamily(new TagOperations<PolicyTags, PolicyUntag>(new(
        "iam:TagPolicy", "iam:UntagPolicy", ["iam:TagPolicy"], ["iam:UntagPolicy"], ["iam:GetPolicy"],
        OperationJson.For<PolicyTags>(IamTagsJson.Default), OperationJson.For<PolicyUntag>(IamTagsJson.Default),
        (target, tags) => new PolicyTags(target, TagLists.List(tags)), (target, keys) => new PolicyUntag(target, keys),
        new TagCalls(
            async (c, arn, ct) => (await c.Iam.GetPolicyAsync(arn, ct).ConfigureAwait(false)).Tags,
            (c, arn, tags, ct) => c.Iam.TagPolicyAsync(arn, tags, ct),
            (c, arn, keys, ct) => c.Iam.UntagPolicyAsync(arn, keys, ct)),
        new TagTarget(["AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"], "arn:aws:iam::123456789012:policy/p",
            arn => TagTargets.IamName(arn, "policy/") is null ? null : arn))));
}
