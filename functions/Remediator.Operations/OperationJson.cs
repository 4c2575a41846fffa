using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Remediator.Operations;

/// <summary>
/// JSON of the parameter records. Each operation's file declares its own source-generated context (AOT-safe) beside
/// its records; the System.Text.Json generator does not gather <c>[JsonSerializable]</c> from several partial
/// declarations of one context (it fails with duplicate sources), so one context per file, and the options here,
/// once. Members are read case-sensitively (API Gateway's REST and HTTP APIs differ only in letter case), numbers
/// also from text (API Gateway patch values are text); null members are left out unless a record says otherwise.
/// Reading is lenient (a missing member is null): undo must read the records of every version, and each entry's
/// <c>Validate</c> says what a step needs before it is executed.
/// </summary>
internal static class OperationJson
{
    /// <summary>The record's JSON from a file's generated context, with the options every parameter record shares.</summary>
    public static JsonTypeInfo<T> For<T>(IJsonTypeInfoResolver context)
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            TypeInfoResolver = context,
        };
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}

/// <summary>A tag as IAM, EventBridge and DynamoDB take it: a list of <c>{"Key","Value"}</c>.</summary>
public sealed record TagEntry(string Key, string Value);
