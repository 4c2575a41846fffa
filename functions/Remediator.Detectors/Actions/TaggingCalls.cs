using Remediator.Operations;

namespace Remediator.Detectors.Actions;

/// <summary>
/// The tagging API call for a resource, by CloudFormation type: each service's tag family is its own catalogue file
/// (<see cref="OperationCatalogue.TaggingFor"/>), which knows the types it tags, how their ARNs name the target, its
/// parameters and the shape of its tags. A new taggable type is that one file.
/// </summary>
public static class TaggingCalls
{
    /// <summary>
    /// One <c>tag</c> step for the resource, or null when the type cannot be tagged (e.g. an inline policy, an unknown
    /// type) or the ARN does not name the resource the way the type needs.
    /// </summary>
    public static PlannedAction? For(string resourceType, string resourceArn, string key, string value) =>
        OperationCatalogue.TaggingFor(resourceType)?.Plan(
            resourceArn, new Dictionary<string, string>(StringComparer.Ordinal) { [key] = value }, $"Tag {resourceType} '{resourceArn}' with {key}={value}.");
}
