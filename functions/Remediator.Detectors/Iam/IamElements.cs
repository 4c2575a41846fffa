using Remediator.Core.Registry;

namespace Remediator.Detectors.Iam;

/// <summary>Registers the IAM detectors with the registry.</summary>
public static class IamElements
{
    public static ElementRegistry AddIamDetectors(this ElementRegistry registry) => registry;
}
