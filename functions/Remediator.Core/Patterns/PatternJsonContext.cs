using System.Text.Json.Serialization;

namespace Remediator.Core.Patterns;

/// <summary>Source-generated JSON for the few strings this folder quotes (AOT-safe).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class PatternJsonContext : JsonSerializerContext;
