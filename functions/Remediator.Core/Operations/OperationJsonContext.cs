using System.Text.Json.Serialization;

namespace Remediator.Core.Operations;

/// <summary>
/// Source-generated JSON of every parameter record (AOT-safe). Every parameter record is listed here (the generator
/// wants them on one declaration). Members are read case-sensitively (API Gateway's REST and HTTP
/// APIs differ only in letter case), numbers also from text (API Gateway patch values are text); null members are
/// left out unless a record says otherwise. Reading is lenient
/// (a missing member is null): undo must read the records of every version, and each entry's <c>Validate</c> says
/// what a step needs before it is executed.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(FunctionTimeout))]
[JsonSerializable(typeof(RoleTags))]
[JsonSerializable(typeof(RoleUntag))]
[JsonSerializable(typeof(UserTags))]
[JsonSerializable(typeof(UserUntag))]
[JsonSerializable(typeof(PolicyTags))]
[JsonSerializable(typeof(PolicyUntag))]
[JsonSerializable(typeof(EventBusTags))]
[JsonSerializable(typeof(EventBusUntag))]
[JsonSerializable(typeof(TableTags))]
[JsonSerializable(typeof(TableUntag))]
[JsonSerializable(typeof(FunctionTags))]
[JsonSerializable(typeof(FunctionUntag))]
[JsonSerializable(typeof(RestApiTags))]
[JsonSerializable(typeof(RestApiUntag))]
[JsonSerializable(typeof(HttpApiTags))]
[JsonSerializable(typeof(HttpApiUntag))]
[JsonSerializable(typeof(RestIntegrationUpdate))]
[JsonSerializable(typeof(HttpIntegrationUpdate))]
[JsonSerializable(typeof(RestDeployment))]
[JsonSerializable(typeof(TableEncryptionUpdate))]
[JsonSerializable(typeof(BusPermissionRemoval))]
[JsonSerializable(typeof(BusPolicyPut))]
[JsonSerializable(typeof(RoleInlinePolicy))]
[JsonSerializable(typeof(UserInlinePolicy))]
[JsonSerializable(typeof(GroupInlinePolicy))]
[JsonSerializable(typeof(RoleAttachment))]
[JsonSerializable(typeof(UserAttachment))]
[JsonSerializable(typeof(GroupAttachment))]
[JsonSerializable(typeof(RoleBoundary))]
[JsonSerializable(typeof(UserBoundary))]
[JsonSerializable(typeof(DefaultPolicyVersion))]
[JsonSerializable(typeof(TrustPolicy))]
internal sealed partial class OperationJsonContext : JsonSerializerContext;

/// <summary>A tag as IAM, EventBridge and DynamoDB take it: a list of <c>{"Key","Value"}</c>.</summary>
public sealed record TagEntry(string Key, string Value);
